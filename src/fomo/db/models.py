"""Core off-chain state (migration ``0001_core``): what the indexer saw on chain and what the epoch
engine computed.

Conventions:

* One database serves one chain (its chain id is in :class:`IndexerCursor` and
  :class:`ContractDeployment`).
* Chain times (``block_time``, ``sale_end``, ``unlock_time`` …) are integer unix seconds as the
  chain reports them; wall-clock bookkeeping times are :class:`~fomo.db.base.UTCDateTime`.
* Every row derived from a log carries ``block_number``, ``block_hash``, ``tx_hash`` and
  ``log_index``; ``(tx_hash, log_index)`` is unique, so re-indexing the same log is idempotent,
  and a reorg is undone by deleting rows with ``block_number >= fork_block`` (see
  :data:`EVENT_TABLES`).
* Token amounts are :class:`~fomo.db.base.Amount` in base units (FLOCK/MT 18 decimals, USDC 6);
  off-chain money is ``Amount`` in integer nano-USD (columns end in ``_nano_usd``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from fomo.db.base import Address, Amount, Base, Hash32, UTCDateTime, utcnow


class LogRef:
    """Columns locating the chain log a row was derived from (idempotency + reorg rollback)."""

    block_number: Mapped[int] = mapped_column(BigInteger, index=True)
    block_hash: Mapped[str] = mapped_column(Hash32)
    block_time: Mapped[int] = mapped_column(BigInteger)
    tx_hash: Mapped[str] = mapped_column(Hash32)
    log_index: Mapped[int] = mapped_column(Integer)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        return (UniqueConstraint("tx_hash", "log_index"),)


# --- chain infrastructure ---------------------------------------------------------------------


class ContractDeployment(Base):
    """One deployed contract of the suite (mirror of the deployment manifest)."""

    __tablename__ = "contract_deployments"
    __table_args__ = (UniqueConstraint("chain_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chain_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(Address)
    block_number: Mapped[int] = mapped_column(BigInteger)
    tx_hash: Mapped[str | None] = mapped_column(Hash32, nullable=True)
    abi_hash: Mapped[str] = mapped_column(String(66))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IndexerCursor(Base):
    """Last block an indexer stream fully processed (resume point)."""

    __tablename__ = "indexer_cursors"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    chain_id: Mapped[int] = mapped_column(BigInteger)
    block_number: Mapped[int] = mapped_column(BigInteger)
    block_hash: Mapped[str] = mapped_column(Hash32)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class IndexedBlock(Base):
    """Hash of every processed block still within reorg depth (compare parent hashes to detect)."""

    __tablename__ = "indexed_blocks"

    block_number: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    block_hash: Mapped[str] = mapped_column(Hash32)
    parent_hash: Mapped[str] = mapped_column(Hash32)
    block_time: Mapped[int] = mapped_column(BigInteger)


class EventLog(LogRef, Base):
    """Every decoded log the indexer accepted, raw topics/data kept for replay."""

    __tablename__ = "event_logs"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    address: Mapped[str] = mapped_column(Address, index=True)
    event: Mapped[str] = mapped_column(String(64), index=True)
    topics: Mapped[list[str]] = mapped_column(JSON)
    data: Mapped[str] = mapped_column(String)
    # Decoded arguments; uint256 values as decimal strings (JSON numbers lose precision in JS).
    args: Mapped[dict[str, Any]] = mapped_column(JSON)


# --- launches (model deployments) -------------------------------------------------------------


class ModelType(Base):
    """Platform registry entry (SPEC §2); prices are integer nano-USD per token."""

    __tablename__ = "model_types"
    __table_args__ = (
        CheckConstraint("lp_bps + reserved_bps + protocol_bps = 10000", name="split_sum"),
    )

    model_type_id: Mapped[str] = mapped_column(Hash32, primary_key=True)
    base_model: Mapped[str] = mapped_column(String(128), unique=True)
    input_price_nano_usd: Mapped[int] = mapped_column(Amount)
    cached_input_price_nano_usd: Mapped[int] = mapped_column(Amount)
    output_price_nano_usd: Mapped[int] = mapped_column(Amount)
    min_raise: Mapped[int] = mapped_column(Amount)
    max_raise: Mapped[int] = mapped_column(Amount)
    lp_bps: Mapped[int] = mapped_column(Integer)
    reserved_bps: Mapped[int] = mapped_column(Integer)
    protocol_bps: Mapped[int] = mapped_column(Integer)
    is_reasoning: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Launch(Base):
    """A model deployment's launch, keyed by its MT address (``LaunchCreated`` + later events).

    ``status`` is the last status the indexer stored: ``live``, ``failed``, ``graduating`` or
    ``graduated``; ``live``→``failed``/``graduating`` is a function of time and is recomputed on
    read by the API (``sale_end`` vs the chain's latest block time).
    """

    __tablename__ = "launches"

    token: Mapped[str] = mapped_column(Address, primary_key=True)
    creator: Mapped[str] = mapped_column(Address, index=True)
    model_type_id: Mapped[str] = mapped_column(Hash32, index=True)
    target_raise_min: Mapped[int] = mapped_column(Amount)
    target_raise_max: Mapped[int] = mapped_column(Amount)
    target_sale: Mapped[int] = mapped_column(Amount)
    sale_start: Mapped[int] = mapped_column(BigInteger)
    sale_end: Mapped[int] = mapped_column(BigInteger)
    mt_name: Mapped[str] = mapped_column(String(128))
    mt_symbol: Mapped[str] = mapped_column(String(32))
    is_bundled: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="live")
    raised: Mapped[int] = mapped_column(Amount, default=0)
    mt_sold: Mapped[int] = mapped_column(Amount, default=0)
    buyers: Mapped[int] = mapped_column(Integer, default=0)
    pair: Mapped[str | None] = mapped_column(Address, nullable=True)
    lp_flock: Mapped[int | None] = mapped_column(Amount, nullable=True)
    lp_mt: Mapped[int | None] = mapped_column(Amount, nullable=True)
    graduated_block: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    graduated_time: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_block: Mapped[int] = mapped_column(BigInteger, index=True)
    created_tx: Mapped[str] = mapped_column(Hash32)
    created_log_index: Mapped[int] = mapped_column(Integer)


class Purchase(LogRef, Base):
    """One ``Purchased`` event (a pledge; MT is minted only at graduation)."""

    __tablename__ = "purchases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token: Mapped[str] = mapped_column(Address, ForeignKey("launches.token"), index=True)
    buyer: Mapped[str] = mapped_column(Address, index=True)
    flock_in: Mapped[int] = mapped_column(Amount)
    net_used: Mapped[int] = mapped_column(Amount)
    mt_allocated: Mapped[int] = mapped_column(Amount)
    protocol_fee: Mapped[int] = mapped_column(Amount)
    creator_fee: Mapped[int] = mapped_column(Amount)
    anti_sniper_fee: Mapped[int] = mapped_column(Amount)


class Claim(LogRef, Base):
    """A buyer claimed their MT allocation after graduation."""

    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token: Mapped[str] = mapped_column(Address, ForeignKey("launches.token"), index=True)
    account: Mapped[str] = mapped_column(Address, index=True)
    mt_amount: Mapped[int] = mapped_column(Amount)


class Redeem(LogRef, Base):
    """A buyer took their principal back from a failed launch."""

    __tablename__ = "redeems"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token: Mapped[str] = mapped_column(Address, ForeignKey("launches.token"), index=True)
    account: Mapped[str] = mapped_column(Address, index=True)
    flock_amount: Mapped[int] = mapped_column(Amount)


# --- staking, gmFLOCK, vesting ----------------------------------------------------------------


class StakeEvent(LogRef, Base):
    """History of MT staking per deployment: ``stake``, ``unstake`` (cooldown starts),
    ``withdraw``. Time-weighted stake is integrated from this history."""

    __tablename__ = "stake_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token: Mapped[str] = mapped_column(Address, index=True)
    account: Mapped[str] = mapped_column(Address, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(Amount)
    cooldown_end: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class Stake(Base):
    """Current stake position per (token, account): active and in cooldown."""

    __tablename__ = "stakes"

    token: Mapped[str] = mapped_column(Address, primary_key=True)
    account: Mapped[str] = mapped_column(Address, primary_key=True)
    staked: Mapped[int] = mapped_column(Amount, default=0)
    cooling: Mapped[int] = mapped_column(Amount, default=0)
    cooldown_end: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    updated_block: Mapped[int] = mapped_column(BigInteger)


class GmLockEvent(LogRef, Base):
    """History of gmFLOCK locks: ``create``, ``increase``, ``extend``, ``withdraw``."""

    __tablename__ = "gm_lock_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account: Mapped[str] = mapped_column(Address, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(Amount)
    unlock_time: Mapped[int] = mapped_column(BigInteger)


class GmLock(Base):
    """Current gmFLOCK lock per account (effective balance = amount × remaining / 365 days)."""

    __tablename__ = "gm_locks"

    account: Mapped[str] = mapped_column(Address, primary_key=True)
    amount: Mapped[int] = mapped_column(Amount, default=0)
    unlock_time: Mapped[int] = mapped_column(BigInteger)
    updated_block: Mapped[int] = mapped_column(BigInteger)


class VestingSchedule(Base):
    """Issuer/treasury MT vesting created at graduation (90-day cliff, linear to day 365)."""

    __tablename__ = "vesting_schedules"

    schedule_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    token: Mapped[str] = mapped_column(Address, index=True)
    beneficiary: Mapped[str] = mapped_column(Address, index=True)
    amount: Mapped[int] = mapped_column(Amount)
    start: Mapped[int] = mapped_column(BigInteger)
    cliff: Mapped[int] = mapped_column(BigInteger)
    duration: Mapped[int] = mapped_column(BigInteger)
    released: Mapped[int] = mapped_column(Amount, default=0)
    created_block: Mapped[int] = mapped_column(BigInteger)
    created_tx: Mapped[str] = mapped_column(Hash32)


class VestingRelease(LogRef, Base):
    """One release from a vesting schedule."""

    __tablename__ = "vesting_releases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    schedule_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("vesting_schedules.schedule_id"), index=True
    )
    amount: Mapped[int] = mapped_column(Amount)


# --- payments, revenue, rewards ---------------------------------------------------------------


class Deposit(LogRef, Base):
    """A USDC deposit to the PaymentVault; credited to the account's prepaid balance once
    ``confirmations`` blocks deep (``credited_at`` set by the gateway's credit step)."""

    __tablename__ = "deposits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account: Mapped[str] = mapped_column(Address, index=True)
    token: Mapped[str] = mapped_column(Address)
    amount: Mapped[int] = mapped_column(Amount)
    credited_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Epoch(Base):
    """One reward epoch (a UTC day; ``epoch`` = days since 1970-01-01).

    ``status``: ``open`` → ``computed`` → ``proposed`` → ``live`` (or ``cancelled``).
    """

    __tablename__ = "epochs"

    epoch: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    start_time: Mapped[int] = mapped_column(BigInteger)
    end_time: Mapped[int] = mapped_column(BigInteger)
    season: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="open")
    emission: Mapped[int] = mapped_column(Amount, default=0)
    merkle_root: Mapped[str | None] = mapped_column(Hash32, nullable=True)
    data_file: Mapped[str | None] = mapped_column(String(512), nullable=True)
    data_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    proposed_tx: Mapped[str | None] = mapped_column(Hash32, nullable=True)
    computed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    live_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Reward(Base):
    """Rewards per (epoch, account, token): this epoch's amount and the cumulative total that
    goes into the Merkle leaf ``(account, token, cumulative)``."""

    __tablename__ = "rewards"

    epoch: Mapped[int] = mapped_column(Integer, ForeignKey("epochs.epoch"), primary_key=True)
    account: Mapped[str] = mapped_column(Address, primary_key=True)
    token: Mapped[str] = mapped_column(Address, primary_key=True)
    amount: Mapped[int] = mapped_column(Amount)
    cumulative: Mapped[int] = mapped_column(Amount)
    __table_args__ = (Index("ix_rewards_account_token", "account", "token"),)


class RewardClaim(LogRef, Base):
    """A claim paid by the RewardDistributor (``cumulative − already_claimed``)."""

    __tablename__ = "reward_claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account: Mapped[str] = mapped_column(Address, index=True)
    token: Mapped[str] = mapped_column(Address)
    amount: Mapped[int] = mapped_column(Amount)


class Settlement(Base):
    """Revenue settled for one deployment in one epoch (SPEC §7); negative net carries forward."""

    __tablename__ = "settlements"
    __table_args__ = (UniqueConstraint("epoch", "token"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    epoch: Mapped[int] = mapped_column(Integer, ForeignKey("epochs.epoch"), index=True)
    token: Mapped[str] = mapped_column(Address, index=True)
    gross_nano_usd: Mapped[int] = mapped_column(Amount)
    paid_nano_usd: Mapped[int] = mapped_column(Amount)
    compute_cost_nano_usd: Mapped[int] = mapped_column(Amount)
    net_nano_usd: Mapped[int] = mapped_column(Amount)
    carry_forward_nano_usd: Mapped[int] = mapped_column(Amount, default=0)
    usdc_amount: Mapped[int] = mapped_column(Amount, default=0)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    tx_hash: Mapped[str | None] = mapped_column(Hash32, nullable=True)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Buyback(LogRef, Base):
    """A RevenueRouter buyback execution (``kind`` = ``flock`` or ``mt``)."""

    __tablename__ = "buybacks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(8))
    token: Mapped[str] = mapped_column(Address, index=True)
    usdc_in: Mapped[int] = mapped_column(Amount)
    amount_out: Mapped[int] = mapped_column(Amount)


class Burn(LogRef, Base):
    """Tokens burned (buybacks, expired MT reward pools, unsold sale MT)."""

    __tablename__ = "burns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token: Mapped[str] = mapped_column(Address, index=True)
    amount: Mapped[int] = mapped_column(Amount)
    reason: Mapped[str] = mapped_column(String(32))


EVENT_TABLES: tuple[type[Base], ...] = (
    EventLog,
    Purchase,
    Claim,
    Redeem,
    StakeEvent,
    GmLockEvent,
    VestingRelease,
    Deposit,
    RewardClaim,
    Buyback,
    Burn,
)
"""Tables whose rows come from one log each (delete ``block_number >= fork`` on reorg)."""
