"""One epoch from already-aggregated inputs to a published data file (pure: no I/O, no clock).

``assemble(EpochInput) -> Epoch``:

1. per graduated MT, today's Reserved FLOCK and MT Reward = the vintage's daily release
   (:mod:`fomo.economics.vintage`, day ``d = epoch − graduation epoch``) + yesterday's roll-over;
2. participants of an MT = every account with gross spend *or* time-weighted stake on it
   (stakers without usage earn nothing but still count in the stake total, so nobody's
   ``stake_share`` is inflated);
3. :func:`fomo.economics.day.compute_day` — the same code as ``fomo rewards day``;
4. what was not paid rolls over (or expires after day 179: MT burned, FLOCK back to treasury);
5. new cumulative per (account, token) = previous cumulative + today's payout;
6. solvency: per token, the cumulative total must not exceed what the distributor can ever pay
   (``funded − retired``), else :class:`InsolventEpoch`;
7. the OpenZeppelin-compatible Merkle tree over ``(account, token, cumulative)``.

The data file (:func:`to_bytes`) is canonical JSON — sorted keys, no spaces, every integer a
decimal string, every list in a defined order — so the same inputs give the same bytes.
:func:`verify_bytes` recomputes outputs and root from the file alone.
"""

from __future__ import annotations

import gc
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Final

from fomo.economics import vintage
from fomo.economics.day import (
    FLOCK,
    DayInput,
    DayResult,
    DeploymentInput,
    DeploymentResult,
    ParticipantInput,
    compute_day,
)
from fomo.economics.merkle import MerkleTree, keccak256
from fomo.economics.params import DEFAULT_PARAMS, EconomicsParams
from fomo.economics.units import SECONDS_PER_DAY

FORMAT: Final = "fomo-epoch-v1"

Key = tuple[str, str]
"""(account, token), both lower-case 0x addresses."""


class EpochDataError(ValueError):
    """A data file that is malformed or whose outputs/root do not follow from its inputs."""


@dataclass(frozen=True, slots=True)
class Shortfall:
    token: str
    required: int
    capacity: int

    @property
    def missing(self) -> int:
        return self.required - self.capacity


class InsolventEpoch(RuntimeError):
    """The epoch would promise more of some token than the distributor can pay. Never publish."""

    def __init__(self, epoch: int, shortfalls: Iterable[Shortfall]) -> None:
        self.epoch = epoch
        self.shortfalls = tuple(shortfalls)
        lines = [
            f"  token {s.token}: cumulative rewards {s.required} > funded−retired {s.capacity} "
            f"(short by {s.missing})"
            for s in self.shortfalls
        ]
        super().__init__(
            f"REFUSING TO PUBLISH epoch {epoch}: the RewardDistributor cannot cover it\n"
            + "\n".join(lines)
        )


@dataclass(frozen=True, slots=True)
class MTState:
    """One graduated deployment as the epoch sees it."""

    token: str
    issuer: str
    graduation_epoch: int
    """UTC day of graduation = vintage day 0 (age 0)."""
    paid_revenue: int = 0
    """Paid revenue in the epoch, nano-USD (drives the Deployment Score)."""
    compute_cost: int = 0
    """Compute cost in the epoch, nano-USD (published; the net is settled, not rewarded)."""
    reserved_flock_pool: int = 0
    """Whole Reserved FLOCK pool of the vintage, wei."""
    mt_reward_pool: int = 0
    """Whole MT Reward pool of the vintage, wei."""
    reserved_flock_carry: int = 0
    """Reserved FLOCK rolled over from the previous epoch."""
    mt_reward_carry: int = 0
    """MT Reward rolled over from the previous epoch."""


@dataclass(frozen=True, slots=True)
class EpochInput:
    epoch: int
    """UTC day number (days since 1970-01-01)."""
    flock_token: str
    """FLOCK address: the token of Global and Reserved FLOCK leaves."""
    deployments: tuple[MTState, ...]
    spend: Mapping[Key, int]
    """Gross spend, nano-USD, per (account, MT) — already attributed (Season 1/2)."""
    stake: Mapping[Key, int]
    """Time-weighted stake (wei·seconds over the epoch) per (account, MT)."""
    gmflock: Mapping[str, int]
    """Effective gmFLOCK wei per account at the epoch's end."""
    previous: Mapping[Key, int]
    """Cumulative rewards per (account, token) after the previous epoch."""
    capacity: Mapping[str, int]
    """Per token, what the distributor can ever pay: ``funded − retired``."""
    global_emission: int | None = None
    issuer_bonus_bps: int | None = None
    params: EconomicsParams = DEFAULT_PARAMS

    @property
    def start_time(self) -> int:
        return self.epoch * SECONDS_PER_DAY

    @property
    def end_time(self) -> int:
        return (self.epoch + 1) * SECONDS_PER_DAY


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


# -- validation ------------------------------------------------------------------------------


_ADDRESS = re.compile(r"0x[0-9a-f]{40}")


def _addr(value: str, what: str) -> str:
    if not isinstance(value, str) or _ADDRESS.fullmatch(value) is None:
        raise ValueError(f"{what} must be a lower-case 0x address, got {value!r}")
    return value


def _amount(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what} must be a non-negative int, got {value!r}")
    return value


def _validate(inp: EpochInput) -> None:
    if inp.epoch < 0:
        raise ValueError("epoch must not be negative")
    _addr(inp.flock_token, "flock_token")
    tokens = set()
    for m in inp.deployments:
        _addr(m.token, "deployment token")
        _addr(m.issuer, f"issuer of {m.token}")
        if m.token in tokens:
            raise ValueError(f"deployment {m.token} listed twice")
        if m.token == inp.flock_token:
            raise ValueError("a deployment token cannot be the FLOCK token")
        tokens.add(m.token)
        if m.graduation_epoch > inp.epoch:
            raise ValueError(f"{m.token} graduates after epoch {inp.epoch}")
        for name in (
            "paid_revenue",
            "compute_cost",
            "reserved_flock_pool",
            "mt_reward_pool",
            "reserved_flock_carry",
            "mt_reward_carry",
        ):
            _amount(getattr(m, name), f"{m.token}.{name}")
    for what, table in (("spend", inp.spend), ("stake", inp.stake)):
        for (account, token), v in table.items():
            _addr(account, f"{what} account")
            if token not in tokens:
                raise ValueError(f"{what} of {account} on unknown deployment {token!r}")
            _amount(v, f"{what}[{account}, {token}]")
    for account, v in inp.gmflock.items():
        _addr(account, "gmflock account")
        _amount(v, f"gmflock[{account}]")
    for (account, token), v in inp.previous.items():
        _addr(account, "previous account")
        _addr(token, "previous token")
        _amount(v, f"previous[{account}, {token}]")
    for token, v in inp.capacity.items():
        _addr(token, "capacity token")
        _amount(v, f"capacity[{token}]")


# -- the computation -------------------------------------------------------------------------


def day_input(inp: EpochInput) -> DayInput:
    """The :class:`DayInput` of the epoch (deployments and participants in sorted order)."""
    params = inp.params
    by_token: dict[str, dict[str, list[int]]] = {m.token: {} for m in inp.deployments}
    for (account, token), v in inp.spend.items():
        by_token[token].setdefault(account, [0, 0])[0] = v
    for (account, token), v in inp.stake.items():
        by_token[token].setdefault(account, [0, 0])[1] = v
    deps = []
    for m in sorted(inp.deployments, key=lambda d: d.token):
        d = inp.epoch - m.graduation_epoch
        people = by_token[m.token]
        deps.append(
            DeploymentInput(
                token=m.token,
                issuer=m.issuer,
                age_days=Fraction(d),
                paid_revenue=m.paid_revenue,
                reserved_flock_released=vintage.daily_release(m.reserved_flock_pool, d, params)
                + m.reserved_flock_carry,
                mt_reward_released=vintage.daily_release(m.mt_reward_pool, d, params)
                + m.mt_reward_carry,
                participants=tuple(
                    ParticipantInput(
                        account=a,
                        gross_spend=people[a][0],
                        stake=people[a][1],
                        effective_gmflock=inp.gmflock.get(a, 0),
                    )
                    for a in sorted(people)
                    if people[a][0] or people[a][1]
                ),
            )
        )
    return DayInput(
        deployments=tuple(deps),
        global_emission=inp.global_emission,
        issuer_bonus_bps=inp.issuer_bonus_bps,
    )


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


def solvency(cumulative: Mapping[Key, int], capacity: Mapping[str, int]) -> list[Shortfall]:
    totals: dict[str, int] = {}
    for (_, token), v in cumulative.items():
        totals[token] = totals.get(token, 0) + v
    return [
        Shortfall(token, total, capacity.get(token, 0))
        for token, total in sorted(totals.items())
        if total > capacity.get(token, 0)
    ]


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
    :mod:`fomo.epochs.fast` (same payouts and bytes; ``result`` then has no participant
    details) — for million-account days."""
    with paused_gc():
        return _assemble(inp, fast)


def _assemble(inp: EpochInput, fast: bool) -> Epoch:
    _validate(inp)
    day = day_input(inp)
    if fast:
        from fomo.epochs.fast import compute_day_fast

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
    data = _encode(inp, result, vintages, payouts, cumulative, tree, counts)
    return Epoch(inp, result, vintages, payouts, cumulative, tree, data)


# -- the data file ---------------------------------------------------------------------------


def _s(v: int) -> str:
    return str(v)


def _q(x: Fraction) -> str:
    return f"{x.numerator}/{x.denominator}" if x.denominator != 1 else str(x.numerator)


_RAW = re.compile(rb'"@@RAW(\d+)@@"')


class _Raw:
    """Large tables as ready JSON bytes, spliced into the document after ``json.dumps``.

    ``json.dumps`` of millions of small lists is the slow, memory-hungry part of a big epoch;
    the rows are validated hex addresses and decimal digits, which JSON writes verbatim, so
    writing them by hand gives exactly the bytes ``json.dumps(..., separators=(",", ":"))``
    would. Placeholders are strings no validated value can contain."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def pairs(self, table: Mapping[Key, int]) -> str:
        rows = [f'["{a}","{t}","{v}"]' for (a, t), v in table.items() if v]
        # Both addresses have exactly 42 characters (validated), so the rows sort as their
        # (account, token) keys do — and sorting strings is ~5x faster than sorting tuples.
        rows.sort()
        self.parts.append(b"[" + ",".join(rows).encode("ascii") + b"]")
        return f"@@RAW{len(self.parts) - 1}@@"

    def splice(self, doc_json: bytes) -> bytes:
        pieces = _RAW.split(doc_json)
        # split alternates literal text and captured placeholder numbers
        return b"".join(self.parts[int(p)] if k % 2 else p for k, p in enumerate(pieces))


def _vday(v: vintage.VintageDay) -> dict[str, str]:
    return {
        "released": _s(v.released),
        "carried_in": _s(v.carried_in),
        "available": _s(v.available),
        "paid": _s(v.paid),
        "carried_out": _s(v.carried_out),
        "expired": _s(v.expired),
    }


def _inputs_json(inp: EpochInput, raw: _Raw) -> dict[str, Any]:
    return {
        "epoch": inp.epoch,
        "start_time": inp.start_time,
        "end_time": inp.end_time,
        "flock_token": inp.flock_token,
        "params": inp.params.model_dump(mode="json"),
        "global_emission": None if inp.global_emission is None else _s(inp.global_emission),
        "issuer_bonus_bps": inp.issuer_bonus_bps,
        "deployments": [
            {
                "token": m.token,
                "issuer": m.issuer,
                "graduation_epoch": m.graduation_epoch,
                "paid_revenue_nano_usd": _s(m.paid_revenue),
                "compute_cost_nano_usd": _s(m.compute_cost),
                "reserved_flock_pool": _s(m.reserved_flock_pool),
                "mt_reward_pool": _s(m.mt_reward_pool),
                "reserved_flock_carry": _s(m.reserved_flock_carry),
                "mt_reward_carry": _s(m.mt_reward_carry),
            }
            for m in sorted(inp.deployments, key=lambda d: d.token)
        ],
        "spend_nano_usd": raw.pairs(inp.spend),
        "stake_seconds": raw.pairs(inp.stake),
        "effective_gmflock": [[a, str(v)] for a, v in sorted(inp.gmflock.items()) if v],
        "previous_cumulative": raw.pairs(inp.previous),
        "capacity": {t: str(v) for t, v in sorted(inp.capacity.items())},
    }


def _outputs_json(
    result: DayResult,
    vintages: tuple[VintageOutcome, ...],
    payouts: Mapping[Key, int],
    counts: Mapping[str, int],
    raw: _Raw,
) -> dict[str, Any]:
    vint = {v.token: v for v in vintages}
    return {
        "global_emission": _s(result.global_emission),
        "issuer_bonus_bps": result.issuer_bonus_bps,
        "emission_allocated": _s(result.emission_allocated),
        "emission_paid": _s(result.emission_paid),
        "emission_dust": _s(result.emission_dust),
        "deployments": [
            {
                "token": d.token,
                "issuer": d.issuer,
                "vintage_day": vint[d.token].day,
                "alpha": _q(d.alpha),
                "age_factor": _q(d.age_factor),
                "score": _q(d.score),
                "emission": _s(d.emission),
                "issuer_bonus": _s(d.issuer_bonus),
                "users_emission": _s(d.users_emission),
                "global_paid": _s(d.global_paid),
                "global_dust": _s(d.global_dust),
                "participants": counts[d.token],
                "reserved_flock": _vday(vint[d.token].reserved_flock),
                "mt_reward": _vday(vint[d.token].mt_reward),
            }
            for d in result.deployments
        ],
        "payouts": raw.pairs(payouts),
    }


def _encode(
    inp: EpochInput,
    result: DayResult,
    vintages: tuple[VintageOutcome, ...],
    payouts: Mapping[Key, int],
    cumulative: Mapping[Key, int],
    tree: MerkleTree | None,
    counts: Mapping[str, int],
) -> bytes:
    raw = _Raw()
    doc = {
        "format": FORMAT,
        "inputs": _inputs_json(inp, raw),
        "outputs": _outputs_json(result, vintages, payouts, counts, raw),
        "tree": {
            "root": tree.root_hex() if tree is not None else None,
            "leaf_encoding": ["address", "address", "uint256"],
            "leaves": raw.pairs(cumulative),
        },
    }
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return raw.splice(text.encode("ascii"))


# -- reading and verifying -------------------------------------------------------------------


def _int(v: Any, what: str) -> int:
    if not isinstance(v, str) or not v.isdigit():
        raise EpochDataError(f"{what}: expected a decimal string, got {v!r}")
    return int(v)


def _table(rows: Any, what: str) -> dict[Key, int]:
    out: dict[Key, int] = {}
    for row in rows:
        a, t, v = row
        out[(a, t)] = _int(v, what)
    return out


def input_from_json(doc: Mapping[str, Any]) -> EpochInput:
    """The :class:`EpochInput` recorded in a data file."""
    if doc.get("format") != FORMAT:
        raise EpochDataError(f"not a {FORMAT} epoch data file (format {doc.get('format')!r})")
    i = doc["inputs"]
    ge = i["global_emission"]
    return EpochInput(
        epoch=int(i["epoch"]),
        flock_token=i["flock_token"],
        params=EconomicsParams.model_validate(i["params"]),
        global_emission=None if ge is None else _int(ge, "global_emission"),
        issuer_bonus_bps=i["issuer_bonus_bps"],
        deployments=tuple(
            MTState(
                token=m["token"],
                issuer=m["issuer"],
                graduation_epoch=int(m["graduation_epoch"]),
                paid_revenue=_int(m["paid_revenue_nano_usd"], "paid_revenue"),
                compute_cost=_int(m["compute_cost_nano_usd"], "compute_cost"),
                reserved_flock_pool=_int(m["reserved_flock_pool"], "reserved_flock_pool"),
                mt_reward_pool=_int(m["mt_reward_pool"], "mt_reward_pool"),
                reserved_flock_carry=_int(m["reserved_flock_carry"], "reserved_flock_carry"),
                mt_reward_carry=_int(m["mt_reward_carry"], "mt_reward_carry"),
            )
            for m in i["deployments"]
        ),
        spend=_table(i["spend_nano_usd"], "spend"),
        stake=_table(i["stake_seconds"], "stake"),
        gmflock={a: _int(v, "gmflock") for a, v in i["effective_gmflock"]},
        previous=_table(i["previous_cumulative"], "previous"),
        capacity={t: _int(v, "capacity") for t, v in i["capacity"].items()},
    )


def load_bytes(data: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(data)
    except ValueError as exc:
        raise EpochDataError(f"not JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise EpochDataError("not a JSON object")
    return doc


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
    doc = load_bytes(data)
    try:
        inp = input_from_json(doc)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, EpochDataError):
            raise
        raise EpochDataError(f"malformed inputs: {exc!r}") from None
    epoch = assemble(inp, fast=fast)
    recorded = doc.get("tree", {}).get("root")
    if epoch.data != data:
        mine = load_bytes(epoch.data)
        where = [k for k in ("inputs", "outputs", "tree") if mine.get(k) != doc.get(k)]
        detail = ", ".join(where) or "formatting"
        if recorded != epoch.root:
            detail += f"; recorded root {recorded} but the inputs give {epoch.root}"
        raise EpochDataError(
            f"epoch {inp.epoch}: the file does not follow from its inputs ({detail})"
        )
    return Verification(inp.epoch, epoch.root, recorded, epoch.data_hash)
