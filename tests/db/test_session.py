"""Engine/session behaviour: SQLite pragmas, serialised read-modify-write, FK enforcement,
and log idempotency on (tx_hash, log_index)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from fomo.db.migrate import upgrade
from fomo.db.models import IndexerCursor, Launch, Purchase
from fomo.db.session import make_engine, make_session_factory, session_scope, sqlite_path

TX = "0x" + "11" * 32
BLOCK = "0x" + "22" * 32
TOKEN = "0x" + "aa" * 20
BUYER = "0x" + "bb" * 20


def _launch() -> Launch:
    return Launch(
        token=TOKEN,
        creator=BUYER,
        model_type_id="0x" + "00" * 32,
        target_raise_min=100_000 * 10**18,
        target_raise_max=500_000 * 10**18,
        target_sale=400_000 * 10**18,
        sale_start=1,
        sale_end=2,
        mt_name="Alice",
        mt_symbol="ALICE",
        created_block=1,
        created_tx=TX,
        created_log_index=0,
    )


def _purchase(log_index: int = 0, token: str = TOKEN) -> Purchase:
    return Purchase(
        token=token,
        buyer=BUYER,
        flock_in=2**256 - 1,
        net_used=1,
        mt_allocated=1,
        protocol_fee=0,
        creator_fee=0,
        anti_sniper_fee=0,
        block_number=5,
        block_hash=BLOCK,
        block_time=1_700_000_000,
        tx_hash=TX,
        log_index=log_index,
    )


def test_sqlite_file_uses_wal_and_busy_timeout(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sub' / 'fomo.db'}"
    assert sqlite_path(url) == tmp_path / "sub" / "fomo.db"
    engine = make_engine(url, busy_timeout_ms=4321)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 4321
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()
    assert (tmp_path / "sub" / "fomo.db").exists()


def test_same_log_twice_is_rejected(db_url: str) -> None:
    upgrade(db_url)
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    with session_scope(factory) as s:
        s.add(_launch())
        s.add(_purchase())
    with pytest.raises(IntegrityError), session_scope(factory) as s:
        s.add(_purchase())
    with session_scope(factory) as s:
        s.add(_purchase(log_index=1))
    with session_scope(factory) as s:
        amounts = list(s.scalars(select(Purchase.flock_in)))
    assert amounts == [2**256 - 1, 2**256 - 1]
    engine.dispose()


def test_foreign_keys_are_enforced(db_url: str) -> None:
    upgrade(db_url)
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    with pytest.raises(IntegrityError), session_scope(factory) as s:
        s.add(_purchase(token="0x" + "cc" * 20))
    engine.dispose()


def test_concurrent_read_modify_write_loses_no_update(db_url: str) -> None:
    # Two writers increment the same row by read-then-write; on SQLite BEGIN IMMEDIATE serialises
    # them, on PostgreSQL the row lock (FOR UPDATE) does.
    upgrade(db_url)
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    with session_scope(factory) as s:
        s.add(IndexerCursor(name="c", chain_id=1, block_number=0, block_hash=BLOCK))
    per_thread = 25
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(per_thread):
                with session_scope(factory) as s:
                    row = s.scalars(
                        select(IndexerCursor).where(IndexerCursor.name == "c").with_for_update()
                    ).one()
                    row.block_number = row.block_number + 1
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with session_scope(factory) as s:
        assert s.scalar(select(IndexerCursor.block_number)) == 2 * per_thread
    engine.dispose()
