"""The one error type every gateway handler raises: an HTTP status and OpenAI's error body.

The router (:mod:`fomo.gateway.http`) turns it into the response; nothing below the handlers
knows about HTTP except through this value."""

from __future__ import annotations

from fomo.gateway.asgi import openai_error


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        type_: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body = openai_error(message, type_, code, param)


def credits_unavailable(exc: Exception) -> ApiError:
    """The shared credit ledger (Redis) cannot be reached: 503, never a charge."""
    return ApiError(503, f"credits are unavailable: {exc}", "server_error")
