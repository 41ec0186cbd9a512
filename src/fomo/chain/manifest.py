"""The deployment manifest: what is deployed where, written once by `fomo chain deploy` / `fomo up`.

It is self-contained on purpose: besides addresses it carries every ABI the clients need (the
Model Token and Pair ABIs too, for contracts the launchpad/factory create), so a CLI talking to a
deployment never depends on the contract sources in the checkout still matching what was
deployed. Amounts are written as decimal strings (JSON numbers lose precision in JavaScript).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

MANIFEST_VERSION = 1


@dataclass(frozen=True)
class DeployedContract:
    """One deployed contract: where, which artifact, and the hash of the ABI it was built with."""

    address: str
    artifact: str
    abi_hash: str
    block: int


@dataclass
class Manifest:
    """Addresses, deploy block, chain id and ABIs of one deployment of the suite."""

    chain_id: int
    block: int
    deployer: str
    dev: bool
    treasury: str
    sources_hash: str
    contracts: dict[str, DeployedContract]
    abis: dict[str, list[dict[str, Any]]]
    model_types: list[dict[str, Any]] = field(default_factory=list)
    dev_accounts: list[str] = field(default_factory=list)
    roles: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    version: int = MANIFEST_VERSION

    def address(self, name: str) -> str:
        """Address of contract ``name`` (e.g. ``"Launchpad"``); a clear error when absent."""
        entry = self.contracts.get(name)
        if entry is None:
            raise KeyError(f"the deployment has no {name} contract")
        return entry.address

    def abi(self, artifact: str) -> list[dict[str, Any]]:
        abi = self.abis.get(artifact)
        if abi is None:
            raise KeyError(f"the manifest has no ABI for {artifact}")
        return abi

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["contracts"] = {name: asdict(c) for name, c in self.contracts.items()}
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        if data.get("version") != MANIFEST_VERSION:
            raise ValueError(f"unsupported manifest version {data.get('version')!r}")
        contracts = {name: DeployedContract(**c) for name, c in data["contracts"].items()}
        return cls(**{**data, "contracts": contracts})

    def save(self, path: Path) -> Path:
        """Write atomically (a reader never sees half a manifest)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(self.to_json(), indent=2) + "\n")
        tmp.replace(path)
        return path


def load_manifest(path: Path) -> Manifest | None:
    """The manifest at ``path``, or ``None`` when there is none."""
    if not path.is_file():
        return None
    try:
        return Manifest.from_json(json.loads(path.read_text()))
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"deployment manifest {path} is unreadable: {exc}") from exc
