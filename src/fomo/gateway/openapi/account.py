"""The account's views (balance, spend limit, usage, request log, discounts) and the
operations endpoints (health, metrics)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Query
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field

from fomo.gateway import requests_log
from fomo.gateway.bounds import MAX_KEY_ID, MAX_USAGE_DAYS
from fomo.gateway.openapi.common import (
    NANO_TEXT,
    NANO_UNSIGNED,
    SessionOrKey,
    SiweSession,
    declared,
    errors,
)
from fomo.gateway.openapi.limits import AccountLimitOut, LimitOut, LimitRequest


class Balance(BaseModel):
    """Credit in integer nano-USD as decimal text (1 USD = 10⁹), exact at any size."""

    account: str
    balance_nano_usd: str = Field(
        pattern=NANO_TEXT, description="Credited − charged, integer nano-USD as decimal text."
    )
    held_nano_usd: str = Field(
        pattern=NANO_UNSIGNED, description="Reserved by requests in flight (nano-USD text)."
    )
    available_nano_usd: str = Field(
        pattern=NANO_TEXT,
        description="balance − held (nano-USD text); below zero only if a late charge landed "
        "after its hold's lease ran out.",
    )
    balance_usd: str
    account_limit: LimitOut = Field(description="The account's spend limit, if it has one.")


class UsageDay(BaseModel):
    day: str = Field(description="UTC day, YYYY-MM-DD.")
    model: str
    requests: int
    input_tokens: int
    cached_input_tokens: int
    output_tokens: int
    reasoning_tokens: int
    gross_nano_usd: str = Field(
        pattern=NANO_UNSIGNED, description="At list price, integer nano-USD as decimal text."
    )
    paid_nano_usd: str = Field(
        pattern=NANO_UNSIGNED, description="Charged to the credit, integer nano-USD as text."
    )


class UsageList(BaseModel):
    object: Literal["list"]
    account: str
    data: list[UsageDay]


class RequestLogEntry(BaseModel):
    """One metered request. Money is integer nano-USD as decimal text (1 USD = 10⁹)."""

    request_id: str
    created_at: str = Field(description="When the request finished, ISO 8601 UTC.")
    key_id: int | None = Field(description="The API key's id (never its secret).")
    endpoint: str = Field(description="`chat`, `completions` or `embeddings`.")
    model: str = Field(description="The model id requested.")
    base_model: str
    deployment: str | None = Field(description="MT token address the usage is attributed to.")
    input_tokens: int
    cached_input_tokens: int = Field(description="Part of input_tokens.")
    output_tokens: int
    reasoning_tokens: int = Field(description="Part of output_tokens (billed as output).")
    gross_nano_usd: str = Field(pattern=NANO_TEXT, description="At list price.")
    discount_bps: int = Field(description="Stake discount applied, basis points.")
    discount_nano_usd: str = Field(pattern=NANO_TEXT, description="gross − paid.")
    paid_nano_usd: str = Field(pattern=NANO_TEXT, description="Charged to the credit.")
    latency_ms: str = Field(
        pattern=r"^[0-9]+\.[0-9]{3}$", description="Gateway receipt to last byte, milliseconds."
    )
    status: int = Field(description="HTTP status the client got (a cut stream keeps 200).")
    charged: bool = Field(description="False when nothing was billed (e.g. upstream error).")
    estimated: bool = Field(description="Tokens counted by the gateway: upstream sent none.")
    stream: bool
    cut: bool = Field(description="The stream broke off; what was delivered is charged.")


class RequestLog(BaseModel):
    object: Literal["list"]
    account: str
    limit: int
    offset: int
    has_more: bool = Field(description="More requests follow this page (raise offset).")
    data: list[RequestLogEntry]


class Discount(BaseModel):
    model: str
    deployment: str
    staked_mt_base_units: str
    discount_bps: int


class DiscountList(BaseModel):
    object: Literal["list"]
    account: str
    data: list[Discount]


class GatewayHealth(BaseModel):
    ok: bool
    models: int


router = APIRouter()


@router.get(
    "/v1/account/balance",
    tags=["account"],
    summary="Credit balance",
    response_model=Balance,
    responses=errors(401),
)
def balance(_auth: SessionOrKey) -> None:
    declared()


@router.get(
    "/v1/account/limit",
    tags=["account"],
    summary="The account's spend limit",
    response_model=AccountLimitOut,
    responses=errors(401),
)
def account_limit(_auth: SessionOrKey) -> None:
    declared()


@router.patch(
    "/v1/account/limit",
    tags=["account"],
    summary="Set or remove the account's spend limit",
    response_model=AccountLimitOut,
    responses=errors(400, 401),
)
def patch_account_limit(_session: SiweSession, body: Annotated[LimitRequest, Body()]) -> None:
    """Caps what all of the account's keys spend together per period (each key's own limit
    applies as well)."""
    declared()


@router.get(
    "/v1/account/usage",
    tags=["account"],
    summary="Metered usage per day and model",
    response_model=UsageList,
    responses=errors(400, 401),
)
def usage(
    _auth: SessionOrKey,
    days: Annotated[int, Query(ge=1, le=MAX_USAGE_DAYS, description="Days back, today incl.")] = 30,
) -> None:
    declared()


@router.get(
    "/v1/account/requests",
    tags=["account"],
    summary="Per-request log",
    response_model=RequestLog,
    responses=errors(400, 401),
)
def account_requests(
    _auth: SessionOrKey,
    limit: Annotated[int, Query(ge=1, le=requests_log.MAX_LIMIT)] = requests_log.DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=requests_log.MAX_OFFSET)] = 0,
    model: Annotated[str | None, Query(min_length=1, max_length=requests_log.MAX_MODEL_ID)] = None,
    key_id: Annotated[int | None, Query(ge=0, le=MAX_KEY_ID)] = None,
    since: Annotated[
        datetime | None, Query(description="Inclusive, ISO 8601 (no zone = UTC).")
    ] = None,
    until: Annotated[
        datetime | None, Query(description="Exclusive, ISO 8601; later than since.")
    ] = None,
) -> None:
    """The account's requests, newest first, from the metered usage records (the same rows
    the credit is charged from). Unknown parameters are refused with 400."""
    declared()


@router.get(
    "/v1/account/discounts",
    tags=["account"],
    summary="Stake discounts per deployment",
    response_model=DiscountList,
    responses=errors(401),
)
def discounts(_auth: SessionOrKey) -> None:
    declared()


@router.get("/healthz", tags=["ops"], summary="Gateway liveness", response_model=GatewayHealth)
def healthz() -> None:
    declared()


@router.get(
    "/metrics",
    tags=["ops"],
    summary="Prometheus metrics",
    response_class=PlainTextResponse,
)
def metrics() -> None:
    declared()
