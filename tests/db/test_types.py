"""Shared column types: exact uint256 amounts, addresses, hashes, UTC datetimes, both backends."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Integer, select
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Mapped, Session, mapped_column

from fomo.db.base import (
    AMOUNT_LIMIT,
    UINT256_MAX,
    Address,
    Amount,
    Base,
    Hash32,
    UTCDateTime,
    decode_sortable_int,
    encode_sortable_int,
)
from fomo.db.session import make_engine, make_session_factory


class _Row(Base):
    # Test-only table; created with create_all on its own, never part of a migration.
    __tablename__ = "test_type_rows"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    amount: Mapped[int | None] = mapped_column(Amount, nullable=True)
    addr: Mapped[str | None] = mapped_column(Address, nullable=True)
    h: Mapped[str | None] = mapped_column(Hash32, nullable=True)
    at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


# Keep the test table out of the metadata the migrations are compared against.
Base.metadata.remove(_Row.__table__)  # type: ignore[arg-type]


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    engine = make_engine(db_url)
    _Row.__table__.create(engine)  # type: ignore[attr-defined]
    factory = make_session_factory(engine)
    with factory() as s:
        yield s
    engine.dispose()


AMOUNTS = [0, 1, -1, 10**24, UINT256_MAX, -UINT256_MAX, AMOUNT_LIMIT - 1, -(AMOUNT_LIMIT - 1)]


def test_amount_round_trips_exactly(session: Session) -> None:
    for i, value in enumerate(AMOUNTS):
        session.add(_Row(id=i, amount=value))
    session.commit()
    session.expire_all()
    got = {r.id: r.amount for r in session.scalars(select(_Row))}
    assert got == dict(enumerate(AMOUNTS))
    assert all(type(v) is int for v in got.values())
    assert session.scalar(select(_Row.amount).where(_Row.id == 4)) == 2**256 - 1


def test_amount_orders_and_compares_numerically(session: Session) -> None:
    values = [5, -7, 10**30, 9, UINT256_MAX, 0, -(10**40), 10]
    for i, value in enumerate(values):
        session.add(_Row(id=i, amount=value))
    session.commit()
    ordered = list(session.scalars(select(_Row.amount).order_by(_Row.amount)))
    assert ordered == sorted(values)
    above = set(session.scalars(select(_Row.amount).where(_Row.amount > 9)))
    assert above == {10**30, UINT256_MAX, 10}
    assert session.scalar(select(_Row.id).where(_Row.amount == UINT256_MAX)) == 4


@pytest.mark.parametrize("bad", [1.0, True, "5", AMOUNT_LIMIT, -AMOUNT_LIMIT])
def test_amount_rejects_non_int_and_out_of_range(session: Session, bad: object) -> None:
    session.add(_Row(id=1, amount=bad))
    with pytest.raises(StatementError):
        session.flush()


def test_address_is_stored_lower_case(session: Session) -> None:
    checksummed = "0x52908400098527886E0F7030069857D2E4169EE7"
    session.add(_Row(id=1, addr=checksummed, h="0x" + "AB" * 32))
    session.commit()
    session.expire_all()
    row = session.get(_Row, 1)
    assert row is not None
    assert row.addr == checksummed.lower()
    assert row.h == "0x" + "ab" * 32
    # Lookups with a checksummed address match the stored lower-case one.
    assert session.scalar(select(_Row.id).where(_Row.addr == checksummed)) == 1


@pytest.mark.parametrize(
    "bad", ["0x1234", "52908400098527886e0f7030069857d2e4169ee7", "0x" + "g" * 40]
)
def test_address_rejects_malformed(session: Session, bad: str) -> None:
    session.add(_Row(id=1, addr=bad))
    with pytest.raises(StatementError):
        session.flush()


def test_utc_datetime_round_trips_aware(session: Session) -> None:
    when = datetime(2026, 11, 21, 23, 30, 15, 123456, tzinfo=timezone(timedelta(hours=2)))
    session.add(_Row(id=1, at=when))
    session.commit()
    session.expire_all()
    row = session.get(_Row, 1)
    assert row is not None and row.at is not None
    assert row.at == when
    assert row.at.tzinfo is not None and row.at.utcoffset() == timedelta(0)


def test_utc_datetime_rejects_naive(session: Session) -> None:
    session.add(_Row(id=1, at=datetime(2026, 1, 1)))
    with pytest.raises(StatementError):
        session.flush()


@given(st.integers(min_value=-(AMOUNT_LIMIT - 1), max_value=AMOUNT_LIMIT - 1))
def test_sortable_encoding_round_trips(value: int) -> None:
    assert decode_sortable_int(encode_sortable_int(value)) == value


@given(
    st.integers(min_value=-(AMOUNT_LIMIT - 1), max_value=AMOUNT_LIMIT - 1),
    st.integers(min_value=-(AMOUNT_LIMIT - 1), max_value=AMOUNT_LIMIT - 1),
)
def test_sortable_encoding_preserves_order(a: int, b: int) -> None:
    ea, eb = encode_sortable_int(a), encode_sortable_int(b)
    assert (a < b) == (ea < eb)
    assert len(ea) == len(eb)


def test_datetime_default_helper_is_aware() -> None:
    from fomo.db.base import utcnow

    assert utcnow().tzinfo is UTC
