"""The indexer as a `fomo up` background worker (hook ``fomo.indexer.worker:create_worker``)."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from fomo.chain.manifest import Manifest
from fomo.config import DEV_CHAIN_IDS
from fomo.indexer.core import Indexer, IndexerConfig, StepResult
from fomo.indexer.rpc import ChainReader

if TYPE_CHECKING:
    from fomo.config import Settings
    from fomo.context import RuntimeContext

log = logging.getLogger(__name__)


def config_from_settings(manifest: Manifest, settings: Settings, chain_id: int) -> IndexerConfig:
    """Indexer config: what to follow from the manifest, how carefully from the settings."""
    return IndexerConfig.from_manifest(
        manifest,
        chain_id=chain_id,
        confirmations=settings.confirmations,
        batch_blocks=settings.indexer_batch_blocks,
        reorg_depth=settings.indexer_reorg_depth,
        reset_if_unrelated=chain_id in DEV_CHAIN_IDS,
    )


class IndexerWorker:
    """Runs :meth:`Indexer.run_forever` on a daemon thread until :meth:`stop`."""

    name = "indexer"

    def __init__(
        self,
        indexer: Indexer,
        *,
        poll_interval: float = 1.0,
        backoff_max: float = 30.0,
    ) -> None:
        self.indexer = indexer
        self.poll_interval = poll_interval
        self.backoff_max = backoff_max
        self.last: StepResult | None = None
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _run(self) -> None:
        try:
            self.indexer.run_forever(
                self._stop,
                poll_interval=self.poll_interval,
                backoff_max=self.backoff_max,
                on_step=self._record,
            )
        except BaseException as exc:  # only a reorg deeper than the stored hashes gets here
            self.error = exc
            log.exception("indexer worker stopped")

    def _record(self, result: StepResult) -> None:
        self.last = result

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="fomo-indexer", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("indexer worker did not stop within %.1fs", timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()


def create_worker(ctx: RuntimeContext) -> IndexerWorker | None:
    """`fomo up` hook: an indexer following the deployment in ``ctx.manifest`` (``None`` when the
    indexer is disabled or nothing is deployed)."""
    settings = ctx.settings
    if not settings.indexer_enabled:
        return None
    if ctx.manifest is None:
        ctx.notes.append("indexer: not started (no deployment manifest)")
        return None
    config = config_from_settings(ctx.manifest, settings, ctx.chain_id)
    indexer = Indexer(config, ChainReader(ctx.rpc_url), ctx.session_factory)
    return IndexerWorker(
        indexer,
        poll_interval=settings.indexer_poll_interval,
        backoff_max=settings.indexer_backoff_max,
    )
