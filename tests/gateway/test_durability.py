"""No usage record is lost or counted twice when the gateway is SIGKILLed right after responding.

The gateway runs as a real subprocess; it is killed with SIGKILL (no shutdown hook runs) right
after the last response arrives, then restarted on the same database and journal.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from fomo.db.session import make_engine
from fomo.gateway.store import GatewayStore

from .conftest import USD, ServerThread, free_port, make_db, set_upstream


class GatewayProcess:
    def __init__(self, config: Path) -> None:
        self.config = config
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
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
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                err = self.proc.stderr.read().decode() if self.proc.stderr else ""
                raise RuntimeError(f"gateway did not start: {err}")
            time.sleep(0.05)

    def kill(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)


def _requests(url: str, key: str, n: int) -> dict[str, int]:
    """n requests (every third streamed); request id → output tokens the client received."""
    out: dict[str, int] = {}
    h = {"authorization": f"Bearer {key}"}
    with httpx.Client(base_url=url, headers=h, timeout=30) as c:
        for i in range(n):
            body = {
                "model": "qwen3-30b-a3b-instruct",
                "messages": [{"role": "user", "content": f"durable request {i}"}],
                "max_tokens": 5 + i % 4,
            }
            if i % 3 == 2:
                body["stream"] = True
                body["stream_options"] = {"include_usage": True}
                with c.stream("POST", "/v1/chat/completions", json=body) as r:
                    assert r.status_code == 200
                    text = r.read().decode()
                assert text.endswith("data: [DONE]\n\n")
                out[r.headers["x-request-id"]] = 5 + i % 4
            else:
                r = c.post("/v1/chat/completions", json=body)
                assert r.status_code == 200
                out[r.headers["x-request-id"]] = r.json()["usage"]["completion_tokens"]
    return out


def _stored(store: GatewayStore) -> dict[str, int]:
    from sqlalchemy import select

    from fomo.db.models_gateway import UsageRecord

    with store.factory() as s:
        return {
            r.request_id: r.output_tokens
            for r in s.scalars(select(UsageRecord).where(UsageRecord.charged.is_(True)))
        }


@pytest.mark.slow
def test_sigkill_after_responses_loses_and_doubles_nothing(
    tmp_path: Path, upstream: ServerThread
) -> None:
    set_upstream(upstream)
    url = make_db("sqlite", tmp_path)
    engine = make_engine(url)
    store = GatewayStore(engine)
    account = "0x" + "d0" * 20
    store.grant(account, 5 * USD)
    _, key = store.create_key(account)

    def config(flush_ms: int, fsync: bool = False) -> Path:
        p = tmp_path / f"gateway-{flush_ms}.toml"
        p.write_text(
            f'database_url = "{url}"\njournal_dir = "{tmp_path / "journal"}"\n'
            f'default_upstream = "{upstream.url}/v1"\nflush_interval_ms = {flush_ms}\n'
            f"poll_interval_s = 0.2\njournal_fsync = {'true' if fsync else 'false'}\n"
        )
        return p

    # 1. Nothing reaches the database before the kill (flush every 60 s): journal only
    #    (strict fsync mode here; the default write-then-background-fsync mode below).
    gw = GatewayProcess(config(60_000, fsync=True))
    gw.start()
    sent = _requests(gw.url, key, 12)
    gw.kill()
    assert _stored(store) == {}
    assert any((tmp_path / "journal").glob("*/usage-*.jsonl"))  # the dead worker's own dir

    # 2. Restart: the journal is replayed; every answered request is stored exactly once.
    gw = GatewayProcess(config(5))
    gw.start()
    assert _stored(store) == sent
    # 3. More requests with fast flushing, then kill: records are in the DB *and* the journal.
    more = _requests(gw.url, key, 9)
    time.sleep(0.3)
    gw.kill()
    sent.update(more)
    # 4. Restart again: replaying records already stored must not count them twice.
    gw.start()
    assert _stored(store) == sent
    from sqlalchemy import select

    from fomo.db.models_gateway import UsageRecord

    with store.factory() as s:
        paid = sum(s.scalars(select(UsageRecord.paid_nano_usd)))
    assert store.balance(account) == 5 * USD - paid
    bal = httpx.get(gw.url + "/v1/account/balance", headers={"authorization": f"Bearer {key}"})
    assert bal.json()["balance_nano_usd"] == str(5 * USD - paid)
    gw.kill()
    engine.dispose()
