"""How ``fomo up`` serves the API platform (wired in :mod:`fomo.runtime.hooks`).

* ``gateway_app(ctx)`` — the gateway, mounted at the root of the platform server (the platform's
  own routes match first). Configuration: the TOML file named by ``FOMO_GATEWAY_CONFIG`` or
  ``<data_dir>/gateway.toml`` if present, on top of the platform settings (database, data dir,
  season, confirmations, chain id). Usage is stamped with ``ctx.clock_ns`` (on a dev chain the
  chain's clock, which `fomo chain advance` moves; else the wall clock). On a dev chain with no
  upstream configured, the gateway uses the development upstream mounted at
  :data:`DEV_UPSTREAM_PREFIX` — so a fresh devnet answers completions out of the box.

The development upstream itself is mounted by :mod:`fomo.devtools.mount` (dev chains only).
"""

from __future__ import annotations

import time

from fomo.config import Settings
from fomo.context import RuntimeContext
from fomo.gateway.app import Gateway
from fomo.gateway.config import GatewayConfig, gateway_config_path, load_gateway_config

DEV_UPSTREAM_PREFIX = "/dev-upstream"


def gateway_config(settings: Settings) -> GatewayConfig:
    cfg, _sources = load_gateway_config(settings, gateway_config_path(settings))
    if not cfg.default_upstream and not cfg.upstreams and settings.is_dev_chain:
        cfg = cfg.model_copy(
            update={"default_upstream": f"{settings.http_url}{DEV_UPSTREAM_PREFIX}/v1"}
        )
    return cfg


def gateway_app(ctx: RuntimeContext) -> Gateway:
    clock = getattr(ctx, "clock_ns", None) or time.time_ns  # the chain's clock on a devnet
    gw = Gateway(gateway_config(ctx.settings), engine=ctx.engine, clock_ns=clock)
    # Mounted apps get no lifespan events and start on their first request; store the journals
    # of a previous run now, so its records are in the database even if no request ever comes.
    # With the shared Redis ledger the adopter must also settle the holds the records name,
    # which needs the running gateway: its start-up (or a live sibling's poll) adopts them.
    if not gw.cfg.redis_url:
        gw.adopt_journals()
    return gw
