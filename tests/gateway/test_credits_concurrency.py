"""200 concurrent requests against a balance that covers only some: never overdrawn."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from .conftest import GatewayHandle, ServerThread, set_upstream, usage_rows

BOTH_DATABASES = True

N = 200


@pytest.fixture(autouse=True)
def _slow_upstream(upstream: ServerThread) -> Iterator[None]:
    set_upstream(upstream, latency_ms=150)  # every request is in flight at the same time
    yield
    set_upstream(upstream)


def test_concurrent_requests_never_overdraw(gateway: GatewayHandle) -> None:
    account, key = gateway.new_account(credits_usd=0)
    body = {
        "model": "qwen3-235b-a22b-instruct",
        "messages": [{"role": "user", "content": "concurrent"}],
        "max_tokens": 50,
    }
    # The hold for one request: (body bytes + slack) × input price + 50 × output price.
    probe = httpx.Request("POST", "http://x", json=body)
    tier_in, tier_out = 700, 2800
    hold = (len(probe.content) + 256) * tier_in + 50 * tier_out
    credits = hold * 37 + hold // 2  # room for 37 holds at once
    gateway.store.grant(account, credits, "concurrency")
    gateway.sync()

    book = gateway.gw.book
    lowest = [credits]
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            lowest[0] = min(lowest[0], book.available.get(account, 0))
            time.sleep(0.001)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()

    async def fire() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=N)
        async with httpx.AsyncClient(base_url=gateway.url, limits=limits, timeout=60) as c:
            return await asyncio.gather(
                *[
                    c.post(
                        "/v1/chat/completions",
                        json=body,
                        headers={"authorization": f"Bearer {key}"},
                    )
                    for _ in range(N)
                ]
            )

    responses = asyncio.run(fire())
    stop.set()
    watcher.join()
    statuses = [r.status_code for r in responses]
    ok = statuses.count(200)
    assert set(statuses) <= {200, 402}
    assert 37 <= ok < N, statuses  # all 37 holds fit at once; never all 200
    assert lowest[0] >= 0
    rows = [r for r in usage_rows(gateway, account) if r.charged]
    assert len(rows) == ok
    spent = sum(r.paid_nano_usd for r in rows)
    balance = gateway.store.balance(account)
    assert balance == credits - spent >= 0
    assert book.held.get(account, 0) == 0 and book.available[account] == balance
    for r in responses:
        if r.status_code == 402:
            assert r.json()["error"]["code"] == "insufficient_credits"
