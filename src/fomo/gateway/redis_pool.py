"""A Redis client that never has more commands in flight than its pool has connections.

redis-py's ``BlockingConnectionPool`` (asyncio) can stall for good under heavy contention: with
thousands of tasks waiting on its condition, every connection ended up checked out and idle and
no waiter woke (seen in ``tests/gateway/test_ledger.py``'s hammer; redis-py issue #3056 describes
the same class of deadlock). Instead, a semaphore sized to the pool admits a command only when a
connection is free, so the plain pool neither blocks nor raises "Too many connections".
"""

from __future__ import annotations

import asyncio
from typing import Any


def bounded_redis(url: str, max_connections: int) -> Any:
    """A ``redis.asyncio.Redis`` for ``url`` with at most ``max_connections`` commands (and
    connections) at once; excess commands wait their turn on a semaphore."""
    import redis.asyncio as aioredis

    class _Gated(aioredis.Redis):  # type: ignore[misc, type-arg]
        _gate: asyncio.Semaphore | None = None

        async def execute_command(self, *args: Any, **options: Any) -> Any:
            if self._gate is None:  # made on first use, inside the loop that uses it
                self._gate = asyncio.Semaphore(max_connections)
            async with self._gate:
                return await super().execute_command(*args, **options)  # type: ignore[no-untyped-call]

    pool = aioredis.ConnectionPool.from_url(url, max_connections=max_connections)
    return _Gated(connection_pool=pool)
