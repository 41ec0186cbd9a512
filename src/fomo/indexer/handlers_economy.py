"""Log rows of the economy contracts: staking, gmFLOCK locks, vesting, vault deposits, the
reward distributor's roots, fundings and claims, and the revenue router's settlements,
buybacks and burns."""

from __future__ import annotations

from sqlalchemy.orm import Session

from fomo.db.models import (
    Burn,
    Buyback,
    Deposit,
    GmLockEvent,
    RewardClaim,
    StakeEvent,
    VestingRelease,
    VestingSchedule,
)
from fomo.db.models_indexer import (
    RevenueSettlement,
    RewardFunding,
    RewardRootEvent,
)
from fomo.indexer.decoded import DecodedLog, Handler, ProjectionContext, Touched


def _staked(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    s.add(StakeEvent(**lg.ref(), token=a["token"], account=a["account"], kind="stake",
                     amount=a["amount"]))  # fmt: skip
    t.stakes.add((a["token"], a["account"]))


def _unstake(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    s.add(
        StakeEvent(
            **lg.ref(),
            token=a["token"],
            account=a["account"],
            kind="unstake",
            amount=a["amount"],
            cooldown_end=a["unlock_time"],
        )
    )
    t.stakes.add((a["token"], a["account"]))


def _stake_withdrawn(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    s.add(StakeEvent(**lg.ref(), token=a["token"], account=a["account"], kind="withdraw",
                     amount=a["amount"]))  # fmt: skip
    t.stakes.add((a["token"], a["account"]))


def _gm(kind: str) -> Handler:
    def handle(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
        a = lg.args
        if kind == "create":
            amount, unlock = a["amount"], a["unlock_time"]
        elif kind == "increase":
            amount, unlock = a["added"], a["unlock_time"]
        elif kind == "extend":
            amount, unlock = a["amount"], a["new_unlock_time"]
        else:
            amount, unlock = a["amount"], 0
        s.add(GmLockEvent(**lg.ref(), account=a["account"], kind=kind, amount=amount,
                          unlock_time=unlock))  # fmt: skip
        t.gm_locks.add(a["account"])

    return handle


def _schedule_created(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    s.add(
        VestingSchedule(
            schedule_id=a["id"],
            token=a["token"],
            beneficiary=a["beneficiary"],
            amount=a["amount"],
            start=a["start"],
            cliff=a["cliff"],
            duration=a["duration"],
            released=0,
            created_block=lg.block_number,
            created_tx=lg.tx_hash,
        )
    )
    s.flush()  # releases reference it by foreign key
    t.vesting.add(int(a["id"]))


def _released(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    s.add(VestingRelease(**lg.ref(), schedule_id=a["id"], amount=a["amount"]))
    t.vesting.add(int(a["id"]))


def _deposited(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    token = ctx.usdc or lg.address
    s.add(Deposit(**lg.ref(), account=a["account"], token=token, amount=a["amount"]))


def _root(kind: str) -> Handler:
    def handle(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
        a = lg.args
        s.add(
            RewardRootEvent(
                **lg.ref(),
                kind=kind,
                root=a["root"],
                epoch=a["epoch"],
                data_hash=a.get("data_hash"),
                activates_at=a.get("activates_at"),
            )
        )

    return handle


def _reward_claimed(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    s.add(RewardClaim(**lg.ref(), account=a["account"], token=a["token"], amount=a["amount"]))


def _funded(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    s.add(RewardFunding(**lg.ref(), token=a["token"], pool=a["pool"], funder=a["funder"],
                        amount=a["amount"]))  # fmt: skip


def _retired(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    if a["burned"]:
        s.add(Burn(**lg.ref(), token=a["token"], amount=a["amount"], reason="reward_pool_expired"))


def _settled(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    s.add(
        RevenueSettlement(
            **lg.ref(),
            token=a["token"],
            epoch=a["epoch"],
            usdc_amount=a["usdc_amount"],
            flock_buyback=a["flock_buyback"],
            treasury_amount=a["treasury_amount"],
            mt_buyback=a["mt_buyback"],
            issuer_amount=a["issuer_amount"],
            issuer=a["issuer"],
            pulled=a["pulled"],
        )
    )


def _buyback(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    kind = "flock" if ctx.flock is not None and a["token"] == ctx.flock else "mt"
    s.add(Buyback(**lg.ref(), kind=kind, token=a["token"], usdc_in=a["usdc_in"],
                  amount_out=a["amount_out"]))  # fmt: skip


def _burned(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    s.add(Burn(**lg.ref(), token=a["token"], amount=a["amount"], reason="buyback"))


ECONOMY_HANDLERS: dict[tuple[str, str], Handler] = {
    ("Staking", "Staked"): _staked,
    ("Staking", "UnstakeRequested"): _unstake,
    ("Staking", "Withdrawn"): _stake_withdrawn,
    ("GmFlock", "LockCreated"): _gm("create"),
    ("GmFlock", "AmountIncreased"): _gm("increase"),
    ("GmFlock", "LockExtended"): _gm("extend"),
    ("GmFlock", "Withdrawn"): _gm("withdraw"),
    ("Vesting", "ScheduleCreated"): _schedule_created,
    ("Vesting", "Released"): _released,
    ("PaymentVault", "Deposited"): _deposited,
    ("RewardDistributor", "RootProposed"): _root("proposed"),
    ("RewardDistributor", "RootActivated"): _root("activated"),
    ("RewardDistributor", "RootCancelled"): _root("cancelled"),
    ("RewardDistributor", "RootSuperseded"): _root("superseded"),
    ("RewardDistributor", "Claimed"): _reward_claimed,
    ("RewardDistributor", "Funded"): _funded,
    ("RewardDistributor", "Retired"): _retired,
    ("RevenueRouter", "Settled"): _settled,
    ("RevenueRouter", "BuybackExecuted"): _buyback,
    ("RevenueRouter", "Burned"): _burned,
}
