"""The epoch scheduler `fomo up` runs (hook ``fomo.epochs.scheduler:create_worker``).

Every ``interval`` seconds it runs each finished UTC day not yet computed, oldest first
(:func:`fomo.epochs.engine.catch_up`), with the chain's latest block time as "now" so a
time-travelled dev chain closes days too. A failing day (e.g. an insolvent epoch) is logged and
retried on the next tick; later days wait for it.

As the keeper it also pokes the RevenueRouter's TWAP observations once per TWAP window, for
the pairs a buyback is due on: a buyback needs an observation at least a window old, and
without one every settlement's buybacks would wait forever ("twap not ready"). Each graduated
MT's pair is observed once when the scheduler first sees it (so a first day of usage settles
against an observation already old enough); after that a pair is poked only while a buyback is
due on it: its MT earned paid usage today or yesterday (a settlement is coming) or its reserve
still waits on the router. FLOCK's pair is poked with them. With nothing due it sends nothing —
each poke is a transaction, which costs gas on a real chain. A dev chain pokes every pair once
per window as before: gas is free there and its clock jumps past any window. A failed poke is
logged and never holds the epochs back.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fomo.workers import PeriodicWorker

if TYPE_CHECKING:
    from fomo.context import RuntimeContext

log = logging.getLogger(__name__)


class EpochScheduler(PeriodicWorker):
    def __init__(
        self,
        factory: Any,
        datadir: Path,
        port: Any,
        params: Any,
        *,
        interval: float = 30.0,
        poke_every_window: bool = False,
    ) -> None:
        super().__init__("epochs", interval, max_backoff=600.0)
        self.factory = factory
        self.datadir = datadir
        self.port = port
        self.params = params
        self._poked: tuple[int, frozenset[str]] | None = None
        self._seen: frozenset[str] = frozenset()
        """Graduated MTs whose pair this scheduler has observed at least once."""
        self.poke_every_window = poke_every_window
        """A dev chain: every pair each window, due or not. Its gas is free and its clock jumps
        (`fomo chain advance`) past any window, so "observe when earning starts" could leave the
        first settlement without an observation old enough."""

    def keep_twap_fresh(self, now: int) -> None:
        """Poke the pairs buybacks are due on once per TWAP window (and at once for an MT that
        starts earning), so the settlement's buybacks find an observation old enough."""
        from sqlalchemy import text

        from fomo.economics.units import SECONDS_PER_DAY

        with self.factory() as s:
            graduated = sorted(
                str(t).lower()
                for (t,) in s.execute(text("SELECT token FROM launches WHERE status = 'graduated'"))
            )
            earning: set[str | None] = set()
            if not self.poke_every_window:  # a dev chain pokes every pair: usage is moot
                earning = {
                    str(d).lower() if d is not None else None
                    for (d,) in s.execute(
                        text(
                            "SELECT DISTINCT deployment FROM gateway_usage "
                            "WHERE day >= :day AND paid_nano_usd > 0"
                        ),
                        {"day": now // SECONDS_PER_DAY - 1},
                    )
                }
        new = frozenset(graduated) - self._seen  # observed once, at once
        due = frozenset(t for t in graduated if t in earning) | new
        if self.poke_every_window:
            due = frozenset(graduated)
        last = self._poked
        fresh = last is not None and now < last[0] + self.port.twap_window()
        if fresh and last is not None and due <= last[1]:
            return
        waiting = set()
        if hasattr(self.port, "waiting_buybacks"):
            waiting = self.port.waiting_buybacks(graduated)
        due |= frozenset(t for t in waiting if t in graduated)
        # Recorded before sending: a poke that fails part-way is retried a window later, not on
        # every tick (each retry would resend the pokes that did go through).
        self._seen |= new
        self._poked = (now, due)
        if due or earning or waiting or self.poke_every_window:
            self.port.poke_twap(sorted(due))

    def tick(self) -> None:
        from fomo.epochs import engine as eng

        now = self.port.client.timestamp()
        if hasattr(self.port, "poke_twap"):
            try:
                self.keep_twap_fresh(now)
            except Exception:  # a failed poke must never hold the epochs back
                log.warning("TWAP poke failed; buybacks may wait for the next one", exc_info=True)
        with self.factory() as s:
            first = eng.first_day(s.connection())
        if first is None:
            return
        for r in eng.catch_up(
            self.factory,
            self.datadir,
            first=first,
            now=now,
            flock_token=self.port.flock_token(),
            chain=self.port,
            params=self.params,
        ):
            log.info("epoch %s %s root %s", eng.day_label(r.epoch), r.status, r.root)


def create_worker(ctx: RuntimeContext) -> EpochScheduler | None:
    """The scheduler, or ``None`` when disabled or nothing is deployed."""
    settings = ctx.settings
    manifest = ctx.manifest
    if not settings.epoch_scheduler_enabled or manifest is None:
        return None
    from fomo.chain.client import ChainClient, load_key
    from fomo.epochs import engine as eng
    from fomo.epochs.chainport import Web3ChainPort

    client = ChainClient.connect(ctx.rpc_url, manifest=manifest)
    key = settings.deployer_key.get_secret_value() if settings.deployer_key else None
    if key is None and ctx.accounts:
        key = ctx.accounts[0].private_key
    if key is None:
        log.warning("epoch scheduler disabled: no deployer key to propose roots with")
        return None
    client.account = load_key(key)
    return EpochScheduler(
        ctx.session_factory,
        settings.data_dir,
        Web3ChainPort(client),
        eng.params_from_settings(settings),
        poke_every_window=settings.is_dev_chain,
    )
