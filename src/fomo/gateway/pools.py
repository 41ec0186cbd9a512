"""The upstream pools at run time: built from the configuration, health-checked, reported.

The decisions (which replica, is its breaker open) are :mod:`fomo.gateway.upstream_pool`'s; this
module is their I/O edge: it builds one :class:`~fomo.gateway.upstream_pool.UpstreamPool` per
base model configured with several replicas, runs the health-check loop on the gateway's
connection pool, and exposes every replica's state to ``/metrics`` (a collector reading the pools
at scrape time, so nothing is copied) and ``/healthz``; and :meth:`Pools.post` sends one request
through a pool: the next replica after a connect error, a timeout before the response began or
an HTTP 5xx — never once the client may have received a byte. The upstream client
(:mod:`fomo.gateway.upstream`) maps what it returns or raises to the client's answer exactly as
for a single server.

A model with one server (``url = …``, one replica, or ``default_upstream``) has no pool: with no
other replica to send to, health checks and a breaker could only turn a slow answer into an
error, so it is sent to its server as before.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable, Iterator
from typing import Any

import aiohttp
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from fomo.gateway.asgi import dumps
from fomo.gateway.config import GatewayConfig
from fomo.gateway.metrics import Metrics
from fomo.gateway.routing import Route
from fomo.gateway.upstream_config import PoolSettings
from fomo.gateway.upstream_pool import BREAKER_GAUGE, Attempt, Replica, UpstreamPool

log = logging.getLogger("fomo.gateway.pools")


FAILOVER_ERRORS = (TimeoutError, aiohttp.ClientError)
"""What a replica's attempt can fail with before its response began (then the next is tried)."""


class NoReplicaAvailable(Exception):
    """Every replica's breaker is open: the request is refused without trying one."""

    def __init__(self, retry_after_s: float) -> None:
        super().__init__(f"retry in {max(math.ceil(retry_after_s), 1)} s")
        self.retry_after_s = retry_after_s


def error_kind(exc: BaseException) -> str:
    """The ``upstream_errors`` label of a failed attempt (the single-server path's labels)."""
    if isinstance(exc, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError):
        return "connect"
    if isinstance(exc, TimeoutError | aiohttp.ServerTimeoutError):
        return "timeout"
    return "transport"


class Pools:
    """Every pool of this gateway process, by base model id."""

    def __init__(
        self,
        cfg: GatewayConfig,
        metrics: Metrics | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings: PoolSettings = cfg.upstream_pool
        self.metrics = metrics
        self.clock = clock
        self.first_byte_timeout_s = self.settings.first_byte_timeout_s or cfg.read_timeout_s
        self.pools: dict[str, UpstreamPool] = {}
        for base, spec in cfg.upstreams.items():
            replicas = spec.resolved_replicas()
            if len(replicas) < 2:
                continue
            self.pools[base] = UpstreamPool.of(
                (
                    Replica(r.url, r.api_key or "", r.weight, r.model, r.name or r.url)
                    for r in replicas
                ),
                self.settings.breaker_failures,
                self.settings.breaker_cooldown_s,
            )

    def get(self, base_model: str) -> UpstreamPool | None:
        return self.pools.get(base_model)

    def __bool__(self) -> bool:
        return bool(self.pools)

    async def post(
        self,
        client: aiohttp.ClientSession,
        pool: UpstreamPool,
        route: Route,
        path: str,
        payload: dict[str, Any],
    ) -> aiohttp.ClientResponse:
        """POST ``payload`` to ``path`` below a replica of ``pool``, failing over until one's
        response begins with a status below 500.

        Returns that response — for a request that is not streamed with its body already read,
        so a body cut short is failed over too (the client has received nothing yet). When
        every replica was tried, returns the last 5xx response or raises the last exception, as
        a single server would have; raises :class:`NoReplicaAvailable` if no breaker admits a
        first attempt. Each replica is tried at most once per request.
        """
        unary = not payload.get("stream")
        bodies: dict[str, bytes] = {}
        tried: list[int] = []
        failed: aiohttp.ClientResponse | BaseException | None = None
        while (attempt := pool.acquire(self.clock(), tried)) is not None:
            tried.append(attempt.index)
            if failed is not None:  # failing over: the next replica answers instead
                self._failed_over(route, failed)
            replica = pool.replica(attempt.index)
            model = replica.model or route.base_model
            data = bodies.get(model)
            if data is None:
                data = bodies[model] = dumps({**payload, "model": model})
            outcome = await self._attempt(client, pool, attempt, replica, path, data, unary)
            if isinstance(outcome, aiohttp.ClientResponse) and outcome.status < 500:
                return outcome
            failed = outcome
        # the last failure is the caller's to count and report, as for a single server
        if failed is None:
            raise NoReplicaAvailable(pool.retry_after(self.clock()))
        if isinstance(failed, aiohttp.ClientResponse):
            return failed
        raise failed

    def _failed_over(self, route: Route, failed: aiohttp.ClientResponse | BaseException) -> None:
        if isinstance(failed, aiohttp.ClientResponse):
            failed.close()
            kind = str(failed.status)
        else:
            kind = error_kind(failed)
        if self.metrics is not None:
            self.metrics.upstream_errors.labels(route.model_id, kind).inc()
            self.metrics.failovers.labels(route.model_id).inc()

    async def _attempt(
        self,
        client: aiohttp.ClientSession,
        pool: UpstreamPool,
        attempt: Attempt,
        replica: Replica,
        path: str,
        data: bytes,
        unary: bool,
    ) -> aiohttp.ClientResponse | BaseException:
        """One replica's try: its response (status < 500: a success for its breaker; 5xx: a
        failure) or the exception it failed with. Anything else (the request task cancelled)
        leaves its breaker as it was and propagates."""
        headers = {"content-type": "application/json"}
        if replica.api_key:
            headers["authorization"] = f"Bearer {replica.api_key}"
        resp: aiohttp.ClientResponse | None = None
        try:
            async with asyncio.timeout(self.first_byte_timeout_s):
                resp = await client.post(replica.url + path, data=data, headers=headers)
            if unary and resp.status < 500:
                await resp.read()
        except FAILOVER_ERRORS as exc:
            if resp is not None:
                resp.close()
            pool.on_failure(attempt, self.clock())
            return exc
        except BaseException:
            if resp is not None:
                resp.close()
            pool.on_abandon(attempt)
            raise
        if resp.status >= 500:
            pool.on_failure(attempt, self.clock())
        else:
            pool.on_success(attempt)
        return resp

    async def check_once(self, client: aiohttp.ClientSession) -> None:
        """Health-check every replica of every pool once, concurrently."""
        checks = [
            self._check(client, pool, i) for pool in self.pools.values() for i in range(len(pool))
        ]
        await asyncio.gather(*checks)

    async def _check(self, client: aiohttp.ClientSession, pool: UpstreamPool, index: int) -> None:
        replica = pool.replica(index)
        headers = {"authorization": f"Bearer {replica.api_key}"} if replica.api_key else {}
        try:
            async with client.get(
                replica.url + self.settings.health_path,
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=self.settings.health_timeout_s),
            ) as resp:
                await resp.read()
                ok = 200 <= resp.status < 300
        except (TimeoutError, aiohttp.ClientError):
            ok = False
        was = pool.slots[index].healthy
        pool.on_health(index, ok)
        if ok != was:
            log.warning("upstream replica %s is %s", replica.name, "up" if ok else "down")

    async def health_loop(self, client: aiohttp.ClientSession) -> None:
        """Check every ``health_interval_s`` until cancelled (the first check right away)."""
        while True:
            try:
                await self.check_once(client)
            except Exception:  # a bug here must not stop future checks
                log.exception("upstream health checks failed")
            await asyncio.sleep(self.settings.health_interval_s)

    def status(self) -> dict[str, Any]:
        """Per model: how many replicas there are and how many take traffic (``/healthz``)."""
        now = self.clock()
        out: dict[str, Any] = {}
        for base, pool in sorted(self.pools.items()):
            views = pool.views(now)
            out[base] = {
                "replicas": len(views),
                "available": sum(v.available for v in views),
                "open_breakers": sum(v.breaker.value != "closed" for v in views),
            }
        return out


class PoolCollector(Collector):
    """Each replica's health, breaker and counts, read from the pools at scrape time."""

    def __init__(self, pools: Pools) -> None:
        self.pools = pools

    def collect(self) -> Iterator[Any]:
        labels = ["model", "replica"]
        available = GaugeMetricFamily(
            "fomo_gateway_upstream_replica_available",
            "1 if the replica takes new requests (breaker admits, health check passed).",
            labels=labels,
        )
        healthy = GaugeMetricFamily(
            "fomo_gateway_upstream_replica_healthy",
            "1 if the replica's last health check passed.",
            labels=labels,
        )
        breaker = GaugeMetricFamily(
            "fomo_gateway_upstream_breaker_state",
            "The replica's circuit breaker: 0 closed, 1 half-open, 2 open.",
            labels=labels,
        )
        weight = GaugeMetricFamily(
            "fomo_gateway_upstream_replica_weight", "The replica's weight.", labels=labels
        )
        attempts = CounterMetricFamily(
            "fomo_gateway_upstream_replica_attempts",
            "Requests sent to the replica (a failed-over request counts at each replica).",
            labels=labels,
        )
        failures = CounterMetricFamily(
            "fomo_gateway_upstream_replica_failures",
            "Attempts that failed before the response began (connect, timeout, 5xx).",
            labels=labels,
        )
        opened = CounterMetricFamily(
            "fomo_gateway_upstream_breaker_opened",
            "How many times the replica's breaker opened.",
            labels=labels,
        )
        now = self.pools.clock()
        for base, pool in sorted(self.pools.pools.items()):
            for v in pool.views(now):
                lv = [base, v.name]
                available.add_metric(lv, float(v.available))
                healthy.add_metric(lv, float(v.healthy))
                breaker.add_metric(lv, float(BREAKER_GAUGE[v.breaker]))
                weight.add_metric(lv, float(v.weight))
                attempts.add_metric(lv, float(v.attempts))
                failures.add_metric(lv, float(v.failures))
                opened.add_metric(lv, float(v.breaker_opened))
        yield from (available, healthy, breaker, weight, attempts, failures, opened)
