"""Background workers run by `fomo up` (indexer, epoch scheduler …) as daemon threads."""

from __future__ import annotations

import logging
import threading
from typing import Protocol, runtime_checkable

log = logging.getLogger(__name__)


@runtime_checkable
class Worker(Protocol):
    """What `fomo up` needs from a background worker."""

    name: str

    def start(self) -> None:
        """Begin work in the background and return at once."""

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the worker to finish and wait up to ``timeout`` seconds."""


class PeriodicWorker:
    """Calls :meth:`tick` every ``interval`` seconds on a thread until stopped.

    An exception in ``tick`` is logged and the worker backs off (doubling up to
    ``max_backoff``) instead of dying: an RPC outage must not stop the indexer for good.
    """

    def __init__(self, name: str, interval: float, max_backoff: float = 30.0) -> None:
        self.name = name
        self.interval = interval
        self.max_backoff = max_backoff
        self.ticks = 0
        self.failures = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"fomo-{self.name}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        delay = self.interval
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:
                self.failures += 1
                delay = min(max(delay, self.interval) * 2, self.max_backoff)
                log.exception("worker %s failed; retrying in %.1fs", self.name, delay)
            else:
                self.ticks += 1
                delay = self.interval
            self._stop.wait(delay)

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("worker %s did not stop within %.1fs", self.name, timeout)
            self._thread = None
