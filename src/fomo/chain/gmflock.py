"""gmFLOCK locks over a `ChainClient`: one account's lock, and the unlock time to request."""

from __future__ import annotations

from typing import Any

from fomo.chain.client import ChainClient
from fomo.chain.errors import ChainActionError
from fomo.economics.gmflock import requested_unlock_time


def unlock_time_for(now: int, days: int) -> int:
    """`fomo.economics.gmflock.requested_unlock_time`, refusing a bad length in one sentence."""
    try:
        return requested_unlock_time(now, days)
    except ValueError as exc:
        raise ChainActionError(str(exc)) from None


def lock_state(client: ChainClient, who: str) -> dict[str, Any]:
    """``who``'s lock: FLOCK locked, its unlock time and the gmFLOCK balance (base units as
    decimal strings)."""
    gm = client.contract("GmFlock")
    amount, unlock = gm.functions.locked(who).call()
    return {
        "locked": str(amount),
        "unlock_time": int(unlock),
        "gmflock": str(gm.functions.balanceOf(who).call()),
    }
