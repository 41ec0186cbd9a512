"""The platform process behind `fomo up`.

Startup order (each step undone in reverse on shutdown or failure):

1. lock the data directory (one `fomo up` per data dir: two would fight over the anvil state);
2. check that the HTTP (and anvil) ports are free — fail fast and clearly, before starting anything;
3. start anvil with its persisted state (unless ``rpc_url`` points at an external chain);
4. check an external RPC's chain id (anvil's own start checks it), run database migrations;
5. deploy (contracts, manifest) and start the workers (indexer, epoch scheduler), as wired in
   :mod:`fomo.runtime.hooks`;
6. serve HTTP (uvicorn) until SIGINT/SIGTERM, then stop workers, close the DB, stop anvil
   (SIGTERM: anvil writes its state file).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import signal
import socket
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from types import FrameType
from typing import IO, Any

import uvicorn

from fomo.chain.anvil import Anvil, AnvilError, port_in_use, rpc_call
from fomo.chain.dev_accounts import dev_accounts
from fomo.config import Settings
from fomo.context import RuntimeContext
from fomo.db.migrate import upgrade
from fomo.db.session import make_engine, make_session_factory, redact_url
from fomo.runtime import hooks, leader
from fomo.workers import Worker

log = logging.getLogger(__name__)


class StartupError(RuntimeError):
    """The platform cannot start (busy port, locked data dir, chain mismatch …)."""


class ShutdownRequested(BaseException):
    """SIGTERM/SIGINT arrived while starting up: unwind and clean up."""


class DataDirLock:
    """Exclusive advisory lock on ``<data_dir>/fomo.lock`` (released by the OS if we die)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "fomo.lock"
        self._fh: IO[str] | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = self.path.open("a+")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            fh.close()
            raise StartupError(
                f"data directory {self.path.parent} is in use by `fomo up` (pid {holder}); "
                "stop it first or use another FOMO_DATA_DIR"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._fh = fh

    def release(self) -> None:
        if self._fh is not None:
            with contextlib.suppress(OSError):
                self._fh.seek(0)
                self._fh.truncate()
            fcntl.flock(self._fh, fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None


class Platform:
    """Runs everything `fomo up` promises; :meth:`run` blocks until a shutdown signal."""

    def __init__(self, settings: Settings, echo: Callable[[str], None] = print) -> None:
        self.settings = settings
        self.echo = echo
        self.anvil: Anvil | None = None
        self.ctx: RuntimeContext | None = None
        self.workers: list[Worker] = []
        self.server: uvicorn.Server | None = None
        self._lock = DataDirLock(settings.data_dir)
        self._serving = False
        self._stop_signal: int | None = None

    # --- signals ---------------------------------------------------------------------------

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        self._stop_signal = signum
        if self._serving:
            # uvicorn handles it (graceful stop) and re-raises the signal after serving; only
            # remember it then.
            if self.server is not None:
                self.server.should_exit = True
            return
        raise ShutdownRequested(signum)

    def _install_signal_handlers(self) -> dict[int, Any]:
        previous: dict[int, Any] = {}
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, self._on_signal)
        return previous

    # --- lifecycle -------------------------------------------------------------------------

    def check_ports(self) -> None:
        s = self.settings
        if port_in_use(s.http_host, s.http_port):
            raise StartupError(
                f"HTTP port {s.http_port} on {s.http_host} is already in use "
                "(another `fomo up`?): stop it or set FOMO_HTTP_PORT / --http-port"
            )
        if s.uses_anvil and port_in_use(s.anvil_host, s.anvil_port):
            raise StartupError(
                f"anvil port {s.anvil_port} on {s.anvil_host} is already in use "
                "(another `fomo up` or anvil?): stop it or set FOMO_ANVIL_PORT / --anvil-port"
            )

    def start(self) -> RuntimeContext:
        """Everything up to (not including) serving HTTP."""
        s = self.settings
        s.data_dir.mkdir(parents=True, exist_ok=True)
        self._lock.acquire()
        if s.uses_anvil:
            stale = Anvil.reap_stale(s.data_dir / "anvil.pid")
            if stale is not None:
                self.echo(f"stopped anvil pid {stale} left running by a previous `fomo up`")
        self.check_ports()
        if s.uses_anvil:
            self.echo(f"starting anvil on {s.chain_rpc_url} (state: {s.anvil_state_file})")
            self.anvil = Anvil.from_settings(s)
            try:
                self.anvil.start()
            except AnvilError as exc:
                raise StartupError(str(exc)) from exc
        rpc_url = s.chain_rpc_url
        if self.anvil is None:  # an anvil we started was checked by Anvil.start already
            try:
                chain_id = int(rpc_call(rpc_url, "eth_chainId"), 16)
            except Exception as exc:
                raise StartupError(f"chain RPC {rpc_url} does not answer: {exc}") from exc
            if chain_id != s.chain_id:
                raise StartupError(f"RPC {rpc_url} is chain {chain_id}, settings say {s.chain_id}")

        self.echo(f"migrating database {redact_url(s.db_url)}")
        upgrade(s.db_url)
        engine = make_engine(s.db_url)
        ctx = RuntimeContext(
            settings=s,
            engine=engine,
            session_factory=make_session_factory(engine),
            accounts=dev_accounts(s.anvil_mnemonic, s.dev_accounts) if s.is_dev_chain else [],
        )
        self.ctx = ctx

        self.echo(
            "deploying contracts (a first run compiles them: up to a minute)"
            " or reusing the deployment manifest"
        )
        try:
            ctx.manifest = hooks.DEPLOY_HOOK(ctx)
        except Exception as exc:
            raise StartupError(f"contract deployment failed: {exc}") from exc

        if s.is_dev_chain:
            # Usage must be stamped on the day the epochs follow: the devnet's, not the wall's.
            from fomo.runtime.chainclock import ChainClock, latest_block_time

            clock = ChainClock(latest_block_time(rpc_url))
            clock.start()
            self.workers.append(clock)
            ctx.clock_ns = clock

        for factory in hooks.WORKER_FACTORIES:
            worker = factory(ctx)
            if worker is not None:
                # The indexer and the epoch scheduler run once per database (leader lease).
                worker = leader.gate(worker, s.db_url, s.data_dir)
                worker.start()
                self.workers.append(worker)
        return ctx

    def build_server(self, on_started: Callable[[], None] | None = None) -> uvicorn.Server:
        from fomo.api.app import create_app

        assert self.ctx is not None
        app = create_app(self.settings, self.ctx)
        closers: list[Any] = []
        for prefix, factory in hooks.HTTP_MOUNTS:
            mounted = factory(self.ctx)
            app.mount(prefix, mounted)
            if callable(getattr(mounted, "shutdown", None)):
                closers.append(mounted)
        _close_on_shutdown(app, closers)
        config = uvicorn.Config(
            app,
            host=self.settings.http_host,
            port=self.settings.http_port,
            log_level=self.settings.log_level,
            access_log=self.settings.log_level == "debug",
            lifespan="on",
        )
        return _Server(config, on_started)

    def stop(self) -> None:
        """Undo :meth:`start` in reverse; safe to call more than once."""
        for worker in reversed(self.workers):
            try:
                worker.stop()
            except Exception:
                log.exception("stopping worker %s failed", getattr(worker, "name", worker))
        self.workers = []
        if self.ctx is not None:
            self.ctx.engine.dispose()
            self.ctx = None
        if self.anvil is not None:
            code = self.anvil.stop()
            if code == 0:
                self.echo(f"anvil stopped (exit code 0); state saved to {self.anvil.state_file}")
            else:
                self.echo(
                    f"anvil exited with code {code}: its last periodic state dump in "
                    f"{self.anvil.state_file} is what a restart will load"
                )
            self.anvil = None
        self._lock.release()

    def run(self, on_ready: Callable[[RuntimeContext], None] | None = None) -> int:
        """Start, serve until a signal, stop. Returns the process exit code."""
        configure_logging(self.settings.log_level)
        previous = self._install_signal_handlers()
        try:
            ctx = self.start()
            # "Ready" only once the HTTP socket is bound: a client may connect right away.
            self.server = self.build_server(
                on_started=(lambda: on_ready(ctx)) if on_ready is not None else None
            )
            self._serving = True
            with contextlib.suppress(SystemExit):  # uvicorn exits(1) when it cannot bind
                self.server.run()
            self._serving = False
            if not self.server.started:
                raise StartupError(
                    f"HTTP server could not start on {self.settings.http_url} (port in use?)"
                )
            return 0
        except ShutdownRequested:
            self.echo("shutdown requested during startup")
            return 0
        finally:
            self._serving = False
            # A second Ctrl-C while cleaning up must not leave anvil orphaned.
            with _signals_ignored():
                self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def configure_logging(level: str) -> None:
    """Send the ``fomo.*`` loggers (workers, indexer, scheduler) to stderr at ``level``, in the
    same shape as uvicorn's lines; idempotent."""
    logger = logging.getLogger("fomo")
    logger.setLevel(level.upper())
    if not any(getattr(h, "_fomo", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(name)s: %(message)s"))
        handler._fomo = True  # type: ignore[attr-defined]
        logger.addHandler(handler)


class _Server(uvicorn.Server):
    """uvicorn server that calls ``on_started`` once it listens."""

    def __init__(self, config: uvicorn.Config, on_started: Callable[[], None] | None) -> None:
        super().__init__(config)
        self._on_started = on_started

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started and not self.should_exit and self._on_started is not None:
            self._on_started()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        # uvicorn waits for open responses before the lifespan ends: end the endless ones (the
        # read API's event stream) first, or a connected browser would hold the shutdown open.
        from fomo.api.routes_stream import close_streams

        close_streams(self.config.app)
        await super().shutdown(sockets=sockets)


@contextlib.contextmanager
def _signals_ignored() -> Any:
    old = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


def _close_on_shutdown(app: Any, mounted: list[Any]) -> None:
    """Mounted apps get no lifespan events: shut down the ones that keep pools or background
    tasks (the gateway) when the platform server's own lifespan ends, inside its event loop."""
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app_: Any) -> AsyncIterator[Any]:
        async with inner(app_) as state:
            yield state
        for sub in mounted:
            if getattr(sub, "started", True):
                await sub.shutdown()

    app.router.lifespan_context = lifespan
