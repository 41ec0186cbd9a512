"""What the HTTP handlers share: one object built by :class:`fomo.gateway.app.Gateway`.

Handlers take this rather than the gateway, so imports run one way — the gateway (wiring and
lifecycle) → the router and handlers → these services → the pure metering and record modules.
``routes``, ``limiter`` and ``journal`` change at start-up and on every poll; ``flush`` and
``poll`` are the gateway's own (a view of usage or balance first brings the database up to date).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from fomo.economics.spend_limits import SpendLimit
from fomo.gateway.attribution import Attribution
from fomo.gateway.auth import Auth
from fomo.gateway.config import GatewayConfig
from fomo.gateway.journal import Journal
from fomo.gateway.ledger import CreditLedger
from fomo.gateway.metrics import Metrics
from fomo.gateway.ratelimit import Limiter, LocalLimiter
from fomo.gateway.routing import RouteTable
from fomo.gateway.store import GatewayStore
from fomo.gateway.upstream import Upstream


async def _nothing_to_flush() -> int:
    return 0


async def _nothing_to_poll() -> None:
    return None


@dataclass(eq=False)
class Services:
    cfg: GatewayConfig
    store: GatewayStore
    ledger: CreditLedger
    clock_ns: Callable[[], int]
    """What usage records are stamped with (and "today" is read from)."""
    metrics: Metrics = field(default_factory=Metrics)
    auth: Auth = field(init=False)
    attribution: Attribution = field(init=False)
    upstream: Upstream = field(init=False)
    routes: RouteTable = field(default_factory=lambda: RouteTable({}))
    limiter: Limiter = field(default_factory=LocalLimiter)
    journal: Journal | None = None
    account_limits: dict[str, SpendLimit] = field(default_factory=dict)
    """Spend limits of the accounts that have one (re-read every poll; keys carry their own)."""
    flush: Callable[[], Awaitable[int]] = _nothing_to_flush
    poll: Callable[[], Awaitable[None]] = _nothing_to_poll

    def __post_init__(self) -> None:
        self.auth = Auth(self.store)
        self.attribution = Attribution(self.cfg, self.store)
        self.upstream = Upstream(self.cfg, self.metrics)
