"""An epoch's rows: the ``epochs`` status machine, its ``rewards`` and ``settlements`` rows.

``computed`` (data file written, rewards rows stored) → ``proposed`` (root sent to the
RewardDistributor) → ``live`` (dispute window over) or ``cancelled``. Also the order rule (days
run one after the other, only once over) and the chain steps that move a row on (settle,
refresh to ``live``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from fomo.db.models import Epoch as EpochRow
from fomo.db.models import Reward, Settlement
from fomo.economics import waterfall
from fomo.economics.epoch import Epoch
from fomo.economics.epoch_file import EpochFile
from fomo.economics.epoch_input import EpochInput
from fomo.economics.units import SECONDS_PER_DAY
from fomo.epochs import gather
from fomo.epochs.datafiles import EpochError, data_path, day_label
from fomo.epochs.port import ChainPort

DONE = ("computed", "proposed", "live")


def epoch_row(s: Session, epoch: int) -> EpochRow | None:
    return s.get(EpochRow, epoch)


def last_done(s: Session) -> int | None:
    v = s.execute(
        select(EpochRow.epoch).where(EpochRow.status.in_(DONE)).order_by(EpochRow.epoch.desc())
    ).first()
    return None if v is None else int(v[0])


def add_settlement_rows(s: Session, epoch: int, inp: EpochInput, gross: Mapping[str, int]) -> None:
    """Net revenue per MT (paid − compute + carry) → ``settlements`` rows (``pending`` when
    there is USDC to settle, ``nothing`` otherwise); existing rows are kept."""
    carry = gather.revenue_carry(s.connection(), epoch)
    have = {row.token for row in s.scalars(select(Settlement).where(Settlement.epoch == epoch))}
    for m in inp.deployments:
        if m.token in have:
            continue
        net = waterfall.net_revenue(m.paid_revenue, m.compute_cost, carry.get(m.token, 0))
        s.add(
            Settlement(
                epoch=epoch,
                token=m.token,
                gross_nano_usd=gross.get(m.token, 0),
                paid_nano_usd=m.paid_revenue,
                compute_cost_nano_usd=m.compute_cost,
                net_nano_usd=net.net_nano,
                carry_forward_nano_usd=net.carry_nano,
                usdc_amount=net.settle_usdc_units,
                status="pending" if net.settle_usdc_units else "nothing",
            )
        )
    s.flush()


def settle_pending(factory: sessionmaker[Session], epoch: int, chain: ChainPort) -> None:
    """Settle the day's ``pending`` settlement rows on-chain (idempotent per (token, epoch)),
    then run the buybacks. Called after the rows are committed, so no database lock is held
    while transactions are mined; a failure leaves the rows ``pending`` for the next run."""
    with factory() as s:
        pending = {
            row.token: row.usdc_amount
            for row in s.scalars(
                select(Settlement).where(Settlement.epoch == epoch, Settlement.status == "pending")
            )
        }
    if not pending:
        return
    txs = chain.settle(epoch, pending)
    if txs:
        with factory() as s, s.begin():
            for row in s.scalars(select(Settlement).where(Settlement.epoch == epoch)):
                if row.token in txs:
                    row.status = "settled"
                    row.tx_hash = txs[row.token] or row.tx_hash
                    row.settled_at = datetime.now(UTC)
    chain.buybacks(sorted(pending))


def check_order(s: Session, epoch: int, now: int | None) -> None:
    if now is not None and (epoch + 1) * SECONDS_PER_DAY > now:
        raise EpochError(f"day {day_label(epoch)} is not over yet")
    last = last_done(s)
    if last is not None and last >= epoch:
        raise EpochError(f"day {day_label(epoch)} precedes the last computed day")
    if last is not None and last != epoch - 1:
        raise EpochError(f"day {day_label(epoch - 1)} has not been computed: run the days in order")


def previous_doc(s: Session, datadir: Path) -> EpochFile | None:
    last = last_done(s)
    if last is None:
        return None
    prev_path = data_path(datadir, last)
    if not prev_path.exists():
        raise EpochError(f"the data file of {day_label(last)} is missing: {prev_path}")
    return EpochFile.from_bytes(prev_path.read_bytes())


def store_computed(s: Session, e: Epoch, path: Path) -> None:
    row = epoch_row(s, e.input.epoch)
    if row is None:
        row = EpochRow(epoch=e.input.epoch)
        s.add(row)
    row.start_time, row.end_time = e.input.start_time, e.input.end_time
    row.season = e.input.params.season
    row.status = "computed"
    row.emission = e.result.emission_paid
    row.merkle_root = e.root
    row.data_file = str(path)
    row.data_sha256 = e.sha256
    row.computed_at = datetime.now(UTC)
    s.flush()
    s.execute(text("DELETE FROM rewards WHERE epoch = :e"), {"e": e.input.epoch})
    s.add_all(
        Reward(epoch=e.input.epoch, account=a, token=t, amount=v, cumulative=e.cumulative[(a, t)])
        for (a, t), v in sorted(e.payouts.items())
    )


def pending_days(s: Session, first: int, now: int) -> list[int]:
    """Days from ``first`` (or the day after the last computed one) that are over, in order."""
    last = last_done(s)
    start = first if last is None else last + 1
    today = now // SECONDS_PER_DAY
    return list(range(start, today))


def refresh_status(factory: sessionmaker[Session], chain: ChainPort) -> int | None:
    """Mark ``proposed`` days whose root (or a later cumulative root) is live as ``live``.

    Returns the live epoch. A cancelled or superseded proposal simply stays ``proposed``: the
    next day's cumulative root covers it."""
    root, live_epoch, _ = chain.live_root()
    if int(root, 16) == 0:
        return None
    with factory() as s, s.begin():
        for row in s.scalars(
            select(EpochRow).where(EpochRow.status == "proposed", EpochRow.epoch <= live_epoch)
        ):
            row.status = "live"
            row.live_at = datetime.now(UTC)
    return live_epoch
