"""The gateway's clock on a dev chain (issue 12 item 10): latest block time plus the wall time
elapsed since it was seen; forward jumps at the next read, never backwards, no RPC per call."""

from __future__ import annotations

from pathlib import Path

import pytest

from fomo.chain.anvil import Anvil
from fomo.runtime.chainclock import NS, ChainClock, latest_block_time
from tests.support import free_port

DAY = 86_400


class FakeChain:
    def __init__(self, now: int) -> None:
        self.now = now
        self.reads = 0

    def __call__(self) -> int:
        self.reads += 1
        return self.now


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.ns = 0

    def __call__(self) -> int:
        return self.ns


def _clock(chain: FakeChain, ticks: Ticks) -> ChainClock:
    clock = ChainClock(chain, interval=3600, monotonic_ns=ticks)
    clock.start()
    return clock


def test_follows_the_chain_and_the_elapsed_wall_time() -> None:
    chain, ticks = FakeChain(2_000_000_000), Ticks()
    clock = _clock(chain, ticks)
    try:
        assert clock() == 2_000_000_000 * NS
        ticks.ns += 5 * NS
        assert clock() == 2_000_000_005 * NS
        reads = chain.reads
        for _ in range(100):
            clock()
        assert chain.reads == reads  # calls never reach the chain
    finally:
        clock.stop()


def test_a_time_jump_is_taken_at_the_next_read_and_never_undone() -> None:
    chain, ticks = FakeChain(2_000_000_000), Ticks()
    clock = _clock(chain, ticks)
    try:
        chain.now += DAY  # `fomo chain advance --days 1`
        clock.tick()
        assert clock() == (2_000_000_000 + DAY) * NS
        ticks.ns += 10 * NS
        # A block read behind the estimate (no block mined for a while) keeps the estimate.
        clock.tick()
        assert clock() == (2_000_000_000 + DAY + 10) * NS
        chain.now -= 7 * DAY  # a clock that went back
        clock.tick()
        assert clock() == (2_000_000_000 + DAY + 10) * NS
    finally:
        clock.stop()


@pytest.mark.anvil
def test_reads_a_real_anvil_after_evm_increase_time(tmp_path: Path, anvil_binary: Path) -> None:
    with Anvil(port=free_port(), binary=anvil_binary, log_file=tmp_path / "a.log") as node:
        read = latest_block_time(node.url)
        clock = ChainClock(read, interval=3600)
        clock.start()
        try:
            before = clock() // NS
            node.rpc("evm_increaseTime", [DAY])
            node.rpc("evm_mine")
            clock.tick()
            assert clock() // NS >= before + DAY
            assert clock() // NS >= read()
        finally:
            clock.stop()
