"""Core tables: indexed chain state, epochs, rewards, settlements, indexer cursor.

Revision ID: 0001_core
Revises:
Create Date: 2026-11-21 05:05:17.002119
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fomo.db.base

revision: str = "0001_core"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "burns",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("token", fomo.db.base.Address(), nullable=False),
        sa.Column("amount", fomo.db.base.Amount(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("block_hash", fomo.db.base.Hash32(), nullable=False),
        sa.Column("block_time", sa.BigInteger(), nullable=False),
        sa.Column("tx_hash", fomo.db.base.Hash32(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_burns")),
        sa.UniqueConstraint("tx_hash", "log_index", name=op.f("uq_burns_tx_hash_log_index")),
    )
    with op.batch_alter_table("burns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_burns_block_number"), ["block_number"], unique=False)
        batch_op.create_index(batch_op.f("ix_burns_token"), ["token"], unique=False)

    op.create_table(
        "buybacks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("token", fomo.db.base.Address(), nullable=False),
        sa.Column("usdc_in", fomo.db.base.Amount(), nullable=False),
        sa.Column("amount_out", fomo.db.base.Amount(), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("block_hash", fomo.db.base.Hash32(), nullable=False),
        sa.Column("block_time", sa.BigInteger(), nullable=False),
        sa.Column("tx_hash", fomo.db.base.Hash32(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_buybacks")),
        sa.UniqueConstraint("tx_hash", "log_index", name=op.f("uq_buybacks_tx_hash_log_index")),
    )
    with op.batch_alter_table("buybacks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_buybacks_block_number"), ["block_number"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_buybacks_token"), ["token"], unique=False)

    op.create_table(
        "contract_deployments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("chain_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("address", fomo.db.base.Address(), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("tx_hash", fomo.db.base.Hash32(), nullable=True),
        sa.Column("abi_hash", sa.String(length=66), nullable=False),
        sa.Column("recorded_at", fomo.db.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_deployments")),
        sa.UniqueConstraint("chain_id", "name", name=op.f("uq_contract_deployments_chain_id_name")),
    )
    op.create_table(
        "deposits",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account", fomo.db.base.Address(), nullable=False),
        sa.Column("token", fomo.db.base.Address(), nullable=False),
        sa.Column("amount", fomo.db.base.Amount(), nullable=False),
        sa.Column("credited_at", fomo.db.base.UTCDateTime(), nullable=True),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("block_hash", fomo.db.base.Hash32(), nullable=False),
        sa.Column("block_time", sa.BigInteger(), nullable=False),
        sa.Column("tx_hash", fomo.db.base.Hash32(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deposits")),
        sa.UniqueConstraint("tx_hash", "log_index", name=op.f("uq_deposits_tx_hash_log_index")),
    )
    with op.batch_alter_table("deposits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deposits_account"), ["account"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_deposits_block_number"), ["block_number"], unique=False
        )

    op.create_table(
        "epochs",
        sa.Column("epoch", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("start_time", sa.BigInteger(), nullable=False),
        sa.Column("end_time", sa.BigInteger(), nullable=False),
        sa.Column("season", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("emission", fomo.db.base.Amount(), nullable=False),
        sa.Column("merkle_root", fomo.db.base.Hash32(), nullable=True),
        sa.Column("data_file", sa.String(length=512), nullable=True),
        sa.Column("data_sha256", sa.String(length=64), nullable=True),
        sa.Column("proposed_tx", fomo.db.base.Hash32(), nullable=True),
        sa.Column("computed_at", fomo.db.base.UTCDateTime(), nullable=True),
        sa.Column("live_at", fomo.db.base.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("epoch", name=op.f("pk_epochs")),
    )
    op.create_table(
        "event_logs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("address", fomo.db.base.Address(), nullable=False),
        sa.Column("event", sa.String(length=64), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("data", sa.String(), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("block_hash", fomo.db.base.Hash32(), nullable=False),
        sa.Column("block_time", sa.BigInteger(), nullable=False),
        sa.Column("tx_hash", fomo.db.base.Hash32(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_logs")),
        sa.UniqueConstraint("tx_hash", "log_index", name=op.f("uq_event_logs_tx_hash_log_index")),
    )
    with op.batch_alter_table("event_logs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_logs_address"), ["address"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_event_logs_block_number"), ["block_number"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_event_logs_event"), ["event"], unique=False)

    op.create_table(
        "gm_lock_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account", fomo.db.base.Address(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount", fomo.db.base.Amount(), nullable=False),
        sa.Column("unlock_time", sa.BigInteger(), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("block_hash", fomo.db.base.Hash32(), nullable=False),
        sa.Column("block_time", sa.BigInteger(), nullable=False),
        sa.Column("tx_hash", fomo.db.base.Hash32(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gm_lock_events")),
        sa.UniqueConstraint(
            "tx_hash", "log_index", name=op.f("uq_gm_lock_events_tx_hash_log_index")
        ),
    )
    with op.batch_alter_table("gm_lock_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gm_lock_events_account"), ["account"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_gm_lock_events_block_number"), ["block_number"], unique=False
        )

    op.create_table(
        "gm_locks",
        sa.Column("account", fomo.db.base.Address(), nullable=False),
        sa.Column("amount", fomo.db.base.Amount(), nullable=False),
        sa.Column("unlock_time", sa.BigInteger(), nullable=False),
        sa.Column("updated_block", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("account", name=op.f("pk_gm_locks")),
    )
    op.create_table(
        "indexed_blocks",
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("block_hash", fomo.db.base.Hash32(), nullable=False),
        sa.Column("parent_hash", fomo.db.base.Hash32(), nullable=False),
        sa.Column("block_time", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("block_number", name=op.f("pk_indexed_blocks")),
    )
    op.create_table(
        "indexer_cursors",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("chain_id", sa.BigInteger(), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("block_hash", fomo.db.base.Hash32(), nullable=False),
        sa.Column("updated_at", fomo.db.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_indexer_cursors")),
    )
    op.create_table(
        "launches",
        sa.Column("token", fomo.db.base.Address(), nullable=False),
        sa.Column("creator", fomo.db.base.Address(), nullable=False),
        sa.Column("model_type_id", fomo.db.base.Hash32(), nullable=False),
        sa.Column("target_raise_min", fomo.db.base.Amount(), nullable=False),
        sa.Column("target_raise_max", fomo.db.base.Amount(), nullable=False),
        sa.Column("target_sale", fomo.db.base.Amount(), nullable=False),
        sa.Column("sale_start", sa.BigInteger(), nullable=False),
        sa.Column("sale_end", sa.BigInteger(), nullable=False),
        sa.Column("mt_name", sa.String(length=128), nullable=False),
        sa.Column("mt_symbol", sa.String(length=32), nullable=False),
        sa.Column("is_bundled", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("raised", fomo.db.base.Amount(), nullable=False),
        sa.Column("mt_sold", fomo.db.base.Amount(), nullable=False),
        sa.Column("buyers", sa.Integer(), nullable=False),
        sa.Column("pair", fomo.db.base.Address(), nullable=True),
        sa.Column("lp_flock", fomo.db.base.Amount(), nullable=True),
        sa.Column("lp_mt", fomo.db.base.Amount(), nullable=True),
        sa.Column("graduated_block", sa.BigInteger(), nullable=True),
        sa.Column("graduated_time", sa.BigInteger(), nullable=True),
        sa.Column("created_block", sa.BigInteger(), nullable=False),
        sa.Column("created_tx", fomo.db.base.Hash32(), nullable=False),
        sa.Column("created_log_index", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_launches")),
    )
    with op.batch_alter_table("launches", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_launches_created_block"), ["created_block"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_launches_creator"), ["creator"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_launches_model_type_id"), ["model_type_id"], unique=False
        )

    op.create_table(
        "model_types",
        sa.Column("model_type_id", fomo.db.base.Hash32(), nullable=False),
        sa.Column("base_model", sa.String(length=128), nullable=False),
        sa.Column("input_price_nano_usd", fomo.db.base.Amount(), nullable=False),
        sa.Column("cached_input_price_nano_usd", fomo.db.base.Amount(), nullable=False),
        sa.Column("output_price_nano_usd", fomo.db.base.Amount(), nullable=False),
        sa.Column("min_raise", fomo.db.base.Amount(), nullable=False),
        sa.Column("max_raise", fomo.db.base.Amount(), nullable=False),
        sa.Column("lp_bps", sa.Integer(), nullable=False),
        sa.Column("reserved_bps", sa.Integer(), nullable=False),
        sa.Column("protocol_bps", sa.Integer(), nullable=False),
        sa.Column("is_reasoning", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "lp_bps + reserved_bps + protocol_bps = 10000", name=op.f("ck_model_types_split_sum")
        ),
        sa.PrimaryKeyConstraint("model_type_id", name=op.f("pk_model_types")),
        sa.UniqueConstraint("base_model", name=op.f("uq_model_types_base_model")),
    )
    op.create_table(
        "reward_claims",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account", fomo.db.base.Address(), nullable=False),
        sa.Column("token", fomo.db.base.Address(), nullable=False),
        sa.Column("amount", fomo.db.base.Amount(), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("block_hash", fomo.db.base.Hash32(), nullable=False),
        sa.Column("block_time", sa.BigInteger(), nullable=False),
        sa.Column("tx_hash", fomo.db.base.Hash32(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward_claims")),
        sa.UniqueConstraint(
            "tx_hash", "log_index", name=op.f("uq_reward_claims_tx_hash_log_index")
        ),
    )
    with op.batch_alter_table("reward_claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reward_claims_account"), ["account"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_reward_claims_block_number"), ["block_number"], unique=False
        )

    op.create_table(
        "stake_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("token", fomo.db.base.Address(), nullable=False),
        sa.Column("account", fomo.db.base.Address(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount", fomo.db.base.Amount(), nullable=False),
        sa.Column("cooldown_end", sa.BigInteger(), nullable=True),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("block_hash", fomo.db.base.Hash32(), nullable=False),
        sa.Column("block_time", sa.BigInteger(), nullable=False),
        sa.Column("tx_hash", fomo.db.base.Hash32(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stake_events")),
        sa.UniqueConstraint("tx_hash", "log_index", name=op.f("uq_stake_events_tx_hash_log_index")),
    )
    with op.batch_alter_table("stake_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stake_events_account"), ["account"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_stake_events_block_number"), ["block_number"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_stake_events_token"), ["token"], unique=False)

    op.create_table(
        "stakes",
        sa.Column("token", fomo.db.base.Address(), nullable=False),
        sa.Column("account", fomo.db.base.Address(), nullable=False),
        sa.Column("staked", fomo.db.base.Amount(), nullable=False),
        sa.Column("cooling", fomo.db.base.Amount(), nullable=False),
        sa.Column("cooldown_end", sa.BigInteger(), nullable=True),
        sa.Column("updated_block", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("token", "account", name=op.f("pk_stakes")),
    )
    op.create_table(
        "vesting_schedules",
        sa.Column("schedule_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("token", fomo.db.base.Address(), nullable=False),
        sa.Column("beneficiary", fomo.db.base.Address(), nullable=False),
        sa.Column("amount", fomo.db.base.Amount(), nullable=False),
        sa.Column("start", sa.BigInteger(), nullable=False),
        sa.Column("cliff", sa.BigInteger(), nullable=False),
        sa.Column("duration", sa.BigInteger(), nullable=False),
        sa.Column("released", fomo.db.base.Amount(), nullable=False),
        sa.Column("created_block", sa.BigInteger(), nullable=False),
        sa.Column("created_tx", fomo.db.base.Hash32(), nullable=False),
        sa.PrimaryKeyConstraint("schedule_id", name=op.f("pk_vesting_schedules")),
    )
    with op.batch_alter_table("vesting_schedules", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_vesting_schedules_beneficiary"), ["beneficiary"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_vesting_schedules_token"), ["token"], unique=False)

    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("token", fomo.db.base.Address(), nullable=False),
        sa.Column("account", fomo.db.base.Address(), nullable=False),
        sa.Column("mt_amount", fomo.db.base.Amount(), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("block_hash", fomo.db.base.Hash32(), nullable=False),
        sa.Column("block_time", sa.BigInteger(), nullable=False),
        sa.Column("tx_hash", fomo.db.base.Hash32(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["token"], ["launches.token"], name=op.f("fk_claims_token_launches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
        sa.UniqueConstraint("tx_hash", "log_index", name=op.f("uq_claims_tx_hash_log_index")),
    )
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claims_account"), ["account"], unique=False)
        batch_op.create_index(batch_op.f("ix_claims_block_number"), ["block_number"], unique=False)
        batch_op.create_index(batch_op.f("ix_claims_token"), ["token"], unique=False)

    op.create_table(
        "purchases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("token", fomo.db.base.Address(), nullable=False),
        sa.Column("buyer", fomo.db.base.Address(), nullable=False),
        sa.Column("flock_in", fomo.db.base.Amount(), nullable=False),
        sa.Column("net_used", fomo.db.base.Amount(), nullable=False),
        sa.Column("mt_allocated", fomo.db.base.Amount(), nullable=False),
        sa.Column("protocol_fee", fomo.db.base.Amount(), nullable=False),
        sa.Column("creator_fee", fomo.db.base.Amount(), nullable=False),
        sa.Column("anti_sniper_fee", fomo.db.base.Amount(), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("block_hash", fomo.db.base.Hash32(), nullable=False),
        sa.Column("block_time", sa.BigInteger(), nullable=False),
        sa.Column("tx_hash", fomo.db.base.Hash32(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["token"], ["launches.token"], name=op.f("fk_purchases_token_launches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchases")),
        sa.UniqueConstraint("tx_hash", "log_index", name=op.f("uq_purchases_tx_hash_log_index")),
    )
    with op.batch_alter_table("purchases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_purchases_block_number"), ["block_number"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_purchases_buyer"), ["buyer"], unique=False)
        batch_op.create_index(batch_op.f("ix_purchases_token"), ["token"], unique=False)

    op.create_table(
        "redeems",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("token", fomo.db.base.Address(), nullable=False),
        sa.Column("account", fomo.db.base.Address(), nullable=False),
        sa.Column("flock_amount", fomo.db.base.Amount(), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("block_hash", fomo.db.base.Hash32(), nullable=False),
        sa.Column("block_time", sa.BigInteger(), nullable=False),
        sa.Column("tx_hash", fomo.db.base.Hash32(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["token"], ["launches.token"], name=op.f("fk_redeems_token_launches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_redeems")),
        sa.UniqueConstraint("tx_hash", "log_index", name=op.f("uq_redeems_tx_hash_log_index")),
    )
    with op.batch_alter_table("redeems", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_redeems_account"), ["account"], unique=False)
        batch_op.create_index(batch_op.f("ix_redeems_block_number"), ["block_number"], unique=False)
        batch_op.create_index(batch_op.f("ix_redeems_token"), ["token"], unique=False)

    op.create_table(
        "rewards",
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("account", fomo.db.base.Address(), nullable=False),
        sa.Column("token", fomo.db.base.Address(), nullable=False),
        sa.Column("amount", fomo.db.base.Amount(), nullable=False),
        sa.Column("cumulative", fomo.db.base.Amount(), nullable=False),
        sa.ForeignKeyConstraint(["epoch"], ["epochs.epoch"], name=op.f("fk_rewards_epoch_epochs")),
        sa.PrimaryKeyConstraint("epoch", "account", "token", name=op.f("pk_rewards")),
    )
    with op.batch_alter_table("rewards", schema=None) as batch_op:
        batch_op.create_index("ix_rewards_account_token", ["account", "token"], unique=False)

    op.create_table(
        "settlements",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("token", fomo.db.base.Address(), nullable=False),
        sa.Column("gross_nano_usd", fomo.db.base.Amount(), nullable=False),
        sa.Column("paid_nano_usd", fomo.db.base.Amount(), nullable=False),
        sa.Column("compute_cost_nano_usd", fomo.db.base.Amount(), nullable=False),
        sa.Column("net_nano_usd", fomo.db.base.Amount(), nullable=False),
        sa.Column("carry_forward_nano_usd", fomo.db.base.Amount(), nullable=False),
        sa.Column("usdc_amount", fomo.db.base.Amount(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("tx_hash", fomo.db.base.Hash32(), nullable=True),
        sa.Column("settled_at", fomo.db.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["epoch"], ["epochs.epoch"], name=op.f("fk_settlements_epoch_epochs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settlements")),
        sa.UniqueConstraint("epoch", "token", name=op.f("uq_settlements_epoch_token")),
    )
    with op.batch_alter_table("settlements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_settlements_epoch"), ["epoch"], unique=False)
        batch_op.create_index(batch_op.f("ix_settlements_token"), ["token"], unique=False)

    op.create_table(
        "vesting_releases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("schedule_id", sa.BigInteger(), nullable=False),
        sa.Column("amount", fomo.db.base.Amount(), nullable=False),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("block_hash", fomo.db.base.Hash32(), nullable=False),
        sa.Column("block_time", sa.BigInteger(), nullable=False),
        sa.Column("tx_hash", fomo.db.base.Hash32(), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["vesting_schedules.schedule_id"],
            name=op.f("fk_vesting_releases_schedule_id_vesting_schedules"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vesting_releases")),
        sa.UniqueConstraint(
            "tx_hash", "log_index", name=op.f("uq_vesting_releases_tx_hash_log_index")
        ),
    )
    with op.batch_alter_table("vesting_releases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_vesting_releases_block_number"), ["block_number"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_vesting_releases_schedule_id"), ["schedule_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("vesting_releases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vesting_releases_schedule_id"))
        batch_op.drop_index(batch_op.f("ix_vesting_releases_block_number"))

    op.drop_table("vesting_releases")
    with op.batch_alter_table("settlements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_settlements_token"))
        batch_op.drop_index(batch_op.f("ix_settlements_epoch"))

    op.drop_table("settlements")
    with op.batch_alter_table("rewards", schema=None) as batch_op:
        batch_op.drop_index("ix_rewards_account_token")

    op.drop_table("rewards")
    with op.batch_alter_table("redeems", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_redeems_token"))
        batch_op.drop_index(batch_op.f("ix_redeems_block_number"))
        batch_op.drop_index(batch_op.f("ix_redeems_account"))

    op.drop_table("redeems")
    with op.batch_alter_table("purchases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_purchases_token"))
        batch_op.drop_index(batch_op.f("ix_purchases_buyer"))
        batch_op.drop_index(batch_op.f("ix_purchases_block_number"))

    op.drop_table("purchases")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claims_token"))
        batch_op.drop_index(batch_op.f("ix_claims_block_number"))
        batch_op.drop_index(batch_op.f("ix_claims_account"))

    op.drop_table("claims")
    with op.batch_alter_table("vesting_schedules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vesting_schedules_token"))
        batch_op.drop_index(batch_op.f("ix_vesting_schedules_beneficiary"))

    op.drop_table("vesting_schedules")
    op.drop_table("stakes")
    with op.batch_alter_table("stake_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stake_events_token"))
        batch_op.drop_index(batch_op.f("ix_stake_events_block_number"))
        batch_op.drop_index(batch_op.f("ix_stake_events_account"))

    op.drop_table("stake_events")
    with op.batch_alter_table("reward_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reward_claims_block_number"))
        batch_op.drop_index(batch_op.f("ix_reward_claims_account"))

    op.drop_table("reward_claims")
    op.drop_table("model_types")
    with op.batch_alter_table("launches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_launches_model_type_id"))
        batch_op.drop_index(batch_op.f("ix_launches_creator"))
        batch_op.drop_index(batch_op.f("ix_launches_created_block"))

    op.drop_table("launches")
    op.drop_table("indexer_cursors")
    op.drop_table("indexed_blocks")
    op.drop_table("gm_locks")
    with op.batch_alter_table("gm_lock_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gm_lock_events_block_number"))
        batch_op.drop_index(batch_op.f("ix_gm_lock_events_account"))

    op.drop_table("gm_lock_events")
    with op.batch_alter_table("event_logs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_logs_event"))
        batch_op.drop_index(batch_op.f("ix_event_logs_block_number"))
        batch_op.drop_index(batch_op.f("ix_event_logs_address"))

    op.drop_table("event_logs")
    op.drop_table("epochs")
    with op.batch_alter_table("deposits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deposits_block_number"))
        batch_op.drop_index(batch_op.f("ix_deposits_account"))

    op.drop_table("deposits")
    op.drop_table("contract_deployments")
    with op.batch_alter_table("buybacks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_buybacks_token"))
        batch_op.drop_index(batch_op.f("ix_buybacks_block_number"))

    op.drop_table("buybacks")
    with op.batch_alter_table("burns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_burns_token"))
        batch_op.drop_index(batch_op.f("ix_burns_block_number"))

    op.drop_table("burns")
