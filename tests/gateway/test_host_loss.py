"""A gateway host lost for good under load loses no usage record its clients were charged for.

The fleet of ``test_fleet`` (host A: two uvicorn workers; host B: one; one PostgreSQL, one
Redis). Under load from 24 connections to host A, every process of host A is SIGKILLed at once and
its data dir (journal included) deleted — the disk is gone, nothing can be adopted. The settle
script stored each record in Redis's usage stream in the same step as its charge, and host B
drains the stream into PostgreSQL, so afterwards:

* every request a client got a 200 for has its usage record in PostgreSQL;
* every charge the shared ledger took has its record: Redis (credits − available, no hold left
  once the dead host's leases ran out) equals the ledger of record (credits − stored usage).

Before the usage stream, the records of the last flush interval were lost with the journal while
Redis had charged them (docs/deploy.md, "What a lost host loses").
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from fomo.gateway.store import GatewayStore

from .conftest import ServerThread, set_upstream
from .test_fleet import (  # noqa: F401 - ``fleet`` is the fixture this test runs on
    COST,
    LEASE_S,
    MAX_TOKENS,
    MODEL,
    Host,
    Watch,
    _charged,
    _wait_for,
    fleet,
)

pytestmark = pytest.mark.slow


async def _load_until_lost(
    url: str, key: str, lose: Callable[[], None], conns: int = 24
) -> list[tuple[int, str | None]]:
    """``conns`` clients send requests back to back; once 60 have succeeded the host is lost
    (requests in flight on every connection); each client stops at its first broken request."""
    results: list[tuple[int, str | None]] = []
    headers = {"authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=conns, max_keepalive_connections=conns)
    async with httpx.AsyncClient(limits=limits, timeout=30, headers=headers) as c:

        async def client(i: int) -> None:
            for j in range(10_000):
                body = {
                    "model": MODEL,
                    "messages": [{"role": "user", "content": f"loss {i} {j}"}],
                    "max_tokens": MAX_TOKENS,
                }
                try:
                    r = await c.post(url + "/v1/chat/completions", json=body)
                except httpx.TransportError:
                    results.append((-1, None))
                    return
                results.append((r.status_code, r.headers.get("x-request-id")))
                if sum(s == 200 for s, _ in results) == 60:
                    lose()

        await asyncio.gather(*(client(i) for i in range(conns)))
    return results


def test_a_lost_host_loses_no_charged_record(
    fleet: dict[str, Any],  # noqa: F811 - the fixture imported from test_fleet
    upstream: ServerThread,
) -> None:
    hosts: list[Host] = fleet["hosts"]
    store: GatewayStore = fleet["store"]
    lost, survivor = hosts
    account = "0x" + "1c" * 20
    _, key = store.create_key(account, "host-loss")
    n_credit = 5_000  # more than the load can spend: no request is refused for credit
    store.grant(account, n_credit * COST, "host loss")
    watch = Watch(fleet["redis"], fleet["prefix"], account)
    _wait_for(lambda: watch.state()[0] == n_credit * COST, 10, "the credit")
    pids = [lost.worker_pids(), lost.proc.pid if lost.proc else 0]
    assert len(pids[0]) == 2

    def lose_host_a() -> None:
        for pid in [*lost.worker_pids(), pids[1]]:
            os.kill(pid, signal.SIGKILL)
        shutil.rmtree(lost.dir / "gateway-journal")  # the disk is gone with the host

    set_upstream(upstream, latency_ms=20)
    try:
        results = asyncio.run(_load_until_lost(lost.url, key, lose_host_a))
    finally:
        set_upstream(upstream)
    assert lost.proc is not None and lost.proc.wait(10) is not None
    for pid in pids[0]:
        _wait_for(lambda p=pid: not os.path.exists(f"/proc/{p}/cmdline"), 10, "the workers' death")
    acked = {rid for s, rid in results if s == 200}
    assert len(acked) >= 20
    statuses = sorted({s for s, _ in results})
    assert -1 in statuses and 402 not in statuses, statuses  # cut by the loss, credit to spare

    # host B drains the stream; the dead host's holds come back once their lease runs out
    time.sleep(LEASE_S + 1.5)
    _wait_for(lambda: watch.state()[1] == 0, 10, "the lost host's holds to expire")
    _wait_for(lambda: _charged(store, account)[2] >= acked, 15, "the acknowledged records")
    survivor.stop()  # graceful: its last drain
    n, paid, ids = _charged(store, account)
    assert acked <= ids, f"{len(acked - ids)} acknowledged records lost"
    assert paid == n * COST
    avail, held = watch.state()
    assert held == 0
    # every charge Redis took has its record in the ledger of record, to the nano-USD
    assert store.balance(account) == n_credit * COST - paid == avail
