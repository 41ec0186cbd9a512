"""The 180-day release of an MT's Reserved FLOCK and MT Reward pools (SPEC §8.3).

Day ``d`` (0 = the graduation epoch) releases weight ``w(d) = N − d`` out of
``N(N+1)/2`` (N = 180: 180, 179, …, 1 out of 16,290), front-loading the incentive. Releases are
computed *cumulatively* — ``release(d) = floor(P·W(d)/T) − floor(P·W(d−1)/T)`` with ``W`` the
running weight — so the daily amounts are floored yet sum to exactly ``P`` by day ``N − 1``.

An amount nobody is eligible for (and the floor dust of a day's split) rolls over to the next
day. Whatever is left after the last day expires: the MT Reward remainder is burned, the Reserved
FLOCK remainder returns to the treasury.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from fomo.economics.params import DEFAULT_PARAMS, EconomicsParams


class PoolKind(Enum):
    """What happens to a pool's remainder when its vintage ends."""

    RESERVED_FLOCK = "return_to_treasury"
    MT_REWARD = "burn"


def weight(day: int, days: int) -> int:
    """``w(d) = days − d`` for ``0 ≤ d < days``, else 0."""
    return days - day if 0 <= day < days else 0


def cumulative_weight(day: int, days: int) -> int:
    """``Σ_{i ≤ day} w(i)``: 0 before day 0, ``days(days+1)/2`` from the last day on."""
    if day < 0:
        return 0
    k = min(day, days - 1) + 1  # number of weighted days so far
    return k * days - k * (k - 1) // 2


def cumulative_release(pool: int, day: int, params: EconomicsParams = DEFAULT_PARAMS) -> int:
    """Amount released on days ``0..day`` inclusive (floored; equals ``pool`` from the last day)."""
    if pool < 0:
        raise ValueError("pool must not be negative")
    n = params.vintage_days
    total = n * (n + 1) // 2
    return pool * cumulative_weight(day, n) // total


def daily_release(pool: int, day: int, params: EconomicsParams = DEFAULT_PARAMS) -> int:
    """Amount newly released on ``day`` (0 outside the vintage)."""
    return cumulative_release(pool, day, params) - cumulative_release(pool, day - 1, params)


@dataclass(frozen=True, slots=True)
class VintageDay:
    """One day of a pool: what was available, paid, rolled over and (on the last day) expired."""

    day: int
    released: int
    carried_in: int
    available: int
    paid: int
    carried_out: int
    expired: int


def settle_day(
    pool: int,
    day: int,
    carried_in: int,
    paid: int,
    params: EconomicsParams = DEFAULT_PARAMS,
) -> VintageDay:
    """Close ``day``: ``available = release + carry``, pay ``paid`` of it, roll the rest over.

    On the last vintage day (and any later day) nothing more rolls over: the rest ``expired`` —
    burned for MT Reward, returned to the treasury for Reserved FLOCK (see :class:`PoolKind`).
    """
    if carried_in < 0 or paid < 0:
        raise ValueError("carry and payout must not be negative")
    released = daily_release(pool, day, params)
    available = released + carried_in
    if paid > available:
        raise ValueError("cannot pay more than the day makes available")
    rest = available - paid
    if day >= params.vintage_days - 1:
        return VintageDay(day, released, carried_in, available, paid, 0, rest)
    return VintageDay(day, released, carried_in, available, paid, rest, 0)


def run_schedule(
    pool: int,
    pay: Callable[[int, int], int],
    params: EconomicsParams = DEFAULT_PARAMS,
) -> Sequence[VintageDay]:
    """Replay a whole vintage: ``pay(day, available) -> paid`` decides each day's payout.

    Used by tests and the explainer; the epoch engine settles one day at a time.
    """
    days: list[VintageDay] = []
    carry = 0
    for d in range(params.vintage_days):
        available = daily_release(pool, d, params) + carry
        result = settle_day(pool, d, carry, pay(d, available), params)
        days.append(result)
        carry = result.carried_out
    return days
