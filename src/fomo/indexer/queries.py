"""Reads built on the indexed tables, for the API and the epoch engine.

Time-weighted stake is exact: every stake event row carries its block's timestamp, and the active
stake only changes at those events (``stake`` adds, ``unstake`` moves the amount into cooldown,
where it no longer counts; ``withdraw`` only empties the cooldown bucket).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from fomo.db.models import IndexedBlock, IndexerCursor, StakeEvent
from fomo.economics.staking import stake_seconds


def chain_time(session: Session, cursor_name: str = "chain") -> int | None:
    """Block time of the last indexed block (the API's "now"), ``None`` before the first batch."""
    cursor = session.get(IndexerCursor, cursor_name)
    if cursor is None:
        return None
    block = session.get(IndexedBlock, cursor.block_number)
    return None if block is None else block.block_time


def _delta(event: StakeEvent) -> int:
    if event.kind == "stake":
        return event.amount
    if event.kind == "unstake":
        return -event.amount
    return 0


def active_stake_changes(
    session: Session, token: str, account: str, start: int, end: int
) -> tuple[int, list[tuple[int, int]]]:
    """``(active stake at start, [(timestamp, new active stake) …])`` for ``[start, end)``,
    the input :func:`fomo.economics.staking.stake_seconds` takes."""
    events = session.scalars(
        select(StakeEvent)
        .where(
            StakeEvent.token == token.lower(),
            StakeEvent.account == account.lower(),
            StakeEvent.block_time < end,
        )
        .order_by(StakeEvent.block_number, StakeEvent.log_index)
    ).all()
    initial = 0
    changes: list[tuple[int, int]] = []
    current = 0
    for ev in events:
        current += _delta(ev)
        if ev.block_time < start:
            initial = current
        elif ev.kind != "withdraw":
            changes.append((ev.block_time, current))
    return initial, changes


def account_stake_seconds(session: Session, token: str, account: str, start: int, end: int) -> int:
    """``∫ active stake dt`` over ``[start, end)`` in wei·seconds (exact integer)."""
    initial, changes = active_stake_changes(session, token, account, start, end)
    return stake_seconds(initial, changes, start, end)


def stake_seconds_by_account(session: Session, token: str, start: int, end: int) -> dict[str, int]:
    """Every account's stake-seconds on ``token`` over ``[start, end)`` (zero entries dropped)."""
    accounts = session.scalars(
        select(StakeEvent.account).where(StakeEvent.token == token.lower()).distinct()
    ).all()
    out = {}
    for account in sorted(accounts):
        value = account_stake_seconds(session, token, account, start, end)
        if value:
            out[account] = value
    return out
