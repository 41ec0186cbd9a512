"""One epoch from already-aggregated inputs to its published data file (pure: no I/O, no clock).

``assemble(EpochInput) -> Epoch``:

1. the day of the epoch (:func:`fomo.economics.epoch_input.day_input`: vintage releases plus
   yesterday's roll-over, every account with spend or stake on an MT);
2. :func:`fomo.economics.day.compute_day` — the same code as ``fomo rewards day`` — or its exact
   integer evaluation :func:`fomo.economics.day_fast.compute_day_fast` for million-account days;
3. what was not paid rolls over (or expires after day 179: MT burned, FLOCK back to treasury);
4. new cumulative per (account, token) = previous cumulative + today's payout;
5. solvency (:func:`~fomo.economics.epoch_input.solvency`), else :class:`InsolventEpoch`;
6. the OpenZeppelin-compatible Merkle tree over ``(account, token, cumulative)``;
7. the data file (:class:`fomo.economics.epoch_file.EpochFile`).

:func:`verify_bytes` recomputes outputs and root from a file alone.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from fomo.economics import vintage
from fomo.economics.day import FLOCK, DayResult, DeploymentResult, compute_day
from fomo.economics.day_fast import compute_day_fast
from fomo.economics.epoch_file import (
    DeploymentOutcome,
    EpochDataError,
    EpochFile,
    EpochOutputs,
    inputs_from_json,
    parse_json,
)
from fomo.economics.epoch_input import (
    EpochInput,
    InsolventEpoch,
    Key,
    day_input,
    solvency,
    validate,
)
from fomo.economics.merkle import MerkleTree, keccak256


@dataclass(frozen=True, slots=True)
class VintageOutcome:
    token: str
    day: int
    reserved_flock: vintage.VintageDay
    mt_reward: vintage.VintageDay


@dataclass(frozen=True, slots=True)
class Epoch:
    """Everything an epoch produced; ``data`` is the canonical data file content."""

    input: EpochInput
    result: DayResult
    vintages: tuple[VintageOutcome, ...]
    payouts: dict[Key, int]
    cumulative: dict[Key, int]
    tree: MerkleTree | None
    data: bytes = field(repr=False)

    @property
    def root(self) -> str | None:
        return self.tree.root_hex() if self.tree is not None else None

    @property
    def data_hash(self) -> str:
        """keccak256 of the data file (what ``propose_root`` records on-chain)."""
        return "0x" + keccak256(self.data).hex()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


# -- the computation -------------------------------------------------------------------------


def payouts_of(result: DayResult, flock_token: str) -> dict[Key, int]:
    """Today's payouts per (account, token address)."""
    return {
        (account, flock_token if asset == FLOCK else asset): amount
        for (account, asset), amount in result.payouts().items()
    }


def _vintages(inp: EpochInput, result: DayResult) -> tuple[VintageOutcome, ...]:
    by_token: dict[str, DeploymentResult] = {d.token: d for d in result.deployments}
    out = []
    for m in sorted(inp.deployments, key=lambda d: d.token):
        d = inp.epoch - m.graduation_epoch
        r = by_token[m.token]
        out.append(
            VintageOutcome(
                token=m.token,
                day=d,
                reserved_flock=vintage.settle_day(
                    m.reserved_flock_pool,
                    d,
                    m.reserved_flock_carry,
                    r.reserved_flock_paid,
                    inp.params,
                ),
                mt_reward=vintage.settle_day(
                    m.mt_reward_pool, d, m.mt_reward_carry, r.mt_reward_paid, inp.params
                ),
            )
        )
    return tuple(out)


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside: an epoch builds millions of small acyclic tuples
    and dicts, and each generation-2 pass would walk all of them again (a third of the run
    time at a million accounts). Reference counting still frees everything."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def assemble(inp: EpochInput, *, fast: bool = False) -> Epoch:
    """Compute the epoch. ``fast`` uses the exact integer evaluation of
    :mod:`fomo.economics.day_fast` (same payouts and bytes; ``result`` then has no participant
    details) — for million-account days."""
    with paused_gc():
        return _assemble(inp, fast)


def _assemble(inp: EpochInput, fast: bool) -> Epoch:
    validate(inp)
    day = day_input(inp)
    if fast:
        result, raw = compute_day_fast(day, inp.params, validate=False)
        payouts = {
            (a, inp.flock_token if asset == FLOCK else asset): v for (a, asset), v in raw.items()
        }
    else:
        result = compute_day(day, inp.params)
        payouts = payouts_of(result, inp.flock_token)
    vintages = _vintages(inp, result)
    counts = {d.token: len(d.participants) for d in day.deployments}
    del day  # millions of participant objects: free them before the tree and the file
    cumulative = dict(inp.previous)
    for key, v in payouts.items():
        cumulative[key] = cumulative.get(key, 0) + v
    short = solvency(cumulative, inp.capacity)
    if short:
        raise InsolventEpoch(inp.epoch, short)
    leaves = [(a, t, v) for (a, t), v in cumulative.items() if v > 0]
    tree = MerkleTree(leaves) if leaves else None
    data = _file(inp, result, vintages, payouts, cumulative, tree, counts).to_bytes()
    return Epoch(inp, result, vintages, payouts, cumulative, tree, data)


def _file(
    inp: EpochInput,
    result: DayResult,
    vintages: tuple[VintageOutcome, ...],
    payouts: dict[Key, int],
    cumulative: dict[Key, int],
    tree: MerkleTree | None,
    counts: Mapping[str, int],
) -> EpochFile:
    vint = {v.token: v for v in vintages}
    outputs = EpochOutputs(
        global_emission=result.global_emission,
        issuer_bonus_bps=result.issuer_bonus_bps,
        emission_allocated=result.emission_allocated,
        emission_paid=result.emission_paid,
        emission_dust=result.emission_dust,
        deployments=tuple(
            DeploymentOutcome(
                token=d.token,
                issuer=d.issuer,
                vintage_day=vint[d.token].day,
                alpha=d.alpha,
                age_factor=d.age_factor,
                score=d.score,
                emission=d.emission,
                issuer_bonus=d.issuer_bonus,
                users_emission=d.users_emission,
                global_paid=d.global_paid,
                global_dust=d.global_dust,
                participants=counts[d.token],
                reserved_flock=vint[d.token].reserved_flock,
                mt_reward=vint[d.token].mt_reward,
            )
            for d in result.deployments
        ),
        payouts=payouts,
    )
    root = tree.root_hex() if tree is not None else None
    return EpochFile(inputs=inp, outputs=outputs, root=root, leaves=cumulative)


# -- verifying ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verification:
    epoch: int
    root: str | None
    """The root recomputed from the inputs."""
    recorded_root: str | None
    data_hash: str


def verify_bytes(data: bytes, *, fast: bool = False) -> Verification:
    """Recompute everything from the file's inputs; the file must equal the recomputation byte
    for byte (so outputs, leaves and root all follow from the inputs). Raises
    :class:`EpochDataError` naming the first difference, or :class:`InsolventEpoch`."""
    doc = parse_json(data)
    try:
        inp = inputs_from_json(doc)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, EpochDataError):
            raise
        raise EpochDataError(f"malformed inputs: {exc!r}") from None
    epoch = assemble(inp, fast=fast)
    recorded = doc.get("tree", {}).get("root")
    if epoch.data != data:
        mine = parse_json(epoch.data)
        where = [k for k in ("inputs", "outputs", "tree") if mine.get(k) != doc.get(k)]
        detail = ", ".join(where) or "formatting"
        if recorded != epoch.root:
            detail += f"; recorded root {recorded} but the inputs give {epoch.root}"
        raise EpochDataError(
            f"epoch {inp.epoch}: the file does not follow from its inputs ({detail})"
        )
    return Verification(inp.epoch, epoch.root, recorded, epoch.data_hash)
