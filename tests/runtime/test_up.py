"""`fomo up` end to end in a subprocess: ready, /health, state across a restart, busy port,
clean exit on SIGINT and SIGTERM."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from fomo.chain.anvil import port_in_use, rpc_call
from tests.runtime.conftest import free_port

pytestmark = pytest.mark.anvil

RECIPIENT = "0x" + "34" * 20


def _fomo() -> list[str]:
    script = Path(sys.executable).parent / "fomo"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from fomo.cli.main import app; app()"]


class Up:
    """A `fomo up --json` subprocess whose stdout lines are read on a thread."""

    def __init__(self, data_dir: Path, http_port: int, anvil_port: int) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("FOMO_")}
        env["FOMO_ANVIL_STATE_INTERVAL"] = "0"
        self.proc = subprocess.Popen(
            [
                *_fomo(),
                "up",
                "--json",
                "--data-dir",
                str(data_dir),
                "--http-port",
                str(http_port),
                "--anvil-port",
                str(anvil_port),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        assert self.proc.stdout is not None
        threading.Thread(target=self._pump, args=(self.proc.stdout,), daemon=True).start()

    def _pump(self, stream: Any) -> None:
        for line in stream:
            self.lines.put(line)

    def ready(self, timeout: float = 60.0) -> dict[str, Any]:
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                self.proc.kill()
                raise AssertionError("fomo up never became ready") from None
            if line.startswith("{"):
                event: dict[str, Any] = json.loads(line)
                if event.get("event") == "ready":
                    return event

    def finish(self, sig: int | None, timeout: float = 30.0) -> tuple[int, str]:
        if sig is not None:
            self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise
        assert self.proc.stderr is not None
        return self.proc.returncode, self.proc.stderr.read()


@pytest.fixture
def up_dir(tmp_path: Path, anvil_binary: Path) -> Iterator[Path]:
    yield tmp_path / "data"


def test_up_serves_restarts_with_state_and_refuses_busy_port(up_dir: Path) -> None:
    http_port, anvil_port = free_port(), free_port()
    first = Up(up_dir, http_port, anvil_port)
    try:
        ready = first.ready()
        assert ready["http_url"] == f"http://127.0.0.1:{http_port}"
        assert ready["chain_id"] == 31337 and len(ready["accounts"]) == 5
        health = httpx.get(f"{ready['http_url']}/health", timeout=10)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        assert "/health" in httpx.get(f"{ready['http_url']}/openapi.json", timeout=10).text
        sender = ready["accounts"][0]["address"]
        rpc_call(
            ready["rpc_url"],
            "eth_sendTransaction",
            [{"from": sender, "to": RECIPIENT, "value": hex(777)}],
        )

        # A second instance on the same HTTP port says so and exits non-zero, touching nothing.
        second = Up(up_dir.parent / "other", http_port, free_port())
        code, err = second.finish(None)
        assert code != 0
        assert f"HTTP port {http_port} on 127.0.0.1 is already in use" in err
        assert httpx.get(f"{ready['http_url']}/health", timeout=10).status_code == 200
    finally:
        code, err = first.finish(signal.SIGINT)
    assert code == 0, err
    assert "anvil stopped (exit code 0)" in err
    assert not port_in_use("127.0.0.1", anvil_port)
    assert not port_in_use("127.0.0.1", http_port)
    assert (up_dir / "anvil-state.json").exists()

    # Restart on the same data dir: the chain is where we left it; SIGTERM also stops cleanly.
    again = Up(up_dir, http_port, anvil_port)
    try:
        ready = again.ready()
        balance = rpc_call(ready["rpc_url"], "eth_getBalance", [RECIPIENT, "latest"])
        assert int(balance, 16) == 777
    finally:
        code, err = again.finish(signal.SIGTERM)
    assert code == 0, err
    assert not port_in_use("127.0.0.1", anvil_port)
