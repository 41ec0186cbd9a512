"""Projections recomputed from log rows, and the rollback of a reorg.

Two kinds of tables:

* **log rows** (one per log, :class:`~fomo.db.models.LogRef`): purchases, claims, stake events …
  They are only ever inserted, and a reorg deletes those with ``block_number >= fork``.
* **projections** (current state keyed by launch/account: :class:`Launch` totals and status,
  :class:`Stake`, :class:`GmLock`, vesting ``released``, :class:`TokenBalance`,
  :class:`ChainModelType`): never updated incrementally. After every batch and every rollback,
  each key the batch touched is *recomputed from its log rows*. One code path for going forward
  and for going back means a reorg cannot leave a projection that differs from a fresh index.

The log rows are inserted by :mod:`fomo.indexer.handlers`; the values passed between the two
are in :mod:`fomo.indexer.decoded`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from fomo.db.base import Base
from fomo.db.models import (
    EVENT_TABLES,
    Claim,
    EventLog,
    GmLock,
    GmLockEvent,
    Launch,
    Purchase,
    Redeem,
    Stake,
    StakeEvent,
    VestingRelease,
    VestingSchedule,
)
from fomo.db.models_indexer import (
    INDEXER_EVENT_TABLES,
    ChainModelType,
    Graduation,
    LaunchParams,
    TokenBalance,
    TokenTransfer,
)
from fomo.db.models_market import MARKET_EVENT_TABLES
from fomo.indexer.decoded import ProjectionContext, Touched

ALL_EVENT_TABLES: tuple[type[Base], ...] = EVENT_TABLES + INDEXER_EVENT_TABLES + MARKET_EVENT_TABLES


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
