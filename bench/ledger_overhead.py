"""What the shared Redis credit ledger costs per request, against the in-process one (not a test).

One request's money path (``fomo.gateway.charging``): a ``hold`` (counting in the key's and the
account's spend counters, as the gateway's does), then the usage record made durable and the hold
settled. Timed on the same machine, in alternating rounds so that the machine's drift cancels:

* ``memory``: in-process ledger; the record journaled (local file, background fsync), then settled;
* ``redis+journal``: the Redis ledger as before the usage stream — journal, then a settle;
* ``redis``: the Redis ledger now — one settle script that also appends the record to the usage
  stream (no local journal).

Medians over the rounds:

* sequential: one pair at a time — the latency a request sees (p50, p99 in µs);
* concurrent: 64 tasks at once on 8 connections — pairs per second.

    uv run python bench/ledger_overhead.py --redis redis://127.0.0.1:6379/7 [--rounds 6]

Redis is on loopback here; over a network add one round trip per operation.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fomo.gateway.journal import Journal
from fomo.gateway.ledger_memory import MemoryLedger
from fomo.gateway.ledger_redis import RedisLedger
from fomo.gateway.limits import hold_counters
from fomo.gateway.usage_record import US_PER_DAY, UsageRecord
from fomo.gateway.usage_stream import record_json
from gatewaykit import percentile

ACCOUNT = "0x" + "be" * 20
KINDS = ("memory", "redis+journal", "redis")


class _Source:
    def credits_since(self, after_id: int) -> list[tuple[int, str, int]]:
        return [(1, ACCOUNT, 10**15)] if after_id < 1 else []

    def spent_totals(self, account: str | None = None) -> dict[str, int]:
        return {}

    def spend_counters(self, now: datetime) -> dict[str, dict[str, int]]:
        return {}

    def insert_usage(self, records: Sequence[UsageRecord]) -> None:
        return None  # the bench's stream is dropped with its prefix


def _record(n: int) -> UsageRecord:
    ts = time.time_ns() // 1000
    return UsageRecord(
        request_id=f"{uuid.uuid4().hex[:20]}{n:012x}",
        ts_us=ts,
        day=ts // US_PER_DAY,
        account=ACCOUNT,
        key_id=7,
        endpoint="chat",
        model_id="qwen3-30b-a3b-instruct",
        base_model="qwen3-30b-a3b-instruct",
        deployment=None,
        input_tokens=23,
        cached_input_tokens=0,
        output_tokens=16,
        reasoning_tokens=0,
        gross_nano_usd=4_000,
        discount_bps=0,
        paid_nano_usd=4_000,
        compute_cost_nano_usd=1_000,
        latency_us=2_000,
        overhead_us=300,
        status=200,
        charged=True,
        estimated=False,
        stream=False,
        cut=False,
        hold_id="x",
    )


class _Path:
    """One request's money path, as ``fomo.gateway.charging`` runs it for ``kind``."""

    def __init__(self, kind: str, led: Any, journal: Journal) -> None:
        self.kind, self.led, self.journal = kind, led, journal
        self.n = 0

    async def request(self) -> None:
        counters = hold_counters(7, None, ACCOUNT, None, datetime.now(UTC))
        h = await self.led.hold(ACCOUNT, 5_000, 60, counters)
        self.n += 1
        rec = _record(self.n)
        if self.kind == "redis":
            await self.led.settle(h, rec.paid_nano_usd, record_json(rec))
        else:
            await self.journal.append(rec.to_json())
            await self.led.settle(h, rec.paid_nano_usd)


async def _sequential(path: _Path, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        await path.request()
        out.append((time.perf_counter() - t) * 1e6)
    return out


async def _concurrent(path: _Path, n: int, tasks: int = 64) -> float:
    async def worker() -> None:
        for _ in range(n // tasks):
            await path.request()

    t = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(tasks)))
    return (n // tasks * tasks) / (time.perf_counter() - t)


async def main(url: str, rounds: int, n: int) -> None:
    prefix = f"fomo:bench:{uuid.uuid4().hex[:8]}"
    results: dict[str, dict[str, list[float]]] = {
        k: {"p50": [], "p99": [], "rps": []} for k in KINDS
    }
    tmp = Path(tempfile.mkdtemp(prefix="fomo-ledger-overhead-"))
    for r in range(rounds):
        for kind in KINDS if r % 2 == 0 else KINDS[::-1]:
            led: Any = (
                MemoryLedger()
                if kind == "memory"
                else RedisLedger(url, prefix=prefix, max_connections=8)
            )
            await led.start(_Source())
            journal = Journal(tmp / f"{kind}-{r}", fsync=False)  # the gateway's default
            path = _Path(kind, led, journal)
            lat = await _sequential(path, n)
            results[kind]["p50"].append(percentile(lat, 0.5))
            results[kind]["p99"].append(percentile(lat, 0.99))
            results[kind]["rps"].append(await _concurrent(path, n))
            journal.close()
            await led.close()
    cleanup: Any = RedisLedger(url, prefix=prefix)
    async for k in cleanup._redis.scan_iter(match=f"{prefix}:*"):
        await cleanup._redis.delete(k)
    await cleanup.close()
    med = {k: {m: statistics.median(v) for m, v in r.items()} for k, r in results.items()}
    print(f"one request's money path, medians of {rounds} alternating rounds of {n} requests")
    print(f"{'ledger':14} {'p50 µs':>9} {'p99 µs':>9} {'requests/s (64 tasks)':>22}")
    for k, m in med.items():
        print(f"{k:14} {m['p50']:9.1f} {m['p99']:9.1f} {m['rps']:22.0f}")
    for k in ("redis+journal", "redis"):
        added = med[k]["p50"] - med["memory"]["p50"]
        print(f"{k} adds {added:.1f} µs p50 per request over memory (goal: ≤ 500 µs)")


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--pairs", type=int, default=2000)
    a = p.parse_args()
    asyncio.run(main(a.redis, a.rounds, a.pairs))
