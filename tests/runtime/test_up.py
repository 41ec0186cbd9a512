"""`fomo up` end to end in a subprocess: deploy, ready, /health, state and deployment across a
restart, busy port, clean exit on SIGINT and SIGTERM."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from fomo.chain.anvil import Anvil, port_in_use, rpc_call
from tests.support import free_port

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
            start_new_session=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.err: list[str] = []
        assert self.proc.stdout is not None and self.proc.stderr is not None
        self._pumps = [
            threading.Thread(target=self._pump, args=(self.proc.stdout, self.lines.put)),
            threading.Thread(target=self._pump, args=(self.proc.stderr, self.err.append)),
        ]
        for t in self._pumps:
            t.daemon = True
            t.start()

    @staticmethod
    def _pump(stream: Any, sink: Any) -> None:
        for line in stream:
            sink(line)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def ready(self, timeout: float = 180.0) -> dict[str, Any]:
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                self.kill()
                raise AssertionError("fomo up never became ready:\n" + "".join(self.err)) from None
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
            self.kill()
            raise
        for t in self._pumps:
            t.join(5)
        return self.proc.returncode, "".join(self.err)


@pytest.fixture(scope="module")
def compiled_artifacts(artifacts_cache: Path) -> Path:
    """The suite compiled once (in the cache shared with tests/chain and tests/indexer, keyed by
    source hash); copied into each data dir so `fomo up` does not recompile."""
    from fomo.chain.artifacts import load_artifacts

    load_artifacts(artifacts_cache)
    return artifacts_cache


@pytest.fixture
def up_dir(tmp_path: Path, anvil_binary: Path, compiled_artifacts: Path) -> Iterator[Path]:
    data = tmp_path / "data"
    (data / "artifacts").mkdir(parents=True)
    for path in compiled_artifacts.glob("artifacts-*.json"):
        shutil.copy2(path, data / "artifacts" / path.name)
    yield data
    # Whatever happened, leave no anvil behind.
    Anvil.reap_stale(data / "anvil.pid")


def _balance(rpc_url: str, token: str, owner: str) -> int:
    data = "0x70a08231" + owner[2:].lower().rjust(64, "0")  # balanceOf(address)
    return int(rpc_call(rpc_url, "eth_call", [{"to": token, "data": data}, "latest"]), 16)


def test_up_serves_restarts_with_state_and_refuses_busy_port(up_dir: Path) -> None:
    http_port, anvil_port = free_port(), free_port()
    first = Up(up_dir, http_port, anvil_port)
    try:
        ready = first.ready()
        assert ready["http_url"] == f"http://127.0.0.1:{http_port}"
        assert ready["chain_id"] == 31337 and len(ready["accounts"]) == 5
        health = httpx.get(f"{ready['http_url']}/health", timeout=10)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        contracts = ready["contracts"]
        assert {"FLOCK", "USDC", "Launchpad", "Factory", "Router", "Staking"} <= set(contracts)
        for address in contracts.values():
            assert rpc_call(ready["rpc_url"], "eth_getCode", [address, "latest"]) != "0x"
        dev1 = ready["accounts"][1]["address"]
        flock_before = _balance(ready["rpc_url"], contracts["FLOCK"], dev1)
        assert flock_before > 0  # dev accounts are funded
        assert "/health" in httpx.get(f"{ready['http_url']}/openapi.json", timeout=10).text
        sender = ready["accounts"][0]["address"]
        rpc_call(
            ready["rpc_url"],
            "eth_sendTransaction",
            [{"from": sender, "to": RECIPIENT, "value": hex(777)}],
        )
        # `fomo chain advance --days 7` (issue 12 item 9: a restart used to undo it).
        rpc_call(ready["rpc_url"], "evm_increaseTime", [7 * 86_400])
        rpc_call(ready["rpc_url"], "evm_mine")
        advanced = int(
            rpc_call(ready["rpc_url"], "eth_getBlockByNumber", ["latest", False])["timestamp"], 16
        )

        # A second instance on the same HTTP port says so and exits non-zero, touching nothing.
        second = Up(up_dir.parent / "other", http_port, free_port())
        code, err = second.finish(None)
        assert not (up_dir.parent / "other" / "anvil.pid").exists()
        assert code != 0
        assert f"HTTP port {http_port} on 127.0.0.1 is already in use" in err
        assert httpx.get(f"{ready['http_url']}/health", timeout=10).status_code == 200
        # The mounted gateway starts its upstream pool on its first request ...
        models = httpx.get(f"{ready['http_url']}/v1/models", timeout=10)
        assert models.status_code == 401 and models.json()["error"]["type"]
    finally:
        code, err = first.finish(signal.SIGINT)
    assert code == 0, err
    assert "anvil stopped (exit code 0)" in err
    # ... and is shut down with the server: no pool or session is left unclosed.
    assert "Unclosed" not in err, err
    assert not port_in_use("127.0.0.1", anvil_port)
    assert not port_in_use("127.0.0.1", http_port)
    assert (up_dir / "anvil-state.json").exists()

    # Restart on the same data dir: the chain is where we left it; SIGTERM also stops cleanly.
    again = Up(up_dir, http_port, anvil_port)
    try:
        ready = again.ready()
        balance = rpc_call(ready["rpc_url"], "eth_getBalance", [RECIPIENT, "latest"])
        assert int(balance, 16) == 777
        assert ready["contracts"] == contracts  # the deployment is reused, not redeployed
        assert _balance(ready["rpc_url"], contracts["FLOCK"], dev1) == flock_before
        rpc_call(ready["rpc_url"], "evm_mine")
        latest = rpc_call(ready["rpc_url"], "eth_getBlockByNumber", ["latest", False])
        assert int(latest["timestamp"], 16) >= advanced  # the devnet clock did not go back
    finally:
        code, err = again.finish(signal.SIGTERM)
    assert code == 0, err
    assert not port_in_use("127.0.0.1", anvil_port)
