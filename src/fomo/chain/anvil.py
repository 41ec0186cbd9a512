"""Run a local anvil devnet whose chain state persists in the data directory.

anvil comes from the npm package ``@foundry-rs/anvil`` (``scripts/bootstrap.sh`` installs it
into ``.tools/``) or from ``PATH``. It is started on loopback with ``--state <file>`` (load the
file if it exists, dump to it on exit) and ``--state-interval`` (periodic dumps, so a crash
loses at most that many seconds). Stopping sends SIGTERM (anvil dumps its state and exits),
then SIGKILL after a timeout. The process runs in its own session so a Ctrl-C aimed at
`fomo up` reaches it only through :meth:`Anvil.stop`, after the rest of the platform has shut
down.

anvil's dump holds blocks and accounts but not its clock: a restarted anvil dates new blocks by
the wall clock again, so after ``evm_increaseTime`` (``fomo chain advance``) time would run
backwards across a restart. :meth:`Anvil.stop` therefore records the clock offset beside the state
(``<state>.clock.json``) and :meth:`Anvil.start` restores it, never earlier than the latest loaded
block's timestamp (that floor alone also covers a crash, when no offset was recorded).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import httpx

from fomo.config import Settings


class AnvilError(RuntimeError):
    """anvil could not be found, started or reached."""


class AnvilNotFoundError(AnvilError):
    """No anvil binary: run ``scripts/bootstrap.sh`` or put anvil on PATH."""


class PortInUseError(AnvilError):
    """Something already listens on the port anvil should use."""


def _candidate_roots() -> Iterator[Path]:
    yield Path.cwd()
    # A checkout: src/fomo/chain/anvil.py -> repository root three levels up from the package.
    yield Path(__file__).resolve().parents[3]


def find_anvil(explicit: Path | None = None) -> Path:
    """Locate anvil: ``explicit``, then ``PATH``, then ``.tools/`` of the checkout/cwd.

    Inside ``.tools`` the native binary of the platform package is preferred over the npm
    ``bin.mjs`` wrapper, so signals reach anvil itself rather than a node process.
    """
    if explicit is not None:
        if explicit.is_file() and os.access(explicit, os.X_OK):
            return explicit
        raise AnvilNotFoundError(f"anvil_path {explicit} is not an executable file")
    on_path = shutil.which("anvil")
    if on_path:
        return _native_for(Path(on_path))
    for root in _candidate_roots():
        modules = root / ".tools" / "node_modules"
        for native in sorted(modules.glob("@foundry-rs/anvil-*/bin/anvil")):
            if os.access(native, os.X_OK):
                return native
        wrapper = modules / ".bin" / "anvil"
        if wrapper.exists() and os.access(wrapper, os.X_OK):
            return wrapper
    raise AnvilNotFoundError(
        "anvil not found: run scripts/bootstrap.sh (installs npm @foundry-rs/anvil into .tools/), "
        "put anvil on PATH, or set FOMO_ANVIL_PATH"
    )


def _native_for(found: Path) -> Path:
    """The platform binary behind the npm ``bin.mjs`` wrapper (what bootstrap puts on PATH).

    The wrapper is a node process that forwards signals; running the binary directly means one
    process to stop and a SIGTERM that reaches anvil exactly once (it dumps its state on it).
    """
    real = found.resolve()
    if real.name != "bin.mjs" or real.parent.parent.name != "@foundry-rs":
        return found
    for native in sorted(real.parent.parent.glob("anvil-*/bin/anvil")):
        if os.access(native, os.X_OK):
            return native
    return found


def free_port(host: str = "127.0.0.1") -> int:
    """A port on ``host`` nobody listens on right now (for anvil, uvicorn or a test server)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def port_in_use(host: str, port: int) -> bool:
    """True when ``host:port`` cannot be bound (someone listens there already)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # SO_REUSEADDR as servers (anvil, uvicorn) set it: connections of a stopped server
        # lingering in TIME_WAIT do not count, a live listener does.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def rpc_call(url: str, method: str, params: list[Any] | None = None, timeout: float = 5.0) -> Any:
    """One JSON-RPC call; raises :class:`AnvilError` on an RPC error."""
    body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []}
    response = httpx.post(url, json=body, timeout=timeout)
    response.raise_for_status()
    payload = response.json()
    if "error" in payload:
        raise AnvilError(f"{method}: {payload['error']}")
    return payload["result"]


def _alive(pid: int) -> bool:
    """The process exists and is not a zombie (exited, waiting to be reaped by its parent)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


@dataclass(kw_only=True, eq=False)
class Anvil:
    """One anvil process (start, wait for RPC, stop). Usable as a context manager."""

    host: str = "127.0.0.1"
    port: int = 8545
    chain_id: int = 31337
    state_file: Path | None = None
    state_interval: int = 10
    accounts: int = 10
    balance_eth: int = 10_000
    mnemonic: str | None = None
    block_time: float | None = None
    binary: Path | None = None
    log_file: Path | None = None
    pid_file: Path | None = None
    startup_timeout: float = 30.0
    _proc: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)
    _log: IO[bytes] | None = field(default=None, init=False, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> Anvil:
        return cls(
            host=settings.anvil_host,
            port=settings.anvil_port,
            chain_id=settings.chain_id,
            state_file=settings.anvil_state_file,
            state_interval=settings.anvil_state_interval,
            accounts=settings.anvil_accounts,
            balance_eth=settings.anvil_balance_eth,
            mnemonic=settings.anvil_mnemonic,
            block_time=settings.anvil_block_time,
            binary=settings.anvil_path,
            log_file=settings.data_dir / "anvil.log",
            pid_file=settings.data_dir / "anvil.pid",
            startup_timeout=settings.anvil_startup_timeout,
        )

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        return None if self._proc is None else self._proc.pid

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def command(self, binary: Path) -> list[str]:
        cmd = [
            str(binary),
            "--host",
            self.host,
            "--port",
            str(self.port),
            "--chain-id",
            str(self.chain_id),
            "--accounts",
            str(self.accounts),
            "--balance",
            str(self.balance_eth),
        ]
        if self.mnemonic:
            cmd += ["--mnemonic", self.mnemonic]
        if self.block_time is not None:
            cmd += ["--block-time", str(self.block_time)]
        if self.state_file is not None:
            cmd += ["--state", str(self.state_file)]
            if self.state_interval > 0:
                cmd += ["--state-interval", str(self.state_interval)]
            # No --preserve-historical-states: it stores a state snapshot per block (the file grew
            # ~200 KB per block with the suite deployed). Blocks, receipts and logs are kept
            # either way; only eth_call/getBalance at a block before the restart is refused.
        return cmd

    def _check_state_file(self) -> None:
        # A truncated dump would make anvil start from an empty chain silently; refuse instead and
        # keep a copy of every state that loaded fine.
        if self.state_file is None or not self.state_file.exists():
            return
        try:
            json.loads(self.state_file.read_bytes())
        except ValueError as exc:
            backup = self.state_file.with_suffix(".prev.json")
            hint = f"; the last good state is in {backup}" if backup.exists() else ""
            raise AnvilError(
                f"anvil state file {self.state_file} is corrupt ({exc}){hint}"
            ) from exc
        shutil.copyfile(self.state_file, self.state_file.with_suffix(".prev.json"))

    @property
    def clock_file(self) -> Path | None:
        """Where the chain clock's offset from the wall clock is kept between runs."""
        if self.state_file is None:
            return None
        return self.state_file.with_name(self.state_file.stem + ".clock.json")

    def _save_clock(self) -> None:
        """Record anvil's time offset (``evm_increaseTime 0`` reads it without changing it)."""
        path = self.clock_file
        if path is None:
            return
        try:
            offset = int(rpc_call(self.url, "evm_increaseTime", [0], timeout=2.0))
        except (httpx.HTTPError, AnvilError, ValueError, TypeError):
            return  # anvil no longer answers: the latest block's timestamp is the floor on start
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"offset_seconds": offset}))
        os.replace(tmp, path)

    def _saved_offset(self) -> int:
        path = self.clock_file
        if path is None or not path.exists():
            return 0
        try:
            return int(json.loads(path.read_text())["offset_seconds"])
        except (ValueError, KeyError, TypeError):
            return 0  # unreadable: the block-timestamp floor still keeps time monotonic

    def _restore_clock(self, restored: bool) -> None:
        """Never let chain time go backwards: the next block is dated at least the loaded chain's
        latest block, and at least the wall clock plus the offset recorded at the last stop."""
        if self.state_file is None or not restored:
            return
        latest = int(self.rpc("eth_getBlockByNumber", ["latest", False])["timestamp"], 16)
        now = int(time.time())
        target = max(latest, now + self._saved_offset())
        if target > now:
            # evm_setTime resets anvil's offset so that "now" reads ``target`` from here on.
            self.rpc("evm_setTime", [target])
        # One empty block dated "now": readers of the latest block's time (the gateway's chain
        # clock, the epoch scheduler, the CLI) see the restored clock at once, not the last
        # block mined before the stop.
        self.rpc("evm_mine")

    def start(self) -> Anvil:
        """Start anvil and wait until its RPC answers with the expected chain id."""
        if self.running:
            return self
        if port_in_use(self.host, self.port):
            raise PortInUseError(
                f"port {self.port} on {self.host} is already in use (another `fomo up` or anvil?): "
                "stop it or choose another port with FOMO_ANVIL_PORT"
            )
        binary = find_anvil(self.binary)
        restored = False
        if self.state_file is not None:
            self.state_file.parent.mkdir(parents=True, exist_ok=True)
            self._check_state_file()
            restored = self.state_file.exists()
        if self.log_file is not None:
            self.log_file.parent.mkdir(parents=True, exist_ok=True)
            self._log = self.log_file.open("ab")
        self._proc = subprocess.Popen(
            self.command(binary),
            stdin=subprocess.DEVNULL,
            stdout=self._log if self._log is not None else subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if self.pid_file is not None:
            self.pid_file.write_text(str(self._proc.pid))
        try:
            self._wait_ready()
            self._restore_clock(restored)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            assert self._proc is not None
            if self._proc.poll() is not None:
                raise AnvilError(
                    f"anvil exited with code {self._proc.returncode} during startup"
                    + self._log_tail()
                )
            try:
                chain_id = int(rpc_call(self.url, "eth_chainId", timeout=1.0), 16)
            except (httpx.HTTPError, AnvilError, ValueError) as exc:
                last = exc
                time.sleep(0.05)
                continue
            if chain_id != self.chain_id:
                raise AnvilError(
                    f"anvil answers with chain id {chain_id}, expected {self.chain_id}"
                    " (a state file from another chain?)"
                )
            return
        raise AnvilError(
            f"anvil did not answer on {self.url} within {self.startup_timeout}s ({last})"
            + self._log_tail()
        )

    def _log_tail(self, lines: int = 15) -> str:
        if self.log_file is None or not self.log_file.exists():
            return ""
        tail = self.log_file.read_text(errors="replace").splitlines()[-lines:]
        return "\n--- anvil log ---\n" + "\n".join(tail)

    def stop(self, timeout: float = 15.0) -> int | None:
        """SIGTERM (anvil dumps its state), then SIGKILL after ``timeout``; returns exit code."""
        proc, self._proc = self._proc, None
        code: int | None = None
        if proc is not None:
            if proc.poll() is None:
                self._save_clock()
                # SIGTERM to anvil itself only (a wrapper would forward it: never twice).
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
            code = proc.returncode
            if self.pid_file is not None:
                self.pid_file.unlink(missing_ok=True)
        if self._log is not None:
            self._log.close()
            self._log = None
        return code

    @staticmethod
    def reap_stale(pid_file: Path, timeout: float = 15.0) -> int | None:
        """Stop an anvil left running by a `fomo up` that died (SIGKILL, crash).

        Call only while holding the data-dir lock: then no live `fomo up` owns that anvil. The
        pid is trusted only if the process is still an anvil. Returns the pid that was stopped.
        """
        try:
            pid = int(pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]
        except OSError:
            cmdline = b""
        if not cmdline.endswith(b"anvil"):
            pid_file.unlink(missing_ok=True)  # long gone, or the pid was reused
            return None
        os.kill(pid, signal.SIGTERM)  # anvil dumps its state on SIGTERM
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.05)
        if _alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        pid_file.unlink(missing_ok=True)
        return pid

    def rpc(self, method: str, params: list[Any] | None = None) -> Any:
        return rpc_call(self.url, method, params)

    def __enter__(self) -> Anvil:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
