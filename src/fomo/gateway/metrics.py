"""Prometheus metrics of one gateway instance (its own registry, so tests can run several)."""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

_LATENCY_BUCKETS = (
    0.0005,
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1,
    2.5,
    5,
    10,
    30,
    60,
)
_OVERHEAD_BUCKETS = (0.0001, 0.00025, 0.0005, 0.00075, 0.001, 0.002, 0.005, 0.01, 0.05)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "fomo_gateway_requests",
            "Requests by endpoint, model and status.",
            ["endpoint", "model", "status"],
            registry=r,
        )
        self.latency = Histogram(
            "fomo_gateway_request_seconds",
            "End-to-end request latency.",
            ["endpoint"],
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.overhead = Histogram(
            "fomo_gateway_overhead_seconds",
            "Time spent in the gateway itself (not upstream).",
            ["endpoint"],
            buckets=_OVERHEAD_BUCKETS,
            registry=r,
        )
        self.tokens = Counter(
            "fomo_gateway_tokens",
            "Metered tokens by model and kind.",
            ["model", "kind"],
            registry=r,
        )
        self.spend = Counter(
            "fomo_gateway_spend_nano_usd",
            "Spend in nano-USD by model and kind (gross, paid).",
            ["model", "kind"],
            registry=r,
        )
        self.upstream_errors = Counter(
            "fomo_gateway_upstream_errors",
            "Upstream failures by model and kind.",
            ["model", "kind"],
            registry=r,
        )
        self.failovers = Counter(
            "fomo_gateway_upstream_failovers",
            "Requests moved to another replica of the model's pool after a failure.",
            ["model"],
            registry=r,
        )
        self.journal_backlog = Gauge(
            "fomo_gateway_journal_backlog",
            "Usage records journaled but not yet in the database.",
            registry=r,
        )
        self.hold_overruns = Counter(
            "fomo_gateway_hold_overruns",
            "Requests whose metered cost exceeded the hold (charged the hold).",
            registry=r,
        )

        self._children: dict[tuple[str, str], ModelMetrics] = {}

    def child(self, endpoint: str, model: str) -> ModelMetrics:
        """Label children for one (endpoint, model), cached: ``labels()`` costs a lookup and a
        lock each time, and the hot path touches nine series per request."""
        c = self._children.get((endpoint, model))
        if c is None:
            c = ModelMetrics(self, endpoint, model)
            self._children[(endpoint, model)] = c
        return c

    def render(self) -> bytes:
        return generate_latest(self.registry)


class ModelMetrics:
    def __init__(self, m: Metrics, endpoint: str, model: str) -> None:
        self._m, self._endpoint, self._model = m, endpoint, model
        self.input = m.tokens.labels(model, "input")
        self.cached = m.tokens.labels(model, "cached_input")
        self.output = m.tokens.labels(model, "output")
        self.reasoning = m.tokens.labels(model, "reasoning")
        self.gross = m.spend.labels(model, "gross")
        self.paid = m.spend.labels(model, "paid")
        self.latency = m.latency.labels(endpoint)
        self.overhead = m.overhead.labels(endpoint)
        self._status: dict[int, Any] = {}

    def request(self, status: int) -> None:
        c = self._status.get(status)
        if c is None:
            c = self._m.requests.labels(self._endpoint, self._model, str(status))
            self._status[status] = c
        c.inc()
