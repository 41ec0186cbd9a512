"""``fomo dev-upstream``: an honest OpenAI-compatible test server.

It is a *fake inference server* for tests, demos and benchmarks, and says so in every response
(``system_fingerprint: "fomo-dev-upstream"``). What it does honestly:

* deterministic text: the same prompt (and choice index) always gives the same words;
* real usage numbers for what it produced, counted with its own simple tokenizer (one token per
  word or punctuation mark — it is not any real model's tokenizer);
* prompt caching like vLLM's automatic prefix caching: prompts are cut into blocks of
  ``cache_block`` tokens and a block whose whole prefix was seen before counts as cached;
* reasoning models (``reasoning_models``) first "think" (``reasoning_content`` deltas, counted in
  ``completion_tokens_details.reasoning_tokens``, part of ``completion_tokens``) then answer;
* streaming that honours ``stream_options.include_usage`` (final chunk with empty ``choices``);
* embeddings (float or base64, like OpenAI) and ``/v1/models``.

Failure injection, set at start-up or at run time with ``POST /_dev/config`` (JSON with any of the
``DevUpstreamConfig`` fields): fixed latency before the first byte and between stream chunks,
an HTTP error status for every Nth request, a stream cut (connection dropped) after N content
chunks, and a no-usage mode (usage omitted, as some servers do). ``GET /_dev/stats`` reports
request counts so tests can check what reached the upstream.

This module is the ASGI entry (routing, the key check, injected latency and failures, the
``/_dev/*`` control endpoints); the settings are ``dev_config``, the words, tokens and prefix
cache ``dev_text``, the OpenAI-shaped answers and streams ``dev_responses``.
"""

from __future__ import annotations

import asyncio
import json as _json
import time
from dataclasses import asdict
from typing import Any

from fomo.devtools import dev_responses
from fomo.devtools.dev_config import DevUpstreamConfig, Stats
from fomo.devtools.dev_text import PrefixCache
from fomo.gateway.asgi import (
    BodyTooLarge,
    ClientGone,
    Receive,
    Scope,
    Send,
    openai_error,
    read_body,
    route_path,
    send_json,
)


class DevUpstream:
    """The ASGI application."""

    def __init__(self, config: DevUpstreamConfig | None = None) -> None:
        self.config = config or DevUpstreamConfig()
        self.cache = PrefixCache(self.config.cache_block, self.config.cache_capacity)
        self.stats = Stats()
        self._created = int(time.time())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                msg = await receive()
                if msg["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif msg["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        path = route_path(scope)
        method: str = scope["method"]
        try:
            body = await read_body(receive, 64 * 1024 * 1024)
        except (BodyTooLarge, ClientGone):
            return
        if path.startswith("/_dev/"):
            await self._control(path, method, body, send)
            return
        self.stats.requests += 1
        self.stats.by_path[path] = self.stats.by_path.get(path, 0) + 1
        cfg = self.config
        if cfg.api_key:
            auth = dict(scope["headers"]).get(b"authorization", b"")
            if auth != f"Bearer {cfg.api_key}".encode():
                await send_json(send, 401, openai_error("bad upstream key", "authentication_error"))
                return
        if cfg.latency_ms > 0:
            await asyncio.sleep(cfg.latency_ms / 1000)
        if cfg.fail_status and self.stats.requests % max(1, cfg.fail_every) == 0:
            self.stats.failures_injected += 1
            await send_json(
                send,
                cfg.fail_status,
                openai_error(f"injected failure {cfg.fail_status}", "server_error"),
            )
            return
        if method == "GET" and path == "/v1/models":
            await send_json(send, 200, self._models())
            return
        if method != "POST" or path not in (
            "/v1/chat/completions",
            "/v1/completions",
            "/v1/embeddings",
        ):
            await send_json(send, 404, openai_error(f"no route {method} {path}", code="not_found"))
            return
        try:
            req = _json.loads(body)
            if not isinstance(req, dict):
                raise ValueError("body must be a JSON object")
            model = req.get("model")
            if model not in cfg.models:
                await send_json(
                    send,
                    404,
                    openai_error(f"model {model!r} not served here", code="model_not_found"),
                )
                return
            if path == "/v1/embeddings":
                await send_json(send, 200, dev_responses.embeddings(cfg, req))
                return
            await dev_responses.complete(
                cfg, self.cache, self.stats, path == "/v1/chat/completions", req, send
            )
        except (ValueError, TypeError) as exc:
            await send_json(send, 400, openai_error(str(exc)))

    async def _control(self, path: str, method: str, body: bytes, send: Send) -> None:
        if path == "/_dev/config" and method == "POST":
            try:
                self.config.update(_json.loads(body or b"{}"))
            except (ValueError, TypeError) as exc:
                await send_json(send, 400, openai_error(str(exc)))
                return
            self.cache.block = max(1, self.config.cache_block)
            await send_json(send, 200, asdict(self.config))
        elif path == "/_dev/stats":
            await send_json(send, 200, asdict(self.stats))
        elif path == "/_dev/reset" and method == "POST":
            self.stats = Stats()
            self.cache = PrefixCache(self.config.cache_block, self.config.cache_capacity)
            await send_json(send, 200, {"ok": True})
        else:
            await send_json(send, 404, openai_error("unknown control endpoint"))

    def _models(self) -> dict[str, Any]:
        return {
            "object": "list",
            "data": [
                {"id": m, "object": "model", "created": self._created, "owned_by": "fomo-dev"}
                for m in self.config.models
            ],
        }


def create_app(config: DevUpstreamConfig | None = None) -> DevUpstream:
    return DevUpstream(config)
