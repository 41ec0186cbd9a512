"""The gateway's clock on a dev chain: the chain's time, not the wall clock's.

`fomo chain advance` moves a devnet's clock days ahead of the wall clock, and the epoch
scheduler closes days by the chain's latest block time. Usage stamped with the wall clock would
land on days the scheduler has already closed (or never reaches), so on a dev chain `fomo up`
gives the gateway this clock (``Gateway(clock_ns=...)``).

It reads the latest block's timestamp in the background (a thread, every ``interval`` seconds:
no RPC on a request's path) and answers *that timestamp plus the wall time elapsed since it was
first seen*. Between blocks that tracks anvil's own clock (wall clock + offset); a time jump shows
up at the next read. It never goes backwards: a read that is behind the running estimate (no block
mined for a while) keeps the estimate.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from fomo.workers import PeriodicWorker

log = logging.getLogger(__name__)

NS = 10**9


class ChainClock(PeriodicWorker):
    """``clock_ns`` callable following a chain's latest block time (see the module doc)."""

    def __init__(
        self,
        read_chain_time: Callable[[], int],
        *,
        interval: float = 1.0,
        monotonic_ns: Callable[[], int] = time.monotonic_ns,
    ) -> None:
        super().__init__("chain-clock", interval, max_backoff=10.0)
        self._read = read_chain_time
        self._mono = monotonic_ns
        self._lock = threading.Lock()
        # Until the chain has answered once, the wall clock (start() reads the chain first).
        self._anchor = (time.time_ns(), monotonic_ns())

    def observe(self, chain_seconds: int) -> None:
        """Take a block timestamp into account (moves the clock forward, never back)."""
        chain_ns = chain_seconds * NS
        with self._lock:
            if chain_ns > self._estimate():
                self._anchor = (chain_ns, self._mono())

    def _estimate(self) -> int:
        base, seen_at = self._anchor
        return base + (self._mono() - seen_at)

    def __call__(self) -> int:
        with self._lock:
            return self._estimate()

    def tick(self) -> None:
        self.observe(self._read())

    def start(self) -> None:
        # Read once before serving so the very first request is stamped on the chain's day.
        try:
            self._anchor = (self._read() * NS, self._mono())
        except Exception:
            log.warning("chain clock: the chain did not answer yet; using the wall clock")
        super().start()


def latest_block_time(rpc_url: str) -> Callable[[], int]:
    """A reader of the latest block's timestamp over JSON-RPC."""
    from fomo.chain.anvil import rpc_call

    def read() -> int:
        block = rpc_call(rpc_url, "eth_getBlockByNumber", ["latest", False], timeout=5.0)
        return int(block["timestamp"], 16)

    return read
