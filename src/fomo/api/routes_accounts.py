"""``/api/accounts/{address}/portfolio``: an account's pledges, MT balances and claimables,
stakes (with cooldowns), gmFLOCK lock and vesting — read from the indexed database."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import select

from fomo.api.routes_common import ERRORS, DbSession, launch_status, now_of, parse_address
from fomo.db.models import (
    Claim,
    GmLock,
    Launch,
    Purchase,
    Redeem,
    Stake,
    VestingSchedule,
)
from fomo.db.models_indexer import TokenBalance
from fomo.economics.gmflock import effective_balance
from fomo.economics.vesting import vested

router = APIRouter(prefix="/api/accounts", tags=["accounts"], responses=ERRORS)


class Pledge(BaseModel):
    """The account's buys in one launch. Amounts: decimal strings of base units."""

    token: str
    symbol: str
    status: str
    flock_paid: str = Field(description="Gross FLOCK paid (principal + fees).")
    principal: str = Field(description="Net FLOCK that entered the curve (refundable if Failed).")
    mt_allocated: str
    claimed_mt: str
    claimable_mt: str = Field(description="MT `claim` would send now (Graduated launches).")
    redeemed_flock: str
    redeemable_flock: str = Field(description="FLOCK `redeem` would return now (Failed).")
    purchases: int


class MtBalance(BaseModel):
    token: str
    symbol: str
    balance: str


class StakePosition(BaseModel):
    token: str
    symbol: str | None
    staked: str = Field(description="Active stake (earns and discounts).")
    cooling: str = Field(description="In the unstake cooldown (earns nothing).")
    cooldown_end: int | None
    cooldown_seconds_left: int
    withdrawable: str = Field(description="What `withdraw` would pay now.")


class GmLockOut(BaseModel):
    amount: str
    unlock_time: int
    seconds_left: int
    effective_balance: str = Field(description="amount × remaining / 365 days, floored.")
    expired: bool


class VestingOut(BaseModel):
    schedule_id: int
    token: str
    symbol: str | None
    amount: str
    released: str
    vested: str = Field(description="Vested by the chain's clock (released or not).")
    releasable: str
    start: int
    cliff_end: int
    end: int


class Portfolio(BaseModel):
    account: str
    chain_time: int | None = Field(description="Block time of the last indexed block.")
    pledges: list[Pledge]
    mt_balances: list[MtBalance]
    stakes: list[StakePosition]
    gm_lock: GmLockOut | None
    vesting: list[VestingOut]


def _vested(s: VestingSchedule, t: int) -> int:
    return vested(s.amount, s.start, s.cliff, s.duration, t)


@router.get("/{address}/portfolio", response_model=Portfolio, summary="An account's portfolio")
def portfolio(session: DbSession, address: str) -> Portfolio:
    """Pledges per launch (with what is claimable or redeemable now), Model Token balances,
    stakes including cooldowns, the gmFLOCK lock and vesting schedules."""
    account = parse_address(address, "address")
    now = now_of(session)
    launches = {launch.token: launch for launch in session.scalars(select(Launch))}

    def symbol(token: str) -> str | None:
        launch = launches.get(token)
        return None if launch is None else launch.mt_symbol

    purchases = session.scalars(
        select(Purchase).where(Purchase.buyer == account).order_by(Purchase.block_number)
    ).all()
    claims = session.scalars(select(Claim).where(Claim.account == account)).all()
    redeems = session.scalars(select(Redeem).where(Redeem.account == account)).all()
    pledges = []
    for token in dict.fromkeys(p.token for p in purchases):
        launch = launches[token]
        mine = [p for p in purchases if p.token == token]
        principal = sum((p.net_used for p in mine), 0)
        allocated = sum((p.mt_allocated for p in mine), 0)
        claimed = sum((c.mt_amount for c in claims if c.token == token), 0)
        redeemed = sum((r.flock_amount for r in redeems if r.token == token), 0)
        status = launch_status(launch, now)
        pledges.append(
            Pledge(
                token=token,
                symbol=launch.mt_symbol,
                status=status,
                flock_paid=str(sum((p.flock_in for p in mine), 0)),
                principal=str(principal),
                mt_allocated=str(allocated),
                claimed_mt=str(claimed),
                claimable_mt=str(allocated if status == "Graduated" and not claimed else 0),
                redeemed_flock=str(redeemed),
                redeemable_flock=str(principal if status == "Failed" and not redeemed else 0),
                purchases=len(mine),
            )
        )

    balances = [
        MtBalance(token=b.token, symbol=symbol(b.token) or "", balance=str(b.balance))
        for b in session.scalars(
            select(TokenBalance).where(TokenBalance.account == account).order_by(TokenBalance.token)
        )
        if b.balance != 0
    ]

    t = now or 0
    stakes = []
    for st in session.scalars(select(Stake).where(Stake.account == account).order_by(Stake.token)):
        if st.staked == 0 and st.cooling == 0:
            continue
        end = st.cooldown_end
        ready = st.cooling > 0 and end is not None and t >= end
        stakes.append(
            StakePosition(
                token=st.token,
                symbol=symbol(st.token),
                staked=str(st.staked),
                cooling=str(st.cooling),
                cooldown_end=end,
                cooldown_seconds_left=0 if end is None or st.cooling == 0 else max(0, end - t),
                withdrawable=str(st.cooling if ready else 0),
            )
        )

    gm = session.get(GmLock, account)
    gm_out = None
    if gm is not None and gm.amount > 0:
        remaining = max(0, gm.unlock_time - t)
        gm_out = GmLockOut(
            amount=str(gm.amount),
            unlock_time=gm.unlock_time,
            seconds_left=remaining,
            effective_balance=str(effective_balance(gm.amount, remaining)),
            expired=remaining == 0,
        )

    vesting = []
    for sched in session.scalars(
        select(VestingSchedule)
        .where(VestingSchedule.beneficiary == account)
        .order_by(VestingSchedule.schedule_id)
    ):
        vested = _vested(sched, t)
        vesting.append(
            VestingOut(
                schedule_id=sched.schedule_id,
                token=sched.token,
                symbol=symbol(sched.token),
                amount=str(sched.amount),
                released=str(sched.released),
                vested=str(vested),
                releasable=str(max(0, vested - sched.released)),
                start=sched.start,
                cliff_end=sched.start + sched.cliff,
                end=sched.start + sched.duration,
            )
        )

    return Portfolio(
        account=account,
        chain_time=now,
        pledges=pledges,
        mt_balances=balances,
        stakes=stakes,
        gm_lock=gm_out,
        vesting=vesting,
    )
