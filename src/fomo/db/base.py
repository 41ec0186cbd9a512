"""Declarative base and shared column types for every FOMO table.

Stable names other components build on (do not rename):

* :class:`Base` — the one SQLAlchemy 2 ``DeclarativeBase``; all models (core, gateway, …) subclass
  it so a single ``Base.metadata`` describes the whole schema. Constraint names follow
  :data:`NAMING_CONVENTION` so Alembic migrations are deterministic on SQLite and PostgreSQL.
* :class:`Amount` — exact integer money/amount column for uint256 token base units (wei) and for
  integer nano-USD. Python side is always ``int``; floats, bools and strings are rejected.
  PostgreSQL stores ``NUMERIC(78, 0)``; SQLite stores a fixed-width 79-character text encoding that
  sorts in numeric order (SQLite ``INTEGER`` is only 64-bit, 1e24 wei would overflow it). Accepts
  any integer with ``|value| < 10**78`` (covers ``2**256 - 1`` and negative ledger deltas).
  ``=``, ``<``, ``>``, ``ORDER BY`` and ``MIN``/``MAX`` work on both backends; **``SUM``/``AVG``
  must be done in Python** (on SQLite the SQL engine would coerce the text to a float).
* :class:`Address` — EVM address as lower-case ``0x`` + 40 hex characters (42 chars). Input may be
  checksummed or lower case; anything that is not a 20-byte hex address is rejected.
* :class:`Hash32` — 32-byte hash (tx hash, block hash, bytes32 ids) as lower-case ``0x`` + 64 hex.
* :class:`UTCDateTime` — timezone-aware UTC ``datetime`` on both backends (SQLite drops tzinfo;
  this type stores naive UTC and gives back aware UTC).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import DateTime, MetaData, Numeric, String
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator, TypeEngine

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every FOMO table (one metadata, shared naming convention)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# 10**78 - 1 is the largest value NUMERIC(78, 0) holds; 2**256 - 1 has 78 digits.
AMOUNT_DIGITS = 78
AMOUNT_LIMIT = 10**AMOUNT_DIGITS
UINT256_MAX = 2**256 - 1


def _check_int(value: Any) -> int:
    # bool is an int subclass; a True balance is a bug, not 1 wei.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"amounts must be int, got {type(value).__name__}: {value!r}")
    if not -AMOUNT_LIMIT < value < AMOUNT_LIMIT:
        raise ValueError(f"amount out of range (|x| < 10**{AMOUNT_DIGITS}): {value}")
    return value


def encode_sortable_int(value: int) -> str:
    """Fixed-width text whose byte order equals numeric order (used for SQLite storage).

    Non-negative: ``"0"`` + 78 zero-padded digits. Negative: ``"-"`` + the 78-digit complement
    ``10**78 + value``, so ``"-"`` (0x2D) sorts before ``"0"`` and more negative sorts first.
    """
    value = _check_int(value)
    if value >= 0:
        return "0" + str(value).zfill(AMOUNT_DIGITS)
    return "-" + str(AMOUNT_LIMIT + value).zfill(AMOUNT_DIGITS)


def decode_sortable_int(text: str) -> int:
    """Inverse of :func:`encode_sortable_int`."""
    if len(text) != AMOUNT_DIGITS + 1 or not text[1:].isdigit() or text[0] not in "0-":
        raise ValueError(f"not an encoded amount: {text!r}")
    magnitude = int(text[1:])
    return magnitude if text[0] == "0" else magnitude - AMOUNT_LIMIT


class Amount(TypeDecorator[int]):
    """Exact integer amount: NUMERIC(78,0) on PostgreSQL, sortable fixed-width text on SQLite."""

    impl = String(AMOUNT_DIGITS + 1)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(Numeric(AMOUNT_DIGITS, 0, asdecimal=True))
        return dialect.type_descriptor(String(AMOUNT_DIGITS + 1))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        value = _check_int(value)
        if dialect.name == "postgresql":
            return Decimal(value)
        return encode_sortable_int(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if isinstance(value, Decimal):
            as_int = int(value)
            if as_int != value:
                raise ValueError(f"non-integral amount in database: {value}")
            return as_int
        if isinstance(value, int):
            return value
        return decode_sortable_int(str(value))

    @property
    def python_type(self) -> type[int]:
        return int


_ADDRESS_RE = re.compile(r"^0x[0-9a-fA-F]{40}$")
_HASH32_RE = re.compile(r"^0x[0-9a-fA-F]{64}$")


def normalize_address(value: str | bytes) -> str:
    """Lower-case ``0x`` hex form of an address given as hex text or 20 raw bytes."""
    if isinstance(value, bytes | bytearray):
        if len(value) != 20:
            raise ValueError(f"address must be 20 bytes, got {len(value)}")
        return "0x" + bytes(value).hex()
    if not isinstance(value, str) or not _ADDRESS_RE.match(value):
        raise ValueError(f"not an address: {value!r}")
    return value.lower()


def normalize_hash32(value: str | bytes) -> str:
    """Lower-case ``0x`` hex form of a 32-byte hash given as hex text or raw bytes."""
    if isinstance(value, bytes | bytearray):
        if len(value) != 32:
            raise ValueError(f"hash must be 32 bytes, got {len(value)}")
        return "0x" + bytes(value).hex()
    if not isinstance(value, str) or not _HASH32_RE.match(value):
        raise ValueError(f"not a 32-byte hash: {value!r}")
    return value.lower()


class Address(TypeDecorator[str]):
    """EVM address stored as lower-case ``0x`` + 40 hex (VARCHAR(42))."""

    impl = String(42)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return normalize_address(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else str(value)

    @property
    def python_type(self) -> type[str]:
        return str


class Hash32(TypeDecorator[str]):
    """32-byte hash (tx/block hash, bytes32 id) as lower-case ``0x`` + 64 hex (VARCHAR(66))."""

    impl = String(66)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return normalize_hash32(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else str(value)

    @property
    def python_type(self) -> type[str]:
        return str


class UTCDateTime(TypeDecorator[datetime]):
    """Aware-UTC datetime on both backends; naive inputs are rejected (ambiguous)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected datetime, got {type(value).__name__}")
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware UTC datetime")
        as_utc = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return as_utc.replace(tzinfo=None)
        return as_utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # SQLite without declared type affinity
            value = datetime.fromisoformat(value)
        assert isinstance(value, datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    @property
    def python_type(self) -> type[datetime]:
        return datetime


def utcnow() -> datetime:
    """Current aware-UTC time (use as a column ``default=``)."""
    return datetime.now(UTC)
