"""Write-ahead usage journal: a record is on disk before its response completes.

Each usage record (with the charge it carries) is appended as one JSON line with a single
``os.write`` — once that returns the bytes are in the kernel, so a SIGKILL of the gateway right
after can no longer lose them. Two fsync policies:

* ``fsync=True`` (strict): appenders also wait for an fsync that started after their write;
  concurrent appenders share one fsync (group commit). Survives a power cut too, at the price
  of one disk flush per response (≈ 4–5 ms on this machine's virtual disk).
* ``fsync=False`` (default): a background thread fsyncs every ``sync_interval_s`` when there
  was a write. Survives any process death; a power cut can lose at most the last interval.

Records reach the database in batches (``drain`` → insert-or-ignore on the unique
``request_id``); a segment file is deleted only once every record in it is in the database.
At start-up every segment left over is replayed into the database (idempotent, so a record that
was both journaled and flushed is still stored once) and then deleted.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

SEGMENT_BYTES = 8 * 1024 * 1024


def read_segments(directory: Path) -> tuple[list[Path], list[dict[str, Any]]]:
    """All segment files and the records in them (a torn last line is skipped)."""
    paths = sorted(directory.glob("usage-*.jsonl"))
    records: list[dict[str, Any]] = []
    for p in paths:
        with open(p, "rb") as f:
            for line in f:
                if not line.endswith(b"\n"):
                    continue  # torn write: its response never completed
                with contextlib.suppress(ValueError):
                    records.append(json.loads(line))
    return paths, records


class Journal:
    def __init__(
        self, directory: Path, *, fsync: bool = True, sync_interval_s: float = 0.02
    ) -> None:
        self.directory = directory
        self.fsync_enabled = fsync
        self._dirty = False
        self._closed = threading.Event()
        directory.mkdir(parents=True, exist_ok=True)
        self._seq = max(
            (int(p.stem.split("-")[1]) for p in directory.glob("usage-*.jsonl")), default=0
        )
        self._fd = -1
        self._path: Path | None = None
        self._size = 0
        self._pending_sync: list[asyncio.Future[None]] = []
        self._sync_running = False
        # Records not yet in the database, with the segment each was written to.
        self._unflushed: list[tuple[Path, dict[str, Any]]] = []
        self._segment_open: dict[Path, int] = {}
        self._open_new()
        self._syncer: threading.Thread | None = None
        if not fsync:
            self._syncer = threading.Thread(
                target=self._background_sync, args=(sync_interval_s,), daemon=True
            )
            self._syncer.start()

    def _background_sync(self, interval: float) -> None:
        while not self._closed.wait(interval):
            if self._dirty:
                self._dirty = False
                fd = self._fd
                with contextlib.suppress(OSError):  # a rotated (closed) fd: next round
                    os.fsync(fd)

    def _open_new(self) -> None:
        if self._fd >= 0:
            # Writes still waiting for a (group or background) fsync are in this file.
            os.fsync(self._fd)
            os.close(self._fd)
        self._seq += 1
        self._path = self.directory / f"usage-{self._seq:08d}.jsonl"
        self._fd = os.open(self._path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self._size = 0
        self._segment_open[self._path] = 0
        if self.fsync_enabled:  # the new file's directory entry must survive too
            dfd = os.open(self.directory, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)

    def write(self, record: dict[str, Any]) -> None:
        """Append one record (durable against a process kill when this returns)."""
        line = json.dumps(record, separators=(",", ":")).encode() + b"\n"
        if self._size + len(line) > SEGMENT_BYTES and self._size > 0:
            self._open_new()
        assert self._path is not None
        view = memoryview(line)
        while view:
            n = os.write(self._fd, view)
            view = view[n:]
        self._size += len(line)
        self._dirty = True
        self._unflushed.append((self._path, record))
        self._segment_open[self._path] = self._segment_open.get(self._path, 0) + 1

    async def append(self, record: dict[str, Any]) -> None:
        """Write and, with fsync on, wait until the record is on stable storage."""
        self.write(record)
        if not self.fsync_enabled:
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending_sync.append(fut)
        if not self._sync_running:
            self._sync_running = True
            asyncio.get_running_loop().create_task(self._sync_loop())
        await fut

    async def _sync_loop(self) -> None:
        try:
            while self._pending_sync:
                waiters, self._pending_sync = self._pending_sync, []
                fd = self._fd
                try:
                    await asyncio.to_thread(os.fsync, fd)
                except OSError as exc:
                    for w in waiters:
                        if not w.done():
                            w.set_exception(exc)
                    continue
                for w in waiters:
                    if not w.done():
                        w.set_result(None)
        finally:
            self._sync_running = False

    def take_batch(self, limit: int) -> list[tuple[Path, dict[str, Any]]]:
        batch = self._unflushed[:limit]
        return batch

    def mark_flushed(self, batch: list[tuple[Path, dict[str, Any]]]) -> None:
        """Forget records now in the database; delete segments with nothing left in them."""
        del self._unflushed[: len(batch)]
        for path, _ in batch:
            self._segment_open[path] -= 1
        for path, left in list(self._segment_open.items()):
            if left == 0 and path != self._path:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                del self._segment_open[path]
        cur = self._path
        if cur is not None and self._size >= SEGMENT_BYTES // 8 and not self._segment_open[cur]:
            # Everything in the current segment is stored: start a fresh one and drop it.
            old = self._path
            self._open_new()
            if old is not None:
                with contextlib.suppress(FileNotFoundError):
                    old.unlink()
                self._segment_open.pop(old, None)

    @property
    def backlog(self) -> int:
        return len(self._unflushed)

    def close(self) -> None:
        self._closed.set()
        if self._syncer is not None:
            self._syncer.join(timeout=5)
        if self._fd >= 0:
            with contextlib.suppress(OSError):
                os.fsync(self._fd)
            os.close(self._fd)
            self._fd = -1


def replay(directory: Path, store_batch: Callable[[list[dict[str, Any]]], None]) -> int:
    """Store every journaled record (idempotently) and delete the segments; returns the count."""
    if not directory.exists():
        return 0
    paths, records = read_segments(directory)
    for i in range(0, len(records), 1000):
        store_batch(records[i : i + 1000])
    for p in paths:
        p.unlink()
    return len(records)
