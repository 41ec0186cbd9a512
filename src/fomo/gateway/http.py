"""HTTP routing: method and path → handler, and every :class:`ApiError` → OpenAI's error body.

The three inference paths are checked first (the hot path); the rest is one table. The OpenAPI
declarations (:mod:`fomo.gateway.openapi`) must list the same routes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fomo.gateway.asgi import (
    BodyTooLarge,
    ClientGone,
    Receive,
    Scope,
    Send,
    full_path,
    openai_error,
    send_json,
)
from fomo.gateway.errors import ApiError
from fomo.gateway.routes_account import AccountRoutes
from fomo.gateway.routes_inference import Inference
from fomo.gateway.routes_keys import KeyRoutes
from fomo.gateway.routes_limits import LimitRoutes
from fomo.gateway.services import Services

Handler = Callable[[Scope, Receive, Send], Awaitable[None]]

INFERENCE_PATHS = {
    "/v1/chat/completions": "chat",
    "/v1/completions": "completions",
    "/v1/embeddings": "embeddings",
}
"""POST path → metered endpoint."""


class Router:
    def __init__(self, svc: Services) -> None:
        self.svc = svc
        self.inference = Inference(svc)
        keys, account, limits = KeyRoutes(svc), AccountRoutes(svc), LimitRoutes(svc)
        self.table: dict[tuple[str, str], Handler] = {
            ("GET", "/v1/models"): account.models,
            ("GET", "/metrics"): account.metrics,
            ("GET", "/healthz"): account.health,
            ("POST", "/v1/auth/nonce"): keys.nonce,
            ("POST", "/v1/auth/verify"): keys.verify,
            ("GET", "/v1/keys"): keys.list_keys,
            ("POST", "/v1/keys"): keys.create,
            ("GET", "/v1/account/balance"): account.balance,
            ("GET", "/v1/account/usage"): account.usage,
            ("GET", "/v1/account/discounts"): account.discounts,
            ("GET", "/v1/account/requests"): account.requests,
            ("GET", "/v1/key"): limits.current_key,
            ("GET", "/v1/account/limit"): limits.get_account_limit,
            ("PATCH", "/v1/account/limit"): limits.patch_account_limit,
        }
        self.prefixed: tuple[tuple[str, str, Handler], ...] = (
            ("DELETE", "/v1/keys/", keys.revoke),
            ("GET", "/v1/keys/", limits.get_key),
            ("PATCH", "/v1/keys/", limits.patch_key),
            ("GET", "/v1/models/", account.model),
        )

    def handler(self, method: str, path: str) -> Handler | None:
        h = self.table.get((method, path))
        if h is not None:
            return h
        for m, prefix, ph in self.prefixed:
            if method == m and path.startswith(prefix):
                return ph
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = full_path(scope)
        method: str = scope["method"]
        try:
            endpoint = INFERENCE_PATHS.get(path) if method == "POST" else None
            if endpoint is not None:
                await self.inference(endpoint, scope, receive, send)
            else:
                handler = self.handler(method, path)
                if handler is None:
                    raise ApiError(404, f"no route {method} {path}", code="not_found")
                await handler(scope, receive, send)
        except ApiError as exc:
            await send_json(send, exc.status, exc.body)
        except BodyTooLarge:
            await send_json(
                send,
                413,
                openai_error(
                    f"request body larger than {self.svc.cfg.max_body_bytes} bytes",
                    code="request_too_large",
                ),
            )
        except ClientGone:
            return
