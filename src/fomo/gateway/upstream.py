"""The upstream client: send one request to a route's inference server, and read its stream.

The seam is :meth:`Upstream.send` — "send this payload to this route's upstream for this
endpoint" — which returns the open response or raises an :class:`~fomo.gateway.errors.ApiError`
already mapped to what the client should see. Pooling (one shared aiohttp connection pool),
connect retries and the request headers live here and nowhere else. A model configured with
several replicas is sent through its pool (:mod:`fomo.gateway.pools`: weighted choice, health
checks, a breaker per replica, failover before the first byte); the handlers cannot tell.

:class:`SseEvents` splits a streamed body into Server-Sent Events (pure; no I/O).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

import aiohttp

from fomo.gateway.asgi import dumps
from fomo.gateway.config import GatewayConfig
from fomo.gateway.errors import ApiError
from fomo.gateway.metrics import Metrics
from fomo.gateway.pools import NoReplicaAvailable, PoolCollector, Pools
from fomo.gateway.routing import Route

RETRYABLE = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)
"""Failures before a single byte of the request reached the upstream: safe to retry."""
TIMEOUTS = (TimeoutError, aiohttp.ServerTimeoutError)
STREAM_ERRORS = aiohttp.ClientError
"""What a broken upstream body raises while it is read."""
ENDPOINT_PATHS = {"chat": "/chat/completions", "completions": "/completions"}
"""Upstream path per endpoint below the route's base URL (anything else: ``/embeddings``)."""

Response = aiohttp.ClientResponse


def upstream_timeout() -> ApiError:
    return ApiError(504, "upstream timed out", "server_error", "upstream_timeout")


def upstream_broke(exc: BaseException) -> ApiError:
    return ApiError(
        502, f"upstream failed ({type(exc).__name__})", "server_error", "upstream_error"
    )


def unreachable(route: Route, exc: BaseException) -> ApiError:
    return ApiError(
        502,
        f"upstream for '{route.model_id}' is unreachable ({type(exc).__name__})",
        "server_error",
        "upstream_unreachable",
    )


def headers_for(route: Route) -> dict[str, str]:
    h = {"content-type": "application/json"}
    if route.upstream_key:
        h["authorization"] = f"Bearer {route.upstream_key}"
    return h


class Upstream:
    """One shared connection pool to every upstream (opened at start-up, closed at shutdown)."""

    def __init__(self, cfg: GatewayConfig, metrics: Metrics) -> None:
        self.cfg = cfg
        self.metrics = metrics
        self.client: aiohttp.ClientSession | None = None
        self.pools = Pools(cfg, metrics)
        if self.pools:
            metrics.registry.register(PoolCollector(self.pools))
        self._health_checks: asyncio.Task[None] | None = None

    def open(self) -> None:
        # aiohttp rather than httpx for the upstream pool: as a proxy client on this hardware it
        # sustained ~5.6× the requests/s of httpx.AsyncClient (docs/api-platform.md).
        self.client = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(
                limit=self.cfg.max_connections, keepalive_timeout=30, ttl_dns_cache=300
            ),
            timeout=aiohttp.ClientTimeout(
                total=None,
                connect=self.cfg.connect_timeout_s,
                sock_read=self.cfg.read_timeout_s,
            ),
            skip_auto_headers=("User-Agent",),
        )
        if self.pools:
            loop = asyncio.get_running_loop()
            self._health_checks = loop.create_task(self.pools.health_loop(self.client))

    async def close(self) -> None:
        if self._health_checks is not None:
            self._health_checks.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._health_checks
            self._health_checks = None
        if self.client is not None:
            await self.client.close()

    async def send(self, route: Route, endpoint: str, payload: dict[str, Any]) -> Response:
        """POST ``payload`` to the route's upstream; retries a failed connect only (nothing was
        sent), maps every other failure to the client's error (502 / 504)."""
        try:
            return await self._post(route, ENDPOINT_PATHS.get(endpoint, "/embeddings"), payload)
        except NoReplicaAvailable as exc:
            raise ApiError(
                503,
                f"every upstream replica of '{route.model_id}' is failing; {exc}",
                "server_error",
                "upstream_unavailable",
            ) from None
        except RETRYABLE as exc:  # the retries (or every replica of a pool) failed to connect
            self.metrics.upstream_errors.labels(route.model_id, "connect").inc()
            raise unreachable(route, exc) from None
        except TIMEOUTS:
            self.metrics.upstream_errors.labels(route.model_id, "timeout").inc()
            raise upstream_timeout() from None
        except aiohttp.ClientError as exc:
            self.metrics.upstream_errors.labels(route.model_id, "transport").inc()
            raise upstream_broke(exc) from None

    async def _post(self, route: Route, path: str, payload: dict[str, Any]) -> Response:
        """Through the model's pool (which fails over between replicas), or to its one URL with
        ``connect_retries`` retries of a failed connect; other failures propagate to ``send``."""
        assert self.client is not None
        pool = self.pools.get(route.base_model)
        if pool is not None:
            return await self.pools.post(self.client, pool, route, path, payload)
        url = route.upstream_url + path
        data = dumps(payload)
        headers = headers_for(route)
        attempt = 0
        while True:
            try:
                return await self.client.post(url, data=data, headers=headers)
            except RETRYABLE:
                attempt += 1
                if attempt > self.cfg.connect_retries:
                    raise
                await asyncio.sleep(0.05 * attempt)

    async def error_of(self, route: Route, resp: Response) -> ApiError:
        """The client's error for a non-200 upstream answer (the upstream's message kept)."""
        try:
            raw = await resp.read()
        except (TimeoutError, aiohttp.ClientError):
            raw = b""
        finally:
            resp.release()
        status = resp.status
        self.metrics.upstream_errors.labels(route.model_id, str(status)).inc()
        return error_for_status(status, raw)


def error_for_status(status: int, raw: bytes) -> ApiError:
    message = f"upstream returned HTTP {status}"
    with contextlib.suppress(ValueError, AttributeError, TypeError, KeyError):
        message = f"upstream: {json.loads(raw)['error']['message']}"
    if status in (400, 404, 413, 422):
        return ApiError(status, message, "invalid_request_error", "upstream_rejected")
    if status == 429:
        return ApiError(429, message, "rate_limit_error", "upstream_rate_limited")
    return ApiError(502, message, "server_error", "upstream_error")


class SseEvents:
    """Split a Server-Sent Events body, fed in arbitrary chunks, into whole events.

    :meth:`feed` returns ``(event, data)`` pairs: ``event`` is the raw event with its blank-line
    terminator (what is forwarded to the client byte for byte), ``data`` its ``data:`` payload.
    Comments and keep-alives (no ``data:`` field) are dropped. CRLF line ends become LF."""

    def __init__(self) -> None:
        self.buf = b""

    def feed(self, raw: bytes) -> list[tuple[bytes, bytes]]:
        buf = self.buf + raw
        if b"\r" in buf:
            buf = buf.replace(b"\r\n", b"\n")
        out: list[tuple[bytes, bytes]] = []
        while True:
            i = buf.find(b"\n\n")
            if i < 0:
                break
            event, buf = buf[: i + 2], buf[i + 2 :]
            if event.startswith(b"data: "):
                out.append((event, event[6:-2]))
            elif event.startswith(b"data:"):
                out.append((event, event[5:-2]))
        self.buf = buf
        return out
