"""Spend limits: a per-key limit (two columns on gateway_api_keys) and gateway_account_limits

Revision ID: 0008_spend_limits
Revises: 0007_request_log
Create Date: 2026-11-27 13:30:00

A limit is integer nano-USD (BIGINT: the shared ledger handles at most 2**53 − 1 exactly, far
below BIGINT's range) and a reset period (``daily``/``weekly``/``monthly``, NULL: never). The
spend counted against it is not stored here: it is the charged usage of the period
(``gateway_usage``), which the hot ledger is rebuilt from.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fomo.db.base

revision: str = "0008_spend_limits"
down_revision: str | None = "0007_request_log"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("gateway_api_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("limit_nano_usd", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("limit_reset", sa.String(length=8), nullable=True))
    op.create_table(
        "gateway_account_limits",
        sa.Column("account", fomo.db.base.Address(length=42), nullable=False),
        sa.Column("limit_nano_usd", sa.BigInteger(), nullable=False),
        sa.Column("limit_reset", sa.String(length=8), nullable=True),
        sa.Column("updated_at", fomo.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("account", name=op.f("pk_gateway_account_limits")),
    )


def downgrade() -> None:
    op.drop_table("gateway_account_limits")
    with op.batch_alter_table("gateway_api_keys", schema=None) as batch_op:
        batch_op.drop_column("limit_reset")
        batch_op.drop_column("limit_nano_usd")
