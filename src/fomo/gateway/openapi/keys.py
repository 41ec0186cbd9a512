"""Sign-In with Ethereum and API keys: the nonce, the session, creating, listing, limiting and
revoking keys."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Path
from pydantic import BaseModel, Field

from fomo.gateway.bounds import MAX_KEY_ID, MAX_KEY_LIMIT
from fomo.gateway.openapi.common import ApiKey, SiweSession, declared, errors
from fomo.gateway.openapi.limits import LimitOut, LimitRequest, ResetIn


class Nonce(BaseModel):
    nonce: str = Field(description="Put it in the EIP-4361 message; single use.")
    expires_at: str
    domain: str = Field(description="The domain the message must name.")
    chain_id: int | None = Field(description="The chain id the message must name (any if null).")


class VerifyRequest(BaseModel):
    message: str = Field(description="The signed EIP-4361 (Sign-In with Ethereum) message.")
    signature: str = Field(description="0x-prefixed 65-byte personal_sign signature.")


class SessionOut(BaseModel):
    session: str = Field(description="Bearer token for `/v1/keys` and `/v1/account/*`.")
    account: str
    expires_at: str


class KeyCreateRequest(BaseModel):
    name: str | None = Field(None, description="A label for the key.")
    rpm_limit: int | None = Field(None, ge=1, le=MAX_KEY_LIMIT, description="Requests/minute.")
    tpm_limit: int | None = Field(None, ge=1, le=MAX_KEY_LIMIT, description="Tokens/minute.")
    limit_usd: str | None = Field(None, description="A spend limit, as in `PATCH /v1/keys/{id}`.")
    limit_reset: ResetIn | None = Field(None, description="Its reset period.")


class KeyOut(LimitOut):
    id: int
    prefix: str = Field(description="The key's first characters (the key is shown only once).")
    name: str
    created_at: str
    revoked: bool
    rpm_limit: int | None
    tpm_limit: int | None


class KeyCreated(KeyOut):
    key: str = Field(description="The secret `sk-…`: shown only in this answer.")
    account: str


class KeyList(BaseModel):
    object: Literal["list"]
    data: list[KeyOut]


class CurrentKey(KeyOut):
    account: str
    account_limit: LimitOut = Field(description="The account's limit, over all its keys.")


class KeyRevoked(BaseModel):
    id: int
    revoked: Literal[True]


router = APIRouter()


@router.post(
    "/v1/auth/nonce",
    tags=["sign-in and keys"],
    summary="Sign-in nonce",
    response_model=Nonce,
)
def auth_nonce() -> None:
    """Step 1 of Sign-In with Ethereum: a single-use nonce, the domain and the chain id."""
    declared()


@router.post(
    "/v1/auth/verify",
    tags=["sign-in and keys"],
    summary="Sign in",
    response_model=SessionOut,
    responses=errors(400, 401),
)
def auth_verify(body: VerifyRequest) -> None:
    """Step 2: send the signed EIP-4361 message; answers a session token for key management."""
    declared()


@router.get(
    "/v1/keys",
    tags=["sign-in and keys"],
    summary="List API keys",
    response_model=KeyList,
    responses=errors(401),
)
def list_keys(_session: SiweSession) -> None:
    declared()


@router.post(
    "/v1/keys",
    tags=["sign-in and keys"],
    summary="Create an API key",
    status_code=201,
    response_model=KeyCreated,
    responses=errors(400, 401),
)
def create_key(
    _session: SiweSession, body: Annotated[KeyCreateRequest | None, Body()] = None
) -> None:
    """The secret is in this answer only; the gateway stores its hash."""
    declared()


@router.get(
    "/v1/keys/{key_id}",
    tags=["sign-in and keys"],
    summary="One API key, with its spend limit",
    response_model=KeyOut,
    responses=errors(401, 404),
)
def get_key(_session: SiweSession, key_id: Annotated[int, Path(ge=0, le=MAX_KEY_ID)]) -> None:
    declared()


@router.patch(
    "/v1/keys/{key_id}",
    tags=["sign-in and keys"],
    summary="Set or remove an API key's spend limit",
    response_model=KeyOut,
    responses=errors(400, 401, 404),
)
def patch_key(
    _session: SiweSession,
    key_id: Annotated[int, Path(ge=0, le=MAX_KEY_ID)],
    body: Annotated[LimitRequest, Body()],
) -> None:
    """`{"limit_usd": "5", "limit_reset": "daily"}`. Requests whose upper-bound cost would take
    the key's spend in the period past the limit get HTTP 402 (`spend_limit_exceeded`) naming
    the limit, its amount and when it resets; every gateway worker enforces it atomically."""
    declared()


@router.get(
    "/v1/key",
    tags=["sign-in and keys"],
    summary="The calling API key: its spend limit and the account's",
    response_model=CurrentKey,
    responses=errors(401),
)
def current_key(_key: ApiKey) -> None:
    declared()


@router.delete(
    "/v1/keys/{key_id}",
    tags=["sign-in and keys"],
    summary="Revoke an API key",
    response_model=KeyRevoked,
    responses=errors(401, 404),
)
def revoke_key(_session: SiweSession, key_id: Annotated[int, Path(ge=0, le=MAX_KEY_ID)]) -> None:
    declared()
