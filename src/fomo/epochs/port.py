"""What the epoch engine needs from the chain (:class:`ChainPort`).

A protocol, so the engine runs without an RPC (tests, offline recomputation);
:mod:`fomo.epochs.chainport` implements it with web3.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class ChainPort(Protocol):
    """What the engine needs from the chain."""

    def capacity(self, tokens: list[str]) -> dict[str, int]:
        """Per token, ``funded − retired`` of the RewardDistributor."""

    def settle(self, epoch: int, amounts: Mapping[str, int]) -> dict[str, str | None]:
        """Settle ``amounts`` (USDC base units per MT) for ``epoch``; idempotent per
        (token, epoch). Returns per token the tx hash (``None`` if settled before)."""

    def buybacks(self, tokens: list[str]) -> list[dict[str, Any]]:
        """Execute buybacks within the router's impact bound; report what was spent/burned."""

    def propose(self, root: str, epoch: int, data_hash: str) -> str:
        """Propose the root; returns the tx hash."""

    def live_root(self) -> tuple[str, int, str]:
        """(root, epoch, data_hash) claims are checked against now."""
