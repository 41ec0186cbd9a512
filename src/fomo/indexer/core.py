"""The chain indexer: confirmed blocks' logs → raw logs + domain rows; resumable, reorg-safe.

One :meth:`Indexer.step`:

1. **Reorg check.** The cursor's block hash is compared with the node's block at that height. On a
   mismatch the fork point is found by walking back over the stored block hashes
   (:class:`~fomo.db.models.IndexedBlock`) to the newest one the node still has; everything
   derived from later blocks is deleted, projections are recomputed and the cursor moves back.
2. **Fetch** (no writes, :mod:`fomo.indexer.fetch`): the next range up to the *safe head*
   (latest − confirmations + 1, at most
   ``batch_blocks`` blocks) — the range's end header, ``eth_getLogs`` for the suite's contracts and
   every Model Token/Pair known so far (tokens/pairs created inside the range are fetched in a
   second round), and the header of every block with a log.
3. **Consistency check.** Every log's block hash must equal its header's; the first block's parent
   must be the cursor block; the end block's hash must be the same before and after. Otherwise the
   chain moved under us: nothing is written, the next step sees the reorg.
4. **Write, in one transaction:** raw logs (skipped when ``(tx_hash, log_index)`` is already
   stored), domain rows, recomputed projections, the block hashes and the cursor.

Because a step writes everything or nothing and only after all reads succeeded, an RPC failure at
any point leaves the database as it was: retrying cannot duplicate or skip anything.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session, sessionmaker

from fomo.db.models import EventLog, IndexedBlock, IndexerCursor, Launch
from fomo.db.models_indexer import Graduation
from fomo.db.session import session_scope
from fomo.indexer import handlers, projections
from fomo.indexer.abi import EventSpec, decode_event, event_specs, json_args
from fomo.indexer.blocks import common_ancestor, prune_blocks, set_cursor, store_block
from fomo.indexer.config import FOLLOWED, IndexerConfig
from fomo.indexer.decoded import DecodedLog, ProjectionContext, Touched
from fomo.indexer.fetch import Batch, ChainMoved, LogFetcher
from fomo.indexer.rpc import BlockHeader, ChainReader, RpcUnavailable

log = logging.getLogger(__name__)

# Re-exported: callers import the indexer's configuration and outcomes from here.
__all__ = [
    "FOLLOWED",
    "ChainMoved",
    "CursorMoved",
    "Indexer",
    "IndexerConfig",
    "ReorgTooDeep",
    "StepResult",
]

ZERO_HASH = "0x" + "00" * 32


class ReorgTooDeep(RuntimeError):
    """No stored block hash matches the node's chain: the fork is deeper than we can undo."""


class CursorMoved(RuntimeError):
    """Another indexer advanced the cursor during this step (nothing written; retry)."""


@dataclass
class StepResult:
    """What one :meth:`Indexer.step` did."""

    action: str  # "indexed", "idle", "reorg"
    from_block: int | None = None
    to_block: int | None = None
    logs: int = 0
    skipped_duplicates: int = 0
    fork_block: int | None = None
    head: int | None = None
    safe_head: int | None = None


class Indexer:
    """Follows one deployment's events into the database. See the module docstring."""

    def __init__(
        self,
        config: IndexerConfig,
        reader: ChainReader,
        session_factory: sessionmaker[Session],
    ) -> None:
        self.config = config
        self.reader = reader
        self.session_factory = session_factory
        self.specs: dict[str, dict[str, EventSpec]] = {
            kind: event_specs(abi) for kind, abi in config.abis.items()
        }
        self.ctx = ProjectionContext(
            launchpad=config.contracts.get("Launchpad"), flock=config.flock, usdc=config.usdc
        )
        self._static: dict[str, str] = {addr: kind for kind, addr in config.contracts.items()}
        self.fetcher = LogFetcher(reader, self.specs, self._static, config.batch_blocks)
        self.failures = 0

    @property
    def span(self) -> int:
        """Blocks asked for per ``eth_getLogs`` range now (see :class:`LogFetcher`)."""
        return self.fetcher.span

    @property
    def span_limit(self) -> int:
        return self.fetcher.span_limit

    # --- cursor ----------------------------------------------------------------------------

    def cursor(self) -> tuple[int, str] | None:
        """``(block, hash)`` of the last fully indexed block, ``None`` before the first batch."""
        with self.session_factory() as s:
            row = s.get(IndexerCursor, self.config.cursor_name)
            return None if row is None else (row.block_number, row.block_hash)

    def _start_header(self) -> BlockHeader | None:
        block = self.config.start_block - 1
        if block < 0:
            return None
        header = self.reader.header(block)
        if header is None:
            raise RpcUnavailable(f"the node has no block {block} (start block - 1) yet")
        return header

    # --- one step --------------------------------------------------------------------------

    def step(self) -> StepResult:
        """Index the next batch of confirmed blocks (or undo a reorg). Raises
        :class:`RpcUnavailable`/:class:`ChainMoved` with nothing written."""
        stored = self.cursor()
        anchor: BlockHeader | None = None
        if stored is None:
            anchor = self._start_header()
            stored_or_start = (-1, ZERO_HASH) if anchor is None else (anchor.number, anchor.hash)
        cursor_block, cursor_hash = stored if stored is not None else stored_or_start
        if stored is not None:
            current = self.reader.header(cursor_block)
            if current is None or current.hash != cursor_hash:
                fork = self._handle_reorg(cursor_block)
                return StepResult("reorg", fork_block=fork)
        head = self.reader.head()
        safe = head - self.config.confirmations + 1
        if safe <= cursor_block:
            return StepResult("idle", head=head, safe_head=safe)
        frm = cursor_block + 1
        to = min(safe, frm + self.span - 1)
        batch = self.fetcher.fetch(frm, to, cursor_hash, self._known_dynamic())
        if anchor is not None:
            # The block before the start is the oldest possible common ancestor of a reorg.
            batch.headers[anchor.number] = anchor
        written, dupes = self._write(batch, to, stored)
        self.fetcher.succeeded()
        return StepResult(
            "indexed",
            from_block=frm,
            to_block=to,
            logs=written,
            skipped_duplicates=dupes,
            head=head,
            safe_head=safe,
        )

    def sync(self, max_steps: int | None = None) -> list[StepResult]:
        """Step until idle (caught up with the safe head) or ``max_steps``."""
        results: list[StepResult] = []
        while max_steps is None or len(results) < max_steps:
            result = self.step()
            results.append(result)
            if result.action == "idle":
                break
        return results

    # --- reading ---------------------------------------------------------------------------

    def _known_dynamic(self) -> dict[str, str]:
        with self.session_factory() as s:
            tokens = s.scalars(select(Launch.token)).all()
            pairs = s.scalars(select(Graduation.pair)).all()
        out = {t: "ModelToken" for t in tokens if "ModelToken" in self.specs}
        out.update({p: "Pair" for p in pairs if "Pair" in self.specs})
        return out

    def _kind_of(self, address: str, dynamic: Mapping[str, str]) -> str | None:
        return self._static.get(address) or dynamic.get(address)

    # --- writing ---------------------------------------------------------------------------

    def _write(self, batch: Batch, to: int, expected: tuple[int, str] | None) -> tuple[int, int]:
        dynamic = self.fetcher.dynamic
        written = dupes = 0
        with session_scope(self.session_factory) as s:
            # Another indexer on the same database (`fomo index once` next to `fomo up`) may have
            # moved the cursor since we read it: then this batch is stale; drop it and retry.
            row = s.scalars(
                select(IndexerCursor)
                .where(IndexerCursor.name == self.config.cursor_name)
                .with_for_update()
            ).first()
            current = None if row is None else (row.block_number, row.block_hash)
            if current != expected:
                raise CursorMoved(f"the cursor moved to {current} while reading (another indexer?)")
            keys = [(lg.tx_hash, lg.log_index) for lg in batch.logs]
            existing: set[tuple[str, int]] = set()
            for chunk_start in range(0, len(keys), 500):
                chunk = keys[chunk_start : chunk_start + 500]
                existing.update(
                    (str(a), int(b))
                    for a, b in s.execute(
                        select(EventLog.tx_hash, EventLog.log_index).where(
                            tuple_(EventLog.tx_hash, EventLog.log_index).in_(chunk)
                        )
                    )
                )
            touched = Touched()
            for raw in batch.logs:
                if (raw.tx_hash, raw.log_index) in existing:
                    dupes += 1
                    continue
                header = batch.headers[raw.block_number]
                kind = self._kind_of(raw.address, dynamic) or "unknown"
                spec = self.specs.get(kind, {}).get(raw.topics[0]) if raw.topics else None
                args: dict[str, Any] = {}
                if spec is not None:
                    try:
                        args = decode_event(spec, list(raw.topics), raw.data)
                    except Exception as exc:  # a malformed log is kept raw, never fatal
                        log.warning("cannot decode %s log %s: %s", kind, raw.tx_hash, exc)
                        spec = None
                event_name = spec.name if spec is not None else "unknown"
                s.add(
                    EventLog(
                        block_number=raw.block_number,
                        block_hash=raw.block_hash,
                        block_time=header.timestamp,
                        tx_hash=raw.tx_hash,
                        log_index=raw.log_index,
                        address=raw.address,
                        event=event_name,
                        topics=list(raw.topics),
                        data=raw.data,
                        args=json_args(args),
                    )
                )
                if spec is not None:
                    handlers.apply(
                        s,
                        DecodedLog(
                            kind=kind,
                            event=event_name,
                            address=raw.address,
                            args=args,
                            block_number=raw.block_number,
                            block_hash=raw.block_hash,
                            block_time=header.timestamp,
                            tx_hash=raw.tx_hash,
                            log_index=raw.log_index,
                        ),
                        touched,
                        self.ctx,
                    )
                written += 1
            projections.rebuild(s, touched, self.ctx)
            for header in batch.headers.values():
                store_block(s, header)
            set_cursor(s, self.config.cursor_name, self.config.chain_id, batch.headers[to])
            prune_blocks(s, to, self.config.reorg_depth)
        return written, dupes

    # --- reorg -----------------------------------------------------------------------------

    def _handle_reorg(self, cursor_block: int) -> int:
        ancestor = common_ancestor(self.session_factory, self.reader, cursor_block)
        if ancestor is None:
            if not self.config.reset_if_unrelated:
                raise ReorgTooDeep(
                    f"no stored block hash at or below {cursor_block} is on the node's chain"
                )
            log.warning(
                "the indexed chain is gone (dev chain restarted?): re-indexing from scratch"
            )
            with session_scope(self.session_factory) as s:
                projections.rollback(s, 0, self.ctx)
                s.execute(delete(IndexedBlock))
                s.execute(
                    delete(IndexerCursor).where(IndexerCursor.name == self.config.cursor_name)
                )
            return 0
        fork = ancestor[0] + 1
        log.warning("reorg: blocks from %d replaced; rolling back to %d", fork, ancestor[0])
        with session_scope(self.session_factory) as s:
            projections.rollback(s, fork, self.ctx)
            s.execute(delete(IndexedBlock).where(IndexedBlock.block_number >= fork))
            row = s.get(IndexerCursor, self.config.cursor_name)
            if row is not None:
                row.block_number, row.block_hash = ancestor
        return fork

    # --- the worker loop -------------------------------------------------------------------

    def run_forever(
        self,
        stop_event: threading.Event,
        *,
        poll_interval: float = 1.0,
        backoff_initial: float = 0.5,
        backoff_max: float = 30.0,
        on_step: Callable[[StepResult], None] | None = None,
    ) -> None:
        """Index until ``stop_event`` is set. Caught up: poll every ``poll_interval``. A failed
        step (RPC down, chain moved, database busy) backs off exponentially from
        ``backoff_initial`` to ``backoff_max`` and retries; nothing half-done is ever kept."""
        delay = backoff_initial
        while not stop_event.is_set():
            try:
                result = self.step()
            except ReorgTooDeep:
                log.exception("indexer stopped: reorg deeper than the stored block hashes")
                raise
            except Exception as exc:
                log.warning("indexer step failed (%s); retrying in %.2fs", exc, delay)
                self.failures += 1
                stop_event.wait(delay)
                delay = min(delay * 2, backoff_max)
                continue
            delay = backoff_initial
            if on_step is not None:
                on_step(result)
            if result.action == "idle":
                stop_event.wait(poll_interval)
