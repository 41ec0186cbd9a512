"""Platform lifecycle in-process: hooks run, workers start and stop, startup failures and a
SIGTERM during startup unwind everything (anvil stopped, data dir unlocked)."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fomo.chain.anvil import Anvil, port_in_use
from fomo.chain.manifest import Manifest
from fomo.config import Settings
from fomo.context import RuntimeContext
from fomo.runtime import hooks
from fomo.runtime.platform import DataDirLock, Platform, StartupError
from fomo.workers import PeriodicWorker
from tests.support import free_port

pytestmark = pytest.mark.anvil

EVENTS: list[str] = []


class CountingWorker(PeriodicWorker):
    def __init__(self) -> None:
        super().__init__("counting", interval=0.01)
        self.seen = threading.Event()

    def tick(self) -> None:
        if self.ticks >= 2:
            self.seen.set()


WORKERS: list[CountingWorker] = []


def deploy_ok(ctx: RuntimeContext) -> Manifest | None:
    EVENTS.append(f"deploy chain={ctx.chain_id}")
    return None


def deploy_fails(ctx: RuntimeContext) -> Manifest | None:
    raise RuntimeError("boom in deploy")


def deploy_then_sigterm(ctx: RuntimeContext) -> Manifest | None:
    os.kill(os.getpid(), signal.SIGTERM)  # arrives while we are still starting up
    return None


def counting_worker(ctx: RuntimeContext) -> CountingWorker:
    worker = CountingWorker()
    WORKERS.append(worker)
    return worker


def disabled_worker(ctx: RuntimeContext) -> None:
    return None


@pytest.fixture
def settings(tmp_path: Path, anvil_binary: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        http_port=free_port(),
        anvil_port=free_port(),
        anvil_state_interval=0,
        dev_accounts=2,
    )


def _hooks(monkeypatch: pytest.MonkeyPatch, deploy: Callable[[RuntimeContext], Any]) -> None:
    monkeypatch.setattr(hooks, "DEPLOY_HOOK", deploy)
    monkeypatch.setattr(hooks, "WORKER_FACTORIES", (counting_worker, disabled_worker))
    monkeypatch.setattr(hooks, "HTTP_MOUNTS", ())
    EVENTS.clear()
    WORKERS.clear()


def _assert_all_down(settings: Settings) -> None:
    assert not port_in_use(settings.anvil_host, settings.anvil_port)
    assert not port_in_use(settings.http_host, settings.http_port)
    assert not (settings.data_dir / "anvil.pid").exists()
    lock = DataDirLock(settings.data_dir)
    lock.acquire()  # nobody holds it any more
    lock.release()


def test_hooks_run_workers_stop_and_everything_shuts_down(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _hooks(monkeypatch, deploy_ok)
    lines: list[str] = []
    platform = Platform(settings, echo=lines.append)
    seen: dict[str, Any] = {}

    def on_ready(ctx: RuntimeContext) -> None:
        seen["accounts"] = [a.address for a in ctx.accounts]
        seen["notes"] = list(ctx.notes)
        seen["listening"] = port_in_use(settings.http_host, settings.http_port)
        assert WORKERS[0].seen.wait(5)
        assert platform.server is not None
        platform.server.should_exit = True  # as a signal would

    assert platform.run(on_ready=on_ready) == 0
    assert EVENTS == ["deploy chain=31337"]
    assert seen["listening"]
    assert seen["accounts"] == [
        "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
        "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    ]
    assert seen["notes"] == []  # every service is imported directly: none can be "missing"
    assert len(WORKERS) == 1 and WORKERS[0].stopping and WORKERS[0].failures == 0
    assert any("anvil stopped (exit code 0)" in line for line in lines)
    _assert_all_down(settings)


def test_failing_deploy_is_a_startup_error_and_cleans_up(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _hooks(monkeypatch, deploy_fails)
    with pytest.raises(StartupError, match="contract deployment failed: boom in deploy"):
        Platform(settings, echo=lambda _: None).run()
    assert WORKERS == []  # never got that far
    _assert_all_down(settings)


def test_sigterm_during_startup_unwinds_cleanly(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _hooks(monkeypatch, deploy_then_sigterm)
    before = signal.getsignal(signal.SIGTERM)
    lines: list[str] = []
    assert Platform(settings, echo=lines.append).run() == 0
    assert "shutdown requested during startup" in lines
    assert signal.getsignal(signal.SIGTERM) is before  # handlers restored
    _assert_all_down(settings)


def test_periodic_worker_backs_off_and_keeps_going() -> None:
    class Flaky(PeriodicWorker):
        def __init__(self) -> None:
            super().__init__("flaky", interval=0.01, max_backoff=0.05)
            self.calls = 0
            self.recovered = threading.Event()

        def tick(self) -> None:
            self.calls += 1
            if self.calls <= 3:
                raise ConnectionError("rpc down")
            self.recovered.set()

    worker = Flaky()
    worker.start()
    try:
        assert worker.recovered.wait(5)
    finally:
        worker.stop()
    assert worker.failures == 3 and worker.ticks >= 1


def test_data_dir_lock_is_exclusive_and_names_the_holder(tmp_path: Path) -> None:
    first = DataDirLock(tmp_path)
    first.acquire()
    try:
        with pytest.raises(StartupError, match=rf"in use by `fomo up` \(pid {os.getpid()}\)"):
            DataDirLock(tmp_path).acquire()
    finally:
        first.release()
    again = DataDirLock(tmp_path)
    again.acquire()  # released locks can be taken again
    again.release()


def test_an_external_rpc_on_another_chain_is_refused(
    settings: Settings, anvil_binary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With rpc_url set no anvil of ours is started, so the platform asks the chain id itself
    # (without that check the deploy hook would fail with another message).
    _hooks(monkeypatch, deploy_fails)
    with Anvil(port=free_port(), chain_id=4242, binary=anvil_binary) as other:
        external = settings.model_copy(update={"rpc_url": other.url})
        with pytest.raises(StartupError, match=r"is chain 4242, settings say 31337"):
            Platform(external, echo=lambda _: None).run()
    _assert_all_down(settings)


class EpochsStandIn(PeriodicWorker):
    """Named like the epoch scheduler, so `fomo up` puts it behind the leader lease."""

    def __init__(self) -> None:
        super().__init__("epochs", interval=0.01)

    def tick(self) -> None:
        pass


def epochs_stand_in(ctx: RuntimeContext) -> EpochsStandIn:
    worker = EpochsStandIn()
    EPOCHS.append(worker)
    return worker


EPOCHS: list[EpochsStandIn] = []


def test_two_platforms_on_one_database_run_the_scheduler_once(
    tmp_path: Path, anvil_binary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _hooks(monkeypatch, deploy_ok)
    monkeypatch.setattr(hooks, "WORKER_FACTORIES", (epochs_stand_in,))
    EPOCHS.clear()
    db = f"sqlite:///{tmp_path / 'shared.db'}"
    platforms = [
        Platform(
            Settings(
                data_dir=tmp_path / name,
                database_url=db,
                http_port=free_port(),
                anvil_port=free_port(),
                anvil_state_interval=0,
                dev_accounts=1,
            ),
            echo=lambda _: None,
        )
        for name in ("a", "b")
    ]
    try:
        for p in platforms:
            p.start()
        first, second = EPOCHS
        deadline = threading.Event()
        for _ in range(600):  # bounded poll: until one of them runs
            if first.ticks or second.ticks:
                break
            deadline.wait(0.05)
        leader, standby = (first, second) if first.ticks else (second, first)
        assert leader.ticks and standby.ticks == 0
        # The leader's `fomo up` stops: the standby takes the role over.
        platforms[EPOCHS.index(leader)].stop()
        for _ in range(1200):
            if standby.ticks:
                break
            deadline.wait(0.05)
        assert standby.ticks > 0
    finally:
        for p in platforms:
            p.stop()
