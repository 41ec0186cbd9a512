"""One leader per role in the fleet: the indexer and the epoch scheduler run once.

Two `fomo up` on one database would both index and both settle. Each such worker is wrapped in a
:class:`LeaderGate`, which starts it only while this process holds the role's lease:

* PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) on a connection held for
  the worker's life. PostgreSQL releases it when the session ends, so a process that dies (even
  SIGKILL, even a lost host once the server notices the dead TCP connection) frees it.
* SQLite (single host by nature): ``flock`` on ``<database file>.<role>.leader``, next to the
  database so two data dirs sharing one database file still contend. The kernel releases it
  when the process dies.

A gate that is not leader logs once that it waits and retries every ``retry`` seconds; it takes
over when the leader goes away. A leader whose PostgreSQL session is lost stops its worker at
once (another process may already hold the lock) and goes back to waiting.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import threading
from pathlib import Path
from typing import IO, Protocol

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

from fomo.workers import Worker

log = logging.getLogger(__name__)

#: Worker names that must run once per database.
LEADER_ROLES = frozenset({"indexer", "epochs"})


class Lease(Protocol):
    """An exclusive, crash-released claim on one role."""

    describe: str

    def try_acquire(self) -> bool:
        """Take the lease if free; ``True`` if this process holds it now."""

    def still_held(self) -> bool:
        """Whether a lease taken earlier is still ours (PostgreSQL: the session is alive)."""

    def release(self) -> None:
        """Give the lease up (idempotent)."""


def advisory_key(role: str) -> int:
    """A stable signed 64-bit key for ``pg_try_advisory_lock``, namespaced to FOMO."""
    digest = hashlib.sha256(f"fomo-leader:{role}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class PostgresLease:
    """Session advisory lock on a dedicated connection (never from the worker's pool)."""

    def __init__(self, url: str, role: str) -> None:
        self.role = role
        self.key = advisory_key(role)
        self.describe = f"PostgreSQL advisory lock {self.key}"
        self._engine: Engine = create_engine(url, poolclass=NullPool)
        self._conn: Connection | None = None

    def try_acquire(self) -> bool:
        if self._conn is None:
            self._conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            got = self._conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key})
        except Exception:
            self._drop()  # a broken session (server restarted): reconnect on the next try
            raise
        return bool(got.scalar())

    def still_held(self) -> bool:
        if self._conn is None:
            return False
        try:
            # A session-level lock lasts exactly as long as the session: alive means held.
            self._conn.execute(text("SELECT 1"))
            return True
        except Exception:
            log.warning("leader %s: lost the database session", self.role, exc_info=True)
            self._drop()
            return False

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.invalidate()
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None

    def release(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None
        self._engine.dispose()


class FileLease:
    """``flock`` on a file; the lock lives with the open file description, so two leases on one
    path contend even inside one process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.describe = f"lock file {path}"
        self._fh: IO[str] | None = None

    def try_acquire(self) -> bool:
        if self._fh is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = self.path.open("a+")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.close()
            return False
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        self._fh = fh
        return True

    def still_held(self) -> bool:
        return self._fh is not None

    def release(self) -> None:
        if self._fh is not None:
            fcntl.flock(self._fh, fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None


def lease_for(db_url: str, data_dir: Path, role: str) -> Lease:
    """The lease that makes ``role`` unique among every process using ``db_url``."""
    url = make_url(db_url)
    if url.get_backend_name() == "postgresql":
        return PostgresLease(db_url, role)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        db = Path(url.database).resolve()
        return FileLease(db.with_name(f"{db.name}.{role}.leader"))
    return FileLease(data_dir.resolve() / f"{role}.leader")


class LeaderGate:
    """Runs ``inner`` only while holding ``lease``; otherwise waits for the leader to go away."""

    def __init__(self, inner: Worker, lease: Lease, *, retry: float = 3.0) -> None:
        self.inner = inner
        self.lease = lease
        self.retry = retry
        self.name = inner.name
        self.leading = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, name=f"fomo-leader-{self.name}", daemon=True
        )
        self._thread.start()

    def _try(self) -> bool:
        try:
            return self.lease.try_acquire()
        except Exception:
            log.warning("leader %s: cannot reach the lock; retrying", self.name, exc_info=True)
            return False

    def _run(self) -> None:
        said_waiting = False
        while not self._stop.is_set():
            if not self._try():
                if not said_waiting:
                    log.info(
                        "%s: another process leads (%s); waiting to take over",
                        self.name,
                        self.lease.describe,
                    )
                    said_waiting = True
                self._stop.wait(self.retry)
                continue
            log.info("%s: this process leads (%s)", self.name, self.lease.describe)
            said_waiting = False
            try:
                self.inner.start()
            except Exception:
                log.exception("%s: worker failed to start; giving the role up", self.name)
                self.lease.release()
                self._stop.wait(self.retry)
                continue
            self.leading.set()
            while not self._stop.wait(self.retry):
                if not self.lease.still_held():
                    log.error("%s: leadership lost; stopping until it is ours again", self.name)
                    break
            self.leading.clear()
            self.inner.stop()
            self.lease.release()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout * 2)  # the inner worker's own stop may take ``timeout``
            if self._thread.is_alive():
                log.warning("leader gate %s did not stop within %.1fs", self.name, timeout)
                return  # its thread still owns the lease; the OS/server frees it at exit
            self._thread = None
        self.lease.release()


def gate(worker: Worker, db_url: str, data_dir: Path, *, retry: float = 3.0) -> Worker:
    """Wrap ``worker`` in a leader gate if its role must run once per database."""
    if worker.name not in LEADER_ROLES:
        return worker
    return LeaderGate(worker, lease_for(db_url, data_dir, worker.name), retry=retry)
