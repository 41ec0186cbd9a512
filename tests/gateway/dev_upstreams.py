"""Several development upstreams, each a real ``fomo dev-upstream`` process on its own port.

For the upstream-pool tests: a replica can be killed with SIGKILL (its sockets vanish as when a
GPU box dies) and started again on the same port, and its failure injection and request counts
are read over HTTP (``/_dev/config``, ``/_dev/stats``), as any test does with one upstream.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from tests.support import free_port

_CLI = "import sys; from fomo.cli.main import app; sys.exit(app())"

CLEAN = {
    "latency_ms": 0.0,
    "chunk_latency_ms": 0.0,
    "fail_status": 0,
    "fail_every": 1,
    "cut_after_chunks": 0,
    "no_usage": False,
}


class DevUpstreamProcess:
    """One ``fomo dev-upstream`` process; ``kill`` and ``start`` may alternate."""

    def __init__(self, log_dir: Path, name: str, port: int | None = None) -> None:
        self.name = name
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log_dir / f"{name}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, **settings: Any) -> DevUpstreamProcess:
        self.spawn()
        return self.ready(**settings)

    def spawn(self) -> None:
        """Start the process without waiting for it (several start faster side by side)."""
        argv = [sys.executable, "-c", _CLI, "dev-upstream", "--port", str(self.port)]
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(argv, stdout=log, stderr=log, env=dict(os.environ))

    def ready(self, **settings: Any) -> DevUpstreamProcess:
        """Wait until it answers, then apply ``settings`` (failure injection)."""
        assert self.proc is not None
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(self.url + "/_dev/stats", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"dev upstream {self.name} did not start: {self.log.read_text()}"
                    ) from None
                time.sleep(0.05)
        self.configure(**settings)
        return self

    def kill(self) -> None:
        """SIGKILL: no graceful close, in-flight connections are reset."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
            self.proc = None

    def configure(self, **changes: Any) -> None:
        httpx.post(self.url + "/_dev/config", json={**CLEAN, **changes}).raise_for_status()

    def completions(self) -> int:
        """Chat completions this process has received (health checks are not counted)."""
        stats = httpx.get(self.url + "/_dev/stats", timeout=5).json()
        return int(stats["by_path"].get("/v1/chat/completions", 0))

    def health_checks(self) -> int:
        stats = httpx.get(self.url + "/_dev/stats", timeout=5).json()
        return int(stats["by_path"].get("/v1/models", 0))
