"""Devnet-only endpoints for the web app's dev wallet and clock: ``/api/devnet/*``.

They exist only while the platform runs its own anvil devnet (``fomo up`` without ``rpc_url``, a
dev chain id); anywhere else every one of them answers 404, so a real deployment never offers
private keys or time travel. The keys listed are anvil's public mnemonic's (known to everyone;
never hold real value with them).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Request
from pydantic import BaseModel, Field, ValidationError

from fomo.api.routes_common import ERRORS, Problem
from fomo.chain.client import ChainClient
from fomo.chain.dev_accounts import dev_accounts
from fomo.chain.devclock import advance_chain_time
from fomo.chain.errors import ChainActionError
from fomo.context import RuntimeContext
from fomo.economics.units import SECONDS_PER_DAY

router = APIRouter(prefix="/api/devnet", tags=["devnet"])

MAX_ADVANCE_SECONDS = 366 * SECONDS_PER_DAY


class DevAccountOut(BaseModel):
    index: int
    address: str
    private_key: str


class DevAccounts(BaseModel):
    """The funded dev accounts (anvil's public mnemonic, path m/44'/60'/0'/0/index)."""

    accounts: list[DevAccountOut]


class Advance(BaseModel):
    seconds: int = Field(strict=True, ge=1, le=MAX_ADVANCE_SECONDS, description="1 s … 366 days.")


ADVANCE_RANGE = (
    f"seconds must be a whole number from 1 to {MAX_ADVANCE_SECONDS} (366 days), "
    'e.g. {"seconds": 86400} for one day.'
)


class ChainTime(BaseModel):
    """Timestamp (Unix seconds) of the block mined after the clock moved."""

    chain_time: int


def _devnet(request: Request) -> RuntimeContext:
    ctx: RuntimeContext = request.app.state.ctx
    if not ctx.settings.is_devnet:
        raise HTTPException(status_code=404, detail="not a devnet: no dev accounts or time travel")
    return ctx


@router.get("/accounts", response_model=DevAccounts, responses=ERRORS)
def accounts(request: Request) -> DevAccounts:
    """The dev accounts `fomo up` funded with dev FLOCK and USDC (devnet only, else 404)."""
    ctx = _devnet(request)
    s = ctx.settings
    listed = ctx.accounts or dev_accounts(s.anvil_mnemonic, s.dev_accounts)
    return DevAccounts(
        accounts=[
            DevAccountOut(index=a.index, address=a.address, private_key=a.private_key)
            for a in listed
        ]
    )


@router.post(
    "/advance",
    response_model=ChainTime,
    responses={
        **ERRORS,
        400: {"model": Problem, "description": "The body is not JSON."},
        503: {"model": Problem, "description": "The devnet's node did not answer."},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": Advance.model_json_schema()}},
        }
    },
)
def advance(
    request: Request, body: Annotated[Any, Body(include_in_schema=False)] = None
) -> ChainTime:
    """Move the devnet's clock forward and mine a block, as `fomo chain advance` does (devnet
    only, else 404). Bad input: HTTP 422 with one sentence in ``detail``."""
    ctx = _devnet(request)
    try:
        seconds = Advance.model_validate(body).seconds
    except ValidationError:
        raise HTTPException(status_code=422, detail=ADVANCE_RANGE) from None
    try:
        client = ChainClient.connect(ctx.rpc_url, timeout=10.0)
        return ChainTime(chain_time=advance_chain_time(client, seconds))
    except ChainActionError as exc:
        raise HTTPException(status_code=503, detail=str(exc)) from None
