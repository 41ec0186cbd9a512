"""What the running platform knows about itself, handed to the services `fomo up` starts.

It sits below every service (deploy, indexer, epochs, API, gateway) and imports only settings and
chain value types, so a service can take a context without reaching up into :mod:`fomo.runtime`,
which builds it and wires the services together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from fomo.chain.dev_accounts import DevAccount
from fomo.chain.manifest import Manifest
from fomo.config import Settings


@dataclass
class RuntimeContext:
    """Shared runtime state: settings (and the chain endpoint they name), database, manifest."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    manifest: Manifest | None = None
    """The deployment the services follow; ``None`` until (or unless) the suite is deployed."""
    accounts: list[DevAccount] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    clock_ns: Callable[[], int] | None = None
    """What the gateway stamps usage with; ``None`` = the wall clock. On a dev chain the chain's
    clock (:class:`fomo.runtime.chainclock.ChainClock`), which `fomo chain advance` moves."""

    # The endpoint and chain id are settings; they are derived, not stored a second time, so a
    # context can never disagree with the settings it was built from.
    @property
    def rpc_url(self) -> str:
        """The RPC the platform talks to (:attr:`Settings.chain_rpc_url`)."""
        return self.settings.chain_rpc_url

    @property
    def chain_id(self) -> int:
        """The chain id the settings name (`fomo up` checks the RPC answers with it)."""
        return self.settings.chain_id
