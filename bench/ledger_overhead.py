"""What the shared Redis credit ledger costs per request, against the in-process one (not a test).

One request costs the gateway one ``hold`` and one ``settle``. This times that pair for the
in-process ledger (``MemoryLedger``) and the Redis ledger (``RedisLedger``, the same Lua scripts
the gateway runs) on the same machine, in alternating rounds (memory, redis, memory, redis, …)
so that the machine's drift cancels, and prints medians over the rounds:

* sequential: one pair at a time — the latency a request sees (p50, p99 in µs);
* concurrent: 64 tasks at once on 8 connections — pairs per second.

    uv run python bench/ledger_overhead.py --redis redis://127.0.0.1:6379/7 [--rounds 5]

Redis is on loopback here; over a network add one round trip per operation.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from typing import Any

from fomo.gateway.ledger_memory import MemoryLedger
from fomo.gateway.ledger_redis import RedisLedger

ACCOUNT = "0x" + "be" * 20


class _Source:
    def credits_since(self, after_id: int) -> list[tuple[int, str, int]]:
        return [(1, ACCOUNT, 10**15)] if after_id < 1 else []

    def spent_totals(self, account: str | None = None) -> dict[str, int]:
        return {}


async def _sequential(led: Any, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        h = await led.hold(ACCOUNT, 5_000, 60)
        await led.settle(h, 4_000)
        out.append((time.perf_counter() - t) * 1e6)
    return out


async def _concurrent(led: Any, n: int, tasks: int = 64) -> float:
    async def worker() -> None:
        for _ in range(n // tasks):
            h = await led.hold(ACCOUNT, 5_000, 60)
            await led.settle(h, 4_000)

    t = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(tasks)))
    return (n // tasks * tasks) / (time.perf_counter() - t)


def _pct(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(int(q * len(s)), len(s) - 1)]


async def main(url: str, rounds: int, n: int) -> None:
    prefix = f"fomo:bench:{uuid.uuid4().hex[:8]}"
    results: dict[str, dict[str, list[float]]] = {
        k: {"p50": [], "p99": [], "rps": []} for k in ("memory", "redis")
    }
    for _ in range(rounds):
        for kind in ("memory", "redis"):
            led: Any = (
                MemoryLedger()
                if kind == "memory"
                else RedisLedger(url, prefix=prefix, max_connections=8)
            )
            await led.start(_Source())
            lat = await _sequential(led, n)
            results[kind]["p50"].append(_pct(lat, 0.5))
            results[kind]["p99"].append(_pct(lat, 0.99))
            results[kind]["rps"].append(await _concurrent(led, n))
            await led.close()
    cleanup: Any = RedisLedger(url, prefix=prefix)
    async for k in cleanup._redis.scan_iter(match=f"{prefix}:*"):
        await cleanup._redis.delete(k)
    await cleanup.close()
    med = {k: {m: statistics.median(v) for m, v in r.items()} for k, r in results.items()}
    print(f"hold+settle, medians of {rounds} alternating rounds of {n} pairs")
    print(f"{'ledger':8} {'p50 µs':>9} {'p99 µs':>9} {'pairs/s (64 tasks)':>20}")
    for k, r in med.items():
        print(f"{k:8} {r['p50']:9.1f} {r['p99']:9.1f} {r['rps']:20.0f}")
    added = med["redis"]["p50"] - med["memory"]["p50"]
    print(f"redis adds {added:.1f} µs p50 per request (goal: ≤ 500 µs)")


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--pairs", type=int, default=2000)
    a = p.parse_args()
    asyncio.run(main(a.redis, a.rounds, a.pairs))
