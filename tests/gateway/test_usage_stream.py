"""The usage stream of the shared ledger (real Redis, real PostgreSQL).

The settle script appends a request's usage record to ``<prefix>:usage`` in the same atomic step
as its charge; any worker drains the stream into PostgreSQL (insert-or-ignore on ``request_id``)
under a drain lock and deletes what it stored. Tested here:

* atomicity: sampled in one MULTI/EXEC all along a concurrent load, what Redis charged the account
  always equals the sum of the records in the stream — never a charge without its record;
* draining is idempotent: a record stored twice (a drainer that died after its insert, before
  its delete) is still one row, and the stream ends empty;
* a drainer dead mid-drain holds the lock only until it expires; the next one stores the rest;
* a rebuild of the ledger racing settles and a stale drainer counts every charged record once:
  afterwards Redis equals credits − stored usage (and the spend counter too), to the nano-USD.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from fomo.db.session import make_engine
from fomo.gateway.ledger_redis import RedisLedger
from fomo.gateway.limits import hold_counters
from fomo.gateway.store import GatewayStore
from fomo.gateway.usage_record import US_PER_DAY, UsageRecord
from fomo.gateway.usage_stream import record_json
from tests.services import redis_url

from .conftest import drop_db, make_db
from .test_ledger import _cleanup

ACCOUNT = "0x" + "5e" * 20
CREDIT = 10**12
HOLD = 7_000
STALL_S = 120.0


def _record(key_id: int, paid: int) -> UsageRecord:
    ts = time.time_ns() // 1000
    return UsageRecord(
        request_id=uuid.uuid4().hex,
        ts_us=ts,
        day=ts // US_PER_DAY,
        account=ACCOUNT,
        key_id=key_id,
        endpoint="chat",
        model_id="m",
        base_model="m",
        deployment=None,
        input_tokens=1,
        cached_input_tokens=0,
        output_tokens=1,
        reasoning_tokens=0,
        gross_nano_usd=paid,
        discount_bps=0,
        paid_nano_usd=paid,
        compute_cost_nano_usd=0,
        latency_us=1,
        overhead_us=1,
        status=200,
        charged=True,
        estimated=False,
        stream=False,
        cut=False,
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[GatewayStore]:
    db = make_db("postgres", tmp_path)
    engine = make_engine(db)
    try:
        yield GatewayStore(engine)
    finally:
        engine.dispose()
        drop_db(db)


class Env:
    def __init__(self, store: GatewayStore) -> None:
        self.store = store
        self.url = redis_url()
        self.prefix = f"fomo:test:ustream:{uuid.uuid4().hex[:8]}"
        self.made: list[RedisLedger] = []
        store.grant(ACCOUNT, CREDIT)
        self.key_id = store.create_key(ACCOUNT, "stream")[0].id
        self.settled: dict[str, int] = {}

    def ledger(self, **kw: Any) -> RedisLedger:
        led = RedisLedger(self.url, prefix=self.prefix, **kw)
        self.made.append(led)
        return led

    async def request(self, led: RedisLedger, i: int) -> None:
        """One request's money path: hold, then settle with its record."""
        await self.settle(led, await self.hold(led), i)

    async def hold(self, led: RedisLedger) -> str:
        counters = hold_counters(self.key_id, None, ACCOUNT, None, datetime.now(UTC))
        return await led.hold(ACCOUNT, HOLD, 60, counters)

    async def settle(self, led: RedisLedger, hold_id: str, i: int) -> None:
        rec = _record(self.key_id, 1_000 + i % 5_000)
        s = await led.settle(hold_id, rec.paid_nano_usd, record_json(rec))
        assert s.found and s.recorded
        self.settled[rec.request_id] = rec.paid_nano_usd

    def stored(self) -> dict[str, int]:
        from sqlalchemy import select

        from fomo.db.models_gateway import UsageRecord as Row

        with self.store.factory() as s:
            rows = s.execute(select(Row.request_id, Row.paid_nano_usd)).all()
        return {str(r): int(p) for r, p in rows}

    async def charged(self, led: RedisLedger) -> int:
        b = await led.balance(ACCOUNT)
        return CREDIT - b.available - b.held


def run(store: GatewayStore, body: Any) -> None:
    env = Env(store)

    async def main() -> None:
        try:
            await asyncio.wait_for(body(env), STALL_S)
        finally:
            for led in env.made:
                await led.close()
            await _cleanup(env.url, env.prefix)

    asyncio.run(main())


def test_a_charge_never_exists_without_its_record(store: GatewayStore) -> None:
    async def body(env: Env) -> None:
        led = env.ledger()
        await led.start(env.store)
        base = f"{env.prefix}:{{{ACCOUNT}}}"
        samples: list[tuple[int, int]] = []
        stop = asyncio.Event()

        async def sample() -> None:
            import redis.asyncio as aioredis

            r: Any = aioredis.from_url(env.url)  # its own connection, outside the ledger's pool
            while not stop.is_set():
                async with r.pipeline(transaction=True) as p:  # one consistent snapshot
                    p.get(f"{base}:avail")
                    p.hvals(f"{base}:holds")
                    p.xrange(led.stream.key)
                    avail, holds, entries = await p.execute()
                charged = CREDIT - int(avail) - sum(int(v) for v in holds)
                samples.append((charged, sum(int(f[b"p"]) for _, f in entries)))
                await asyncio.sleep(0)
            await r.aclose()

        async def worker(w: int) -> None:  # 8 workers' requests, one after another each
            for i in range(40):
                await env.request(led, w * 40 + i)

        sampler = asyncio.create_task(sample())
        await asyncio.gather(*(worker(w) for w in range(8)))
        stop.set()
        await sampler
        assert len(samples) > 20
        bad = [s for s in samples if s[0] != s[1]]
        assert not bad, f"charged ≠ recorded in {len(bad)} of {len(samples)} snapshots: {bad[:3]}"
        # and the stream holds each settled record, exactly as it was charged
        entries = await led._redis.xrange(led.stream.key)
        got = {json.loads(f[b"r"])["request_id"] for _, f in entries}
        assert got == set(env.settled)

    run(store, body)


def test_drain_is_idempotent_and_empties_the_stream(store: GatewayStore) -> None:
    async def body(env: Env) -> None:
        led = env.ledger()
        await led.start(env.store)
        await asyncio.gather(*(env.request(led, i) for i in range(250)))
        # a drainer that stored everything and died before deleting: stored a first time
        entries = await led._redis.xrange(led.stream.key)
        env.store.insert_usage([UsageRecord.from_json(json.loads(f[b"r"])) for _, f in entries])
        n = await led.drain_usage(env.store)  # the next drainer stores them again
        assert n == 250
        assert await led.stream.length() == 0
        assert await led.drain_usage(env.store) == 0
        assert env.stored() == env.settled  # each once, with its charge
        assert await env.charged(led) == sum(env.settled.values())

    run(store, body)


def test_a_drainer_dead_mid_drain_is_taken_over(store: GatewayStore) -> None:
    async def body(env: Env) -> None:
        led = env.ledger(drain_lock_ms=400)
        other = env.ledger(drain_lock_ms=400)
        await led.start(env.store)
        await asyncio.gather(*(env.request(led, i) for i in range(40)))
        # the dead drainer: took the lock, read and stored half, never deleted nor unlocked
        token = await led.stream._take_lock(False, 400)
        assert token is not None
        entries = await led._redis.xrange(led.stream.key, count=20)
        env.store.insert_usage([UsageRecord.from_json(json.loads(f[b"r"])) for _, f in entries])
        assert await other.drain_usage(env.store) == 0  # its lock still stands
        await asyncio.sleep(0.5)  # … until it expires
        assert await other.drain_usage(env.store) == 40
        assert await other.stream.length() == 0
        assert env.stored() == env.settled
        # the dead drainer's late delete is refused (the lock is not its own any more)
        late = await led.stream._stored(
            keys=[led.stream.key, led.stream.lock_key], args=[token, 400, entries[0][0]]
        )
        assert late == -1

    run(store, body)


def test_rebuild_racing_settles_and_a_stale_drainer_counts_each_record_once(
    store: GatewayStore,
) -> None:
    async def body(env: Env) -> None:
        led = env.ledger(drain_lock_ms=300)
        await led.start(env.store)
        await asyncio.gather(*(env.request(led, i) for i in range(200)))
        await led.drain_usage(env.store)  # some stored …
        await asyncio.gather(*(env.request(led, i) for i in range(200, 320)))  # … some not
        # a stale drainer stored part of the stream and never deleted it (its lock expired)
        entries = await led._redis.xrange(led.stream.key, count=50)
        env.store.insert_usage([UsageRecord.from_json(json.loads(f[b"r"])) for _, f in entries])
        # the ledger is rebuilt (ready marker gone) while requests in flight keep settling
        holds = [await env.hold(led) for _ in range(300)]
        await led._redis.delete(f"{env.prefix}:ready")
        rebuilder = env.ledger()

        async def settle_all() -> None:
            for i, h in enumerate(holds):
                await env.settle(led, h, 320 + i)
                await asyncio.sleep(0)

        load = asyncio.create_task(settle_all())
        await asyncio.sleep(0.005)
        await rebuilder.ensure_ready(env.store)
        during = len(env.settled)
        await load
        assert 320 < during < 620, during  # the rebuild really ran amid the settles
        assert rebuilder.reconciled
        await rebuilder.drain_usage(env.store)
        assert await rebuilder.stream.length() == 0
        stored = env.stored()
        assert stored == env.settled
        total = sum(stored.values())
        assert await env.charged(rebuilder) == total  # nothing refunded, nothing twice
        assert env.store.balance(ACCOUNT) == CREDIT - total
        # the all-time spend counter of the account was rebuilt with the same records
        assert await rebuilder.spent(ACCOUNT, ["a:all"]) == [total]

    run(store, body)
