"""Market data: DEX pair ``Swap`` events (``pair_swaps``), backfilled from the raw event log.

Revision ID: 0006_market_data
Revises: 0005_launch_metadata
Create Date: 2026-11-27 10:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fomo.db.base

revision: str = "0006_market_data"
down_revision: str | None = "0005_launch_metadata"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LOG_COLUMNS = ("block_number", "block_hash", "block_time", "tx_hash", "log_index")


def upgrade() -> None:
    op.create_table(
        "pair_swaps",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pair", fomo.db.base.Address(length=42), nullable=False),
        sa.Column("sender", fomo.db.base.Address(length=42), nullable=False),
        sa.Column("recipient", fomo.db.base.Address(length=42), nullable=False),
        sa.Column("amount0_in", fomo.db.base.Amount(length=79), nullable=False),
        sa.Column("amount1_in", fomo.db.base.Amount(length=79), nullable=False),
        sa.Column("amount0_out", fomo.db.base.Amount(length=79), nullable=False),
        sa.Column("amount1_out", fomo.db.base.Amount(length=79), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("block_hash", fomo.db.base.Hash32(length=66), nullable=False),
        sa.Column("block_time", sa.BigInteger(), nullable=False),
        sa.Column("tx_hash", fomo.db.base.Hash32(length=66), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pair_swaps")),
        sa.UniqueConstraint("tx_hash", "log_index", name=op.f("uq_pair_swaps_tx_hash_log_index")),
    )
    with op.batch_alter_table("pair_swaps", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pair_swaps_block_number"), ["block_number"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_pair_swaps_pair"), ["pair"], unique=False)
        batch_op.create_index(batch_op.f("ix_pair_swaps_recipient"), ["recipient"], unique=False)
    _backfill()


def _backfill() -> None:
    """A database indexed before this revision already holds every pair ``Swap`` in
    ``event_logs`` (decoded, integers as decimal strings): project them, so charts and trade
    lists are complete without re-indexing."""
    bind = op.get_bind()
    logs = sa.table(
        "event_logs",
        sa.column("address", fomo.db.base.Address()),
        sa.column("event", sa.String()),
        sa.column("args", sa.JSON()),
        sa.column("block_number", sa.BigInteger()),
        sa.column("block_hash", fomo.db.base.Hash32()),
        sa.column("block_time", sa.BigInteger()),
        sa.column("tx_hash", fomo.db.base.Hash32()),
        sa.column("log_index", sa.Integer()),
    )
    pairs = sa.table("graduations", sa.column("pair", fomo.db.base.Address()))
    swaps = sa.table(
        "pair_swaps",
        sa.column("pair", fomo.db.base.Address()),
        sa.column("sender", fomo.db.base.Address()),
        sa.column("recipient", fomo.db.base.Address()),
        sa.column("amount0_in", fomo.db.base.Amount()),
        sa.column("amount1_in", fomo.db.base.Amount()),
        sa.column("amount0_out", fomo.db.base.Amount()),
        sa.column("amount1_out", fomo.db.base.Amount()),
        *(sa.column(name) for name in _LOG_COLUMNS),
    )
    rows = bind.execute(
        sa.select(logs).where(
            logs.c.event == "Swap", logs.c.address.in_(sa.select(pairs.c.pair).distinct())
        )
    ).mappings()
    values = [
        {
            "pair": row["address"],
            "sender": row["args"]["sender"],
            "recipient": row["args"]["to"],
            "amount0_in": int(row["args"]["amount0In"]),
            "amount1_in": int(row["args"]["amount1In"]),
            "amount0_out": int(row["args"]["amount0Out"]),
            "amount1_out": int(row["args"]["amount1Out"]),
            **{name: row[name] for name in _LOG_COLUMNS},
        }
        for row in rows
    ]
    if values:
        op.bulk_insert(swaps, values)


def downgrade() -> None:
    with op.batch_alter_table("pair_swaps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pair_swaps_recipient"))
        batch_op.drop_index(batch_op.f("ix_pair_swaps_pair"))
        batch_op.drop_index(batch_op.f("ix_pair_swaps_block_number"))
    op.drop_table("pair_swaps")
