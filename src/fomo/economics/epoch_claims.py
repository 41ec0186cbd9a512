"""An account's claimable rewards and proofs from a published epoch data file.

The tree is rebuilt from the file's leaves (and checked against the recorded root); rebuilding a
million-leaf tree takes seconds, so trees are cached per file content hash.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fomo.economics.epoch_file import EpochDataError, EpochFile
from fomo.economics.merkle import MerkleTree

_CACHE: OrderedDict[str, tuple[EpochFile, MerkleTree | None]] = OrderedDict()
_LOCK = threading.Lock()
_CACHE_SIZE = 4


@dataclass(frozen=True, slots=True)
class ClaimItem:
    token: str
    cumulative: int
    proof: list[str]
    claimed: int = 0

    @property
    def claimable(self) -> int:
        return max(self.cumulative - self.claimed, 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "token": self.token,
            "cumulative": str(self.cumulative),
            "claimed": str(self.claimed),
            "claimable": str(self.claimable),
            "proof": self.proof,
        }


def tree_of(data: bytes) -> tuple[EpochFile, MerkleTree | None]:
    """(read data file, tree) of a data file; the tree must reproduce the recorded root."""
    key = hashlib.sha256(data).hexdigest()
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
    doc = EpochFile.from_bytes(data)
    leaves = [(a, t, v) for (a, t), v in doc.leaves.items()]
    tree = MerkleTree(leaves) if leaves else None
    root = tree.root_hex() if tree is not None else None
    if root != doc.root:
        raise EpochDataError(f"the leaves give root {root}, the file records {doc.root}")
    with _LOCK:
        _CACHE[key] = (doc, tree)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return doc, tree


def claims_for(
    data: bytes, account: str, claimed: Mapping[str, int] | None = None
) -> tuple[EpochFile, list[ClaimItem]]:
    """(read data file, the account's leaves with proofs) — ``claimed`` per token if known."""
    doc, tree = tree_of(data)
    account = account.lower()
    claimed = claimed or {}
    items = []
    if tree is not None:
        for (a, t), v in doc.leaves.items():
            if a == account:
                leaf, proof = tree.proof_for(a, t)
                assert leaf.amount == v
                items.append(ClaimItem(t, v, ["0x" + p.hex() for p in proof], claimed.get(t, 0)))
    return doc, items
