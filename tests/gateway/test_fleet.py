"""Issue 13's fleet test: several gateway processes on two "hosts", one PostgreSQL, one Redis.

Host A runs ``python -m fomo.gateway.serve --workers 2`` (uvicorn's supervisor and two worker
processes), host B one more worker with a data dir (journal) of its own. One account's credit
covers exactly N requests: the model's input price is 0 and every answer is exactly
``max_tokens`` long (the development upstream's natural answers are longer), so a request's hold
equals its charge and exactly N of 500 concurrent requests can succeed, in any interleaving.

1. 500 concurrent requests over both hosts: exactly N succeed, the rest get 402, the balance in
   Redis is never negative (sampled all along), and afterwards Redis, the credit ledger and the
   charged usage records agree to the nano-USD.
2. Again with a fresh credit, and one of host A's workers SIGKILLed mid-load (uvicorn restarts
   it): every answered request is stored exactly once, nothing is charged beyond the credit,
   the holds the dead worker left are back within their lease, and Redis equals the database.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from fomo.db.models import ModelType
from fomo.db.models_gateway import UsageRecord
from fomo.db.session import make_engine, session_scope
from fomo.gateway.store import GatewayStore
from tests.services import postgres_url, redis_url

from .conftest import drop_db, make_db
from .dev_upstreams import DevUpstreamProcess
from .test_ledger import _cleanup

pytestmark = pytest.mark.slow

MODEL = "deepseek-v3.2"
OUT_PRICE = 1_000_003  # nano-USD per output token (odd, so sums are easy to get wrong)
MAX_TOKENS = 4  # below every natural answer length of the dev upstream (8–16): exact output
COST = MAX_TOKENS * OUT_PRICE
TOTAL = 500
LEASE_S = 3.0


class Host:
    """One ``fomo.gateway.serve`` process tree (a "host" with its own data dir)."""

    def __init__(self, tmp: Path, name: str, settings: str, workers: int) -> None:
        self.dir = tmp / name
        self.dir.mkdir()
        self.config = self.dir / "gateway.toml"
        self.config.write_text(settings + f'journal_dir = "{self.dir / "gateway-journal"}"\n')
        from tests.support import free_port

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.log = self.dir / "stderr.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "fomo.gateway.serve",
                "--config",
                str(self.config),
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
            ],
            stdout=subprocess.DEVNULL,
            stderr=open(self.log, "ab"),  # noqa: SIM115 - a file: a full pipe stalls workers
        )

    def wait_ready(self) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + 120  # a busy 2-core machine starts processes slowly
        while len(self.worker_pids()) < self.workers or not self._healthy():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                err = self.log.read_text(errors="replace")
                raise RuntimeError(
                    f"gateway did not start ({len(self.worker_pids())} of {self.workers} "
                    f"workers, healthy: {self._healthy()}): {err[-3000:]}"
                )
            time.sleep(0.05)

    def _healthy(self) -> bool:
        try:
            return httpx.get(self.url + "/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def worker_pids(self) -> list[int]:
        """The uvicorn worker processes (children running ``spawn_main``), or the process."""
        assert self.proc is not None
        if self.workers == 1:
            return [self.proc.pid]
        try:
            kids = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        except FileNotFoundError:
            return []
        out = []
        for pid in kids.split():
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
            except FileNotFoundError:
                continue
            if b"spawn_main" in cmd:
                out.append(int(pid))
        return out

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # graceful: workers flush their journals
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevUpstreamProcess]:
    """The development upstream in a process of its own: in this (test) process it would share
    the GIL with the 500-request client and the Redis watchers, and on a loaded machine its
    starved event loop turned requests into upstream errors (502) that are not the ledger's."""
    proc = DevUpstreamProcess(tmp_path_factory.mktemp("fleet-upstream"), "fleet").start()
    try:
        yield proc
    finally:
        proc.stop()


@pytest.fixture
def fleet(tmp_path: Path, upstream: DevUpstreamProcess) -> Iterator[dict[str, Any]]:
    pg, rurl = postgres_url(), redis_url()
    assert pg
    db = make_db("postgres", tmp_path)
    engine = make_engine(db)
    with session_scope(GatewayStore(engine).factory) as s:
        s.add(
            ModelType(
                model_type_id="0x" + "13" * 32,
                base_model=MODEL,
                input_price_nano_usd=0,
                cached_input_price_nano_usd=0,
                output_price_nano_usd=OUT_PRICE,
                min_raise=0,
                max_raise=0,
                lp_bps=5000,
                reserved_bps=2500,
                protocol_bps=2500,
            )
        )
    prefix = f"fomo:test:fleet:{uuid.uuid4().hex[:8]}"
    settings = (
        f'database_url = "{db}"\nredis_url = "{rurl}"\nledger_prefix = "{prefix}"\n'
        f'default_upstream = "{upstream.url}/v1"\nflush_interval_ms = 50\n'
        f"poll_interval_s = 0.2\nhold_lease_s = {LEASE_S}\nload_launches = false\n"
    )
    hosts = [Host(tmp_path, "host-a", settings, 2), Host(tmp_path, "host-b", settings, 1)]
    try:
        for h in hosts:
            h.start()
        for h in hosts:
            h.wait_ready()
        yield {"hosts": hosts, "store": GatewayStore(engine), "redis": rurl, "prefix": prefix}
    finally:
        for h in hosts:
            h.stop()
        engine.dispose()
        drop_db(db)
        asyncio.run(_cleanup(rurl, prefix))


class Watch:
    """Samples the account's available balance in Redis as fast as it can, all along."""

    def __init__(self, url: str, prefix: str, account: str) -> None:
        import redis

        self.r: Any = redis.Redis.from_url(url)
        base = f"{prefix}:{{{account}}}"
        self.avail, self.holds = f"{base}:avail", f"{base}:holds"
        self.lowest: int | None = None
        self.samples = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            v = self.r.get(self.avail)
            if v is not None:
                x = int(v)
                self.lowest = x if self.lowest is None else min(self.lowest, x)
                self.samples += 1
            time.sleep(0.0005)

    def __enter__(self) -> Watch:
        self._t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._t.join(5)

    def state(self) -> tuple[int, int]:
        """(available, held) in Redis."""
        held = sum(int(v) for v in self.r.hvals(self.holds))
        return int(self.r.get(self.avail) or 0), held


async def _fire(
    urls: list[str], key: str, n: int, tag: str, kill: int | None = None
) -> tuple[list[tuple[int, str | None]], int | None]:
    """n concurrent requests spread over the hosts: (status, or -1 if the connection broke;
    request id) each. With ``kill``, that pid is SIGKILLed once 20 requests have succeeded (the
    others still in flight); returns how many requests had finished at that moment."""
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=n)
    headers = {"authorization": f"Bearer {key}"}
    ok = 0
    finished = 0
    killed_at: list[int] = []
    async with httpx.AsyncClient(limits=limits, timeout=60, headers=headers) as c:

        async def one(i: int) -> tuple[int, str | None]:
            nonlocal ok, finished
            body = {
                "model": MODEL,
                "messages": [{"role": "user", "content": f"fleet {tag} {i}"}],
                "max_tokens": MAX_TOKENS,
            }
            try:
                r = await c.post(urls[i % len(urls)] + "/v1/chat/completions", json=body)
            except httpx.TransportError:
                finished += 1
                return -1, None
            finished += 1
            if r.status_code == 200:
                assert r.json()["usage"]["completion_tokens"] == MAX_TOKENS
                ok += 1
                if kill is not None and ok == 20:
                    os.kill(kill, signal.SIGKILL)
                    killed_at.append(finished)
            return r.status_code, r.headers.get("x-request-id")

        results = await asyncio.gather(*(one(i) for i in range(n)))
    return results, (killed_at[0] if killed_at else None)


def _charged(store: GatewayStore, account: str) -> tuple[int, int, set[str]]:
    with store.factory() as s:
        n, paid = s.execute(
            select(
                func.count(UsageRecord.id), func.coalesce(func.sum(UsageRecord.paid_nano_usd), 0)
            ).where(UsageRecord.account == account, UsageRecord.charged.is_(True))
        ).one()
        ids = set(
            s.scalars(
                select(UsageRecord.request_id).where(
                    UsageRecord.account == account, UsageRecord.charged.is_(True)
                )
            )
        )
    return int(n), int(paid), ids


def _wait_for(pred: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_fleet_exact_ledger_and_sigkill(
    fleet: dict[str, Any], upstream: DevUpstreamProcess
) -> None:
    hosts: list[Host] = fleet["hosts"]
    store: GatewayStore = fleet["store"]
    urls = [h.url for h in hosts]
    account = "0x" + "13" * 20
    _, key = store.create_key(account, "fleet")
    n_first = 137
    store.grant(account, n_first * COST, "fleet: exactly 137 requests")
    upstream.configure(latency_ms=60)  # every request is in flight at once
    try:
        watch = Watch(fleet["redis"], fleet["prefix"], account)
        # every worker sees the credit (each polls the ledger every 0.2 s)
        _wait_for(lambda: watch.state()[0] == n_first * COST, 10, "the credit")
        with watch:
            # --- 1. no failure: exactly N succeed ------------------------------------------
            results, _ = asyncio.run(_fire(urls, key, TOTAL, "one"))
            statuses = [s for s, _ in results]
            assert statuses.count(200) == n_first, sorted(set(statuses))
            assert statuses.count(402) == TOTAL - n_first
            ok_ids = {rid for s, rid in results if s == 200}
            _wait_for(lambda: _charged(store, account)[0] >= n_first, 15, "the usage records")
            n, paid, ids = _charged(store, account)
            assert (n, paid) == (n_first, n_first * COST)
            assert ids == ok_ids
            assert watch.state() == (0, 0)
            assert store.balance(account) == 0

            # --- 2. a worker SIGKILLed mid-load, restarted by its supervisor ----------------
            n_second = 151
            store.grant(account, n_second * COST, "fleet: second round")
            _wait_for(lambda: watch.state()[0] == n_second * COST, 10, "the second credit")
            upstream.configure(latency_ms=150)
            victim = hosts[0].worker_pids()[0]
            results, killed_at = asyncio.run(_fire(urls, key, TOTAL, "two", kill=victim))
            assert killed_at is not None and killed_at < TOTAL  # mid-load
            # the supervisor restarts the worker; the restart (or a sibling's poll) adopts
            # the dead worker's journal and settles the holds its records name
            _wait_for(lambda: victim not in hosts[0].worker_pids(), 10, "the kill")
            _wait_for(lambda: len(hosts[0].worker_pids()) == 2, 120, "the restarted worker")
            ok_ids = {rid for s, rid in results if s == 200}
            # holds of requests the dead worker never journaled come back within the lease
            time.sleep(LEASE_S + 1.5)
            _wait_for(lambda: watch.state()[1] == 0, 10, "stranded holds to expire")
    finally:
        upstream.configure()
    for h in hosts:
        h.stop()  # graceful: every journal is flushed
    n, paid, ids = _charged(store, account)
    second = n - n_first
    assert ok_ids <= ids  # every answered request is stored (and request_id is unique)
    assert second <= n_second  # never charged beyond the credit
    assert paid == n * COST
    assert watch.lowest is not None and watch.lowest >= 0 and watch.samples > 100
    avail, held = watch.state()
    assert held == 0
    # the ledger of record equals the shared ledger, to the nano-USD
    assert store.balance(account) == (n_first + n_second) * COST - paid == avail
