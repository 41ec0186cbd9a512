"""Prometheus metrics of one gateway instance (its own registry, so tests can run several)."""

from __future__ import annotations

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

    def render(self) -> bytes:
        return generate_latest(self.registry)
