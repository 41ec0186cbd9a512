"""What the running platform knows about itself, handed to hooks, workers and the HTTP app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eth_account import Account
from eth_account.hdaccount import key_from_seed, seed_from_mnemonic
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from fomo.config import Settings


@dataclass(frozen=True)
class DevAccount:
    """A devnet account derived from the anvil mnemonic (keys are public knowledge)."""

    index: int
    address: str
    private_key: str


def dev_accounts(mnemonic: str, count: int) -> list[DevAccount]:
    """The first ``count`` accounts of ``mnemonic`` on path m/44'/60'/0'/0/i, as anvil derives."""
    seed = seed_from_mnemonic(mnemonic, "")
    out = []
    for i in range(count):
        key = key_from_seed(seed, f"m/44'/60'/0'/0/{i}")
        out.append(DevAccount(i, Account.from_key(key).address, "0x" + key.hex()))
    return out


@dataclass
class RuntimeContext:
    """Shared runtime state: settings, chain endpoint, database and deployment manifest."""

    settings: Settings
    rpc_url: str
    chain_id: int
    engine: Engine
    session_factory: sessionmaker[Session]
    manifest: dict[str, Any] | None = None
    accounts: list[DevAccount] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    clock_ns: Callable[[], int] | None = None
    """What the gateway stamps usage with; ``None`` = the wall clock. On a dev chain the chain's
    clock (:class:`fomo.runtime.chainclock.ChainClock`), which `fomo chain advance` moves."""
