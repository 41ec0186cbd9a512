"""What the indexer follows and how carefully: :class:`IndexerConfig`, usually read from the
deployment manifest."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Contracts of the suite the indexer follows (manifest name = contract kind).
FOLLOWED: tuple[str, ...] = (
    "Launchpad",
    "Staking",
    "GmFlock",
    "Vesting",
    "RewardDistributor",
    "RevenueRouter",
    "PaymentVault",
)


@dataclass(frozen=True)
class IndexerConfig:
    """What to follow and how carefully."""

    chain_id: int
    start_block: int
    contracts: Mapping[str, str]  # kind -> address (lower case)
    abis: Mapping[str, list[dict[str, Any]]]  # kind -> ABI, plus "ModelToken" and "Pair"
    flock: str | None = None
    usdc: str | None = None
    confirmations: int = 1
    batch_blocks: int = 1000
    reorg_depth: int = 64
    cursor_name: str = "chain"
    # Dev chains only: when no stored hash is on the node's chain at all (anvil restarted without
    # its state, the suite redeployed), the database describes a chain that no longer exists;
    # start over instead of stopping. Never on a real chain: there it means misconfiguration.
    reset_if_unrelated: bool = False

    def __post_init__(self) -> None:
        if self.confirmations < 1:
            raise ValueError("confirmations must be >= 1 (1 = the head block itself)")
        if self.batch_blocks < 1 or self.reorg_depth < 1:
            raise ValueError("batch_blocks and reorg_depth must be >= 1")

    @classmethod
    def from_manifest(cls, manifest: Mapping[str, Any] | Any, **overrides: Any) -> IndexerConfig:
        """From a deployment manifest (a :class:`~fomo.chain.manifest.Manifest` or its JSON)."""
        data: Mapping[str, Any] = manifest if isinstance(manifest, Mapping) else manifest.to_json()
        entries: Mapping[str, Any] = data["contracts"]
        abis: Mapping[str, list[dict[str, Any]]] = data["abis"]
        contracts: dict[str, str] = {}
        kind_abis: dict[str, list[dict[str, Any]]] = {}
        for name in FOLLOWED:
            entry = entries.get(name)
            if entry is None:
                continue
            artifact = entry["artifact"]
            if artifact not in abis:
                continue
            contracts[name] = str(entry["address"]).lower()
            kind_abis[name] = abis[artifact]
        for dynamic in ("ModelToken", "Pair"):
            if dynamic in abis:
                kind_abis[dynamic] = abis[dynamic]

        def addr(name: str) -> str | None:
            entry = entries.get(name)
            return None if entry is None else str(entry["address"]).lower()

        values: dict[str, Any] = {
            "chain_id": int(data["chain_id"]),
            "start_block": int(data["block"]),
            "contracts": contracts,
            "abis": kind_abis,
            "flock": addr("FLOCK"),
            "usdc": addr("USDC"),
        }
        values.update(overrides)
        return cls(**values)
