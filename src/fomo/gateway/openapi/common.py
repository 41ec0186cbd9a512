"""What every declaration shares: the three ways to authenticate, OpenAI's error body, the
error responses by status, and the body that never runs."""

from __future__ import annotations

from typing import Annotated, Any, NoReturn

from fastapi import Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

api_key = HTTPBearer(
    scheme_name="ApiKey",
    description="An API key `sk-…` (create one with `POST /v1/keys` or `fomo keys create`).",
    auto_error=False,
)
session_or_key = HTTPBearer(
    scheme_name="SessionOrApiKey",
    description="An API key `sk-…` or a Sign-In with Ethereum session from `/v1/auth/verify`.",
    auto_error=False,
)
siwe_session = HTTPBearer(
    scheme_name="SiweSession",
    description="A Sign-In with Ethereum session token from `POST /v1/auth/verify` (not a key).",
    auto_error=False,
)
ApiKey = Annotated[HTTPAuthorizationCredentials | None, Security(api_key)]
SessionOrKey = Annotated[HTTPAuthorizationCredentials | None, Security(session_or_key)]
SiweSession = Annotated[HTTPAuthorizationCredentials | None, Security(siwe_session)]

# --- errors ---------------------------------------------------------------------------------


class ErrorBody(BaseModel):
    message: str = Field(description="One plain sentence saying what went wrong.")
    type: str = Field(description="`invalid_request_error`, `authentication_error`, …")
    param: str | None
    code: str | None


class OpenAIError(BaseModel):
    """OpenAI's error shape, used by every gateway error."""

    error: ErrorBody


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    text = {
        400: "Malformed request (one sentence says what).",
        401: "Missing, invalid or revoked credentials.",
        402: "Not enough credit, or a spend limit of the key or account reached, for the "
        "request's upper-bound cost (the message names which).",
        404: "No such model, key or path.",
        413: "Request body too large.",
        429: "Rate limit of the key (or of the upstream) exceeded.",
        502: "The upstream failed or answered an error (nothing is charged).",
        504: "The upstream timed out (nothing is charged).",
    }
    return {c: {"model": OpenAIError, "description": text[c]} for c in codes}


# Integer nano-USD goes out as decimal text: a browser's JSON number is exact only below 2^53.
NANO_TEXT = r"^-?[0-9]+$"
NANO_UNSIGNED = r"^[0-9]+$"


def declared() -> NoReturn:
    raise AssertionError("schema declaration only: the gateway's ASGI handlers answer")
