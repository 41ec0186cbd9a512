"""Model-id routing: base ids and deployment ids (``<base>-<ticker lower>``) to upstreams.

Prices come from the database's model types when present, else from the devnet tiers; each
deployment's compute cost rate defaults to 40% of list (SPEC §6).
"""

from __future__ import annotations

from dataclasses import dataclass

from fomo.economics.pricing import DEVNET_TIERS, PriceTier, compute_rate_for
from fomo.gateway.config import GatewayConfig, UpstreamSpec
from fomo.gateway.store import LaunchRoute


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
    def __init__(self, routes: dict[str, Route]) -> None:
        self.routes = routes
        self.deployments_by_base: dict[str, list[str]] = {}
        for r in routes.values():
            if r.deployment is not None:
                self.deployments_by_base.setdefault(r.base_model, []).append(r.deployment)
        self.models_payload = {
            "object": "list",
            "data": [
                {"id": mid, "object": "model", "created": 0, "owned_by": "fomo"}
                for mid in sorted(routes)
            ],
        }

    def get(self, model_id: str) -> Route | None:
        return self.routes.get(model_id)


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
        routes[model_id] = Route(
            model_id=model_id,
            base_model=base,
            deployment=token.lower() if token else None,
            upstream_url=up.url.rstrip("/"),
            upstream_key=up.api_key,
            upstream_model=up.model or base,
            tier=tier,
            compute_rate=compute_rate_for(tier, rate_bps),
        )

    for base in sorted(set(tiers) | set(cfg.upstreams)):
        add(base, base, None, cfg.compute_rate_bps)
    for lr in launches or []:
        add(f"{lr.base_model}-{lr.symbol.lower()}", lr.base_model, lr.token, cfg.compute_rate_bps)
    for d in cfg.deployments:
        add(f"{d.base_model}-{d.ticker.lower()}", d.base_model, d.token, d.compute_rate_bps)
    return RouteTable(routes)
