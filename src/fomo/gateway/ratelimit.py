"""Optional per-key limits: requests and tokens per minute (fixed one-minute windows).

With ``redis_url`` configured the counters live in Redis, so every gateway worker shares them;
otherwise they are in-process. A request is refused (429) when the key already made
``rpm_limit`` requests or used ``tpm_limit`` tokens in the current minute; tokens are added
after the response, when they are known.
"""

from __future__ import annotations

import time
from typing import Any

from fomo.gateway.redis_pool import bounded_redis
from fomo.gateway.store import KeyInfo


class LocalLimiter:
    def __init__(self) -> None:
        self._windows: dict[int, list[int]] = {}

    def _window(self, key_id: int) -> list[int]:
        minute = int(time.time() // 60)
        w = self._windows.get(key_id)
        if w is None or w[0] != minute:
            w = [minute, 0, 0]
            self._windows[key_id] = w
        return w

    async def check(self, key: KeyInfo) -> str | None:
        w = self._window(key.id)
        if key.rpm_limit is not None and w[1] >= key.rpm_limit:
            return f"rate limit: {key.rpm_limit} requests per minute for this key"
        if key.tpm_limit is not None and w[2] >= key.tpm_limit:
            return f"rate limit: {key.tpm_limit} tokens per minute for this key"
        w[1] += 1
        return None

    async def add_tokens(self, key: KeyInfo, tokens: int) -> None:
        if key.tpm_limit is not None:
            self._window(key.id)[2] += tokens

    async def close(self) -> None:
        return None


class RedisLimiter:
    """Same windows in Redis: ``HINCRBY fomo:rl:<key>:<minute> req|tok`` with a 2-minute TTL."""

    def __init__(self, url: str) -> None:

        # Bounded: redis-py's default pool raises "Too many connections" once more requests are
        # in flight than it allows; ``bounded_redis`` makes the excess wait instead.
        self._redis: Any = bounded_redis(url, 64)
        self._pool = self._redis.connection_pool

    @staticmethod
    def _name(key_id: int) -> str:
        return f"fomo:rl:{key_id}:{int(time.time() // 60)}"

    async def check(self, key: KeyInfo) -> str | None:
        if key.rpm_limit is None and key.tpm_limit is None:
            return None  # nothing to count: no Redis round trip
        name = self._name(key.id)
        pipe = self._redis.pipeline()
        pipe.hincrby(name, "req", 1)
        pipe.hget(name, "tok")
        pipe.expire(name, 120)
        req, tok, _ = await pipe.execute()
        if key.rpm_limit is not None and int(req) > key.rpm_limit:
            await self._redis.hincrby(name, "req", -1)
            return f"rate limit: {key.rpm_limit} requests per minute for this key"
        if key.tpm_limit is not None and int(tok or 0) >= key.tpm_limit:
            await self._redis.hincrby(name, "req", -1)
            return f"rate limit: {key.tpm_limit} tokens per minute for this key"
        return None

    async def add_tokens(self, key: KeyInfo, tokens: int) -> None:
        if key.tpm_limit is not None and tokens:
            name = self._name(key.id)
            pipe = self._redis.pipeline()
            pipe.hincrby(name, "tok", tokens)
            pipe.expire(name, 120)
            await pipe.execute()

    async def close(self) -> None:
        await self._redis.aclose()
        await self._pool.disconnect()


Limiter = LocalLimiter | RedisLimiter
