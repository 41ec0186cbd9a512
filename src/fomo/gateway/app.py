"""The API platform gateway: an OpenAI-compatible ASGI application with metering and credits.

This module is the wiring and the lifecycle — start-up (adopt dead workers' journals, load keys
and routes, open the ledger, the journal and the upstream pool), the flush and poll loops, and
shutdown. The rooms it wires (imports run down this list, never back up):

* :mod:`~fomo.gateway.http` — routing, method and path → handler; errors → OpenAI's error body;
* :mod:`~fomo.gateway.routes_inference` — the metered proxy (chat, completions, embeddings);
  :mod:`~fomo.gateway.routes_keys` — SIWE sign-in and API keys;
  :mod:`~fomo.gateway.routes_account` — models, balance, usage, request log, discounts, metrics;
  :mod:`~fomo.gateway.routes_limits` — spend limits of a key or an account;
* :mod:`~fomo.gateway.services` — what the handlers share: :mod:`~fomo.gateway.auth` (bearer →
  key or account), :mod:`~fomo.gateway.charging` (hold, price, journal, settle: where a usage
  record is written), :mod:`~fomo.gateway.attribution` (deployment and stake discount),
  :mod:`~fomo.gateway.upstream` (the upstream pool, retries, SSE);
* pure: :mod:`~fomo.gateway.metering` (hold size, usage parsing, estimates, price of a record)
  and :mod:`~fomo.gateway.usage_record` (the record, from the handler to the journal to the
  database to the epoch).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from fomo.db.session import make_engine
from fomo.economics.pricing import PriceTier
from fomo.gateway.asgi import Receive, Scope, Send
from fomo.gateway.config import GatewayConfig
from fomo.gateway.credits import CreditBook
from fomo.gateway.http import Router
from fomo.gateway.journal import Journal
from fomo.gateway.journal_dirs import JournalClaim, adopt_orphans, claim
from fomo.gateway.ledger import CreditLedger, LedgerUnavailable
from fomo.gateway.ledger_memory import MemoryLedger
from fomo.gateway.limits import with_key_limits
from fomo.gateway.metrics import Metrics
from fomo.gateway.ratelimit import Limiter, RedisLimiter
from fomo.gateway.routing import RouteTable, build_routes
from fomo.gateway.services import Services
from fomo.gateway.store import GatewayStore, KeyInfo
from fomo.gateway.usage_record import UsageRecord

log = logging.getLogger("fomo.gateway")


class Gateway:
    """The ASGI application (``uvicorn fomo.gateway.app:create_app --factory``)."""

    def __init__(
        self,
        config: GatewayConfig,
        *,
        engine: Engine | None = None,
        clock_ns: Callable[[], int] = time.time_ns,
    ) -> None:
        self.cfg = config
        # What usage records are stamped with (and "today" is read from): the wall clock, or a
        # simulated one (the demo follows the devnet's clock across compressed days).
        self.clock_ns = clock_ns
        self.engine = engine if engine is not None else make_engine(config.database_url)
        self.store = GatewayStore(self.engine)
        self.ledger: CreditLedger = make_ledger(config, clock_ns)
        # The in-process ledger's book (None with the shared Redis ledger): tests look into it.
        self.book: CreditBook | None = getattr(self.ledger, "book", None)
        self.svc = Services(config, self.store, self.ledger, clock_ns)
        self.svc.flush = self.flush
        self.svc.poll = self.poll_once
        self.router = Router(self.svc)
        self.journal_claim: JournalClaim | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ledger_cursor = 0
        self._tasks: list[asyncio.Task[None]] = []
        self._flush_lock = asyncio.Lock()
        self._start_lock: asyncio.Lock | None = None
        self.started = False

    # What the handlers share, seen from here (tests and the demo look at some of it).

    @property
    def journal(self) -> Journal | None:
        return self.svc.journal

    @property
    def metrics(self) -> Metrics:
        return self.svc.metrics

    @property
    def routes(self) -> RouteTable:
        return self.svc.routes

    @property
    def keys(self) -> dict[str, KeyInfo]:
        return self.svc.auth.keys

    @property
    def limiter(self) -> Limiter:
        return self.svc.limiter

    # --- lifecycle --------------------------------------------------------------------------

    def _load_state(self) -> int:
        """Store the journals of dead workers (earlier runs included), then load the caches."""
        replayed = self.adopt_journals()
        self.svc.auth.load()
        self.svc.account_limits = self.store.account_limits()
        self._refresh_routes()
        return replayed

    def adopt_journals(self) -> int:
        """Store every dead worker's journaled records and settle the holds they name (runs
        off the event loop; both steps are idempotent)."""
        skip = self.journal_claim.worker_id if self.journal_claim is not None else None
        return adopt_orphans(self.cfg.journal_dir, self._store_adopted, skip=skip)

    def _store_adopted(self, lines: list[dict[str, Any]]) -> None:
        records = [UsageRecord.from_json(d) for d in lines]
        self.store.insert_usage(records)
        loop = self._loop
        if loop is not None and not isinstance(self.ledger, MemoryLedger):
            asyncio.run_coroutine_threadsafe(settle_records(self.ledger, records), loop).result()

    def _refresh_routes(self) -> None:
        tiers: dict[str, PriceTier] | None = None
        launches = None
        try:
            db_types = self.store.model_types()
            if db_types:
                from fomo.economics.pricing import DEVNET_TIERS

                tiers = dict(DEVNET_TIERS)
                for mt in db_types:
                    tiers[mt.base_model] = PriceTier(
                        int(mt.input_price_nano_usd),
                        int(mt.cached_input_price_nano_usd),
                        int(mt.output_price_nano_usd),
                        bool(mt.is_reasoning),
                    )
            if self.cfg.load_launches:
                launches = self.store.graduated_launches()
        except Exception:  # a database without the core tables still serves base models
            log.exception("could not read model types / launches")
        routes = build_routes(self.cfg, tiers, launches)
        if routes.clashes != self.svc.routes.clashes:  # log each change once, not every poll
            for clash in routes.clashes:
                log.error("%s; fix the launch data or gateway configuration", clash.sentence())
        self.svc.routes = routes

    async def startup(self) -> None:
        if self.started:
            return
        self._loop = asyncio.get_running_loop()
        self.journal_claim = await asyncio.to_thread(claim, self.cfg.journal_dir)
        replayed = await asyncio.to_thread(self._load_state)
        if replayed:
            log.warning("replayed %d journaled usage records", replayed)
        await self.ledger.start(self.store)
        self.svc.journal = Journal(
            self.journal_claim.directory,
            fsync=self.cfg.journal_fsync,
            sync_interval_s=self.cfg.journal_sync_interval_ms / 1000,
        )
        self.svc.upstream.open()
        if self.cfg.redis_url:
            self.svc.limiter = RedisLimiter(self.cfg.redis_url)
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._flush_loop()), loop.create_task(self._poll_loop())]
        self.started = True

    async def shutdown(self) -> None:
        for t in self._tasks:
            t.cancel()
        for t in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await t
        await self.flush()
        await self.svc.upstream.close()
        await self.svc.limiter.close()
        await self.ledger.close()
        journal = self.svc.journal
        if journal is not None:
            journal.close()
            if journal.backlog == 0 and self.journal_claim is not None:
                for p in self.journal_claim.directory.glob("usage-*.jsonl"):
                    p.unlink()  # every record in it is in the database
        if self.journal_claim is not None:
            self.journal_claim.release()
            self.journal_claim = None
        self.started = False

    async def flush(self) -> int:
        """Move usage records into the database — the local journal's, and the shared ledger's
        usage stream (if no other worker is draining it); returns how many were stored."""
        stored = await self._flush_journal()
        try:
            stored += await self.ledger.drain_usage(self.store)
        except LedgerUnavailable as exc:  # the records wait in Redis: the next flush drains
            log.warning("usage stream not drained: %s", exc)
        return stored

    async def _flush_journal(self) -> int:
        journal = self.svc.journal
        if journal is None:
            return 0
        stored = 0
        async with self._flush_lock:
            while journal.backlog:
                batch = journal.take_batch(self.cfg.flush_batch)
                records = [UsageRecord.from_json(r) for _, r in batch]
                await asyncio.to_thread(self.store.insert_usage, records)
                journal.mark_flushed(batch)
                stored += len(batch)
        self.metrics.journal_backlog.set(journal.backlog)
        return stored

    async def _flush_loop(self) -> None:
        while True:
            await asyncio.sleep(self.cfg.flush_interval_ms / 1000)
            try:
                await self.flush()
            except asyncio.CancelledError:
                raise
            except Exception:  # the database may be briefly locked/unavailable: retry later
                log.exception("usage flush failed; records stay in the journal")

    def _poll(self) -> tuple[list[tuple[int, str, int]], set[str]]:
        with contextlib.suppress(Exception):
            self.store.credit_confirmed_deposits(self.cfg.deposit_confirmations)
        entries = self.store.credits_since(self._ledger_cursor)
        revoked = self.store.revoked_hashes()
        self._refresh_routes()
        return entries, revoked

    async def poll_once(self) -> None:
        try:
            await self.ledger.ensure_ready(self.store)
        except LedgerUnavailable:
            log.exception("credit ledger unavailable")
        entries, revoked = await asyncio.to_thread(self._poll)
        for entry_id, account, amount in entries:
            if entry_id > self._ledger_cursor:
                try:  # idempotent per ledger row: whichever worker sees it first applies it
                    await self.ledger.credit(account, amount, f"credit:{entry_id}")
                except LedgerUnavailable:
                    log.exception("credit %d not applied yet; retried at the next poll", entry_id)
                    break
                self._ledger_cursor = entry_id
        if await asyncio.to_thread(self.adopt_journals):
            log.warning("adopted the journal of a worker that died")
        for h in revoked:
            self.svc.auth.mark_revoked(h, only_if_live=True)
        await self._refresh_limits()

    async def _refresh_limits(self) -> None:
        """Spend limits set through another worker (or the CLI) apply here from this poll on."""
        key_limits = await asyncio.to_thread(self.store.key_limits)
        self.svc.account_limits = await asyncio.to_thread(self.store.account_limits)
        with_key_limits(self.svc.auth.keys, key_limits)

    async def _poll_loop(self) -> None:
        while True:
            await asyncio.sleep(self.cfg.poll_interval_s)
            try:
                await self.poll_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("gateway poll failed")

    # --- ASGI -------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            if not self.started:  # mounted inside another app: no lifespan events reach us
                await self._lazy_start()
            await self.router(scope, receive, send)
        elif scope["type"] == "lifespan":
            while True:
                msg = await receive()
                if msg["type"] == "lifespan.startup":
                    try:
                        await self.startup()
                    except Exception as exc:
                        log.exception("gateway startup failed")
                        await send({"type": "lifespan.startup.failed", "message": str(exc)})
                        return
                    await send({"type": "lifespan.startup.complete"})
                elif msg["type"] == "lifespan.shutdown":
                    await self.shutdown()
                    await send({"type": "lifespan.shutdown.complete"})
                    return

    async def _lazy_start(self) -> None:
        if self._start_lock is None:
            self._start_lock = asyncio.Lock()
        async with self._start_lock:
            await self.startup()


def make_ledger(config: GatewayConfig, clock_ns: Callable[[], int] = time.time_ns) -> CreditLedger:
    """The shared Redis ledger when ``redis_url`` is set, else the in-process one. ``clock_ns``
    names the spend-limit periods a rebuild counts (the gateway's clock)."""
    if config.redis_url:
        from fomo.gateway.ledger_redis import RedisLedger

        return RedisLedger(config.redis_url, prefix=config.ledger_prefix, clock_ns=clock_ns)
    return MemoryLedger(clock_ns)


async def settle_records(ledger: CreditLedger, records: list[UsageRecord]) -> None:
    """Settle the holds named by adopted journal records (a no-op for holds already settled)."""
    for rec in records:
        if rec.hold_id:
            await ledger.settle(rec.hold_id, rec.paid_nano_usd)


def create_app(config: GatewayConfig | None = None) -> Gateway:
    return Gateway(config or GatewayConfig())
