"""One journal directory per gateway worker, and adoption of the directories of dead workers.

Several workers may run from one data dir (``--workers N``, or a restart while the old process
is still draining). Sharing one journal directory would let each delete the other's unflushed
segments, so each worker journals into ``<root>/<worker id>/`` and holds an exclusive
``flock`` on ``<root>/<worker id>.lock`` for its whole life. The kernel drops that lock when the
process dies, however it dies (SIGKILL included), so "the lock is free" means "the owner is
gone": any worker that can take it adopts the directory — stores its records in the database
(idempotent on ``request_id``), settles the credit holds they name, then deletes it.

A new worker creates its lock file under a temporary name, locks it, and only then renames it
into place (the lock follows the inode), so an adopter can never see a live worker's directory
with a free lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fomo.gateway.journal import read_segments

LOCK_SUFFIX = ".lock"
TMP_PREFIX = ".new-"
LEGACY_LOCK = ".legacy.lock"
"""Guards the segments an older gateway wrote directly in the root."""

RecordsHandler = Callable[[list[dict[str, Any]]], None]


@dataclass
class JournalClaim:
    """This worker's journal directory and the lock that says it is alive."""

    root: Path
    worker_id: str
    directory: Path
    _fd: int

    def release(self) -> None:
        """Give the directory up at a clean shutdown (after everything was flushed)."""
        if self._fd < 0:
            return
        with contextlib.suppress(OSError):
            if not any(self.directory.glob("usage-*.jsonl")):
                self.directory.rmdir()
                (self.root / f"{self.worker_id}{LOCK_SUFFIX}").unlink()
        os.close(self._fd)  # closing drops the flock
        self._fd = -1


def new_worker_id() -> str:
    host = socket.gethostname().split(".")[0] or "host"
    return f"{host}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def claim(root: Path, worker_id: str | None = None) -> JournalClaim:
    root.mkdir(parents=True, exist_ok=True)
    for attempt in range(5):
        wid = worker_id if worker_id and attempt == 0 else new_worker_id()
        tmp = root / f"{TMP_PREFIX}{wid}{LOCK_SUFFIX}"
        fd = os.open(tmp, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            directory = root / wid
            directory.mkdir(exist_ok=True)
            os.rename(tmp, root / f"{wid}{LOCK_SUFFIX}")
        except (BlockingIOError, FileNotFoundError):
            # An adopter cleaning up temporary lock files took this one: try a fresh id.
            os.close(fd)
            continue
        return JournalClaim(root, wid, directory, fd)
    raise RuntimeError(f"could not claim a journal directory under {root}")


def _store(directory: Path, handle: RecordsHandler) -> int:
    paths, records = read_segments(directory)
    for i in range(0, len(records), 1000):
        handle(records[i : i + 1000])
    for p in paths:
        p.unlink()
    return len(records)


def _lock_if_free(path: Path) -> int | None:
    """An fd holding ``path``'s flock, or None if a live process holds it / it is gone."""
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    try:  # a previous adopter may have unlinked it between our open and our lock
        same = os.fstat(fd).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        same = False
    if not same:
        os.close(fd)
        return None
    return fd


def adopt_orphans(root: Path, handle: RecordsHandler, *, skip: str | None = None) -> int:
    """Store (via ``handle``) and delete the journals of every dead worker; returns the count.

    ``handle`` must be idempotent (it may see a batch again if this process dies half-way: the
    directory is deleted only after every record in it was handled).
    """
    if not root.exists():
        return 0
    n = 0
    legacy = [p for p in root.glob("usage-*.jsonl") if p.is_file()]
    if legacy:
        fd = os.open(root / LEGACY_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            n += _store(root, handle)
        except BlockingIOError:
            pass
        finally:
            os.close(fd)
    for lock in sorted(root.glob(f"*{LOCK_SUFFIX}")):
        name = lock.name[: -len(LOCK_SUFFIX)]
        if name == skip or name.startswith(".") or lock.name == LEGACY_LOCK:
            continue
        got = _lock_if_free(lock)
        if got is None:
            continue
        fd = got
        try:
            directory = root / name
            if directory.is_dir():
                n += _store(directory, handle)
                with contextlib.suppress(OSError):
                    directory.rmdir()
            lock.unlink()
        finally:
            os.close(fd)
    for tmp in root.glob(f"{TMP_PREFIX}*{LOCK_SUFFIX}"):  # a worker that died while starting
        tmp_fd = _lock_if_free(tmp)
        if tmp_fd is not None:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            os.close(tmp_fd)
    return n
