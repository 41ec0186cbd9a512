"""The usage stream: records the settle script appended with their charges, drained into the
database by any gateway worker (Redis ledger only).

The settle script (:mod:`fomo.gateway.ledger_scripts`) ``XADD``s each usage record to
``<prefix>:usage`` in the same atomic step as its charge, so a record is in shared storage the
moment the client is charged — a worker, or its whole host, lost right after loses nothing.
Here the records move on to the ledger of record: one worker at a time (whoever takes the drain
lock) reads the oldest entries, inserts them (insert-or-ignore on ``request_id``) and only then
deletes them from the stream. A drainer that dies mid-drain leaves its entries in the stream and
its lock expires after ``lock_ms``: the next drainer stores them again, and the insert ignores
what was already stored. A consumer group was not needed: one drainer at a time keeps up (a
batch of 1,000 rows per insert), and the same lock lets a rebuild of the ledger drain the stream
and read the database with no drainer changing either meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

from fomo.gateway.ledger_scripts import STORED, UNLOCK
from fomo.gateway.usage_record import UsageRecord

DRAIN_BATCH = 1000
DRAIN_LOCK_MS = 10_000
"""How long a drainer's lock lasts without renewal (each stored batch renews it): a dead
drainer's entries wait at most this long for the next one."""
START_ID = "0-0"
"""Below every stream id: "nothing drained"."""

StoreBatch = Callable[[Sequence[UsageRecord]], None]


def record_json(record: UsageRecord) -> str:
    """What the settle script appends (the journal line's object, compact)."""
    return json.dumps(record.to_json(), separators=(",", ":"))


class UsageStream:
    def __init__(self, redis: Any, prefix: str, *, lock_ms: int = DRAIN_LOCK_MS) -> None:
        self.redis = redis
        self.key = f"{prefix}:usage"
        self.lock_key = f"{prefix}:usage-drain-lock"
        self.lock_ms = lock_ms
        self._stored = redis.register_script(STORED)
        self._unlock = redis.register_script(UNLOCK)

    async def _take_lock(self, wait: bool, lock_ms: int) -> str | None:
        token = uuid.uuid4().hex
        while not await self.redis.set(self.lock_key, token, nx=True, px=lock_ms):
            if not wait:
                return None
            await asyncio.sleep(0.05)
        return token

    @contextlib.asynccontextmanager
    async def locked(self, wait: bool, lock_ms: int | None = None) -> AsyncIterator[str | None]:
        """The drain lock for ``lock_ms`` (None if another worker holds it and ``wait`` is
        False)."""
        token = await self._take_lock(wait, lock_ms or self.lock_ms)
        try:
            yield token
        finally:
            if token is not None:
                await self._unlock(keys=[self.lock_key], args=[token])

    async def drain(self, store: StoreBatch, *, wait: bool = False) -> int:
        """Store what the stream holds (if no other worker is at it); returns how many."""
        async with self.locked(wait) as token:
            if token is None:
                return 0
            n, _ = await self.drain_locked(store, token)
            return n

    async def drain_locked(
        self, store: StoreBatch, token: str, lock_ms: int | None = None
    ) -> tuple[int, str]:
        """Store every entry, holding the lock ``token`` (renewed for ``lock_ms`` per batch).
        Returns the count and the id of the last entry stored (``START_ID`` if none):
        everything up to it is in the database."""
        lock_ms = lock_ms or self.lock_ms
        last = START_ID
        n = 0
        while True:
            entries = await self.redis.xrange(self.key, "-", "+", count=DRAIN_BATCH)
            if not entries:
                return n, last
            records = [UsageRecord.from_json(json.loads(f[b"r"])) for _, f in entries]
            await asyncio.to_thread(store, records)
            ids = [i for i, _ in entries]
            args = [token, lock_ms, *ids]
            if await self._stored(keys=[self.key, self.lock_key], args=args) < 0:
                raise LostDrainLock(self.lock_key)
            n += len(entries)
            last = ids[-1].decode()
            if len(entries) < DRAIN_BATCH:
                return n, last

    async def length(self) -> int:
        return int(await self.redis.xlen(self.key))


class LostDrainLock(Exception):
    """The drain lock expired under a drainer (paused past its TTL); another holds it now."""
