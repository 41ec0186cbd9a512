"""Running epochs: gather → settle → compute → write the data file → propose (I/O at the edges).

An epoch's life is recorded in the ``epochs`` table (``fomo.db.models.Epoch``):
``computed`` (data file written, rewards rows stored) → ``proposed`` (root sent to the
RewardDistributor) → ``live`` (dispute window over) or ``cancelled``. A day is computed at most
once: :func:`run_day` on a day already computed returns the stored result, and days are only run
in order (the previous day's file carries the cumulative leaves and the vintage roll-over).

This module is the run loop (:func:`run_day`, :func:`catch_up`) and the engine's public surface;
its parts live beside it: the day numbering and data files (:mod:`fomo.epochs.datafiles`), the
inputs (:mod:`fomo.epochs.inputs`), the ``epochs``/``rewards``/``settlements`` rows
(:mod:`fomo.epochs.records`) and the chain side (:class:`~fomo.epochs.port.ChainPort`, which
:mod:`fomo.epochs.chainport` implements with web3, so the engine also runs without an RPC).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from fomo.db.models import Epoch as EpochRow
from fomo.economics.epoch import assemble
from fomo.economics.epoch_input import EpochInput
from fomo.economics.params import DEFAULT_PARAMS, EconomicsParams
from fomo.epochs import gather
from fomo.epochs.datafiles import (
    MAX_DAY,
    EpochError,
    data_path,
    day_label,
    dumps,
    epochs_dir,
    file_hash,
    latest_day,
    list_days,
    load_day,
    parse_day,
    summary,
    write_atomic,
)
from fomo.epochs.inputs import first_day, gather_input, params_from_settings, previous_state
from fomo.epochs.port import ChainPort
from fomo.epochs.records import (
    DONE,
    add_settlement_rows,
    check_order,
    epoch_row,
    last_done,
    pending_days,
    previous_doc,
    refresh_status,
    settle_pending,
    store_computed,
)

# The engine's surface: callers (CLI, API, scheduler, tests) use ``engine.<name>`` for all of it.
__all__ = [
    "DONE",
    "MAX_DAY",
    "ChainPort",
    "EpochError",
    "RunResult",
    "assemble",
    "catch_up",
    "data_path",
    "day_label",
    "dumps",
    "epochs_dir",
    "first_day",
    "gather",
    "gather_input",
    "last_done",
    "latest_day",
    "list_days",
    "load_day",
    "params_from_settings",
    "parse_day",
    "pending_days",
    "previous_state",
    "refresh_status",
    "run_day",
    "settle_pending",
    "summary",
    "write_atomic",
]


@dataclass(frozen=True, slots=True)
class RunResult:
    epoch: int
    status: str
    root: str | None
    path: Path
    reused: bool
    """True when the day had been computed before (nothing recomputed or re-sent)."""


def _propose(factory: sessionmaker[Session], epoch: int, chain: ChainPort, path: Path) -> str:
    with factory() as s:
        row = epoch_row(s, epoch)
        assert row is not None
        if row.status != "computed" or not row.merkle_root:
            return row.status
        root = row.merkle_root
    tx = chain.propose(root, epoch, file_hash(path))
    with factory() as s, s.begin():
        row = epoch_row(s, epoch)
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
        row = epoch_row(s, epoch)
        done = row is not None and row.status in DONE and path.exists()
        if not done:
            check_order(s, epoch, now)
            previous = previous_doc(s, datadir)
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
        row = epoch_row(s, epoch)
        if row is not None and row.status in DONE:
            raise EpochError(f"day {day_label(epoch)} was computed concurrently")
        check_order(s, epoch, now)
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
        add_settlement_rows(s, epoch, inp, gross)
        write_atomic(path, result.data)
        store_computed(s, result, path)
    status = "computed"
    if chain is not None:
        settle_pending(factory, epoch, chain)
        if result.root is not None:
            status = _propose(factory, epoch, chain, path)
    return RunResult(epoch, status, result.root, path, False)


def _fields(inp: EpochInput) -> dict[str, Any]:
    return {f: getattr(inp, f) for f in inp.__dataclass_fields__}


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
