"""Helpers shared by the market, protocol and stream routes: launch lookup, the deployment's
contract addresses, and which side of a launch's pair is the Model Token."""

from __future__ import annotations

from fastapi import HTTPException, Request
from sqlalchemy.orm import Session

from fomo.api.routes_common import parse_address
from fomo.chain.manifest import Manifest
from fomo.db.models import Launch

ZERO_ADDRESS = "0x" + "00" * 20
# Where the Pair sends its locked MINIMUM_LIQUIDITY, and the conventional burn address.
DEAD_ADDRESS = "0x000000000000000000000000000000000000dead"


def launch_or_404(session: Session, token: str) -> Launch:
    """The launch of ``token`` or HTTP 404 (422 for a malformed address)."""
    launch = session.get(Launch, parse_address(token, "token"))
    if launch is None:
        raise HTTPException(status_code=404, detail=f"no launch with token {token}")
    return launch


def contract_addresses(request: Request) -> dict[str, str]:
    """Manifest name → lower-case address of the running deployment (empty without one)."""
    manifest: Manifest | None = getattr(request.app.state.ctx, "manifest", None)
    if manifest is None:
        return {}
    return {name: entry.address.lower() for name, entry in manifest.contracts.items()}
