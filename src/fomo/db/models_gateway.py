"""API platform tables (migration ``0002_gateway``): keys, sign-in, credits and metered usage.

Money:

* The credit ledger uses :class:`~fomo.db.base.Amount` (exact integer nano-USD, any size), like
  every other balance in the schema; a balance is ``Σ ledger − Σ usage.paid`` summed in Python.
* Per-request amounts in :class:`UsageRecord` are ``BIGINT`` nano-USD. One request can never cost
  anywhere near 2**63 nano-USD (≈ $9.2 billion), so BIGINT is exact here, and it lets the
  database ``SUM`` usage by day/model/deployment on both backends (``Amount`` cannot be summed
  in SQL on SQLite). Readers of ``SUM`` should wrap it in ``int()``: PostgreSQL returns NUMERIC.

Who reads what: the epoch engine reads ``gateway_usage`` (``day``, ``deployment``, ``account``,
``gross_nano_usd`` for rewards, ``paid_nano_usd`` and ``compute_cost_nano_usd`` for revenue,
``status`` — only rows with ``charged = true`` are billable usage).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fomo.db.base import Address, Amount, Base, UTCDateTime, utcnow


class ApiKey(Base):
    """An API key ``sk-…``: only its SHA-256 is stored (keys are 256-bit random, so a fast hash
    is as strong as a slow one); ``prefix`` (first 12 characters) identifies it in listings."""

    __tablename__ = "gateway_api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account: Mapped[str] = mapped_column(Address, index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    rpm_limit: Mapped[int | None] = mapped_column(Integer, nullable=True)
    tpm_limit: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Spend limit (migration 0008; fomo.economics.spend_limits): nano-USD per reset period.
    limit_nano_usd: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    """None: no spend limit (the account's balance and limit still apply)."""
    limit_reset: Mapped[str | None] = mapped_column(String(8), nullable=True)
    """``daily``, ``weekly``, ``monthly`` or None (the limit never resets)."""


class AccountLimit(Base):
    """An account's spend limit (migration 0008): one row per account that has one. It caps
    what all of the account's keys together spend per period, on top of each key's own."""

    __tablename__ = "gateway_account_limits"

    account: Mapped[str] = mapped_column(Address, primary_key=True)
    limit_nano_usd: Mapped[int] = mapped_column(BigInteger)
    limit_reset: Mapped[str | None] = mapped_column(String(8), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SiweNonce(Base):
    """A Sign-In with Ethereum nonce: single use, short-lived."""

    __tablename__ = "gateway_siwe_nonces"

    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class SiweSession(Base):
    """A signed-in wallet session (bearer ``sess-…``, stored hashed) used to manage keys."""

    __tablename__ = "gateway_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account: Mapped[str] = mapped_column(Address, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CreditEntry(Base):
    """Append-only prepaid-credit ledger (positive = credit). ``ref`` is unique, so crediting the
    same deposit or replaying the same grant twice is impossible: ``deposit:<tx>:<log_index>``,
    ``grant:<uuid>``."""

    __tablename__ = "gateway_credit_ledger"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account: Mapped[str] = mapped_column(Address, index=True)
    amount_nano_usd: Mapped[int] = mapped_column(Amount)
    kind: Mapped[str] = mapped_column(String(16))
    ref: Mapped[str] = mapped_column(String(160), unique=True)
    note: Mapped[str] = mapped_column(String(256), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class UsageRecord(Base):
    """One metered request. ``request_id`` is unique: the write-ahead journal is replayed with
    insert-or-ignore, so a record is stored exactly once however often it is replayed."""

    __tablename__ = "gateway_usage"
    __table_args__ = (
        Index("ix_gateway_usage_day_deployment", "day", "deployment"),
        Index("ix_gateway_usage_account_day", "account", "day"),
        # The request log pages newest first (fomo.gateway.requests_log; migration 0007).
        Index("ix_gateway_usage_account_created", "account", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    request_id: Mapped[str] = mapped_column(String(40), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    day: Mapped[int] = mapped_column(Integer)
    """UTC day number (days since 1970-01-01) = the epoch the usage belongs to."""
    account: Mapped[str] = mapped_column(Address)
    key_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    endpoint: Mapped[str] = mapped_column(String(32))
    model_id: Mapped[str] = mapped_column(String(160))
    base_model: Mapped[str] = mapped_column(String(128))
    deployment: Mapped[str | None] = mapped_column(Address, nullable=True)
    """MT token address the usage is attributed to (None: base model id under Season 2)."""
    input_tokens: Mapped[int] = mapped_column(BigInteger, default=0)
    cached_input_tokens: Mapped[int] = mapped_column(BigInteger, default=0)
    output_tokens: Mapped[int] = mapped_column(BigInteger, default=0)
    reasoning_tokens: Mapped[int] = mapped_column(BigInteger, default=0)
    gross_nano_usd: Mapped[int] = mapped_column(BigInteger, default=0)
    discount_bps: Mapped[int] = mapped_column(Integer, default=0)
    paid_nano_usd: Mapped[int] = mapped_column(BigInteger, default=0)
    compute_cost_nano_usd: Mapped[int] = mapped_column(BigInteger, default=0)
    latency_us: Mapped[int] = mapped_column(BigInteger, default=0)
    overhead_us: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[int] = mapped_column(Integer)
    """HTTP status the client got (a cut stream keeps 200 and sets ``cut``)."""
    charged: Mapped[bool] = mapped_column(Boolean, default=True)
    estimated: Mapped[bool] = mapped_column(Boolean, default=False)
    stream: Mapped[bool] = mapped_column(Boolean, default=False)
    cut: Mapped[bool] = mapped_column(Boolean, default=False)
