"""Engine and session factory from a database URL (SQLite embedded default, PostgreSQL by URL).

SQLite connections get ``journal_mode=WAL`` (readers do not block the writer),
``busy_timeout`` (a writer waits for the lock instead of failing at once), ``foreign_keys=ON`` and
``synchronous=NORMAL`` (durable across process crashes in WAL mode). Transactions on SQLite start
with ``BEGIN IMMEDIATE``: the write lock is taken up front, so a read-then-write transaction (a
credit hold, an indexer batch) cannot fail half-way with ``SQLITE_BUSY`` when another writer got
there first — it waits up to ``busy_timeout`` instead. That serialises SQLite transactions, which
is what SQLite does for writers anyway; PostgreSQL is the target for concurrency.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

DEFAULT_BUSY_TIMEOUT_MS = 10_000


def is_sqlite(url: str) -> bool:
    """True when ``url`` names a SQLite database."""
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """Filesystem path of a file-backed SQLite URL (``None`` for in-memory or non-SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(database)


def make_engine(
    url: str,
    *,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    echo: bool = False,
    **kwargs: Any,
) -> Engine:
    """Create an engine for ``url``; creates the parent directory of a SQLite file."""
    if not is_sqlite(url):
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(url, echo=echo, **kwargs)

    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    connect_args = dict(kwargs.pop("connect_args", {}))
    connect_args.setdefault("check_same_thread", False)
    if path is None:
        # One shared connection, or every new connection would see a fresh empty database.
        kwargs.setdefault("poolclass", StaticPool)
    engine = create_engine(url, echo=echo, connect_args=connect_args, **kwargs)
    _install_sqlite_pragmas(engine, busy_timeout_ms, wal=path is not None)
    return engine


def _install_sqlite_pragmas(engine: Engine, busy_timeout_ms: int, *, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own implicit BEGIN is unreliable; we emit BEGIN ourselves in "begin".
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            if wal:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Session factory; objects stay readable after commit (``expire_on_commit=False``)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session that commits on success and rolls back on any exception."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def redact_url(url: str) -> str:
    """A database URL safe to print: the password hidden."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
