"""A worker killed after journaling a charged record but before settling its hold.

The record is durable and names its hold; the worker that adopts the dead worker's journal
stores the record and settles the hold, so the client is charged exactly once and the shared
ledger equals the database — also when the hold's lease ran out before the adoption.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from fomo.gateway.app import Gateway
from fomo.gateway.config import GatewayConfig
from fomo.gateway.journal import Journal
from fomo.gateway.journal_dirs import claim
from fomo.gateway.ledger_redis import RedisLedger
from tests.services import redis_url

from .conftest import make_db
from .test_ledger import _cleanup

ACCOUNT = "0x" + "c4" * 20


def _record(request_id: str, hold_id: str, paid: int) -> dict[str, Any]:
    now_us = time.time_ns() // 1000
    return {
        "request_id": request_id,
        "ts_us": now_us,
        "day": now_us // 86_400_000_000,
        "account": ACCOUNT,
        "key_id": 1,
        "endpoint": "chat",
        "model_id": "qwen3-30b-a3b-instruct",
        "base_model": "qwen3-30b-a3b-instruct",
        "deployment": None,
        "input_tokens": 10,
        "cached_input_tokens": 0,
        "output_tokens": 5,
        "reasoning_tokens": 0,
        "gross_nano_usd": paid,
        "discount_bps": 0,
        "paid_nano_usd": paid,
        "compute_cost_nano_usd": 0,
        "latency_us": 1,
        "overhead_us": 1,
        "status": 200,
        "charged": True,
        "estimated": False,
        "stream": False,
        "cut": False,
        "hold_id": hold_id,
    }


@pytest.mark.parametrize("lease_runs_out", [False, True])
def test_adopter_settles_the_holds_a_dead_worker_journaled(
    tmp_path: Path, lease_runs_out: bool
) -> None:
    rurl = redis_url()
    db = make_db("sqlite", tmp_path)
    prefix = f"fomo:test:crash:{uuid.uuid4().hex[:8]}"
    cfg = GatewayConfig(
        database_url=db, redis_url=rurl, ledger_prefix=prefix, journal_dir=tmp_path / "j"
    )

    async def run() -> None:
        gw = Gateway(cfg)
        gw.store.grant(ACCOUNT, 1_000)
        await gw.ledger.start(gw.store)
        await gw.poll_once()
        ledger = gw.ledger
        assert isinstance(ledger, RedisLedger)
        # The "dead" worker: it held, journaled the charged record, and died before settling.
        dead = claim(cfg.journal_dir)
        lease = 0.05 if lease_runs_out else 60
        hold_id = await ledger.hold(ACCOUNT, 600, lease)
        j = Journal(dead.directory, fsync=False)
        j.write(_record("req-crash-1", hold_id, 450))
        j.close()
        os.close(dead._fd)  # SIGKILL: the kernel drops its lock
        if lease_runs_out:
            await asyncio.sleep(0.15)
            assert (await ledger.balance(ACCOUNT)).available == 1_000  # hold came back
        gw._loop = asyncio.get_running_loop()
        assert await asyncio.to_thread(gw.adopt_journals) == 1
        assert await asyncio.to_thread(gw.adopt_journals) == 0  # once
        b = await ledger.balance(ACCOUNT)
        assert (b.available, b.held) == (550, 0)
        assert gw.store.balance(ACCOUNT) == 550  # the database agrees to the nano-USD
        assert gw.store.usage_count() == 1
        await ledger.close()
        gw.engine.dispose()

    try:
        asyncio.run(run())
    finally:
        asyncio.run(_cleanup(rurl, prefix))
