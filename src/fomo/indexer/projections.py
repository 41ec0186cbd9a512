"""From decoded logs to domain rows, and back on a reorg.

Two kinds of tables:

* **log rows** (one per log, :class:`~fomo.db.models.LogRef`): purchases, claims, stake events …
  They are only ever inserted, and a reorg deletes those with ``block_number >= fork``.
* **projections** (current state keyed by launch/account: :class:`Launch` totals and status,
  :class:`Stake`, :class:`GmLock`, vesting ``released``, :class:`TokenBalance`,
  :class:`ChainModelType`): never updated incrementally. After every batch and every rollback,
  each key the batch touched is *recomputed from its log rows*. One code path for going forward
  and for going back means a reorg cannot leave a projection that differs from a fresh index.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from fomo.db.base import Base
from fomo.db.models import (
    EVENT_TABLES,
    Burn,
    Buyback,
    Claim,
    Deposit,
    EventLog,
    GmLock,
    GmLockEvent,
    Launch,
    Purchase,
    Redeem,
    RewardClaim,
    Stake,
    StakeEvent,
    VestingRelease,
    VestingSchedule,
)
from fomo.db.models_indexer import (
    INDEXER_EVENT_TABLES,
    ChainModelType,
    Graduation,
    LaunchMetadataSet,
    LaunchParams,
    PairSync,
    RevenueSettlement,
    RewardFunding,
    RewardRootEvent,
    TokenBalance,
    TokenTransfer,
)
from fomo.db.models_market import MARKET_EVENT_TABLES, PairSwap
from fomo.economics.curve import virtual_reserves

ZERO_ADDRESS = "0x" + "00" * 20

ALL_EVENT_TABLES: tuple[type[Base], ...] = EVENT_TABLES + INDEXER_EVENT_TABLES + MARKET_EVENT_TABLES


@dataclass(frozen=True)
class DecodedLog:
    """A log with its block context and decoded arguments."""

    kind: str  # contract kind: Launchpad, Staking, ModelToken, Pair …
    event: str
    address: str
    args: dict[str, Any]
    block_number: int
    block_hash: str
    block_time: int
    tx_hash: str
    log_index: int

    def ref(self) -> dict[str, Any]:
        return {
            "block_number": self.block_number,
            "block_hash": self.block_hash,
            "block_time": self.block_time,
            "tx_hash": self.tx_hash,
            "log_index": self.log_index,
        }


@dataclass
class Touched:
    """Projection keys a batch (or a rollback) touched."""

    launches: set[str] = field(default_factory=set)
    stakes: set[tuple[str, str]] = field(default_factory=set)
    gm_locks: set[str] = field(default_factory=set)
    vesting: set[int] = field(default_factory=set)
    balances: set[tuple[str, str]] = field(default_factory=set)
    model_types: bool = False

    def balance(self, token: str, account: str) -> None:
        if account != ZERO_ADDRESS:
            self.balances.add((token, account))


@dataclass(frozen=True)
class ProjectionContext:
    """Addresses the handlers need to classify events."""

    launchpad: str | None
    flock: str | None
    usdc: str | None


def _latest_raw(
    session: Session, address: str, event: str, match: Callable[[dict[str, Any]], bool]
) -> dict[str, Any] | None:
    rows = session.scalars(
        select(EventLog)
        .where(EventLog.address == address, EventLog.event == event)
        .order_by(EventLog.block_number.desc(), EventLog.log_index.desc())
    )
    for row in rows:
        if match(row.args):
            return row.args
    return None


# --- handlers: one per (contract kind, event) -------------------------------------------------

Handler = Callable[[Session, DecodedLog, Touched, ProjectionContext], None]


def _launch_created(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    token = a["token"]
    s.add(
        Launch(
            token=token,
            creator=a["creator"],
            model_type_id=a["modelTypeId"],
            target_raise_min=a["targetRaiseMin"],
            target_raise_max=a["targetRaiseMax"],
            target_sale=a["targetSale"],
            sale_start=a["saleStart"],
            sale_end=a["saleEnd"],
            mt_name=a["mtName"],
            mt_symbol=a["mtSymbol"],
            is_bundled=a["isBundled"],
            status="live",
            raised=0,
            mt_sold=0,
            buyers=0,
            created_block=lg.block_number,
            created_tx=lg.tx_hash,
            created_log_index=lg.log_index,
        )
    )
    # The curve is fixed at creation from the model type and the fee config in force; both are
    # earlier Launchpad logs (the raw log table holds them, also from this very batch).
    s.flush()
    mtype = _latest_raw(
        s, lg.address, "ModelTypeRegistered", lambda x: x.get("modelTypeId") == a["modelTypeId"]
    )
    fees = _latest_raw(s, lg.address, "FeeConfigUpdated", lambda _x: True)
    if mtype is not None and fees is not None:
        lp_bps = int(mtype["lpBps"])
        x0, y0 = virtual_reserves(int(a["targetRaiseMax"]), lp_bps, int(a["targetSale"]))
        s.add(
            LaunchParams(
                token=token,
                x0=x0,
                y0=y0,
                lp_bps=lp_bps,
                reserved_bps=int(mtype["reservedBps"]),
                base_fee_bps=int(fees["baseFeeBps"]),
                creator_fee_bps=int(fees["creatorFeeBps"]),
                tax_start_bps=int(fees["antiSniperTaxStartValue"]),
                created_block=lg.block_number,
            )
        )
    t.launches.add(token)


def _purchased(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    s.add(
        Purchase(
            **lg.ref(),
            token=a["token"],
            buyer=a["buyer"],
            flock_in=a["flockIn"],
            net_used=a["netUsed"],
            mt_allocated=a["mtAllocated"],
            protocol_fee=a["protocolFee"],
            creator_fee=a["creatorFee"],
            anti_sniper_fee=a["antiSniperFee"],
        )
    )
    t.launches.add(a["token"])


def _graduated(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    s.add(
        Graduation(
            **lg.ref(),
            token=a["token"],
            pair=a["pair"],
            raised=a["raised"],
            lp_flock=a["lpFlock"],
            reserved_flock=a["reservedFlock"],
            protocol_flock=a["protocolFlock"],
            donated_flock=a["donatedFlock"],
            sold_mt=a["soldMt"],
            lp_mt=a["lpMt"],
            minted_mt=a["mintedMt"],
            unminted_mt=a["unmintedMt"],
            lp_tokens=a["lpTokens"],
            issuer_vesting_id=a["issuerVestingId"],
            treasury_vesting_id=a["treasuryVestingId"],
        )
    )
    t.launches.add(a["token"])


def _claimed(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    s.add(Claim(**lg.ref(), token=a["token"], account=a["buyer"], mt_amount=a["amount"]))
    t.launches.add(a["token"])


def _redeemed(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    s.add(Redeem(**lg.ref(), token=a["token"], account=a["buyer"], flock_amount=a["amount"]))
    t.launches.add(a["token"])


def _metadata_set(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    s.add(LaunchMetadataSet(**lg.ref(), token=a["token"], content_hash=a["contentHash"]))


def _model_type(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    t.model_types = True


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


def _transfer(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    sender, recipient = a.get("sender", a.get("from")), a.get("receiver", a.get("to"))
    amount = a.get("amount", a.get("value"))
    s.add(TokenTransfer(**lg.ref(), token=lg.address, sender=sender, recipient=recipient,
                        amount=amount))  # fmt: skip
    t.balance(lg.address, str(sender))
    t.balance(lg.address, str(recipient))


def _sync(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    s.add(PairSync(**lg.ref(), pair=lg.address, reserve0=a["reserve0"], reserve1=a["reserve1"]))


def _swap(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    s.add(
        PairSwap(
            **lg.ref(),
            pair=lg.address,
            sender=a["sender"],
            recipient=a["to"],
            amount0_in=a["amount0In"],
            amount1_in=a["amount1In"],
            amount0_out=a["amount0Out"],
            amount1_out=a["amount1Out"],
        )
    )


HANDLERS: dict[tuple[str, str], Handler] = {
    ("Launchpad", "LaunchCreated"): _launch_created,
    ("Launchpad", "Purchased"): _purchased,
    ("Launchpad", "Graduated"): _graduated,
    ("Launchpad", "Claimed"): _claimed,
    ("Launchpad", "Redeemed"): _redeemed,
    ("Launchpad", "MetadataSet"): _metadata_set,
    ("Launchpad", "ModelTypeRegistered"): _model_type,
    ("Launchpad", "ModelTypeEnabled"): _model_type,
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
    ("ModelToken", "Transfer"): _transfer,
    ("Pair", "Sync"): _sync,
    ("Pair", "Swap"): _swap,
}


def apply(session: Session, log: DecodedLog, touched: Touched, ctx: ProjectionContext) -> None:
    """Insert the domain row(s) of one decoded log (raw log rows are the caller's)."""
    handler = HANDLERS.get((log.kind, log.event))
    if handler is not None:
        handler(session, log, touched, ctx)


# --- projections: recomputed from log rows ----------------------------------------------------


def rebuild(session: Session, touched: Touched, ctx: ProjectionContext) -> None:
    """Recompute every projection key in ``touched`` from the log rows now in the database."""
    session.flush()
    for token in sorted(touched.launches):
        _rebuild_launch(session, token)
    for token, account in sorted(touched.stakes):
        _rebuild_stake(session, token, account)
    for account in sorted(touched.gm_locks):
        _rebuild_gm_lock(session, account)
    for sid in sorted(touched.vesting):
        _rebuild_vesting(session, sid)
    for token, account in sorted(touched.balances):
        _rebuild_balance(session, token, account)
    if touched.model_types and ctx.launchpad is not None:
        _rebuild_model_types(session, ctx.launchpad)
    session.flush()


def _ordered(model: Any) -> tuple[Any, Any]:
    return (model.block_number, model.log_index)


def _rebuild_launch(s: Session, token: str) -> None:
    launch = s.get(Launch, token)
    if launch is None:
        return
    purchases = s.scalars(select(Purchase).where(Purchase.token == token)).all()
    launch.raised = sum((p.net_used for p in purchases), 0)
    launch.mt_sold = sum((p.mt_allocated for p in purchases), 0)
    launch.buyers = len({p.buyer for p in purchases})
    grad = s.scalars(
        select(Graduation).where(Graduation.token == token).order_by(*_ordered(Graduation))
    ).first()
    if grad is not None:
        launch.status = "graduated"
        launch.pair = grad.pair
        launch.lp_flock = grad.lp_flock
        launch.lp_mt = grad.lp_mt
        launch.graduated_block = grad.block_number
        launch.graduated_time = grad.block_time
        return
    launch.pair = launch.lp_flock = launch.lp_mt = None
    launch.graduated_block = launch.graduated_time = None
    redeemed = s.scalars(select(Redeem.id).where(Redeem.token == token)).first()
    launch.status = "failed" if redeemed is not None else "live"


def _rebuild_stake(s: Session, token: str, account: str) -> None:
    events = s.scalars(
        select(StakeEvent)
        .where(StakeEvent.token == token, StakeEvent.account == account)
        .order_by(*_ordered(StakeEvent))
    ).all()
    row = s.get(Stake, (token, account))
    if not events:
        if row is not None:
            s.delete(row)
        return
    staked = cooling = 0
    cooldown_end: int | None = None
    for ev in events:
        if ev.kind == "stake":
            staked += ev.amount
        elif ev.kind == "unstake":
            staked -= ev.amount
            cooling += ev.amount
            cooldown_end = ev.cooldown_end
        else:  # withdraw pays out the whole cooling bucket
            cooling -= ev.amount
            cooldown_end = None if cooling == 0 else cooldown_end
    if row is None:
        row = Stake(token=token, account=account)
        s.add(row)
    row.staked, row.cooling, row.cooldown_end = staked, cooling, cooldown_end
    row.updated_block = events[-1].block_number


def _rebuild_gm_lock(s: Session, account: str) -> None:
    events = s.scalars(
        select(GmLockEvent).where(GmLockEvent.account == account).order_by(*_ordered(GmLockEvent))
    ).all()
    amount, unlock = 0, 0
    for ev in events:
        if ev.kind == "create":
            amount, unlock = ev.amount, ev.unlock_time
        elif ev.kind == "increase":
            amount += ev.amount
            unlock = ev.unlock_time
        elif ev.kind == "extend":
            unlock = ev.unlock_time
        else:
            amount, unlock = 0, 0
    row = s.get(GmLock, account)
    if amount == 0:
        if row is not None:
            s.delete(row)
        return
    if row is None:
        row = GmLock(account=account)
        s.add(row)
    row.amount, row.unlock_time, row.updated_block = amount, unlock, events[-1].block_number


def _rebuild_vesting(s: Session, sid: int) -> None:
    schedule = s.get(VestingSchedule, sid)
    if schedule is None:
        return
    releases = s.scalars(select(VestingRelease.amount).where(VestingRelease.schedule_id == sid))
    schedule.released = sum(releases, 0)


def _rebuild_balance(s: Session, token: str, account: str) -> None:
    incoming = s.scalars(
        select(TokenTransfer).where(
            TokenTransfer.token == token, TokenTransfer.recipient == account
        )
    ).all()
    outgoing = s.scalars(
        select(TokenTransfer).where(TokenTransfer.token == token, TokenTransfer.sender == account)
    ).all()
    row = s.get(TokenBalance, (token, account))
    if not incoming and not outgoing:
        if row is not None:
            s.delete(row)
        return
    balance = sum((x.amount for x in incoming), 0) - sum((x.amount for x in outgoing), 0)
    last = max(x.block_number for x in [*incoming, *outgoing])
    if row is None:
        row = TokenBalance(token=token, account=account)
        s.add(row)
    row.balance, row.updated_block = balance, last


def _rebuild_model_types(s: Session, launchpad: str) -> None:
    s.execute(delete(ChainModelType))
    s.flush()
    rows = s.scalars(
        select(EventLog)
        .where(
            EventLog.address == launchpad,
            EventLog.event.in_(("ModelTypeRegistered", "ModelTypeEnabled")),
        )
        .order_by(*_ordered(EventLog))
    )
    types: dict[str, ChainModelType] = {}
    for row in rows:
        a = row.args
        mid = str(a["modelTypeId"])
        if row.event == "ModelTypeRegistered":
            types[mid] = ChainModelType(
                model_type_id=mid,
                base_model=a["baseModel"],
                pricing_tier=a["pricingTier"],
                min_raise=int(a["minRaise"]),
                max_raise=int(a["maxRaise"]),
                lp_bps=int(a["lpBps"]),
                reserved_bps=int(a["reservedBps"]),
                protocol_bps=int(a["protocolBps"]),
                enabled=True,
                registered_block=row.block_number,
            )
        elif mid in types:
            types[mid].enabled = bool(a["enabled"])
    s.add_all(types.values())


# --- reorg rollback -----------------------------------------------------------------------------


def rollback(session: Session, fork_block: int, ctx: ProjectionContext) -> Touched:
    """Delete everything derived from blocks ``>= fork_block`` and recompute what it touched."""
    t = Touched(model_types=True)
    for launch_model in (Purchase, Claim, Redeem, Graduation):
        t.launches.update(
            session.scalars(
                select(launch_model.token).where(launch_model.block_number >= fork_block)
            )
        )
    for token, account in session.execute(
        select(StakeEvent.token, StakeEvent.account).where(StakeEvent.block_number >= fork_block)
    ):
        t.stakes.add((token, account))
    t.gm_locks.update(
        session.scalars(select(GmLockEvent.account).where(GmLockEvent.block_number >= fork_block))
    )
    t.vesting.update(
        session.scalars(
            select(VestingRelease.schedule_id).where(VestingRelease.block_number >= fork_block)
        )
    )
    for token, sender, recipient in session.execute(
        select(TokenTransfer.token, TokenTransfer.sender, TokenTransfer.recipient).where(
            TokenTransfer.block_number >= fork_block
        )
    ):
        t.balance(token, sender)
        t.balance(token, recipient)
    for model in ALL_EVENT_TABLES:
        session.execute(delete(model).where(model.block_number >= fork_block))  # type: ignore[attr-defined]
    # Keyed rows created above the fork go entirely (their log rows went just above).
    session.execute(delete(VestingSchedule).where(VestingSchedule.created_block >= fork_block))
    session.execute(delete(LaunchParams).where(LaunchParams.created_block >= fork_block))
    session.execute(delete(Launch).where(Launch.created_block >= fork_block))
    rebuild(session, t, ctx)
    return t
