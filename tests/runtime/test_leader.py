"""The indexer and the epoch scheduler run once per database: a leader lease per role.

Contenders are separate processes (a file lock or an advisory lock held by a thread in this
process would prove nothing about another process); the holder is killed with SIGKILL and the
survivor must take over. Waits are bounded polls for a condition, never timings.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from fomo.runtime.leader import FileLease, LeaderGate, PostgresLease, gate, lease_for
from fomo.workers import PeriodicWorker
from tests.services import postgres_url

BOUND = 60.0  # seconds a condition may take on a loaded 2-core machine before the test fails

CONTENDER = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from fomo.runtime.leader import LeaderGate, lease_for

    db_url, data_dir, out, role = sys.argv[1:5]

    class Marker:
        name = role
        def start(self):
            # Proves this process started the role's worker (i.e. it leads).
            Path(out, str(os.getpid())).write_text("leading")
        def stop(self, timeout=10.0):
            Path(out, str(os.getpid())).unlink(missing_ok=True)

    g = LeaderGate(Marker(), lease_for(db_url, Path(data_dir), role), retry=0.2)
    g.start()
    print("ready", flush=True)
    while True:
        time.sleep(3600)
    """
)


def wait_for(cond: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + BOUND
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {BOUND}s: {what}")
        time.sleep(0.05)


def leaders(out: Path) -> set[int]:
    return {int(p.name) for p in out.iterdir()}


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'fomo.db'}"
    return postgres_url()


Spawn = Callable[[str, Path], "subprocess.Popen[str]"]


@pytest.fixture
def contenders(tmp_path: Path, db_url: str) -> Iterator[Spawn]:
    procs: list[subprocess.Popen[str]] = []

    def spawn(role: str, data_dir: Path) -> subprocess.Popen[str]:
        out = tmp_path / "out"
        out.mkdir(exist_ok=True)
        p = subprocess.Popen(
            [sys.executable, "-c", CONTENDER, db_url, str(data_dir), str(out), role],
            stdout=subprocess.PIPE,
            text=True,
        )
        procs.append(p)
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
        return p

    yield spawn
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.wait()


def test_one_leader_and_takeover_after_sigkill(
    tmp_path: Path, db_url: str, contenders: Spawn
) -> None:
    # A unique role per run: the PostgreSQL server is shared with other tests and engineers.
    role = f"epochs-{uuid.uuid4().hex[:8]}" if db_url.startswith("postgresql") else "epochs"
    out = tmp_path / "out"
    # Separate data dirs, one database: the case a second `fomo up` creates.
    a = contenders(role, tmp_path / "a")
    b = contenders(role, tmp_path / "b")
    wait_for(lambda: len(leaders(out)) == 1, "one contender leads")
    # Both have tried many times (retry 0.2 s) by the time a third one has started and tried.
    c = contenders(role, tmp_path / "c")
    wait_for(lambda: Path(f"/proc/{c.pid}").exists(), "third contender runs")
    first = leaders(out)
    assert len(first) == 1
    (holder,) = first
    assert holder in {a.pid, b.pid}

    os.kill(holder, signal.SIGKILL)
    (a if a.pid == holder else b).wait()
    (out / str(holder)).unlink()  # the marker of the dead leader (it could not remove it)
    wait_for(lambda: len(leaders(out)) == 1, "a survivor takes over")
    (second,) = leaders(out)
    assert second != holder and second in {a.pid, b.pid, c.pid}


class Counting(PeriodicWorker):
    """Stands for the epoch scheduler: each tick "settles" the next day by recording it."""

    def __init__(self, settled: list[tuple[str, int]], who: str) -> None:
        super().__init__("epochs", interval=0.0)
        self.settled = settled
        self.who = who
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        super().start()

    def tick(self) -> None:
        self.settled.append((self.who, len(self.settled)))


def test_racing_gated_schedulers_settle_each_day_once(tmp_path: Path, db_url: str) -> None:
    """Two schedulers started at once on one database: only one ever ticks."""
    settled: list[tuple[str, int]] = []
    role_suffix = uuid.uuid4().hex[:8]
    gates = []
    for who in ("one", "two"):
        inner = Counting(settled, who)
        if db_url.startswith("postgresql"):
            inner.name = f"epochs-{role_suffix}"
            lease = lease_for(db_url, tmp_path, inner.name)
            gates.append(LeaderGate(inner, lease, retry=0.05))
        else:
            g = gate(inner, db_url, tmp_path, retry=0.05)
            assert isinstance(g, LeaderGate)
            gates.append(g)
    barrier = threading.Barrier(2)

    def go(g: LeaderGate) -> None:
        barrier.wait()
        g.start()

    threads = [threading.Thread(target=go, args=(g,)) for g in gates]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wait_for(lambda: len(settled) >= 200, "the leader ticks")
    # Stop the follower first: stopping the leader first would (rightly) hand over the role.
    for g in sorted(gates, key=lambda g: g.leading.is_set()):
        g.stop()
    assert len({who for who, _ in settled}) == 1
    # Each "day" recorded exactly once, in order.
    assert [day for _, day in settled] == list(range(len(settled)))


def test_sqlite_lease_sits_next_to_the_database(tmp_path: Path) -> None:
    lease = lease_for(f"sqlite:///{tmp_path / 'x' / 'fomo.db'}", tmp_path / "data", "indexer")
    assert isinstance(lease, FileLease)
    assert lease.path == (tmp_path / "x" / "fomo.db.indexer.leader").resolve()
    other = FileLease(lease.path)
    assert lease.try_acquire() and not other.try_acquire()
    lease.release()
    assert other.try_acquire()
    other.release()


def test_gate_leaves_other_workers_alone(tmp_path: Path) -> None:
    w = Counting([], "x")
    w.name = "chainclock"
    assert gate(w, f"sqlite:///{tmp_path / 'db'}", tmp_path) is w


def test_postgres_lease_lost_session_stops_the_worker(tmp_path: Path) -> None:
    url = postgres_url()
    role = f"indexer-{uuid.uuid4().hex[:8]}"
    settled: list[tuple[str, int]] = []
    inner = Counting(settled, "one")
    inner.name = role
    lease = PostgresLease(url, role)
    g = LeaderGate(inner, lease, retry=0.05)
    g.start()
    wait_for(g.leading.is_set, "leads")
    # The server ends the leader's session (a PostgreSQL restart, an admin's kill).
    admin = create_engine(url)
    with admin.connect() as c:
        pids = c.execute(
            text("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = :o"),
            {"o": lease.key & 0xFFFFFFFF},
        ).scalars()
        for pid in list(pids):
            c.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
    # The gate notices, stops its worker, and leads again on a fresh session.
    wait_for(lambda: inner.starts == 2 and g.leading.is_set(), "leads again")
    g.stop()
    admin.dispose()


def test_postgres_follower_with_a_broken_session_still_takes_over(tmp_path: Path) -> None:
    url = postgres_url()
    role = f"indexer-{uuid.uuid4().hex[:8]}"
    holder = PostgresLease(url, role)
    assert holder.try_acquire()
    follower = PostgresLease(url, role)
    assert not follower.try_acquire()
    admin = create_engine(url)
    with admin.connect() as c:  # the server drops the waiting follower's session
        assert follower._conn is not None
        pid = follower._conn.execute(text("SELECT pg_backend_pid()")).scalar()
        c.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
    admin.dispose()
    with pytest.raises(Exception):  # noqa: B017 - whatever the driver raises for a dead session
        follower.try_acquire()
    holder.release()
    assert follower.try_acquire()  # reconnected, and the lease is free now
    follower.release()
