"""Spend limits in the credit ledger: a hold is checked against the balance AND the limited spend
counters in one atomic step (in-process and real Redis), settle/release/lease expiry move the
counters, and a start-up rebuild takes the period's spend from the database."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from fomo.economics.spend_limits import SpendLimit
from fomo.gateway.ledger import CreditLedger, InsufficientCredit
from fomo.gateway.ledger_memory import MemoryLedger
from fomo.gateway.limits import LimitCounter, SpendLimitExceeded, hold_counters

from .test_ledger import KINDS, FakeSource, RedisLedger, run

A = "0x" + "ab" * 20
NOW = datetime(2026, 11, 27, 13, 0, tzinfo=UTC)
BIG = 10**12


def key_cap(key_id: int, limit: int | None, reset: Any = None) -> list[LimitCounter]:
    lim = None if limit is None else SpendLimit(limit, reset)
    return hold_counters(key_id, lim, A, None, NOW)


def acct_cap(key_id: int, limit: int, reset: Any = "daily") -> list[LimitCounter]:
    return hold_counters(key_id, None, A, SpendLimit(limit, reset), NOW)


@KINDS
def test_key_limit_holds_settles_and_releases(kind: str) -> None:
    run(kind, _key_limit)


async def _key_limit(ledgers: Callable[[], CreditLedger]) -> None:
    led = ledgers()
    await led.start(FakeSource([(A, BIG)]))
    cap = key_cap(1, 1_000, "daily")
    h1 = await led.hold(A, 600, 60, cap)
    with pytest.raises(SpendLimitExceeded) as exc:
        await led.hold(A, 401, 60, cap)
    assert (exc.value.used, exc.value.needed, exc.value.counter.limit) == (600, 401, 1_000)
    assert exc.value.counter.name == "k1:d2026-11-27"
    assert (await led.balance(A)).held == 600  # the refused hold reserved nothing
    h2 = await led.hold(A, 400, 60, cap)  # exactly up to the limit
    assert (await led.settle(h1, 250)).taken == 250
    await led.release(h2)
    assert await led.spent(A, ["k1:d2026-11-27", "a:d2026-11-27", "k1:all"]) == [250, 250, 250]
    await led.hold(A, 750, 60, cap)
    with pytest.raises(SpendLimitExceeded):
        await led.hold(A, 1, 60, cap)
    # another key of the account has no limit of its own: it is not stopped
    await led.hold(A, 5_000, 60, key_cap(2, None))
    # a key's limit counts only that key's spend
    assert await led.spent(A, ["k1:d2026-11-27", "k2:d2026-11-27", "a:d2026-11-27"]) == [
        1_000,
        5_000,
        6_000,
    ]
    # the balance is still checked first
    with pytest.raises(InsufficientCredit):
        await led.hold(A, BIG, 60, key_cap(2, None))


@KINDS
def test_account_limit_spans_keys(kind: str) -> None:
    run(kind, _account_limit)


async def _account_limit(ledgers: Callable[[], CreditLedger]) -> None:
    led = ledgers()
    await led.start(FakeSource([(A, BIG)]))
    await led.hold(A, 700, 60, acct_cap(1, 1_000, "weekly"))
    with pytest.raises(SpendLimitExceeded) as exc:
        await led.hold(A, 301, 60, acct_cap(2, 1_000, "weekly"))
    assert exc.value.counter.name == "a:w2026-11-23"
    sentence = exc.value.sentence(NOW)
    assert sentence.startswith(f"Account {A}'s weekly spend limit of 0.000001 USD is reached")
    assert "resets at 2026-11-30 00:00 UTC" in sentence
    await led.hold(A, 300, 60, acct_cap(2, 1_000, "weekly"))


@KINDS
def test_limit_set_later_sees_the_spend_already_counted(kind: str) -> None:
    run(kind, _limit_set_later)


async def _limit_set_later(ledgers: Callable[[], CreditLedger]) -> None:
    led = ledgers()
    await led.start(FakeSource([(A, BIG)]))
    h = await led.hold(A, 900, 60, key_cap(3, None))  # no limit yet: counted all the same
    await led.settle(h, 900)
    with pytest.raises(SpendLimitExceeded):
        await led.hold(A, 101, 60, key_cap(3, 1_000, "monthly"))
    await led.hold(A, 100, 60, key_cap(3, 1_000, "monthly"))


@KINDS
def test_rebuild_counts_the_periods_spend_from_the_database(kind: str) -> None:
    run(kind, _rebuild)


async def _rebuild(ledgers: Callable[[], CreditLedger]) -> None:
    led = ledgers()
    src = FakeSource([(A, BIG)], {A: 950}, {A: {"k4:all": 950, "a:all": 950}})
    await led.start(src)
    with pytest.raises(SpendLimitExceeded) as exc:
        await led.hold(A, 51, 60, key_cap(4, 1_000))
    assert exc.value.used == 950
    assert "lifetime spend limit" in exc.value.sentence(NOW)
    await led.hold(A, 50, 60, key_cap(4, 1_000))


def test_redis_workers_racing_for_a_limit_stop_exactly_at_it() -> None:
    run("redis", _redis_race)


async def _redis_race(redis_factory: Callable[[], RedisLedger]) -> None:
    """8 ledgers (like 8 workers) × 600 holds of 7 against a limit of 7 × 211: exactly 211."""
    workers = [redis_factory() for _ in range(8)]
    src = FakeSource([(A, BIG)])
    await asyncio.gather(*(w.start(src) for w in workers))
    cap = key_cap(9, 7 * 211, "daily")
    highest = [0]

    async def one(i: int) -> int:
        led = workers[i % len(workers)]
        try:
            hid = await led.hold(A, 7, 60, cap)
        except SpendLimitExceeded:
            return 0
        highest[0] = max(highest[0], (await led.spent(A, [cap[0].name]))[0])
        await asyncio.sleep(0)
        return (await led.settle(hid, 7)).taken

    taken = await asyncio.gather(*(one(i) for i in range(600)))
    assert sum(1 for t in taken if t) == 211
    assert highest[0] <= 7 * 211
    assert await workers[0].spent(A, [cap[0].name, "a:all"]) == [7 * 211, 7 * 211]
    assert (await workers[1].balance(A)).available == BIG - 7 * 211


def test_redis_expired_hold_gives_the_limit_back_and_late_settle_counts() -> None:
    run("redis", _redis_expiry)


async def _redis_expiry(redis_factory: Callable[[], RedisLedger]) -> None:
    led = redis_factory()
    await led.start(FakeSource([(A, BIG)]))
    cap = key_cap(5, 1_000, "daily")
    await led.hold(A, 400, 0.05, cap)  # its worker dies
    late = await led.hold(A, 500, 0.05, cap)  # completes after its lease
    await asyncio.sleep(0.15)
    assert await led.spent(A, [cap[0].name]) == [0]
    assert (await led.settle(late, 300)).taken == 300
    assert await led.spent(A, [cap[0].name]) == [300]
    assert (await led.settle(late, 300)).found is False
    assert await led.spent(A, [cap[0].name]) == [300]


def test_redis_rebuild_keeps_live_holds_in_the_counters() -> None:
    run("redis", _redis_rebuild_live)


async def _redis_rebuild_live(redis_factory: Callable[[], RedisLedger]) -> None:
    first = redis_factory()
    await first.start(FakeSource([(A, BIG)]))
    cap = key_cap(6, 1_000, None)
    h = await first.hold(A, 300, 60, cap)
    r: Any = first._redis
    await r.delete(first._ready_key)
    second = redis_factory()
    await second.start(FakeSource([(A, BIG)], {A: 200}, {A: {"k6:all": 200, "a:all": 200}}))
    assert second.reconciled
    assert await second.spent(A, ["k6:all"]) == [500]  # 200 charged + 300 still held
    await second.settle(h, 100)
    assert await second.spent(A, ["k6:all"]) == [300]


def test_memory_keeps_only_recent_periods() -> None:
    """A long-running in-process ledger drops counters of periods two back (not the last one:
    a hold taken just before midnight still settles into it)."""

    async def body() -> None:
        led = MemoryLedger()
        await led.start(FakeSource([(A, BIG)]))
        days = [datetime(2026, 11, d, 12, tzinfo=UTC) for d in (26, 27, 28)]
        holds = []
        for day in days:
            holds.append(await led.hold(A, 10, 60, hold_counters(1, None, A, None, day)))
        assert await led.spent(A, ["k1:d2026-11-26"]) == [0]  # dropped
        assert await led.spent(A, ["k1:d2026-11-27", "k1:d2026-11-28", "k1:all"]) == [10, 10, 30]
        for h in holds:
            await led.settle(h, 4)
        assert await led.spent(A, ["k1:d2026-11-27", "k1:all"]) == [4, 12]
        assert "d2026-11-26" not in led._spent

    asyncio.run(body())


def test_redis_period_counters_expire_and_the_all_time_one_does_not() -> None:
    run("redis", _redis_ttls)


async def _redis_ttls(redis_factory: Callable[[], RedisLedger]) -> None:
    led = redis_factory()
    await led.start(FakeSource([(A, BIG)]))
    now = datetime.now(UTC)
    cap = hold_counters(7, None, A, None, now)
    await led.hold(A, 5, 60, cap)
    r: Any = led._redis
    day_ms = await r.pttl(led._counter(A, cap[0].name))
    assert cap[0].reset == "daily" and 8 * 86_400_000 < day_ms <= 9 * 86_400_000
    assert await r.pttl(led._counter(A, cap[3].name)) == -1  # all time: kept
