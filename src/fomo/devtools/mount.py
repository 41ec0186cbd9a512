"""``fomo dev-upstream`` mounted on the platform server at ``/dev-upstream``, on dev chains only
(a fake model server must never answer on a real deployment). Wired in :mod:`fomo.runtime.hooks`;
the gateway points at it when no upstream is configured (:func:`fomo.gateway.mount.gateway_config`).
"""

from __future__ import annotations

from typing import Any

from fomo.context import RuntimeContext
from fomo.devtools.dev_upstream import DevUpstream
from fomo.gateway.asgi import Receive, Scope, Send, openai_error, send_json


async def _not_here(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "http":
        await send_json(send, 404, openai_error("no development upstream on this chain"))


def dev_upstream_app(ctx: RuntimeContext) -> Any:
    return DevUpstream() if ctx.settings.is_dev_chain else _not_here
