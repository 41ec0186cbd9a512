"""Event decoding from contract ABIs (topic0 → event; topics + data → typed arguments).

Decoding is keyed by the emitting contract's *kind* as well as topic0, so two contracts with a
same-named event (``Claimed`` on the Launchpad and on the RewardDistributor) never mix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from eth_abi.abi import decode as abi_decode
from eth_utils.crypto import keccak


@dataclass(frozen=True)
class EventSpec:
    """One non-anonymous event of an ABI."""

    name: str
    signature: str
    topic0: str
    inputs: tuple[tuple[str, str, bool], ...]  # (name, canonical type, indexed)


def _canonical_type(param: Mapping[str, Any]) -> str:
    kind = str(param["type"])
    if kind.startswith("tuple"):
        inner = ",".join(_canonical_type(c) for c in param.get("components", []))
        return f"({inner}){kind[len('tuple') :]}"
    return kind


def event_specs(abi: Iterable[Mapping[str, Any]]) -> dict[str, EventSpec]:
    """topic0 (lower-case hex) → spec, for every non-anonymous event in ``abi``."""
    out: dict[str, EventSpec] = {}
    for item in abi:
        if item.get("type") != "event" or item.get("anonymous"):
            continue
        inputs = tuple(
            (str(p["name"]), _canonical_type(p), bool(p.get("indexed"))) for p in item["inputs"]
        )
        signature = f"{item['name']}({','.join(t for _, t, _ in inputs)})"
        topic0 = "0x" + keccak(text=signature).hex()
        out[topic0] = EventSpec(str(item["name"]), signature, topic0, inputs)
    return out


def _is_dynamic(kind: str) -> bool:
    return kind in ("string", "bytes") or kind.endswith("]") or kind.startswith("(")


def _normalize(value: Any) -> Any:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, str) and len(value) == 42 and value.startswith("0x"):
        return value.lower()
    if isinstance(value, list | tuple):
        return [_normalize(v) for v in value]
    return value


def decode_event(spec: EventSpec, topics: list[str], data: str) -> dict[str, Any]:
    """Arguments of one log of ``spec``: ints stay ``int``, addresses lower-case ``0x`` hex,
    bytes ``0x`` hex. Indexed dynamic values are only their keccak hash (hex)."""
    indexed = [(n, t) for n, t, ix in spec.inputs if ix]
    plain = [(n, t) for n, t, ix in spec.inputs if not ix]
    if len(topics) != 1 + len(indexed):
        raise ValueError(f"{spec.signature}: expected {1 + len(indexed)} topics, got {len(topics)}")
    args: dict[str, Any] = {}
    for (name, kind), topic in zip(indexed, topics[1:], strict=True):
        raw = bytes.fromhex(topic[2:])
        args[name] = "0x" + raw.hex() if _is_dynamic(kind) else abi_decode([kind], raw)[0]
    values = abi_decode([t for _, t in plain], bytes.fromhex(data[2:])) if plain else ()
    for (name, _kind), value in zip(plain, values, strict=True):
        args[name] = value
    return {name: _normalize(args[name]) for name, _, _ in spec.inputs}


def json_args(args: Mapping[str, Any]) -> dict[str, Any]:
    """Arguments as JSON: integers as decimal strings (JSON numbers lose precision)."""

    def conv(value: Any) -> Any:
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return str(value)
        if isinstance(value, list):
            return [conv(v) for v in value]
        return value

    return {name: conv(value) for name, value in args.items()}
