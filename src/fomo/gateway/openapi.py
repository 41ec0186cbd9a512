"""The gateway's OpenAPI description: every path it answers, declared as FastAPI routes.

The gateway itself is raw ASGI (see :mod:`fomo.gateway.asgi` for why), so it has no framework
to describe it. The routes below are declarations only — their bodies never run — and exist so
that FastAPI renders a schema from the same pydantic models and parameter bounds the tests
check responses against. ``fomo up`` merges them into the platform's ``/openapi.json`` (and so
into ``/docs``); ``tests/gateway/test_schema_fuzz.py`` fuzzes a real gateway against them.

Keep them in step with :class:`fomo.gateway.http.Router` (its table and inference paths).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, NoReturn

from fastapi import APIRouter, Body, Path, Query, Security
from fastapi.responses import PlainTextResponse
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field

from fomo.gateway import requests_log
from fomo.gateway.bounds import MAX_KEY_ID, MAX_KEY_LIMIT, MAX_USAGE_DAYS

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


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
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


# --- inference ------------------------------------------------------------------------------


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: str = Field(description="`system`, `user`, `assistant` or `tool`.")
    content: str | list[dict[str, Any]] | None


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow")
    include_usage: bool = False


class _Sampling(BaseModel):
    model_config = ConfigDict(extra="allow")
    model: str = Field(description="A model id from `GET /v1/models` (`<base>-<ticker>`).")
    max_tokens: int | None = Field(
        None,
        ge=1,
        description="Output cap. The whole n × max_tokens is held on the credit (402 if it "
        "cannot be); when absent the gateway injects the configured cap or what the balance "
        "affords.",
    )
    max_completion_tokens: int | None = Field(
        None, ge=1, description="OpenAI's newer name for max_tokens (used if present)."
    )
    n: int | None = Field(None, ge=1, le=128, description="Choices to generate.")
    temperature: float | None = Field(None, ge=0, le=2)
    stream: bool = False
    stream_options: StreamOptions | None = None


class ChatCompletionRequest(_Sampling):
    """OpenAI's chat completion request; fields not listed are passed to the upstream as is."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "model": "deepseek-v3.2",
                    "messages": [{"role": "user", "content": "Hello"}],
                    "max_tokens": 16,
                },
                {
                    "model": "deepseek-v3.2",
                    "messages": [{"role": "user", "content": "Stream it"}],
                    "max_tokens": 8,
                    "stream": True,
                },
            ]
        },
    )

    messages: list[ChatMessage]


class CompletionRequest(_Sampling):
    """OpenAI's (legacy) completion request."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [{"model": "deepseek-v3.2", "prompt": "Once upon", "max_tokens": 8}]
        },
    )

    prompt: str | list[str]


class EmbeddingRequest(BaseModel):
    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={"examples": [{"model": "deepseek-v3.2", "input": ["one", "two"]}]},
    )
    model: str
    input: str | list[str]


class Usage(BaseModel):
    model_config = ConfigDict(extra="allow")
    prompt_tokens: int
    completion_tokens: int = 0
    total_tokens: int


class ChatChoice(BaseModel):
    model_config = ConfigDict(extra="allow")
    index: int
    message: dict[str, Any]
    finish_reason: str | None


class ChatCompletion(BaseModel):
    """The upstream's answer, relayed byte for byte (usage is metered from it)."""

    model_config = ConfigDict(extra="allow")
    id: str
    object: Literal["chat.completion"]
    created: int
    model: str
    choices: list[ChatChoice]
    usage: Usage | None = None


class CompletionChoice(BaseModel):
    model_config = ConfigDict(extra="allow")
    index: int
    text: str
    finish_reason: str | None


class Completion(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    object: Literal["text_completion"]
    created: int
    model: str
    choices: list[CompletionChoice]
    usage: Usage | None = None


class Embedding(BaseModel):
    model_config = ConfigDict(extra="allow")
    index: int
    embedding: list[float] | str
    object: Literal["embedding"]


class EmbeddingList(BaseModel):
    model_config = ConfigDict(extra="allow")
    object: Literal["list"]
    data: list[Embedding]
    model: str
    usage: Usage | None = None


_SSE = {
    "text/event-stream": {
        # One server-sent event: each `data` is a JSON chunk, the last one `[DONE]`.
        "schema": {
            "type": "object",
            "properties": {"event": {"type": "string"}, "data": {"type": "string"}},
            "required": ["data"],
        },
        "example": 'data: {"object":"chat.completion.chunk",…}\n\ndata: [DONE]\n\n',
    }
}
_INFERENCE_ERRORS = _errors(400, 401, 402, 404, 413, 429, 502, 504)

# --- models, sign-in, keys, account ---------------------------------------------------------


_USD_TEXT = r"^[0-9]+(\.[0-9]+)?$"
# Integer nano-USD goes out as decimal text: a browser's JSON number is exact only below 2^53.
_NANO_TEXT = r"^-?[0-9]+$"
_NANO_UNSIGNED = r"^[0-9]+$"


class ModelPricing(BaseModel):
    """What one token costs, exactly: USD per 1M tokens as decimal text, and the integer
    nano-USD per token the gateway multiplies by, as decimal text (1 USD = 10⁹ nano-USD)."""

    input_usd_per_million: str = Field(pattern=_USD_TEXT, examples=["0.28"])
    cached_input_usd_per_million: str = Field(pattern=_USD_TEXT, examples=["0.07"])
    output_usd_per_million: str = Field(
        pattern=_USD_TEXT, examples=["0.42"], description="Reasoning tokens are billed as output."
    )
    input_nano_usd_per_token: str = Field(pattern=_NANO_UNSIGNED, examples=["280"])
    cached_input_nano_usd_per_token: str = Field(pattern=_NANO_UNSIGNED, examples=["70"])
    output_nano_usd_per_token: str = Field(pattern=_NANO_UNSIGNED, examples=["420"])
    reasoning_model: bool = Field(description="The model emits reasoning tokens.")


class ModelDeployment(BaseModel):
    token: str = Field(description="The deployment's model token (MT) address.")
    ticker: str
    base_model: str


class Model(BaseModel):
    id: str
    object: Literal["model"]
    created: int
    owned_by: str
    base_model: str = Field(description="The base model that answers this id.")
    pricing: ModelPricing
    deployment: ModelDeployment | None = Field(
        description="The deployment a `<base>-<ticker>` id maps to; null for a base model id."
    )


class ModelList(BaseModel):
    object: Literal["list"]
    data: list[Model]


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


ResetIn = Literal["daily", "weekly", "monthly", "none"]


class LimitRequest(BaseModel):
    """A spend limit: either field may be left out (it keeps its value)."""

    limit_usd: str | None = Field(
        None,
        description='The limit in USD as an exact decimal string (`"5"`, `"0.25"`; at most '
        "9 decimals, 0 or more); `null` removes the limit.",
        examples=["5.00"],
    )
    limit_reset: ResetIn | None = Field(
        None,
        description="When the spend counted against the limit starts again from zero: `daily` "
        "(00:00 UTC), `weekly` (Monday 00:00 UTC), `monthly` (the 1st, 00:00 UTC) or "
        "`none`/`null` (never: the limit caps all spending).",
    )


class KeyCreateRequest(BaseModel):
    name: str | None = Field(None, description="A label for the key.")
    rpm_limit: int | None = Field(None, ge=1, le=MAX_KEY_LIMIT, description="Requests/minute.")
    tpm_limit: int | None = Field(None, ge=1, le=MAX_KEY_LIMIT, description="Tokens/minute.")
    limit_usd: str | None = Field(None, description="A spend limit, as in `PATCH /v1/keys/{id}`.")
    limit_reset: ResetIn | None = Field(None, description="Its reset period.")


class LimitOut(BaseModel):
    """A spend limit and what is left of it (OpenRouter's field names). Amounts are exact
    decimal USD strings and integer nano-USD strings; every field is `null` without a limit."""

    limit: str | None = Field(description='The limit in USD, e.g. `"5.00"`.')
    limit_nano_usd: str | None = Field(
        pattern=_NANO_UNSIGNED, description="The limit in nano-USD (an integer string)."
    )
    limit_remaining: str | None = Field(
        description="USD left this period: the limit − charged − held by requests in flight."
    )
    limit_remaining_nano_usd: str | None = Field(pattern=_NANO_UNSIGNED)
    limit_reset: Literal["daily", "weekly", "monthly"] | None = Field(
        description="The reset period; `null` with a limit: it never resets."
    )
    limit_resets_at: str | None = Field(
        description="When the current period ends (ISO 8601, UTC); `null` if it never does."
    )


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


class AccountLimitOut(LimitOut):
    account: str


class KeyRevoked(BaseModel):
    id: int
    revoked: Literal[True]


class Balance(BaseModel):
    """Credit in integer nano-USD as decimal text (1 USD = 10⁹), exact at any size."""

    account: str
    balance_nano_usd: str = Field(
        pattern=_NANO_TEXT, description="Credited − charged, integer nano-USD as decimal text."
    )
    held_nano_usd: str = Field(
        pattern=_NANO_UNSIGNED, description="Reserved by requests in flight (nano-USD text)."
    )
    available_nano_usd: str = Field(
        pattern=_NANO_TEXT,
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
        pattern=_NANO_UNSIGNED, description="At list price, integer nano-USD as decimal text."
    )
    paid_nano_usd: str = Field(
        pattern=_NANO_UNSIGNED, description="Charged to the credit, integer nano-USD as text."
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
    gross_nano_usd: str = Field(pattern=_NANO_TEXT, description="At list price.")
    discount_bps: int = Field(description="Stake discount applied, basis points.")
    discount_nano_usd: str = Field(pattern=_NANO_TEXT, description="gross − paid.")
    paid_nano_usd: str = Field(pattern=_NANO_TEXT, description="Charged to the credit.")
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


# --- the declarations -----------------------------------------------------------------------

router = APIRouter()


def _declared() -> NoReturn:
    raise AssertionError("schema declaration only: the gateway's ASGI handlers answer")


@router.post(
    "/v1/chat/completions",
    tags=["OpenAI-compatible"],
    summary="Chat completion",
    response_model=ChatCompletion,
    responses={200: {"content": _SSE}, **_INFERENCE_ERRORS},
)
def chat_completions(_key: ApiKey, body: ChatCompletionRequest) -> None:
    """OpenAI's chat completions: routed by model id, metered, charged in credits. With
    `stream: true` the answer is server-sent events ending `data: [DONE]`."""
    _declared()


@router.post(
    "/v1/completions",
    tags=["OpenAI-compatible"],
    summary="Text completion",
    response_model=Completion,
    responses={200: {"content": _SSE}, **_INFERENCE_ERRORS},
)
def completions(_key: ApiKey, body: CompletionRequest) -> None:
    """OpenAI's (legacy) completions, metered like chat."""
    _declared()


@router.post(
    "/v1/embeddings",
    tags=["OpenAI-compatible"],
    summary="Embeddings",
    response_model=EmbeddingList,
    responses=_INFERENCE_ERRORS,
)
def embeddings(_key: ApiKey, body: EmbeddingRequest) -> None:
    """OpenAI's embeddings (input tokens only)."""
    _declared()


@router.get(
    "/v1/models",
    tags=["OpenAI-compatible"],
    summary="List models",
    response_model=ModelList,
    responses=_errors(401),
)
def models(_key: ApiKey) -> None:
    """Every model id served: base models and `<base>-<ticker>` deployments, each with its
    exact prices (USD per 1M tokens and nano-USD per token) and, for a deployment id, the
    deployment it maps to."""
    _declared()


@router.get(
    "/v1/models/{model}",
    tags=["OpenAI-compatible"],
    summary="One model",
    response_model=Model,
    responses=_errors(401, 404),
)
def model(
    _key: ApiKey, model: Annotated[str, Path(min_length=1, examples=["deepseek-v3.2"])]
) -> None:
    _declared()


@router.post(
    "/v1/auth/nonce",
    tags=["sign-in and keys"],
    summary="Sign-in nonce",
    response_model=Nonce,
)
def auth_nonce() -> None:
    """Step 1 of Sign-In with Ethereum: a single-use nonce, the domain and the chain id."""
    _declared()


@router.post(
    "/v1/auth/verify",
    tags=["sign-in and keys"],
    summary="Sign in",
    response_model=SessionOut,
    responses=_errors(400, 401),
)
def auth_verify(body: VerifyRequest) -> None:
    """Step 2: send the signed EIP-4361 message; answers a session token for key management."""
    _declared()


@router.get(
    "/v1/keys",
    tags=["sign-in and keys"],
    summary="List API keys",
    response_model=KeyList,
    responses=_errors(401),
)
def list_keys(_session: SiweSession) -> None:
    _declared()


@router.post(
    "/v1/keys",
    tags=["sign-in and keys"],
    summary="Create an API key",
    status_code=201,
    response_model=KeyCreated,
    responses=_errors(400, 401),
)
def create_key(
    _session: SiweSession, body: Annotated[KeyCreateRequest | None, Body()] = None
) -> None:
    """The secret is in this answer only; the gateway stores its hash."""
    _declared()


@router.get(
    "/v1/keys/{key_id}",
    tags=["sign-in and keys"],
    summary="One API key, with its spend limit",
    response_model=KeyOut,
    responses=_errors(401, 404),
)
def get_key(_session: SiweSession, key_id: Annotated[int, Path(ge=0, le=MAX_KEY_ID)]) -> None:
    _declared()


@router.patch(
    "/v1/keys/{key_id}",
    tags=["sign-in and keys"],
    summary="Set or remove an API key's spend limit",
    response_model=KeyOut,
    responses=_errors(400, 401, 404),
)
def patch_key(
    _session: SiweSession,
    key_id: Annotated[int, Path(ge=0, le=MAX_KEY_ID)],
    body: Annotated[LimitRequest, Body()],
) -> None:
    """`{"limit_usd": "5", "limit_reset": "daily"}`. Requests whose upper-bound cost would take
    the key's spend in the period past the limit get HTTP 402 (`spend_limit_exceeded`) naming
    the limit, its amount and when it resets; every gateway worker enforces it atomically."""
    _declared()


@router.get(
    "/v1/key",
    tags=["sign-in and keys"],
    summary="The calling API key: its spend limit and the account's",
    response_model=CurrentKey,
    responses=_errors(401),
)
def current_key(_key: ApiKey) -> None:
    _declared()


@router.delete(
    "/v1/keys/{key_id}",
    tags=["sign-in and keys"],
    summary="Revoke an API key",
    response_model=KeyRevoked,
    responses=_errors(401, 404),
)
def revoke_key(_session: SiweSession, key_id: Annotated[int, Path(ge=0, le=MAX_KEY_ID)]) -> None:
    _declared()


@router.get(
    "/v1/account/balance",
    tags=["account"],
    summary="Credit balance",
    response_model=Balance,
    responses=_errors(401),
)
def balance(_auth: SessionOrKey) -> None:
    _declared()


@router.get(
    "/v1/account/limit",
    tags=["account"],
    summary="The account's spend limit",
    response_model=AccountLimitOut,
    responses=_errors(401),
)
def account_limit(_auth: SessionOrKey) -> None:
    _declared()


@router.patch(
    "/v1/account/limit",
    tags=["account"],
    summary="Set or remove the account's spend limit",
    response_model=AccountLimitOut,
    responses=_errors(400, 401),
)
def patch_account_limit(_session: SiweSession, body: Annotated[LimitRequest, Body()]) -> None:
    """Caps what all of the account's keys spend together per period (each key's own limit
    applies as well)."""
    _declared()


@router.get(
    "/v1/account/usage",
    tags=["account"],
    summary="Metered usage per day and model",
    response_model=UsageList,
    responses=_errors(400, 401),
)
def usage(
    _auth: SessionOrKey,
    days: Annotated[int, Query(ge=1, le=MAX_USAGE_DAYS, description="Days back, today incl.")] = 30,
) -> None:
    _declared()


@router.get(
    "/v1/account/requests",
    tags=["account"],
    summary="Per-request log",
    response_model=RequestLog,
    responses=_errors(400, 401),
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
    _declared()


@router.get(
    "/v1/account/discounts",
    tags=["account"],
    summary="Stake discounts per deployment",
    response_model=DiscountList,
    responses=_errors(401),
)
def discounts(_auth: SessionOrKey) -> None:
    _declared()


@router.get("/healthz", tags=["ops"], summary="Gateway liveness", response_model=GatewayHealth)
def healthz() -> None:
    _declared()


@router.get(
    "/metrics",
    tags=["ops"],
    summary="Prometheus metrics",
    response_class=PlainTextResponse,
)
def metrics() -> None:
    _declared()


def gateway_routes() -> list[APIRoute]:
    """The declared routes, for :func:`fastapi.openapi.utils.get_openapi`."""
    return [r for r in router.routes if isinstance(r, APIRoute)]


def gateway_openapi(title: str = "FOMO API gateway", version: str = "0") -> dict[str, Any]:
    """The gateway's OpenAPI document on its own (``fomo gateway serve``, the fuzz tests)."""
    from fastapi.openapi.utils import get_openapi

    return get_openapi(title=title, version=version, routes=gateway_routes())
