"""Epoch engine: covering index of the day's usage aggregation.

Revision ID: 0004_epochs
Revises: 0003_indexer
Create Date: 2026-11-21 06:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004_epochs"
down_revision: str | None = "0003_indexer"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = [
    "day",
    "deployment",
    "account",
    "charged",
    "gross_nano_usd",
    "paid_nano_usd",
    "compute_cost_nano_usd",
]


def upgrade() -> None:
    with op.batch_alter_table("gateway_usage", schema=None) as batch_op:
        batch_op.create_index("ix_gateway_usage_epoch", _COLUMNS, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("gateway_usage", schema=None) as batch_op:
        batch_op.drop_index("ix_gateway_usage_epoch")
