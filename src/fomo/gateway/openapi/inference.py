"""The OpenAI-compatible paths: chat, completions, embeddings and the model list, with the
request and answer shapes the gateway meters."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from fomo.gateway.openapi.common import NANO_UNSIGNED, ApiKey, declared, errors


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
_INFERENCE_ERRORS = errors(400, 401, 402, 404, 413, 429, 502, 504)

_USD_TEXT = r"^[0-9]+(\.[0-9]+)?$"


class ModelPricing(BaseModel):
    """What one token costs, exactly: USD per 1M tokens as decimal text, and the integer
    nano-USD per token the gateway multiplies by, as decimal text (1 USD = 10⁹ nano-USD)."""

    input_usd_per_million: str = Field(pattern=_USD_TEXT, examples=["0.28"])
    cached_input_usd_per_million: str = Field(pattern=_USD_TEXT, examples=["0.07"])
    output_usd_per_million: str = Field(
        pattern=_USD_TEXT, examples=["0.42"], description="Reasoning tokens are billed as output."
    )
    input_nano_usd_per_token: str = Field(pattern=NANO_UNSIGNED, examples=["280"])
    cached_input_nano_usd_per_token: str = Field(pattern=NANO_UNSIGNED, examples=["70"])
    output_nano_usd_per_token: str = Field(pattern=NANO_UNSIGNED, examples=["420"])
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


router = APIRouter()


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
    declared()


@router.post(
    "/v1/completions",
    tags=["OpenAI-compatible"],
    summary="Text completion",
    response_model=Completion,
    responses={200: {"content": _SSE}, **_INFERENCE_ERRORS},
)
def completions(_key: ApiKey, body: CompletionRequest) -> None:
    """OpenAI's (legacy) completions, metered like chat."""
    declared()


@router.post(
    "/v1/embeddings",
    tags=["OpenAI-compatible"],
    summary="Embeddings",
    response_model=EmbeddingList,
    responses=_INFERENCE_ERRORS,
)
def embeddings(_key: ApiKey, body: EmbeddingRequest) -> None:
    """OpenAI's embeddings (input tokens only)."""
    declared()


@router.get(
    "/v1/models",
    tags=["OpenAI-compatible"],
    summary="List models",
    response_model=ModelList,
    responses=errors(401),
)
def models(_key: ApiKey) -> None:
    """Every model id served: base models and `<base>-<ticker>` deployments, each with its
    exact prices (USD per 1M tokens and nano-USD per token) and, for a deployment id, the
    deployment it maps to."""
    declared()


@router.get(
    "/v1/models/{model}",
    tags=["OpenAI-compatible"],
    summary="One model",
    response_model=Model,
    responses=errors(401, 404),
)
def model(
    _key: ApiKey, model: Annotated[str, Path(min_length=1, examples=["deepseek-v3.2"])]
) -> None:
    declared()
