"""anvil manager against a real anvil: readiness, persisted state across restarts, busy port."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from fomo.chain.anvil import Anvil, AnvilError, PortInUseError, find_anvil, port_in_use
from tests.support import free_port

pytestmark = pytest.mark.anvil

RECIPIENT = "0x" + "12" * 20


def _anvil(tmp_path: Path, binary: Path, port: int | None = None) -> Anvil:
    return Anvil(
        port=port or free_port(),
        state_file=tmp_path / "anvil-state.json",
        log_file=tmp_path / "anvil.log",
        state_interval=0,
        binary=binary,
    )


def test_state_survives_stop_and_start(tmp_path: Path, anvil_binary: Path) -> None:
    first = _anvil(tmp_path, anvil_binary).start()
    try:
        sender = first.rpc("eth_accounts")[0]
        tx = first.rpc(
            "eth_sendTransaction", [{"from": sender, "to": RECIPIENT, "value": hex(123_456_789)}]
        )
        block1 = first.rpc("eth_getBlockByNumber", ["0x1", False])
    finally:
        assert first.stop() == 0
    assert not first.running
    state = json.loads((tmp_path / "anvil-state.json").read_text())
    assert state  # anvil wrote a non-empty dump on SIGTERM

    second = _anvil(tmp_path, anvil_binary).start()
    try:
        # Block 1 survived; block 2 is the empty block dated at the restored clock.
        assert int(second.rpc("eth_blockNumber"), 16) == 2
        assert int(second.rpc("eth_getBalance", [RECIPIENT, "latest"]), 16) == 123_456_789
        assert second.rpc("eth_getBlockByNumber", ["0x1", False])["hash"] == block1["hash"]
        receipt = second.rpc("eth_getTransactionReceipt", [tx])
        assert receipt is not None and int(receipt["status"], 16) == 1
    finally:
        second.stop()
    # The state that loaded fine is kept as the last good copy.
    assert (tmp_path / "anvil-state.prev.json").exists()


def test_busy_port_is_reported_clearly(tmp_path: Path, anvil_binary: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        assert port_in_use("127.0.0.1", port)
        with pytest.raises(PortInUseError, match=rf"port {port} on 127.0.0.1 is already in use"):
            _anvil(tmp_path, anvil_binary, port=port).start()
    assert not (tmp_path / "anvil.log").exists()  # nothing was started


def test_corrupt_state_file_refuses_to_start(tmp_path: Path, anvil_binary: Path) -> None:
    (tmp_path / "anvil-state.json").write_text('{"block": ')  # a dump cut short
    anvil = _anvil(tmp_path, anvil_binary)
    with pytest.raises(AnvilError, match="corrupt"):
        anvil.start()
    assert not anvil.running


def test_stop_is_idempotent_and_context_manager(tmp_path: Path, anvil_binary: Path) -> None:
    with _anvil(tmp_path, anvil_binary) as anvil:
        assert anvil.running
        assert int(anvil.rpc("eth_chainId"), 16) == 31337
        port = anvil.port
    assert not port_in_use("127.0.0.1", port)
    assert anvil.stop() is None


def test_stale_anvil_of_a_killed_fomo_up_is_reaped(tmp_path: Path, anvil_binary: Path) -> None:
    anvil = _anvil(tmp_path, anvil_binary)
    anvil.pid_file = tmp_path / "anvil.pid"
    anvil.start()
    pid = anvil.pid
    assert (tmp_path / "anvil.pid").read_text() == str(pid)
    proc, anvil._proc = anvil._proc, None  # the owner "died" without stopping anvil
    assert proc is not None
    assert Anvil.reap_stale(tmp_path / "anvil.pid") == pid
    assert proc.wait(timeout=5) == 0  # it exited on SIGTERM, not SIGKILL
    assert not port_in_use("127.0.0.1", anvil.port)
    assert not (tmp_path / "anvil.pid").exists()
    assert json.loads((tmp_path / "anvil-state.json").read_text())  # SIGTERM let it dump
    # A pid file naming a process that is not anvil is ignored (pid reuse).
    (tmp_path / "anvil.pid").write_text(str(os.getpid()))
    assert Anvil.reap_stale(tmp_path / "anvil.pid") is None


def test_npm_wrapper_on_path_resolves_to_the_native_binary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The layout `npm install @foundry-rs/anvil` creates; bootstrap puts .bin on PATH.
    modules = tmp_path / "node_modules"
    wrapper = modules / "@foundry-rs" / "anvil" / "bin.mjs"
    native = modules / "@foundry-rs" / "anvil-linux-amd64" / "bin" / "anvil"
    for path in (wrapper, native):
        path.parent.mkdir(parents=True)
        path.write_text("#!/bin/sh\n")
        path.chmod(0o755)
    (modules / ".bin").mkdir()
    (modules / ".bin" / "anvil").symlink_to("../@foundry-rs/anvil/bin.mjs")
    monkeypatch.setenv("PATH", str(modules / ".bin"))
    assert find_anvil() == native
    native.unlink()  # no platform package: the wrapper is still usable
    assert find_anvil() == modules / ".bin" / "anvil"


def _latest_timestamp(anvil: Anvil) -> int:
    return int(anvil.rpc("eth_getBlockByNumber", ["latest", False])["timestamp"], 16)


WEEK = 7 * 86_400


def test_chain_time_never_goes_back_across_a_restart(tmp_path: Path, anvil_binary: Path) -> None:
    """`fomo chain advance --days 7`, stop, start: the next block is not dated a week earlier."""
    first = _anvil(tmp_path, anvil_binary).start()
    try:
        first.rpc("evm_increaseTime", [WEEK])
        first.rpc("evm_mine")
        advanced = _latest_timestamp(first)
    finally:
        assert first.stop() == 0

    second = _anvil(tmp_path, anvil_binary).start()
    try:
        second.rpc("evm_mine")
        after = _latest_timestamp(second)
        assert after >= advanced
        # The offset itself survived (not merely a floor at the old block): chain "now" still
        # runs a week ahead of the wall clock.
        assert int(second.rpc("evm_increaseTime", [0])) >= WEEK - 5
    finally:
        second.stop()


def test_chain_time_floor_without_a_recorded_offset(tmp_path: Path, anvil_binary: Path) -> None:
    """A crash leaves no clock file: the latest loaded block's time is still the floor."""
    first = _anvil(tmp_path, anvil_binary).start()
    try:
        first.rpc("evm_increaseTime", [WEEK])
        first.rpc("evm_mine")
        advanced = _latest_timestamp(first)
    finally:
        first.stop()
    (tmp_path / "anvil-state.clock.json").unlink(missing_ok=True)

    second = _anvil(tmp_path, anvil_binary).start()
    try:
        second.rpc("evm_mine")
        assert _latest_timestamp(second) >= advanced
    finally:
        second.stop()
