"""Issue 13's fleet test with a spend limit instead of a balance: the same fleet (host A with two
uvicorn workers, host B with one and a data dir of its own; one PostgreSQL, one Redis), an account
whose balance is ample and whose key's spend LIMIT covers exactly N requests.

1. 500 concurrent requests over both hosts: exactly N succeed, the rest get 402
   ``spend_limit_exceeded``; the key's spend counter in Redis (charged + held) never passes the
   limit, sampled all along; afterwards the counter, the charged usage records and the ledger of
   record agree to the nano-USD.
2. The limit raised by N2 more (through the database, as ``fomo keys limit`` does: every worker
   picks it up at its poll), and one of host A's workers SIGKILLed mid-load: at most N2 more are
   charged, every answered request is stored once, the dead worker's holds come back to the limit
   within their lease, and the counter equals the database again.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import httpx
import pytest

from fomo.economics.spend_limits import SpendLimit, usd_amount
from fomo.gateway.store import GatewayStore

from .dev_upstreams import DevUpstreamProcess
from .test_fleet import (  # noqa: F401 - ``fleet`` and ``upstream`` are this test's fixtures
    COST,
    LEASE_S,
    MAX_TOKENS,
    MODEL,
    TOTAL,
    Host,
    Watch,
    _charged,
    _fire,
    _wait_for,
    fleet,
    upstream,
)

pytestmark = pytest.mark.slow


class CounterWatch:
    """Samples the key's all-time spend counter in Redis as fast as it can, all along."""

    def __init__(self, url: str, prefix: str, account: str, key_id: int) -> None:
        import redis

        self.r: Any = redis.Redis.from_url(url)
        self.key = f"{prefix}:{{{account}}}:sp:k{key_id}:all"
        self.highest = 0
        self.samples = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            v = self.r.get(self.key)
            if v is not None:
                self.highest = max(self.highest, int(v))
                self.samples += 1
            time.sleep(0.0005)

    def value(self) -> int:
        return int(self.r.get(self.key) or 0)

    def __enter__(self) -> CounterWatch:
        self._t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._t.join(5)


def test_fleet_spend_limit_exact_and_sigkill(
    fleet: dict[str, Any],  # noqa: F811 - the fixture imported from test_fleet
    upstream: DevUpstreamProcess,  # noqa: F811 - the fixture imported from test_fleet
) -> None:
    hosts: list[Host] = fleet["hosts"]
    store: GatewayStore = fleet["store"]
    urls = [h.url for h in hosts]
    account = "0x" + "14" * 20
    info, key = store.create_key(account, "fleet-limit")
    credit = 3 * TOTAL * COST  # ample: the limit is what binds
    store.grant(account, credit, "fleet limit: ample balance")
    n_first = 137
    limit = n_first * COST
    store.set_key_limit(info.id, None, SpendLimit(limit, None))
    upstream.configure(latency_ms=60)  # every request is in flight at once
    balance = Watch(fleet["redis"], fleet["prefix"], account)
    counter = CounterWatch(fleet["redis"], fleet["prefix"], account, info.id)
    try:
        _wait_for(lambda: balance.state()[0] == credit, 10, "the credit")
        time.sleep(1.0)  # every worker's poll (0.2 s) has read the key's limit
        with counter:
            # --- 1. exactly N within the limit ---------------------------------------------
            results, _ = asyncio.run(_fire(urls, key, TOTAL, "limit-one"))
            statuses = [s for s, _ in results]
            assert statuses.count(200) == n_first, sorted(set(statuses))
            assert statuses.count(402) == TOTAL - n_first
            ok_ids = {rid for s, rid in results if s == 200}
            _wait_for(lambda: _charged(store, account)[0] >= n_first, 15, "the usage records")
            n, paid, ids = _charged(store, account)
            assert (n, paid) == (n_first, limit) and ids == ok_ids
            assert counter.value() == limit
            assert balance.state() == (credit - limit, 0)
            assert store.balance(account) == credit - limit
            refused = httpx.post(
                urls[1] + "/v1/chat/completions",
                json={
                    "model": MODEL,
                    "messages": [{"role": "user", "content": "x"}],
                    "max_tokens": MAX_TOKENS,
                },
                headers={"authorization": f"Bearer {key}"},
            ).json()["error"]
            assert refused["code"] == "spend_limit_exceeded"
            assert refused["message"].startswith(
                f"API key {info.id}'s lifetime spend limit of {usd_amount(limit)} USD is reached"
            )
            me = httpx.get(urls[0] + "/v1/key", headers={"authorization": f"Bearer {key}"})
            assert me.json()["limit_remaining_nano_usd"] == "0"

            # --- 2. the limit raised; a worker SIGKILLed mid-load ---------------------------
            n_second = 151
            store.set_key_limit(info.id, None, SpendLimit(limit + n_second * COST, None))
            time.sleep(1.0)
            upstream.configure(latency_ms=150)
            victim = hosts[0].worker_pids()[0]
            results, killed_at = asyncio.run(_fire(urls, key, TOTAL, "limit-two", kill=victim))
            assert killed_at is not None and killed_at < TOTAL
            _wait_for(lambda: victim not in hosts[0].worker_pids(), 10, "the kill")
            _wait_for(lambda: len(hosts[0].worker_pids()) == 2, 120, "the restarted worker")
            ok_ids = {rid for s, rid in results if s == 200}
            time.sleep(LEASE_S + 1.5)  # holds the dead worker never journaled expire
            _wait_for(lambda: balance.state()[1] == 0, 10, "stranded holds to expire")
    finally:
        upstream.configure()
    for h in hosts:
        h.stop()  # graceful: every journal is flushed
    n, paid, ids = _charged(store, account)
    assert ok_ids <= ids
    assert n - n_first <= n_second  # never charged beyond the raised limit
    assert paid == n * COST
    assert counter.samples > 100 and counter.highest <= limit + n_second * COST
    # the hot counter and balance equal the ledger of record, to the nano-USD
    assert counter.value() == paid
    assert store.balance(account) == credit - paid == balance.state()[0]
