"""Indexer tables beyond the core schema (migration ``0003_indexer``).

Same conventions as :mod:`fomo.db.models`: rows derived from one log carry
:class:`~fomo.db.models.LogRef` (block number/hash/time, tx hash, log index; ``(tx_hash,
log_index)`` unique) and a reorg deletes them by ``block_number >= fork``. Keyed "current state"
tables (:class:`TokenBalance`, :class:`ChainModelType` …) are projections the indexer rebuilds
from the log-derived rows, so they never need their own rollback logic.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fomo.db.base import Address, Amount, Base, Hash32
from fomo.db.models import LogRef


class ChainModelType(Base):
    """A model type as the Launchpad registered it (``ModelTypeRegistered``/``Enabled``).

    Kept apart from the platform's :class:`~fomo.db.models.ModelType` (which carries off-chain
    prices): this is exactly what the chain says, rebuilt from the raw log on every change.
    """

    __tablename__ = "chain_model_types"

    model_type_id: Mapped[str] = mapped_column(Hash32, primary_key=True)
    base_model: Mapped[str] = mapped_column(String(64))
    pricing_tier: Mapped[str] = mapped_column(Hash32)
    min_raise: Mapped[int] = mapped_column(Amount)
    max_raise: Mapped[int] = mapped_column(Amount)
    lp_bps: Mapped[int] = mapped_column(Integer)
    reserved_bps: Mapped[int] = mapped_column(Integer)
    protocol_bps: Mapped[int] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    registered_block: Mapped[int] = mapped_column(BigInteger)


class LaunchParams(Base):
    """Curve and fee parameters a launch was created with (what the Launchpad stores per launch),
    derived from the model type and the fee config in force at ``LaunchCreated``."""

    __tablename__ = "launch_params"

    token: Mapped[str] = mapped_column(Address, primary_key=True)
    x0: Mapped[int] = mapped_column(Amount)
    y0: Mapped[int] = mapped_column(Amount)
    lp_bps: Mapped[int] = mapped_column(Integer)
    reserved_bps: Mapped[int] = mapped_column(Integer)
    base_fee_bps: Mapped[int] = mapped_column(Integer)
    creator_fee_bps: Mapped[int] = mapped_column(Integer)
    tax_start_bps: Mapped[int] = mapped_column(Integer)
    created_block: Mapped[int] = mapped_column(BigInteger, index=True)


class Graduation(LogRef, Base):
    """One ``Graduated`` event (every field of it)."""

    __tablename__ = "graduations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token: Mapped[str] = mapped_column(Address, index=True)
    pair: Mapped[str] = mapped_column(Address, index=True)
    raised: Mapped[int] = mapped_column(Amount)
    lp_flock: Mapped[int] = mapped_column(Amount)
    reserved_flock: Mapped[int] = mapped_column(Amount)
    protocol_flock: Mapped[int] = mapped_column(Amount)
    donated_flock: Mapped[int] = mapped_column(Amount)
    sold_mt: Mapped[int] = mapped_column(Amount)
    lp_mt: Mapped[int] = mapped_column(Amount)
    minted_mt: Mapped[int] = mapped_column(Amount)
    unminted_mt: Mapped[int] = mapped_column(Amount)
    lp_tokens: Mapped[int] = mapped_column(Amount)
    issuer_vesting_id: Mapped[int] = mapped_column(BigInteger)
    treasury_vesting_id: Mapped[int] = mapped_column(BigInteger)


class TokenTransfer(LogRef, Base):
    """An ERC-20 ``Transfer`` of a Model Token (mint: sender 0x0; burn: recipient 0x0)."""

    __tablename__ = "token_transfers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token: Mapped[str] = mapped_column(Address, index=True)
    sender: Mapped[str] = mapped_column(Address, index=True)
    recipient: Mapped[str] = mapped_column(Address, index=True)
    amount: Mapped[int] = mapped_column(Amount)


class TokenBalance(Base):
    """Model Token balance per (token, account), summed from :class:`TokenTransfer`."""

    __tablename__ = "token_balances"

    token: Mapped[str] = mapped_column(Address, primary_key=True)
    account: Mapped[str] = mapped_column(Address, primary_key=True)
    balance: Mapped[int] = mapped_column(Amount)
    updated_block: Mapped[int] = mapped_column(BigInteger)


class PairSync(LogRef, Base):
    """A DEX pair's ``Sync`` (reserves after every change); the latest row prices the pool."""

    __tablename__ = "pair_syncs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pair: Mapped[str] = mapped_column(Address, index=True)
    reserve0: Mapped[int] = mapped_column(Amount)
    reserve1: Mapped[int] = mapped_column(Amount)


class RewardRootEvent(LogRef, Base):
    """RewardDistributor root lifecycle: ``proposed``, ``activated``, ``cancelled``,
    ``superseded`` (a root's status is its latest event)."""

    __tablename__ = "reward_root_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    root: Mapped[str] = mapped_column(Hash32, index=True)
    epoch: Mapped[int] = mapped_column(BigInteger, index=True)
    data_hash: Mapped[str | None] = mapped_column(Hash32, nullable=True)
    activates_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class RewardFunding(LogRef, Base):
    """Tokens funded into a RewardDistributor pool (``Funded``): the Reserved FLOCK and MT Reward
    pools at graduation, emissions later."""

    __tablename__ = "reward_fundings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token: Mapped[str] = mapped_column(Address, index=True)
    pool: Mapped[str] = mapped_column(Address, index=True)
    funder: Mapped[str] = mapped_column(Address)
    amount: Mapped[int] = mapped_column(Amount)


class RevenueSettlement(LogRef, Base):
    """RevenueRouter ``Settled``: one deployment's USDC revenue for one epoch and its split."""

    __tablename__ = "revenue_settlements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token: Mapped[str] = mapped_column(Address, index=True)
    epoch: Mapped[int] = mapped_column(BigInteger, index=True)
    usdc_amount: Mapped[int] = mapped_column(Amount)
    flock_buyback: Mapped[int] = mapped_column(Amount)
    treasury_amount: Mapped[int] = mapped_column(Amount)
    mt_buyback: Mapped[int] = mapped_column(Amount)
    issuer_amount: Mapped[int] = mapped_column(Amount)
    issuer: Mapped[str] = mapped_column(Address)
    pulled: Mapped[int] = mapped_column(Amount)


class LaunchMetadataSet(LogRef, Base):
    """Launchpad ``MetadataSet``: the sha256 of a launch's metadata document (set once)."""

    __tablename__ = "launch_metadata_sets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token: Mapped[str] = mapped_column(Address, index=True)
    content_hash: Mapped[str] = mapped_column(Hash32)


INDEXER_EVENT_TABLES: tuple[type[Base], ...] = (
    Graduation,
    LaunchMetadataSet,
    TokenTransfer,
    PairSync,
    RewardRootEvent,
    RewardFunding,
    RevenueSettlement,
)
"""This module's one-row-per-log tables (deleted above the fork point on a reorg)."""
