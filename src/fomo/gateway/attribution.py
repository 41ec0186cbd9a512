"""Which deployment a request's usage counts toward, and the stake discount it gets there.

The rule is :mod:`fomo.economics.attribution` (one implementation, shared with the epoch
engine); this module only feeds it the account's stakes, cached for
``discount_cache_ttl_s`` so a request does not read the database.
"""

from __future__ import annotations

import asyncio
import logging
import time

from fomo.economics.attribution import Season
from fomo.economics.discounts import discount_bps
from fomo.gateway.config import GatewayConfig
from fomo.gateway.routing import Route, RouteTable
from fomo.gateway.store import GatewayStore

log = logging.getLogger("fomo.gateway")


class Attribution:
    def __init__(self, cfg: GatewayConfig, store: GatewayStore) -> None:
        self.cfg = cfg
        self.store = store
        self._stakes: dict[str, tuple[float, dict[str, int]]] = {}

    def forget(self, account: str) -> None:
        self._stakes.pop(account, None)

    async def stakes(self, account: str) -> dict[str, int]:
        now = time.monotonic()
        hit = self._stakes.get(account)
        if hit is not None and hit[0] > now:
            return hit[1]
        try:
            stakes = await asyncio.to_thread(self.store.stakes_of, account)
        except Exception:  # no indexed stakes (yet): no discount, never a failed request
            log.exception("could not read stakes")
            stakes = {}
        self._stakes[account] = (now + self.cfg.discount_cache_ttl_s, stakes)
        return stakes

    async def attribute(
        self, routes: RouteTable, account: str, route: Route
    ) -> tuple[str | None, int]:
        """(deployment the usage counts toward, discount bps from stake on it)."""
        if route.deployment is None and self.cfg.season != 1:
            return None, 0  # Season 2: a base id counts toward no MT (no stake read needed)
        stakes = await self.stakes(account)
        season: Season = 1 if self.cfg.season == 1 else 2
        # fomo.economics.attribution: own id first; Season 1 base ids go to the most-staked
        # deployment, ties to the lowest token id (never to whichever row came first).
        deployment = routes.attribution.attribute(route.model_id, stakes, season)
        if deployment is None:
            return None, 0
        return deployment, discount_bps(stakes.get(deployment, 0))
