"""The RevenueRouter over a `ChainClient`: what settlements credited to an issuer."""

from __future__ import annotations

from fomo.chain.client import ChainClient
from fomo.chain.errors import ChainActionError


def issuer_revenue_owed(client: ChainClient, issuer: str, token: str) -> int:
    """USDC base units ``issuer`` may withdraw for ``token``; none is one sentence."""
    router = client.contract("RevenueRouter")
    owed = int(router.functions.issuer_revenue(issuer, token).call())
    if owed == 0:
        raise ChainActionError(
            f"{issuer} has no issuer revenue to withdraw for {token} "
            "(not its issuer, nothing settled yet, or already withdrawn)."
        )
    return owed
