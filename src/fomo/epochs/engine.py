"""Running epochs: gather → settle → compute → write the data file → propose (I/O at the edges).

An epoch's life is recorded in the ``epochs`` table (``fomo.db.models.Epoch``):
``computed`` (data file written, rewards rows stored) → ``proposed`` (root sent to the
RewardDistributor) → ``live`` (dispute window over) or ``cancelled``. A day is computed at most
once: :func:`run_day` on a day already computed returns the stored result, and days are only run
in order (the previous day's file carries the cumulative leaves and the vintage roll-over).

The chain side is behind :class:`ChainPort` so the engine runs without an RPC (tests, offline
recomputation); :mod:`fomo.epochs.chainport` implements it with web3.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session, sessionmaker

from fomo.db.models import Epoch as EpochRow
from fomo.db.models import Reward, Settlement
from fomo.economics import waterfall
from fomo.economics.epoch import Epoch, assemble, paused_gc
from fomo.economics.epoch_file import EpochFile, vintage_day_json
from fomo.economics.epoch_input import EpochInput, Key, MTState
from fomo.economics.params import DEFAULT_PARAMS, EconomicsParams
from fomo.economics.units import SECONDS_PER_DAY
from fomo.epochs import gather

log = logging.getLogger(__name__)

DONE = ("computed", "proposed", "live")


class EpochError(RuntimeError):
    """An epoch cannot run (out of order, not over yet, missing configuration)."""


class ChainPort(Protocol):
    """What the engine needs from the chain."""

    def capacity(self, tokens: list[str]) -> dict[str, int]:
        """Per token, ``funded − retired`` of the RewardDistributor."""

    def settle(self, epoch: int, amounts: Mapping[str, int]) -> dict[str, str | None]:
        """Settle ``amounts`` (USDC base units per MT) for ``epoch``; idempotent per
        (token, epoch). Returns per token the tx hash (``None`` if settled before)."""

    def buybacks(self, tokens: list[str]) -> list[dict[str, Any]]:
        """Execute buybacks within the router's impact bound; report what was spent/burned."""

    def propose(self, root: str, epoch: int, data_hash: str) -> str:
        """Propose the root; returns the tx hash."""

    def live_root(self) -> tuple[str, int, str]:
        """(root, epoch, data_hash) claims are checked against now."""


# -- the data directory ------------------------------------------------------------------------


def epochs_dir(datadir: Path) -> Path:
    return datadir / "epochs"


def day_label(epoch: int) -> str:
    return datetime.fromtimestamp(epoch * SECONDS_PER_DAY, UTC).strftime("%Y-%m-%d")


MAX_DAY = 2_932_896
"""9999-12-31, the last day a ``YYYY-MM-DD`` label can name."""


def parse_day(value: str) -> int:
    """``YYYY-MM-DD`` or a day number (0 … :data:`MAX_DAY`) → the epoch number."""
    if value.isascii() and value.isdigit():  # ASCII only: "²".isdigit() is true
        if len(value) > 7 or int(value) > MAX_DAY:
            raise EpochError(f"day number {value} is past 9999-12-31 (the last is {MAX_DAY})")
        return int(value)
    try:
        d = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise EpochError(f"{value!r} is neither YYYY-MM-DD nor a day number") from None
    return int(d.timestamp()) // SECONDS_PER_DAY


def data_path(datadir: Path, epoch: int) -> Path:
    return epochs_dir(datadir) / f"{day_label(epoch)}.json"


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


# -- inputs --------------------------------------------------------------------------------------


def previous_state(
    doc: EpochFile | None,
) -> tuple[dict[Key, int], dict[str, tuple[int, int]]]:
    """(cumulative leaves, per-MT vintage carry) left by the previous epoch's data file."""
    if doc is None:
        return {}, {}
    carry = {
        d.token: (d.reserved_flock.carried_out, d.mt_reward.carried_out)
        for d in doc.outputs.deployments
    }
    return dict(doc.leaves), carry


def gather_input(
    conn: Connection,
    epoch: int,
    *,
    flock_token: str,
    previous: EpochFile | None,
    capacity: Mapping[str, int] | None = None,
    params: EconomicsParams = DEFAULT_PARAMS,
    global_emission: int | None = None,
) -> EpochInput:
    """The epoch's :class:`EpochInput` from the database (and the previous data file).

    ``capacity`` is what the distributor can pay per token (from the chain); without it the
    indexed fundings are used (``Funded`` events; retirements are not indexed yet).
    """
    with paused_gc():
        return _gather_input(conn, epoch, flock_token, previous, capacity, params, global_emission)


def _gather_input(
    conn: Connection,
    epoch: int,
    flock_token: str,
    previous: EpochFile | None,
    capacity: Mapping[str, int] | None,
    params: EconomicsParams,
    global_emission: int | None,
) -> EpochInput:
    flock_token = flock_token.lower()
    grads = gather.graduated(conn, epoch)
    tokens = {g.token for g in grads}
    all_spend, rev = gather.usage(conn, epoch)
    pools = gather.pools(conn, flock_token)
    prev, carry = previous_state(previous)
    spend = {k: v for k, v in all_spend.items() if k[1] in tokens}
    stake = {k: v for k, v in gather.stake_seconds(conn, epoch).items() if k[1] in tokens}
    deployments = tuple(
        MTState(
            token=g.token,
            issuer=g.issuer,
            graduation_epoch=g.graduation_epoch,
            paid_revenue=rev[g.token].paid if g.token in rev else 0,
            compute_cost=rev[g.token].compute if g.token in rev else 0,
            reserved_flock_pool=pools.get(g.token, (0, 0))[0],
            mt_reward_pool=pools.get(g.token, (0, 0))[1],
            reserved_flock_carry=carry.get(g.token, (0, 0))[0],
            mt_reward_carry=carry.get(g.token, (0, 0))[1],
        )
        for g in grads
    )
    accounts = {a for a, _ in spend} | {a for a, _ in stake}
    gm = {a: v for a, v in gather.effective_gmflock(conn, epoch, params).items() if a in accounts}
    cap = dict(capacity) if capacity is not None else gather.funded(conn)
    return EpochInput(
        epoch=epoch,
        flock_token=flock_token,
        deployments=deployments,
        spend=spend,
        stake=stake,
        gmflock=gm,
        previous=prev,
        capacity={t.lower(): v for t, v in cap.items()},
        global_emission=global_emission,
        params=params,
    )


# -- running -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RunResult:
    epoch: int
    status: str
    root: str | None
    path: Path
    reused: bool
    """True when the day had been computed before (nothing recomputed or re-sent)."""


def _row(s: Session, epoch: int) -> EpochRow | None:
    return s.get(EpochRow, epoch)


def last_done(s: Session) -> int | None:
    v = s.execute(
        select(EpochRow.epoch).where(EpochRow.status.in_(DONE)).order_by(EpochRow.epoch.desc())
    ).first()
    return None if v is None else int(v[0])


def _settlement_rows(s: Session, epoch: int, inp: EpochInput, gross: Mapping[str, int]) -> None:
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


def _propose(factory: sessionmaker[Session], epoch: int, chain: ChainPort, path: Path) -> str:
    with factory() as s:
        row = _row(s, epoch)
        assert row is not None
        if row.status != "computed" or not row.merkle_root:
            return row.status
        root = row.merkle_root
    tx = chain.propose(root, epoch, _hash_of(path))
    with factory() as s, s.begin():
        row = _row(s, epoch)
        assert row is not None
        row.status, row.proposed_tx = "proposed", tx
    return "proposed"


def run_day(
    factory: sessionmaker[Session],
    datadir: Path,
    epoch: int,
    *,
    flock_token: str,
    chain: ChainPort | None = None,
    params: EconomicsParams = DEFAULT_PARAMS,
    now: int | None = None,
    global_emission: int | None = None,
) -> RunResult:
    """Run one UTC day: never twice, never before the previous one, never before it is over.

    Three short database transactions around the long computation (SQLite transactions take the
    write lock, and the gateway writes usage all day): read the inputs; compute with no
    transaction open; write the file, ``epochs``, ``rewards`` and ``settlements`` rows. The
    chain steps (settle, buybacks, propose) come after the commit and are each idempotent, so a
    re-run finishes whatever a crash left undone.
    """
    path = data_path(datadir, epoch)
    with factory() as s, s.begin():
        row = _row(s, epoch)
        done = row is not None and row.status in DONE and path.exists()
        if not done:
            _check_order(s, epoch, now)
            previous = _previous_doc(s, datadir)
            inp = gather_input(
                s.connection(),
                epoch,
                flock_token=flock_token,
                previous=previous,
                params=params,
                global_emission=global_emission,
            )
    if done:
        assert row is not None
        status = row.status
        if chain is not None:
            settle_pending(factory, epoch, chain)
            status = _propose(factory, epoch, chain, path)
        return RunResult(epoch, status, row.merkle_root, path, True)
    if chain is not None:
        tokens = sorted({inp.flock_token} | {m.token for m in inp.deployments})
        inp = EpochInput(**{**_fields(inp), "capacity": chain.capacity(tokens)})
    # Solvency first: an epoch the distributor cannot cover settles and publishes nothing.
    result = assemble(inp, fast=True)
    gross: dict[str, int] = {}
    for (_, token), v in inp.spend.items():
        gross[token] = gross.get(token, 0) + v
    with factory() as s, s.begin():
        row = _row(s, epoch)
        if row is not None and row.status in DONE:
            raise EpochError(f"day {day_label(epoch)} was computed concurrently")
        _check_order(s, epoch, now)
        if row is None:
            s.add(
                EpochRow(
                    epoch=epoch,
                    start_time=inp.start_time,
                    end_time=inp.end_time,
                    season=params.season,
                    status="open",
                )
            )
            s.flush()
        _settlement_rows(s, epoch, inp, gross)
        write_atomic(path, result.data)
        _store(s, result, path)
    status = "computed"
    if chain is not None:
        settle_pending(factory, epoch, chain)
        if result.root is not None:
            status = _propose(factory, epoch, chain, path)
    return RunResult(epoch, status, result.root, path, False)


def _check_order(s: Session, epoch: int, now: int | None) -> None:
    if now is not None and (epoch + 1) * SECONDS_PER_DAY > now:
        raise EpochError(f"day {day_label(epoch)} is not over yet")
    last = last_done(s)
    if last is not None and last >= epoch:
        raise EpochError(f"day {day_label(epoch)} precedes the last computed day")
    if last is not None and last != epoch - 1:
        raise EpochError(f"day {day_label(epoch - 1)} has not been computed: run the days in order")


def _previous_doc(s: Session, datadir: Path) -> EpochFile | None:
    last = last_done(s)
    if last is None:
        return None
    prev_path = data_path(datadir, last)
    if not prev_path.exists():
        raise EpochError(f"the data file of {day_label(last)} is missing: {prev_path}")
    return EpochFile.from_bytes(prev_path.read_bytes())


def _fields(inp: EpochInput) -> dict[str, Any]:
    return {f: getattr(inp, f) for f in inp.__dataclass_fields__}


def _hash_of(path: Path) -> str:
    from fomo.economics.merkle import keccak256

    return "0x" + keccak256(path.read_bytes()).hex()


def _store(s: Session, e: Epoch, path: Path) -> None:
    row = _row(s, e.input.epoch)
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


def catch_up(
    factory: sessionmaker[Session],
    datadir: Path,
    *,
    first: int,
    now: int,
    flock_token: str,
    chain: ChainPort | None = None,
    params: EconomicsParams = DEFAULT_PARAMS,
) -> list[RunResult]:
    """Run every finished day not yet computed, oldest first; stops at the first failure."""
    if chain is not None:
        refresh_status(factory, chain)
    with factory() as s:
        days = pending_days(s, first, now)
    out = []
    for d in days:
        out.append(
            run_day(
                factory, datadir, d, flock_token=flock_token, chain=chain, params=params, now=now
            )
        )
    return out


def load_day(datadir: Path, epoch: int) -> bytes:
    path = data_path(datadir, epoch)
    if not path.exists():
        raise EpochError(f"no data file for {day_label(epoch)} ({path})")
    return path.read_bytes()


def list_days(datadir: Path) -> list[str]:
    d = epochs_dir(datadir)
    if not d.exists():
        return []
    return sorted(p.stem for p in d.glob("*.json"))


def summary(doc: EpochFile) -> dict[str, Any]:
    """Operator view of one epoch: revenue, emission per MT, roll-over/expiry, top earners."""
    i, o = doc.inputs, doc.outputs
    flock = i.flock_token
    earners: dict[str, int] = {}
    for (a, t), v in o.payouts.items():
        if t == flock and v:
            earners[a] = earners.get(a, 0) + v
    top = sorted(earners.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    mts = {m.token: m for m in i.deployments}
    return {
        "epoch": i.epoch,
        "day": day_label(i.epoch),
        "root": doc.root,
        "leaves": sum(1 for v in doc.leaves.values() if v),
        "global_emission": str(o.global_emission),
        "emission_paid": str(o.emission_paid),
        "emission_dust": str(o.emission_dust),
        "deployments": [
            {
                "token": d.token,
                "paid_revenue_nano_usd": str(mts[d.token].paid_revenue),
                "compute_cost_nano_usd": str(mts[d.token].compute_cost),
                "emission": str(d.emission),
                "issuer_bonus": str(d.issuer_bonus),
                "participants": d.participants,
                "reserved_flock": vintage_day_json(d.reserved_flock),
                "mt_reward": vintage_day_json(d.mt_reward),
            }
            for d in o.deployments
        ],
        "top_flock_earners": [[a, str(v)] for a, v in top],
    }


def dumps(obj: Any) -> str:
    return json.dumps(obj, indent=2, sort_keys=True)


def params_from_settings(settings: Any) -> EconomicsParams:
    """The economics parameters the platform settings select (season, emission)."""
    return DEFAULT_PARAMS.with_overrides(
        {
            "season": int(settings.season),
            "daily_emission": int(settings.emission_per_epoch),
            "dispute_window_seconds": int(settings.epoch_dispute_window_seconds),
        }
    )


def first_day(conn: Connection) -> int | None:
    """The first epoch worth computing: the day of the first graduation."""
    v = conn.execute(
        text("SELECT MIN(graduated_time) FROM launches WHERE graduated_time IS NOT NULL")
    ).scalar()
    return None if v is None else int(v) // SECONDS_PER_DAY


def latest_day(datadir: Path) -> int | None:
    days = list_days(datadir)
    return parse_day(days[-1]) if days else None
