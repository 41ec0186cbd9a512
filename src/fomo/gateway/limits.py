"""Spend limits at the gateway: which spend counters a hold reserves against, and the readouts.

The rules (periods, parsing, the refusal sentence) are pure, in
:mod:`fomo.economics.spend_limits`. Here they meet the ledger: every hold counts its amount in
the spend counters of the request's key and account for each kind of period (the current day,
ISO week, month, and all time), and is refused if it would take a counter that carries a limit
past it. The counters are named ``<scope>:<period id>`` (``k12:d2026-11-27``, ``a:all``) and
live in the ledger next to the account's balance, so the check and the reservation are one
atomic step with the balance check (one Lua script in Redis). A new period is a new counter, so
nothing is ever reset.

The limits themselves live in the database (``gateway_api_keys.limit_*``,
``gateway_account_limits``); each worker caches them and re-reads them every poll.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from fomo.economics.spend_limits import (
    PERIOD_KINDS,
    Reset,
    SpendLimit,
    exceeded_sentence,
    next_reset,
    parse_limit_usd,
    parse_reset,
    period_id,
    remaining,
    usd_amount,
)
from fomo.economics.units import SECONDS_PER_DAY

ACCOUNT_SCOPE = "a"
COUNTER_KEEP_S = 8 * SECONDS_PER_DAY
"""A period's counter is kept this long past the period's end: a hold taken just before the
end can still be settled or expire (an expired hold's late settle is honoured for a week)."""


def key_scope(key_id: int) -> str:
    return f"k{key_id}"


@dataclass(frozen=True, slots=True)
class LimitCounter:
    """One spend counter a hold reserves against."""

    name: str
    """``<scope>:<period id>``; the ledger files it under the account."""
    limit: int | None
    """The cap in nano-USD, or None: counted only (so a limit set later sees the spend)."""
    ttl_ms: int
    """How long the counter is kept from now (0: for ever — the all-time counter)."""
    whose: str = ""
    """Who the limit belongs to, for the refusal sentence (``API key 7's``)."""
    reset: Reset | None = None


class SpendLimitExceeded(Exception):
    def __init__(self, counter: LimitCounter, used: int, needed: int) -> None:
        super().__init__(f"{counter.name}: {used} used, {needed} more would pass {counter.limit}")
        self.counter = counter
        self.used = used
        self.needed = needed

    def sentence(self, now: datetime) -> str:
        c = self.counter
        assert c.limit is not None
        return exceeded_sentence(c.whose, SpendLimit(c.limit, c.reset), self.used, self.needed, now)


def now_utc(clock_ns: int) -> datetime:
    return datetime.fromtimestamp(clock_ns / 1e9, UTC)


def counter_ttl_ms(kind: Reset | None, now: datetime) -> int:
    end = next_reset(kind, now)
    if end is None:
        return 0
    return max(int((end - now).total_seconds() * 1000), 0) + COUNTER_KEEP_S * 1000


def counter_ttls(now: datetime) -> dict[str, int]:
    """Period id → TTL of its counters, for every period kind in force at ``now``."""
    return {period_id(kind, now): counter_ttl_ms(kind, now) for kind in PERIOD_KINDS}


def ttl_of(name: str, ttls: dict[str, int]) -> int:
    return ttls.get(name.rsplit(":", 1)[-1], 0)


@functools.lru_cache(maxsize=4)
def _periods(second: int) -> tuple[tuple[Reset | None, str, int], ...]:
    """(kind, period id, counter TTL) of every period kind at this whole second: computed once
    per second, not per request (the calendar arithmetic costs ~60 µs; a TTL a second off is
    nothing next to its eight-day margin)."""
    now = datetime.fromtimestamp(second, UTC)
    return tuple((kind, period_id(kind, now), counter_ttl_ms(kind, now)) for kind in PERIOD_KINDS)


def scope_counters(
    scope: str, limit: SpendLimit | None, whose: str, now: datetime
) -> list[LimitCounter]:
    return [
        LimitCounter(
            f"{scope}:{pid}",
            limit.limit_nano if limit is not None and limit.reset == kind else None,
            ttl,
            whose,
            kind,
        )
        for kind, pid, ttl in _periods(int(now.timestamp()))
    ]


def key_whose(key_id: int) -> str:
    return f"API key {key_id}'s"


def account_whose(account: str) -> str:
    return f"Account {account}'s"


def hold_counters(
    key_id: int,
    key_limit: SpendLimit | None,
    account: str,
    account_limit: SpendLimit | None,
    now: datetime,
) -> tuple[LimitCounter, ...]:
    """Every counter a request's hold counts in: the key's and the account's, each period."""
    return _hold_counters(key_id, key_limit, account, account_limit, int(now.timestamp()))


@functools.lru_cache(maxsize=4096)
def _hold_counters(
    key_id: int,
    key_limit: SpendLimit | None,
    account: str,
    account_limit: SpendLimit | None,
    second: int,
) -> tuple[LimitCounter, ...]:
    # Cached per key and second: built fresh this takes ~15 µs, on every request's path.
    now = datetime.fromtimestamp(second, UTC)
    return (
        *scope_counters(key_scope(key_id), key_limit, key_whose(key_id), now),
        *scope_counters(ACCOUNT_SCOPE, account_limit, account_whose(account), now),
    )


def limited(counters: Sequence[LimitCounter]) -> list[LimitCounter]:
    return [c for c in counters if c.limit is not None]


def key_limit_of(key: Any) -> SpendLimit | None:
    """The spend limit of a cached key (``KeyInfo``), if it has one."""
    if key.limit_nano is None:
        return None
    return SpendLimit(int(key.limit_nano), parse_reset(key.limit_reset))


def counter_for(scope: str, limit: SpendLimit, now: datetime) -> str:
    return f"{scope}:{period_id(limit.reset, now)}"


def limit_json(limit: SpendLimit | None, used: int, now: datetime) -> dict[str, Any]:
    """The readout (OpenRouter's names): ``limit``, ``limit_remaining``, ``limit_reset`` as
    exact decimal USD strings, the nano-USD integers as strings, and the next reset instant."""
    if limit is None:
        return {
            "limit": None,
            "limit_nano_usd": None,
            "limit_remaining": None,
            "limit_remaining_nano_usd": None,
            "limit_reset": None,
            "limit_resets_at": None,
        }
    left = remaining(limit, used)
    at = next_reset(limit.reset, now)
    return {
        "limit": usd_amount(limit.limit_nano),
        "limit_nano_usd": str(limit.limit_nano),
        "limit_remaining": usd_amount(left),
        "limit_remaining_nano_usd": str(left),
        "limit_reset": limit.reset,
        "limit_resets_at": None if at is None else at.isoformat().replace("+00:00", "Z"),
    }


def with_key_limits(keys: dict[str, Any], limits: dict[str, SpendLimit]) -> None:
    """Bring the cached keys' limits up to date (``limits``: key hash → limit of every key
    that has one; a key missing from it has none)."""
    for h, k in list(keys.items()):
        new = limits.get(h)
        if new != key_limit_of(k):
            keys[h] = replace(
                k,
                limit_nano=None if new is None else new.limit_nano,
                limit_reset=None if new is None else new.reset,
            )


async def headroom(
    ledger: Any, account: str, counters: Sequence[LimitCounter], avail: int
) -> tuple[int, LimitCounter | None, int]:
    """What a new hold can take: the available balance, or less if a limit has less left.
    Returns (that amount, the limit's counter if a limit is what binds, its spend so far)."""
    capped = limited(counters)
    if not capped:
        return avail, None, 0
    used: list[int] = await ledger.spent(account, [c.name for c in capped])
    room, binding, binding_used = avail, None, 0
    for c, u in zip(capped, used, strict=True):
        left = int(c.limit or 0) - u
        if left < room:
            room, binding, binding_used = left, c, u
    return room, binding, binding_used


async def key_limit_readout(ledger: Any, key: Any, now: datetime) -> dict[str, Any]:
    """A key's limit fields (:func:`limit_json`) with what its counter holds now."""
    limit = key_limit_of(key)
    used = 0
    if limit is not None:
        (used,) = await ledger.spent(key.account, [counter_for(key_scope(key.id), limit, now)])
    return limit_json(limit, used, now)


async def account_limit_readout(
    ledger: Any, account: str, limit: SpendLimit | None, now: datetime
) -> dict[str, Any]:
    used = 0
    if limit is not None:
        (used,) = await ledger.spent(account, [counter_for(ACCOUNT_SCOPE, limit, now)])
    return limit_json(limit, used, now)


LIMIT_FIELDS = ("limit_usd", "limit_reset")


class LimitInputError(ValueError):
    def __init__(self, message: str, param: str) -> None:
        super().__init__(message)
        self.param = param


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


def parse_limit_body(
    body: dict[str, Any], current: SpendLimit | None, maximum_nano: int
) -> SpendLimit | None:
    """The limit a request body asks for: ``limit_usd`` (a USD string; null removes the limit)
    and ``limit_reset`` (daily, weekly, monthly or none); a field left out keeps its value.
    ``maximum_nano``: the largest limit the ledger holds exactly (``ledger.MAX_EXACT_NANO``)."""
    if not any(f in body for f in LIMIT_FIELDS):
        raise LimitInputError(
            "Give 'limit_usd' (a USD amount as a string, or null to remove the limit) "
            "and/or 'limit_reset' (daily, weekly, monthly or none).",
            "limit_usd",
        )
    if "limit_usd" in body and body["limit_usd"] is None:
        return None
    try:
        reset = parse_reset(body["limit_reset"]) if "limit_reset" in body else None
    except ValueError as exc:
        raise LimitInputError(_sentence(str(exc)), "limit_reset") from None
    if "limit_usd" not in body:
        if current is None:
            raise LimitInputError(
                "There is no limit to change the reset period of: give 'limit_usd' too.",
                "limit_usd",
            )
        return SpendLimit(current.limit_nano, reset)
    try:
        nano = parse_limit_usd(body["limit_usd"], maximum_nano)
    except ValueError as exc:
        raise LimitInputError(_sentence(str(exc)), "limit_usd") from None
    if "limit_reset" not in body and current is not None:
        reset = current.reset
    return SpendLimit(nano, reset)
