"""The epoch data file, typed: one reader and one writer for every module that touches it.

An :class:`EpochFile` is what an epoch publishes — its inputs (:class:`EpochInput`), the
outputs per MT, today's payouts and the cumulative Merkle leaves — and
:meth:`EpochFile.to_bytes` / :meth:`EpochFile.from_bytes` are the only code that writes or reads
the JSON. Pure: bytes in, bytes out; reading and writing paths belongs to
:mod:`fomo.epochs.engine`.

The bytes are canonical JSON — sorted keys, no spaces, every integer a decimal string, every
list in a defined order — so the same inputs give the same bytes (and the same keccak256 that
``propose_root`` records on-chain). ``tests/economics/golden/`` pins them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Final

from fomo.economics.epoch_input import EpochInput, Key, MTState
from fomo.economics.params import EconomicsParams
from fomo.economics.vintage import VintageDay

FORMAT: Final = "fomo-epoch-v1"
LEAF_ENCODING: Final = ("address", "address", "uint256")


class EpochDataError(ValueError):
    """A data file that is malformed or whose outputs/root do not follow from its inputs."""


@dataclass(frozen=True, slots=True)
class DeploymentOutcome:
    """One MT's line of the outputs: its emission and both vintage pools' day."""

    token: str
    issuer: str
    vintage_day: int
    alpha: Fraction
    age_factor: Fraction
    score: Fraction
    emission: int
    issuer_bonus: int
    users_emission: int
    global_paid: int
    global_dust: int
    participants: int
    """How many (account, MT) participants the MT had (details are recomputed, not stored)."""
    reserved_flock: VintageDay
    mt_reward: VintageDay


@dataclass(frozen=True, slots=True)
class EpochOutputs:
    global_emission: int
    issuer_bonus_bps: int
    emission_allocated: int
    emission_paid: int
    emission_dust: int
    deployments: tuple[DeploymentOutcome, ...]
    payouts: Mapping[Key, int] = field(repr=False)
    """Today's payouts per (account, token address)."""


@dataclass(frozen=True, slots=True)
class EpochFile:
    inputs: EpochInput = field(repr=False)
    outputs: EpochOutputs = field(repr=False)
    root: str | None
    """The Merkle root of ``leaves`` (``None`` when there are none)."""
    leaves: Mapping[Key, int] = field(repr=False)
    """Cumulative rewards per (account, token): the tree's leaves, in file order."""

    @property
    def epoch(self) -> int:
        return self.inputs.epoch

    def to_bytes(self) -> bytes:
        """The canonical file content."""
        raw = _Raw()
        doc = {
            "format": FORMAT,
            "inputs": _inputs_json(self.inputs, raw),
            "outputs": _outputs_json(self.outputs, raw),
            "tree": {
                "root": self.root,
                "leaf_encoding": list(LEAF_ENCODING),
                "leaves": raw.pairs(self.leaves),
            },
        }
        text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
        return raw.splice(text.encode("ascii"))

    @classmethod
    def from_bytes(cls, data: bytes) -> EpochFile:
        """Parse a data file; :class:`EpochDataError` names what is malformed. (That the
        outputs follow from the inputs is :func:`fomo.economics.epoch.verify_bytes`'s job.)"""
        doc = parse_json(data)
        try:
            tree = doc["tree"]
            return cls(
                inputs=inputs_from_json(doc),
                outputs=_outputs(doc["outputs"]),
                root=_root(tree["root"]),
                leaves=_table(tree["leaves"], "leaves"),
            )
        except EpochDataError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise EpochDataError(f"malformed data file: {exc!r}") from None


# -- writing -----------------------------------------------------------------------------------


def _s(v: int) -> str:
    return str(v)


def _ratio(x: Fraction) -> str:
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


def vintage_day_json(v: VintageDay) -> dict[str, str]:
    """One pool's day as written in the file (``summary`` shows the same mapping)."""
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


def _outputs_json(out: EpochOutputs, raw: _Raw) -> dict[str, Any]:
    return {
        "global_emission": _s(out.global_emission),
        "issuer_bonus_bps": out.issuer_bonus_bps,
        "emission_allocated": _s(out.emission_allocated),
        "emission_paid": _s(out.emission_paid),
        "emission_dust": _s(out.emission_dust),
        "deployments": [
            {
                "token": d.token,
                "issuer": d.issuer,
                "vintage_day": d.vintage_day,
                "alpha": _ratio(d.alpha),
                "age_factor": _ratio(d.age_factor),
                "score": _ratio(d.score),
                "emission": _s(d.emission),
                "issuer_bonus": _s(d.issuer_bonus),
                "users_emission": _s(d.users_emission),
                "global_paid": _s(d.global_paid),
                "global_dust": _s(d.global_dust),
                "participants": d.participants,
                "reserved_flock": vintage_day_json(d.reserved_flock),
                "mt_reward": vintage_day_json(d.mt_reward),
            }
            for d in out.deployments
        ],
        "payouts": raw.pairs(out.payouts),
    }


# -- reading -----------------------------------------------------------------------------------


def parse_json(data: bytes) -> dict[str, Any]:
    """The file as a JSON object of the right format (no field checked yet)."""
    try:
        doc = json.loads(data)
    except ValueError as exc:
        raise EpochDataError(f"not JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise EpochDataError("not a JSON object")
    if doc.get("format") != FORMAT:
        raise EpochDataError(f"not a {FORMAT} epoch data file (format {doc.get('format')!r})")
    return doc


def _int(v: Any, what: str) -> int:
    if not isinstance(v, str) or not v.isdigit():
        raise EpochDataError(f"{what}: expected a decimal string, got {v!r}")
    return int(v)


def _count(v: Any, what: str) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise EpochDataError(f"{what}: expected a non-negative integer, got {v!r}")
    return v


def _fraction(v: Any, what: str) -> Fraction:
    parts = v.split("/") if isinstance(v, str) else []
    if not 1 <= len(parts) <= 2 or not all(p.isascii() and p.isdigit() for p in parts):
        raise EpochDataError(f"{what}: expected n or n/d, got {v!r}")
    if len(parts) == 2 and int(parts[1]) == 0:
        raise EpochDataError(f"{what}: a zero denominator in {v!r}")
    return Fraction(int(parts[0]), int(parts[1]) if len(parts) == 2 else 1)


def _root(v: Any) -> str | None:
    if v is not None and not isinstance(v, str):
        raise EpochDataError(f"tree.root: expected a hex string or null, got {v!r}")
    return v


def _table(rows: Any, what: str) -> dict[Key, int]:
    out: dict[Key, int] = {}
    for row in rows:
        a, t, v = row
        out[(a, t)] = _int(v, what)
    return out


def inputs_from_json(doc: Mapping[str, Any]) -> EpochInput:
    """The :class:`EpochInput` recorded in a parsed data file (the ``inputs`` part only)."""
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


def _vintage_day(d: Mapping[str, Any], day: int, what: str) -> VintageDay:
    return VintageDay(
        day=day,
        **{
            k: _int(d[k], f"{what}.{k}")
            for k in ("released", "carried_in", "available", "paid", "carried_out", "expired")
        },
    )


def _outputs(o: Mapping[str, Any]) -> EpochOutputs:
    deps = []
    for d in o["deployments"]:
        token = d["token"]
        day = _count(d["vintage_day"], f"{token}.vintage_day")
        deps.append(
            DeploymentOutcome(
                token=token,
                issuer=d["issuer"],
                vintage_day=day,
                alpha=_fraction(d["alpha"], f"{token}.alpha"),
                age_factor=_fraction(d["age_factor"], f"{token}.age_factor"),
                score=_fraction(d["score"], f"{token}.score"),
                emission=_int(d["emission"], f"{token}.emission"),
                issuer_bonus=_int(d["issuer_bonus"], f"{token}.issuer_bonus"),
                users_emission=_int(d["users_emission"], f"{token}.users_emission"),
                global_paid=_int(d["global_paid"], f"{token}.global_paid"),
                global_dust=_int(d["global_dust"], f"{token}.global_dust"),
                participants=_count(d["participants"], f"{token}.participants"),
                reserved_flock=_vintage_day(d["reserved_flock"], day, f"{token}.reserved_flock"),
                mt_reward=_vintage_day(d["mt_reward"], day, f"{token}.mt_reward"),
            )
        )
    return EpochOutputs(
        global_emission=_int(o["global_emission"], "global_emission"),
        issuer_bonus_bps=_count(o["issuer_bonus_bps"], "issuer_bonus_bps"),
        emission_allocated=_int(o["emission_allocated"], "emission_allocated"),
        emission_paid=_int(o["emission_paid"], "emission_paid"),
        emission_dust=_int(o["emission_dust"], "emission_dust"),
        deployments=tuple(deps),
        payouts=_table(o["payouts"], "payouts"),
    )
