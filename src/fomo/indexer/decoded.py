"""What flows from the indexer's loop to the handlers and projections: a decoded log with its
block context, the projection keys a batch touched, and the addresses that classify events."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

ZERO_ADDRESS = "0x" + "00" * 20


@dataclass(frozen=True)
class DecodedLog:
    """A log with its block context and decoded arguments."""

    kind: str  # contract kind: Launchpad, Staking, ModelToken, Pair …
    event: str
    address: str
    args: dict[str, Any]
    block_number: int
    block_hash: str
    block_time: int
    tx_hash: str
    log_index: int

    def ref(self) -> dict[str, Any]:
        return {
            "block_number": self.block_number,
            "block_hash": self.block_hash,
            "block_time": self.block_time,
            "tx_hash": self.tx_hash,
            "log_index": self.log_index,
        }


@dataclass
class Touched:
    """Projection keys a batch (or a rollback) touched."""

    launches: set[str] = field(default_factory=set)
    stakes: set[tuple[str, str]] = field(default_factory=set)
    gm_locks: set[str] = field(default_factory=set)
    vesting: set[int] = field(default_factory=set)
    balances: set[tuple[str, str]] = field(default_factory=set)
    model_types: bool = False

    def balance(self, token: str, account: str) -> None:
        if account != ZERO_ADDRESS:
            self.balances.add((token, account))


@dataclass(frozen=True)
class ProjectionContext:
    """Addresses the handlers need to classify events."""

    launchpad: str | None
    flock: str | None
    usdc: str | None


Handler = Callable[[Session, DecodedLog, Touched, ProjectionContext], None]
"""Inserts the log rows of one decoded log and notes the projection keys it touched."""
