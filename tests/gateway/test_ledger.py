"""The credit ledger interface: in-process (pure unit tests) and Redis (real Redis).

Both implementations pass the same behavioural tests; the Redis one also a concurrent hammer
(many tasks over several connections, as several workers would), lease expiry of a dead worker's
holds, a late settle of an expired hold, and concurrent start-ups that must count once.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import pytest

from fomo.gateway.ledger import CreditLedger, InsufficientCredit, LedgerUnavailable
from fomo.gateway.ledger_memory import MemoryLedger
from fomo.gateway.ledger_redis import RedisLedger
from fomo.gateway.usage_record import UsageRecord
from tests.services import redis_url


class FakeSource:
    """The database side: credit rows and charged totals."""

    def __init__(
        self,
        credits: list[tuple[str, int]],
        spent: dict[str, int] | None = None,
        counters: dict[str, dict[str, int]] | None = None,
    ):
        self.rows = [(i + 1, a, v) for i, (a, v) in enumerate(credits)]
        self.spent = dict(spent or {})
        self.counters = dict(counters or {})
        self.usage: dict[str, UsageRecord] = {}

    def credits_since(self, after_id: int) -> list[tuple[int, str, int]]:
        return [r for r in self.rows if r[0] > after_id]

    def spent_totals(self, account: str | None = None) -> dict[str, int]:
        return dict(self.spent)

    def spend_counters(self, now: Any) -> dict[str, dict[str, int]]:
        return {a: dict(c) for a, c in self.counters.items()}

    def insert_usage(self, records: Sequence[UsageRecord]) -> None:
        """Insert-or-ignore on ``request_id``, as the database does."""
        for r in records:
            if r.request_id not in self.usage:
                self.usage[r.request_id] = r
                self.spent[r.account] = self.spent.get(r.account, 0) + r.paid_nano_usd


async def _cleanup(url: str, prefix: str) -> None:
    import redis.asyncio as aioredis

    r: Any = aioredis.from_url(url)
    async for k in r.scan_iter(match=f"{prefix}:*", count=1000):
        await r.delete(k)
    await r.aclose()


class RedisFactory:
    def __init__(self, url: str) -> None:
        self.url = url
        self.prefix = f"fomo:test:{uuid.uuid4().hex[:10]}"
        self.made: list[RedisLedger] = []

    def __call__(self) -> RedisLedger:
        led = RedisLedger(self.url, prefix=self.prefix)
        self.made.append(led)
        return led


STALL_LIMIT_S = 120.0


def run(kind: str, body: Callable[[Callable[[], Any]], Awaitable[None]]) -> None:
    """Run ``body(make_ledger)`` on a fresh loop; Redis keys get a prefix of their own."""

    async def main() -> None:
        if kind == "memory":
            shared = MemoryLedger()
            await body(lambda: shared)
            return
        factory = RedisFactory(redis_url())
        try:
            # A stalled client must fail here, loudly, rather than hang the suite: pytest-timeout's
            # alarm does not interrupt a loop that is waiting forever in select().
            await asyncio.wait_for(body(factory), STALL_LIMIT_S)
        finally:
            for led in factory.made:
                await led.close()
            await _cleanup(factory.url, factory.prefix)

    asyncio.run(main())


Factory = Callable[[], RedisLedger]
KINDS = pytest.mark.parametrize("kind", ["memory", "redis"])


A = "0x" + "aa" * 20
B = "0x" + "bb" * 20


@KINDS
def test_hold_settle_release_exact(kind: str) -> None:
    run(kind, _hold_settle_release_exact)


async def _hold_settle_release_exact(ledgers: Callable[[], CreditLedger]) -> None:
    led = ledgers()
    await led.start(FakeSource([(A, 1_000), (B, 5)], {A: 100}))
    assert (await led.balance(A)).available == 900
    h1 = await led.hold(A, 600, 60)
    with pytest.raises(InsufficientCredit) as exc:
        await led.hold(A, 301, 60)
    assert exc.value.available == 300
    h2 = await led.hold(A, 300, 60)
    b = await led.balance(A)
    assert (b.available, b.held, b.total) == (0, 900, 900)
    s = await led.settle(h1, 750)  # never more than the hold
    assert (s.taken, s.found) == (600, True)
    again = await led.settle(h1, 750)  # idempotent
    assert (again.taken, again.found) == (0, False)
    await led.release(h2)
    b = await led.balance(A)
    assert (b.available, b.held) == (300, 0)
    assert (await led.balance(B)).available == 5


@KINDS
def test_credit_is_idempotent(kind: str) -> None:
    run(kind, _credit_is_idempotent)


async def _credit_is_idempotent(ledgers: Callable[[], CreditLedger]) -> None:
    led = ledgers()
    await led.start(FakeSource([(A, 10)]))
    assert not await led.credit(A, 10, "credit:1")  # applied by the start-up build
    assert await led.credit(A, 7, "credit:2")
    assert not await led.credit(A, 7, "credit:2")
    assert (await led.balance(A)).available == 17


def test_memory_unknown_hold_is_a_noop() -> None:
    asyncio.run(_memory_unknown_hold())


async def _memory_unknown_hold() -> None:
    led = MemoryLedger()
    await led.start(FakeSource([(A, 10)]))
    assert (await led.settle(f"{A}|nope", 5)).found is False
    assert (await led.balance(A)).available == 10


# --- Redis only ------------------------------------------------------------------------------


def test_redis_hammer_never_negative_exact_sum() -> None:
    run("redis", _redis_hammer_never_negative_exact_sum)


async def _redis_hammer_never_negative_exact_sum(redis_factory: Factory) -> None:
    """8 ledgers (8 connection pools, like 8 workers) × 400 tasks racing for one balance."""
    credit = 1_000_003
    workers = [redis_factory() for _ in range(8)]
    src = FakeSource([(A, credit)])
    await asyncio.gather(*(w.start(src) for w in workers))  # concurrent starts count once
    assert (await workers[0].balance(A)).available == credit
    taken_total = 0
    lowest = [credit]
    rng = random.Random(13)
    plans = [(rng.randrange(1, 9_000), rng.randrange(0, 12_000)) for _ in range(3200)]

    async def one(i: int) -> int:
        led = workers[i % len(workers)]
        amount, charge = plans[i]
        try:
            hid = await led.hold(A, amount, 60)
        except InsufficientCredit:
            return 0
        lowest[0] = min(lowest[0], (await led.balance(A)).available)
        await asyncio.sleep(0)
        if charge % 5 == 0:
            await led.release(hid)
            return 0
        return (await led.settle(hid, charge)).taken

    results = await asyncio.gather(*(one(i) for i in range(len(plans))))
    taken_total = sum(results)
    b = await workers[3].balance(A)
    assert lowest[0] >= 0
    assert b.held == 0
    assert b.available >= 0
    assert b.available == credit - taken_total
    assert taken_total > credit // 2  # the balance really was contended


def test_redis_dead_workers_hold_comes_back_and_late_settle_charges_once() -> None:
    run("redis", _redis_dead_workers_hold_comes_back_and_late_settle_charges_once)


async def _redis_dead_workers_hold_comes_back_and_late_settle_charges_once(
    redis_factory: Callable[[], RedisLedger],
) -> None:
    led, other = redis_factory(), redis_factory()
    await led.start(FakeSource([(A, 1_000)]))
    await other.start(FakeSource([(A, 1_000)]))
    stranded = await led.hold(A, 400, 0.05)  # its worker "dies": never settled
    late = await led.hold(A, 500, 0.05)  # outlives its lease, then completes
    assert (await other.balance(A)).available == 100
    await asyncio.sleep(0.15)
    b = await other.balance(A)  # the next operation on the account gives both back
    assert (b.available, b.held) == (1_000, 0)
    s = await other.settle(late, 320)
    assert (s.taken, s.found) == (320, True)
    assert (await other.settle(late, 320)).found is False
    assert (await other.balance(A)).available == 680
    await other.release(stranded)  # releasing an expired hold moves nothing
    assert (await other.balance(A)).available == 680


def test_redis_sweeper_releases_untouched_accounts() -> None:
    run("redis", _redis_sweeper_releases_untouched_accounts)


async def _redis_sweeper_releases_untouched_accounts(
    redis_factory: Callable[[], RedisLedger],
) -> None:
    led = redis_factory()
    await led.start(FakeSource([(A, 50)]))
    await led.hold(A, 50, 0.05)
    await asyncio.sleep(0.1)
    await led.sweep()
    r: Any = led._redis
    assert await r.hget(led._keys(A)[1], "x") is None
    assert int(await r.get(led._keys(A)[0])) == 50


def test_redis_reconcile_subtracts_live_holds_and_only_once() -> None:
    run("redis", _redis_reconcile_subtracts_live_holds_and_only_once)


async def _redis_reconcile_subtracts_live_holds_and_only_once(
    redis_factory: Callable[[], RedisLedger],
) -> None:
    first = redis_factory()
    await first.start(FakeSource([(A, 1_000), (A, 500)], {A: 200}))
    assert first.reconciled
    h = await first.hold(A, 300, 60)
    # The hot store loses its marker (e.g. Redis restarted from an old snapshot with the holds):
    r: Any = first._redis
    await r.delete(first._ready_key)
    with pytest.raises(LedgerUnavailable):
        await first.hold(A, 1, 60)
    with pytest.raises(LedgerUnavailable):
        await first.credit(A, 1, "credit:9")
    seconds = [redis_factory() for _ in range(4)]
    src = FakeSource([(A, 1_000), (A, 500)], {A: 200})
    await asyncio.gather(*(s.start(src) for s in seconds))
    assert sum(s.reconciled for s in seconds) == 1
    b = await first.balance(A)
    assert (b.available, b.held) == (1_000, 300)
    await first.settle(h, 300)
    assert (await first.balance(A)).total == 1_000


def test_redis_refuses_balances_beyond_exact_range() -> None:
    run("redis", _redis_refuses_balances_beyond_exact_range)


async def _redis_refuses_balances_beyond_exact_range(
    redis_factory: Callable[[], RedisLedger],
) -> None:
    led = redis_factory()
    await led.start(FakeSource([(A, 2**53 - 10)]))
    with pytest.raises(LedgerUnavailable, match="beyond"):
        await led.credit(A, 100, "credit:2")
    assert (await led.balance(A)).available == 2**53 - 10


def test_redis_unreachable_is_one_sentence_and_settles_later() -> None:
    async def unreachable() -> None:
        led = RedisLedger("redis://127.0.0.1:1/0")  # nothing listens on port 1
        with pytest.raises(LedgerUnavailable, match="unreachable"):
            await led.start(FakeSource([(A, 10)]))
        with pytest.raises(LedgerUnavailable, match="unreachable"):
            await led.hold(A, 1, 60)
        with pytest.raises(LedgerUnavailable, match="unreachable"):
            await led.balance(A)
        await led.close()

    asyncio.run(unreachable())
    run("redis", _deferred_settle)


async def _deferred_settle(redis_factory: Factory) -> None:
    import redis.exceptions

    led = redis_factory()
    await led.start(FakeSource([(A, 1_000)]))
    hid = await led.hold(A, 700, 60)
    real = led._settle

    async def down(**kw: Any) -> Any:
        raise redis.exceptions.ConnectionError("down")

    led._settle = down
    assert (await led.settle(hid, 500)).found is False  # the request still completes
    led._settle = real
    assert (await led.balance(A)).held == 700
    await led.sweep()  # Redis is back: the deferred settle runs once
    await led.sweep()
    b = await led.balance(A)
    assert (b.available, b.held) == (500, 0)
