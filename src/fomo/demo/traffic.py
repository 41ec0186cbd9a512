"""API traffic for the demo: the real gateway (in-process ASGI) in front of the dev upstream
(uvicorn on a loopback port), with the gateway's clock following the chain's simulated time.

The gateway stamps each usage record with its clock (``Gateway(clock_ns=...)``, the wall clock
by default); the demo compresses days by moving anvil's clock, so it gives the gateway a
:class:`SimulatedClock` set to the chain's time while it sends a day's traffic. Everything else is
the real code path: keys, holds, discounts (from the indexed stakes), pricing, journal and
database.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
import time
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import uvicorn

from fomo.chain.anvil import free_port
from fomo.devtools.dev_config import DevUpstreamConfig
from fomo.devtools.dev_upstream import DevUpstream
from fomo.gateway.app import Gateway
from fomo.gateway.config import DeploymentSpec, GatewayConfig
from fomo.gateway.store import GatewayStore

T = TypeVar("T")

WORDS = tuple(
    [
        "model",
        "token",
        "launch",
        "curve",
        "stake",
        "reward",
        "epoch",
        "burn",
        "supply",
        "revenue",
        "agent",
        "usage",
        "price",
        "deployment",
        "gateway",
        "inference",
        "credit",
        "claim",
        "root",
        "vintage",
        "pool",
        "liquidity",
        "buyback",
    ]
)


class SimulatedClock:
    """The gateway's clock (``Gateway(clock_ns=...)``): the wall clock moved by an offset that
    the demo sets to follow the devnet's simulated time."""

    def __init__(self) -> None:
        self.offset_ns = 0

    def __call__(self) -> int:
        return time.time_ns() + self.offset_ns

    @contextmanager
    def at(self, chain_time: int) -> Iterator[None]:
        """While inside, the clock reads ``chain_time`` (+ real seconds elapsed)."""
        self.offset_ns = chain_time * 10**9 - time.time_ns()
        try:
            yield
        finally:
            self.offset_ns = 0


class _Server:
    """uvicorn in a daemon thread on a loopback port."""

    def __init__(self, app: Any) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cfg = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="error")
        self.server = uvicorn.Server(cfg)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the dev upstream did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)


@dataclass
class DayTraffic:
    """What one simulated day of traffic did, as the gateway answered it."""

    requests: int = 0
    ok: int = 0
    by_status: dict[int, int] = field(default_factory=dict)
    by_model: dict[str, int] = field(default_factory=dict)


class Traffic:
    """The gateway + dev upstream pair used by the demo."""

    def __init__(
        self, data_dir: Path, db_url: str, deployments: list[DeploymentSpec], chain_id: int
    ) -> None:
        self.upstream = _Server(DevUpstream(DevUpstreamConfig()))
        self.upstream.start()
        self.loop = asyncio.new_event_loop()
        cfg = GatewayConfig(
            database_url=db_url,
            journal_dir=data_dir / "gateway-journal",
            journal_fsync=False,
            default_upstream=self.upstream.url + "/v1",
            deployments=deployments,
            load_launches=False,
            discount_cache_ttl_s=0,
            poll_interval_s=3600,
            flush_interval_ms=60_000,
            deposit_confirmations=1,
            siwe_chain_id=chain_id,
        )
        self.clock = SimulatedClock()
        self.gateway = Gateway(cfg, clock_ns=self.clock)
        self.store = GatewayStore(self.gateway.engine)
        self.keys: dict[str, str] = {}
        self._run(self.gateway.startup())
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.gateway),
            base_url="http://gateway.demo",
            timeout=60,
        )

    def _run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coro)

    def key_for(self, account: str) -> str:
        if account not in self.keys:
            _, self.keys[account] = self.store.create_key(account, "fomo demo")
        return self.keys[account]

    def sync(self) -> None:
        """Credit indexed deposits and pick up ledger changes now."""
        self._run(self.gateway.poll_once())

    def flush(self) -> int:
        return self._run(self.gateway.flush())

    def balance(self, account: str) -> int:
        return self.store.balance(account)

    def day(self, plan: list[tuple[str, str, int]], prompt_words: int, seed: int) -> DayTraffic:
        """Send ``plan`` = [(account, model id, requests)] through the gateway."""
        return self._run(self._day(plan, prompt_words, seed))

    async def _day(
        self, plan: list[tuple[str, str, int]], prompt_words: int, seed: int
    ) -> DayTraffic:
        out = DayTraffic()
        for account, model, n in plan:
            key = self.key_for(account)
            for i in range(n):
                prompt = _prompt(f"{seed}:{account}:{model}:{i}", prompt_words)
                resp = await self.http.post(
                    "/v1/chat/completions",
                    headers={"Authorization": f"Bearer {key}"},
                    json={
                        "model": model,
                        "messages": [{"role": "user", "content": prompt}],
                        "max_tokens": 64,
                    },
                )
                out.requests += 1
                out.by_status[resp.status_code] = out.by_status.get(resp.status_code, 0) + 1
                if resp.status_code == 200:
                    out.ok += 1
                    out.by_model[model] = out.by_model.get(model, 0) + 1
        await self.gateway.flush()
        return out

    def close(self) -> None:
        try:
            self._run(self.http.aclose())
            self._run(self.gateway.shutdown())
        finally:
            self.loop.close()
            self.gateway.engine.dispose()
            self.upstream.stop()


def _prompt(seed: str, words: int) -> str:
    """A deterministic prompt of ``words`` words, different for every seed (so the dev
    upstream's prefix cache only discounts what a real prefix cache would)."""
    out: list[str] = []
    counter = 0
    while len(out) < words:
        digest = hashlib.sha256(f"{seed}/{counter}".encode()).digest()
        counter += 1
        out.extend(WORDS[b % len(WORDS)] for b in digest)
    return " ".join(out[:words])
