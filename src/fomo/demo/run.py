"""A demo run's settings and record: what the report needs that the chain alone does not say."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from web3 import Web3

from fomo.chain.manifest import Manifest
from fomo.demo.chain import Actor


@dataclass
class DemoConfig:
    data_dir: Path
    artifacts_dir: Path
    days: int = 7
    fast: bool = False
    rpc: str | None = None

    @property
    def prompt_words(self) -> int:
        return 2_000 if self.fast else 6_000


@dataclass
class Snapshot:
    """Supplies and cumulative burns at one moment (for the charts)."""

    label: str
    time: int
    supply: dict[str, int]
    burned: dict[str, int]


@dataclass
class DemoRun:
    """Everything the report needs that the chain alone does not say."""

    config: DemoConfig
    manifest: Manifest
    w3: Web3
    actors: dict[str, Actor]
    tokens: dict[str, str]  # symbol -> MT address (checksummed)
    bases: dict[str, str]  # symbol -> base model
    db_url: str
    start_block: int
    epoch_phase_block: int = 0
    epoch_phase_supply: dict[str, int] = field(default_factory=dict)
    snapshots: list[Snapshot] = field(default_factory=list)
    epochs: list[dict[str, Any]] = field(default_factory=list)
    traffic: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    launch_txs: dict[str, Any] = field(default_factory=dict)

    def actor_names(self) -> dict[str, str]:
        return {a.lower: n for n, a in self.actors.items()}
