"""Model-id routing: base ids and deployment ids (``<base>-<ticker lower>``) to upstreams.

Prices come from the database's model types when present, else from the devnet tiers; each
deployment's compute cost rate defaults to 40% of list (SPEC §6).

A model id two deployments would share (two graduated launches with one ticker in any case, a
configured deployment against a launch, a deployment id equal to a base id) is served by
neither: :func:`fomo.economics.attribution.unique_deployments` decides, independent of the
order rows come in, and the table keeps the refusals (``clashes``) for the log and the 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fomo.economics.attribution import (
    AttributionTable,
    DeploymentRef,
    ModelIdClash,
    deployment_model_id,
    unique_deployments,
)
from fomo.economics.pricing import DEVNET_TIERS, PriceTier, compute_rate_for
from fomo.gateway.config import GatewayConfig
from fomo.gateway.store import LaunchRoute
from fomo.gateway.upstream_config import UpstreamSpec


@dataclass(frozen=True, slots=True)
class Route:
    model_id: str
    base_model: str
    deployment: str | None
    """MT token address for a deployment id; None for a base model id."""
    upstream_url: str
    upstream_key: str
    upstream_model: str
    tier: PriceTier
    compute_rate: PriceTier


class RouteTable:
    def __init__(
        self,
        routes: dict[str, Route],
        clashes: tuple[ModelIdClash, ...] = (),
        deployments: tuple[DeploymentRef, ...] = (),
    ) -> None:
        self.routes = routes
        self.clashes = clashes
        self.refused = {c.model_id: c for c in clashes}
        # Season 1/2 attribution over exactly the deployments served (one implementation).
        self.attribution = AttributionTable(d for d in deployments if d.model_id in routes)
        tickers = {d.token: d.ticker for d in deployments}
        self.model_entries = {mid: model_entry(routes[mid], tickers) for mid in sorted(routes)}
        """``/v1/models`` entries, built once per refresh (the routes change only then)."""
        self.models_payload = {"object": "list", "data": list(self.model_entries.values())}

    def get(self, model_id: str) -> Route | None:
        return self.routes.get(model_id)


def _usd_text(d: Decimal) -> str:
    """An exact USD quote as plain decimal text: ``0.28``, ``2.5``, ``0`` (never ``2E-1``)."""
    return format(d.normalize(), "f") if d else "0"


def model_entry(route: Route, tickers: dict[str, str]) -> dict[str, Any]:
    """One ``/v1/models`` entry: OpenAI's fields, the prices charged, and the deployment.

    Prices are exact: decimal strings of USD per 1M tokens (as published) and the integer
    nano-USD per token the gateway multiplies by. Reasoning tokens are output tokens and billed
    at the output price. ``deployment`` is null for a base model id.
    """
    tier = route.tier
    inp, cached, out = tier.usd_per_million()
    deployment = None
    if route.deployment is not None:
        deployment = {
            "token": route.deployment,
            "ticker": tickers.get(route.deployment, ""),
            "base_model": route.base_model,
        }
    return {
        "id": route.model_id,
        "object": "model",
        "created": 0,
        "owned_by": "fomo",
        "base_model": route.base_model,
        "pricing": {
            "input_usd_per_million": _usd_text(inp),
            "cached_input_usd_per_million": _usd_text(cached),
            "output_usd_per_million": _usd_text(out),
            "input_nano_usd_per_token": str(tier.input_nano),
            "cached_input_nano_usd_per_token": str(tier.cached_input_nano),
            "output_nano_usd_per_token": str(tier.output_nano),
            "reasoning_model": tier.reasoning_model,
        },
        "deployment": deployment,
    }


def _upstream_for(cfg: GatewayConfig, base: str) -> UpstreamSpec | None:
    spec = cfg.upstreams.get(base)
    if spec is not None:
        return spec
    if cfg.default_upstream:
        return UpstreamSpec(url=cfg.default_upstream, api_key=cfg.upstream_api_key)
    return None


def build_routes(
    cfg: GatewayConfig,
    tiers: dict[str, PriceTier] | None = None,
    launches: list[LaunchRoute] | None = None,
) -> RouteTable:
    """Every base model with an upstream and a price, plus one id per known deployment."""
    tiers = dict(DEVNET_TIERS) if tiers is None else tiers
    routes: dict[str, Route] = {}

    def add(model_id: str, base: str, token: str | None, rate_bps: int) -> None:
        up = _upstream_for(cfg, base)
        tier = tiers.get(base)
        if up is None or tier is None:
            return
        # A pool's route names its first replica; the upstream client picks the replica.
        first = up.resolved_replicas()[0]
        routes[model_id] = Route(
            model_id=model_id,
            base_model=base,
            deployment=token.lower() if token else None,
            upstream_url=first.url,
            upstream_key=first.api_key or "",
            upstream_model=first.model or base,
            tier=tier,
            compute_rate=compute_rate_for(tier, rate_bps),
        )

    bases = sorted(set(tiers) | set(cfg.upstreams))
    for base in bases:
        add(base, base, None, cfg.compute_rate_bps)
    refs: list[DeploymentRef] = []
    rates: dict[str, int] = {}
    for lr in launches or []:
        refs.append(DeploymentRef(lr.token.lower(), lr.base_model, lr.symbol))
        rates.setdefault(lr.token.lower(), cfg.compute_rate_bps)
    for d in cfg.deployments:  # the configured rate wins for a launch listed here too
        refs.append(DeploymentRef(d.token.lower(), d.base_model, d.ticker))
        rates[d.token.lower()] = d.compute_rate_bps
    kept, clashes = unique_deployments(refs, bases)
    for dep in kept:
        add(
            deployment_model_id(dep.base_model, dep.ticker),
            dep.base_model,
            dep.token,
            rates[dep.token],
        )
    return RouteTable(routes, clashes, kept)
