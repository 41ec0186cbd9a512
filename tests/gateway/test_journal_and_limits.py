"""Journal replay is idempotent and tolerant of a torn tail; per-key limits refuse with 429."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from fomo.gateway.credits import CreditBook, InsufficientCredit
from fomo.gateway.journal import Journal, replay
from fomo.gateway.ratelimit import LocalLimiter, RedisLimiter
from fomo.gateway.store import KeyInfo

from .conftest import GatewayHandle


def test_journal_replay_and_torn_tail(tmp_path: Path) -> None:
    async def write() -> None:
        j = Journal(tmp_path, fsync=True)
        for i in range(5):
            await j.append({"request_id": f"r{i}", "v": i})
        j.close()

    asyncio.run(write())
    (seg,) = tmp_path.glob("usage-*.jsonl")
    with open(seg, "ab") as f:
        f.write(b'{"request_id": "torn"')  # a write cut short by a crash
    stored: list[dict[str, Any]] = []
    assert replay(tmp_path, stored.extend) == 5
    assert [r["request_id"] for r in stored] == [f"r{i}" for i in range(5)]
    assert list(tmp_path.glob("usage-*.jsonl")) == []


def test_journal_segments_deleted_once_flushed(tmp_path: Path) -> None:
    j = Journal(tmp_path, fsync=False)
    for i in range(3):
        j.write({"request_id": f"a{i}"})
    batch = j.take_batch(10)
    assert len(batch) == 3 and j.backlog == 3
    j.mark_flushed(batch)
    assert j.backlog == 0
    lines = [json.loads(x) for p in tmp_path.glob("*.jsonl") for x in p.read_text().splitlines()]
    assert len(lines) in (0, 3)  # the current segment stays until it is rotated
    j.close()


def test_credit_book_holds() -> None:
    b = CreditBook()
    b.credit("a", 100)
    b.hold("a", 60)
    with pytest.raises(InsufficientCredit):
        b.hold("a", 41)
    assert b.settle("a", 60, 75) == 60  # never more than the hold
    assert b.available["a"] == 40 and b.held["a"] == 0 and b.balance("a") == 40


def _key(rpm: int | None, tpm: int | None, kid: int = 1) -> KeyInfo:
    from datetime import UTC, datetime

    return KeyInfo(kid, "0x" + "00" * 20, "sk-x", "", datetime.now(UTC), False, rpm, tpm)


def test_local_limiter() -> None:
    async def run() -> None:
        lim = LocalLimiter()
        k = _key(2, 100)
        assert await lim.check(k) is None
        assert await lim.check(k) is None
        assert "requests per minute" in (await lim.check(k) or "")
        k2 = _key(None, 100, kid=2)
        assert await lim.check(k2) is None
        await lim.add_tokens(k2, 100)
        assert "tokens per minute" in (await lim.check(k2) or "")

    asyncio.run(run())


def test_redis_limiter_shared_across_instances() -> None:
    import redis

    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")

    async def run() -> None:
        import os

        kid = int.from_bytes(os.urandom(3), "big") + 10_000_000
        a, b = RedisLimiter("redis://127.0.0.1:6379/0"), RedisLimiter("redis://127.0.0.1:6379/0")
        k = _key(3, 50, kid=kid)
        assert await a.check(k) is None
        assert await b.check(k) is None
        assert await a.check(k) is None
        assert await b.check(k) is not None  # the two "workers" share the window
        k2 = _key(None, 50, kid=kid + 1)
        await a.add_tokens(k2, 60)
        assert "tokens per minute" in (await b.check(k2) or "")
        await a.close()
        await b.close()

    asyncio.run(run())


def test_rpm_limit_through_the_gateway(gateway: GatewayHandle) -> None:
    import time

    _, key = gateway.new_account(rpm_limit=2)
    gateway.sync()
    h = {"authorization": f"Bearer {key}"}
    body = {"model": "deepseek-v3.2", "prompt": "limit", "max_tokens": 2}
    for _ in range(2):  # a second try only if the one-minute window rolled over mid-way
        minute = int(time.time() // 60)
        codes = [
            httpx.post(gateway.url + "/v1/completions", json=body, headers=h).status_code
            for _ in range(3)
        ]
        if int(time.time() // 60) == minute:
            break
    assert codes == [200, 200, 429]
