"""``POST /v1/chat/completions``, ``/v1/completions``, ``/v1/embeddings``: the metered proxy.

Authenticate the key, parse and route the body, apply per-key limits, **hold** (see
:mod:`fomo.gateway.charging`), forward through :mod:`fomo.gateway.upstream` (for streams with
``stream_options.include_usage`` injected), meter what the upstream reported or estimate it,
then **finish** (price, journal, settle) before the response's last byte is sent.

Failures: an upstream error or timeout releases the hold (no charge); a stream cut after content
was delivered is charged for what was delivered.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from typing import Any

from fomo.economics.pricing import Usage
from fomo.gateway import metering
from fomo.gateway.asgi import (
    JSON_HEADERS,
    SSE_HEADERS,
    Receive,
    Scope,
    Send,
    dumps,
    openai_error,
    read_body,
    send_bytes,
)
from fomo.gateway.charging import Metered, finish, hold, release
from fomo.gateway.errors import ApiError
from fomo.gateway.routing import Route
from fomo.gateway.services import Services
from fomo.gateway.upstream import (
    STREAM_ERRORS,
    TIMEOUTS,
    SseEvents,
    upstream_broke,
    upstream_timeout,
)

SHORT_POLL_GAP_S = 0.1
"""A 402 looks for credits granted since the last poll at most this often (across requests)."""


class Inference:
    def __init__(self, svc: Services) -> None:
        self.svc = svc
        self._last_short_poll = 0.0

    def _route(self, model: str) -> Route:
        routes = self.svc.routes
        route = routes.get(model)
        if route is None and model in routes.refused:
            raise ApiError(
                404,
                f"The model '{model}' is not served: "
                f"{routes.refused[model].reason}; the operator must resolve it",
                code="model_not_found",
                param="model",
            )
        if route is None:
            raise ApiError(
                404,
                f"The model '{model}' does not exist or is not served here; see GET /v1/models",
                code="model_not_found",
                param="model",
            )
        return route

    async def __call__(self, endpoint: str, scope: Scope, receive: Receive, send: Send) -> None:
        svc = self.svc
        t0 = time.perf_counter()
        key = await svc.auth.api_key(scope)
        body = await read_body(receive, svc.cfg.max_body_bytes)
        try:
            req = json.loads(body)
        except ValueError:
            raise ApiError(400, "malformed JSON body", code="invalid_json") from None
        if not isinstance(req, dict):
            raise ApiError(400, "the body must be a JSON object", code="invalid_json")
        model = req.get("model")
        if not isinstance(model, str) or not model:
            raise ApiError(400, "'model' is required", param="model")
        route = self._route(model)
        limited = await svc.limiter.check(key)
        if limited is not None:
            raise ApiError(429, limited, "rate_limit_error", "rate_limit_exceeded")
        if not isinstance(req.get("stream", False), bool | None):
            raise ApiError(400, "'stream' must be true or false", param="stream")
        r = Metered(endpoint, key, route, req, t0)
        upstream_req = dict(req)
        upstream_req["model"] = route.upstream_model
        try:
            await hold(svc, r, len(body), upstream_req)
        except ApiError as exc:
            # Short: credits granted/deposited since the last poll may be waiting. Look once
            # (at most every 100 ms across requests, so a 402 flood cannot hammer the database).
            if exc.status != 402 or time.monotonic() - self._last_short_poll < SHORT_POLL_GAP_S:
                raise
            self._last_short_poll = time.monotonic()
            await svc.poll()
            await hold(svc, r, len(body), upstream_req)
        try:
            if r.stream:
                client_usage = False
                so = req.get("stream_options")
                if isinstance(so, dict):
                    client_usage = bool(so.get("include_usage"))
                    upstream_req["stream_options"] = {**so, "include_usage": True}
                else:
                    upstream_req["stream_options"] = {"include_usage": True}
                await self._stream(r, upstream_req, client_usage, receive, send)
            else:
                await self._unary(r, upstream_req, send)
        finally:
            await release(self.svc, r)  # any path that did not settle: charge nothing

    async def _send(self, r: Metered, payload: dict[str, Any]) -> Any:
        r.t_forward = time.perf_counter()
        resp = await self.svc.upstream.send(r.route, r.endpoint, payload)
        if resp.status != 200:
            err = await self.svc.upstream.error_of(r.route, resp)
            await finish(self.svc, r, None, status=err.status)
            raise err
        return resp

    async def _unary(self, r: Metered, payload: dict[str, Any], send: Send) -> None:
        svc = self.svc
        resp = await self._send(r, payload)
        try:
            raw = await resp.read()
        except TIMEOUTS:
            resp.close()
            await finish(svc, r, None, status=504)
            raise upstream_timeout() from None
        except STREAM_ERRORS as exc:
            resp.close()
            await finish(svc, r, None, status=502)
            raise upstream_broke(exc) from None
        resp.release()
        r.upstream_s = time.perf_counter() - r.t_forward
        try:
            out = json.loads(raw)
        except ValueError:
            await finish(svc, r, None, status=502)
            raise ApiError(
                502, "upstream sent invalid JSON", "server_error", "upstream_error"
            ) from None
        usage = metering.parse_usage(out.get("usage")) if isinstance(out, dict) else None
        estimated = False
        if usage is None:
            estimated = True
            texts = [metering.choice_text(c, "message") for c in (out.get("choices") or [])]
            usage = metering.estimate_usage(r.endpoint, r.req, texts)
        record = await finish(svc, r, usage, status=200, estimated=estimated)
        await send_bytes(
            send,
            200,
            raw,
            [
                *JSON_HEADERS,
                (b"x-request-id", r.request_id.encode()),
                (b"x-fomo-overhead-ms", f"{record.overhead_us / 1000:.3f}".encode()),
            ],
        )

    async def _stream(
        self,
        r: Metered,
        payload: dict[str, Any],
        client_usage: bool,
        receive: Receive,
        send: Send,
    ) -> None:
        svc = self.svc
        resp = await self._send(r, payload)
        pre_ms = (r.t_forward - r.t0) * 1000
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    *SSE_HEADERS,
                    (b"x-request-id", r.request_id.encode()),
                    (b"x-fomo-overhead-ms", f"{max(pre_ms, 0.0):.3f}".encode()),
                ],
            }
        )
        disconnect = asyncio.ensure_future(receive())
        high: Usage | None = None
        delivered: list[bytes] = []  # data payloads the client received (for estimates)
        done = False
        failure: str | None = None
        events = SseEvents()
        try:
            async for raw in resp.content.iter_any():
                if disconnect.done():
                    failure = "client disconnected"
                    break
                for event, data in events.feed(raw):
                    if data.strip() == b"[DONE]":
                        done = True
                        continue  # sent after the usage record is durable
                    forward = True
                    if b'"usage"' in data:
                        try:
                            obj = json.loads(data)
                        except ValueError:
                            obj = None
                        if isinstance(obj, dict):
                            u = metering.parse_usage(obj.get("usage"))
                            if u is not None:
                                high = metering.high_water(high, u)
                                if not obj.get("choices") and not client_usage:
                                    forward = False
                    if forward:
                        await send({"type": "http.response.body", "body": event, "more_body": True})
                        delivered.append(data)
        except TIMEOUTS:
            failure = "upstream timed out"
        except STREAM_ERRORS as exc:
            failure = f"upstream stream broke ({type(exc).__name__})"
        finally:
            if done and failure is None:
                resp.release()
            else:  # never reuse a connection with an unread or broken stream on it
                resp.close()
            disconnect.cancel()
        r.upstream_s = time.perf_counter() - r.t_forward
        cut = failure is not None or not done
        if cut and failure is None:
            failure = "upstream ended the stream early"
        if failure is not None:
            svc.metrics.upstream_errors.labels(r.route.model_id, "stream_cut").inc()
        usage = high
        estimated = False
        if usage is None:
            texts: list[tuple[str, str]] = []
            for d in delivered:
                with contextlib.suppress(ValueError, AttributeError):
                    for c in json.loads(d).get("choices") or []:
                        texts.append(metering.choice_text(c, "delta"))
            o, reasoning = metering.estimate_output(texts)
            if o > 0 or not cut:
                estimated = True
                usage = Usage(metering.prompt_tokens_estimate(r.endpoint, r.req), 0, o, reasoning)
            # else: cut before any content reached the client — an upstream failure, no charge
        await finish(svc, r, usage, status=200, estimated=estimated, cut=cut)
        if failure is None:
            tail = b"data: [DONE]\n\n"
        else:
            tail = b"data: " + dumps(openai_error(failure, "server_error", "stream_cut")) + b"\n\n"
        await send({"type": "http.response.body", "body": tail, "more_body": False})
