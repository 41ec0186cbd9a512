"""The API platform gateway: an OpenAI-compatible ASGI application with metering and credits.

Request path (``/v1/chat/completions``, ``/v1/completions``, ``/v1/embeddings``):

1. authenticate the ``sk-…`` key (in-memory cache of hashes; a miss asks the database once);
2. read and parse the body (size-limited), route the model id, apply per-key limits;
3. **hold** an upper bound of the cost on the account's credit (prompt bytes bound the input
   tokens of any byte-level tokenizer; the output bound is ``n × max_tokens``, and a request
   without ``max_tokens`` gets one injected: the configured cap or what the balance affords);
4. forward on a shared connection pool; for streams inject ``stream_options.include_usage``;
5. meter the usage the upstream reported (or estimate it with a real tokenizer and mark the
   record ``estimated``), price it (gross, stake discount, paid, compute cost), **settle** the
   hold, and append the usage record to the write-ahead journal — fsynced before the response's
   last byte is sent — then finish the response. Records reach the database in batches.

Failures: an upstream error or timeout releases the hold (no charge); a stream cut after content
was delivered is charged for what was delivered.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import aiohttp
from sqlalchemy import Engine

from fomo.db.base import normalize_address
from fomo.db.session import make_engine
from fomo.economics.attribution import Season
from fomo.economics.discounts import discount_bps, paid_cost_nano
from fomo.economics.pricing import PriceTier, Usage, compute_cost_nano, gross_cost_nano
from fomo.economics.spend_limits import SpendLimit
from fomo.economics.units import SECONDS_PER_DAY, usd_text
from fomo.gateway import limit_routes, requests_log, tokenizer
from fomo.gateway.asgi import (
    JSON_HEADERS,
    SSE_HEADERS,
    BodyTooLarge,
    ClientGone,
    Receive,
    Scope,
    Send,
    dumps,
    full_path,
    header,
    openai_error,
    read_body,
    send_bytes,
    send_json,
)
from fomo.gateway.bounds import MAX_KEY_ID, MAX_KEY_LIMIT, MAX_USAGE_DAYS
from fomo.gateway.config import GatewayConfig
from fomo.gateway.credits import CreditBook, InsufficientCredit
from fomo.gateway.journal import Journal
from fomo.gateway.journal_dirs import JournalClaim, adopt_orphans, claim
from fomo.gateway.ledger import Balance, CreditLedger, LedgerUnavailable
from fomo.gateway.ledger_memory import MemoryLedger
from fomo.gateway.limits import (
    LimitCounter,
    SpendLimitExceeded,
    headroom,
    hold_counters,
    key_limit_of,
    now_utc,
    with_key_limits,
)
from fomo.gateway.metrics import Metrics
from fomo.gateway.ratelimit import Limiter, LocalLimiter, RedisLimiter
from fomo.gateway.routing import Route, RouteTable, build_routes
from fomo.gateway.store import KEY_PREFIX, GatewayStore, KeyInfo, hash_secret

log = logging.getLogger("fomo.gateway")

US_PER_DAY = SECONDS_PER_DAY * 1_000_000
_RID_PREFIX = uuid.uuid4().hex[:20]
"""Request ids: a random per-process prefix + a counter (unique, and no urandom per request)."""
_RID_COUNTER = itertools.count()
NEGATIVE_KEY_TTL_S = 2.0
_RETRYABLE = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError)
"""Failures before a single byte of the request reached the upstream: safe to retry."""
_TIMEOUTS = (TimeoutError, aiohttp.ServerTimeoutError)


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        type_: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body = openai_error(message, type_, code, param)


def parse_usage(u: Any) -> Usage | None:
    """OpenAI usage (chat/completions/embeddings, also the Responses-style names) → Usage."""
    if not isinstance(u, dict):
        return None
    try:
        prompt = int(u.get("prompt_tokens", u.get("input_tokens", 0)) or 0)
        completion = int(u.get("completion_tokens", u.get("output_tokens", 0)) or 0)
        pd = u.get("prompt_tokens_details") or u.get("input_tokens_details") or {}
        cd = u.get("completion_tokens_details") or u.get("output_tokens_details") or {}
        cached = int((pd.get("cached_tokens") if isinstance(pd, dict) else 0) or 0)
        reasoning = int((cd.get("reasoning_tokens") if isinstance(cd, dict) else 0) or 0)
    except (TypeError, ValueError):
        return None
    prompt, completion = max(prompt, 0), max(completion, 0)
    return Usage(
        prompt,
        min(max(cached, 0), prompt),
        completion,
        min(max(reasoning, 0), completion),
    )


def _high_water(a: Usage | None, b: Usage) -> Usage:
    if a is None:
        return b
    inp = max(a.input_tokens, b.input_tokens)
    out = max(a.output_tokens, b.output_tokens)
    return Usage(
        inp,
        min(max(a.cached_input_tokens, b.cached_input_tokens), inp),
        out,
        min(max(a.reasoning_tokens, b.reasoning_tokens), out),
    )


def _prompt_tokens_estimate(endpoint: str, req: dict[str, Any]) -> int:
    if endpoint == "chat":
        return tokenizer.count_chat_prompt(req.get("messages"))
    if endpoint == "embeddings":
        return tokenizer.count_prompt(req.get("input"))
    return tokenizer.count_prompt(req.get("prompt"))


def _choice_text(choice: Any, delta_key: str) -> tuple[str, str]:
    """(content, reasoning) text of one choice / delta."""
    if not isinstance(choice, dict):
        return "", ""
    if "text" in choice:
        return str(choice.get("text") or ""), ""
    m = choice.get(delta_key)
    if not isinstance(m, dict):
        return "", ""
    reasoning = m.get("reasoning_content") or m.get("reasoning") or ""
    return str(m.get("content") or ""), str(reasoning)


def _estimate_output(texts: list[tuple[str, str]]) -> tuple[int, int]:
    content = sum(tokenizer.count_text(c) for c, _ in texts)
    reasoning = sum(tokenizer.count_text(r) for _, r in texts)
    return content + reasoning, reasoning


@dataclass
class _Request:
    """State of one metered request (everything the usage record needs)."""

    endpoint: str
    key: KeyInfo
    route: Route
    req: dict[str, Any]
    t0: float
    hold: int = 0
    hold_id: str = ""
    settled: bool = False
    request_id: str = field(default_factory=lambda: f"{_RID_PREFIX}{next(_RID_COUNTER):012x}")
    t_forward: float = 0.0
    upstream_s: float = 0.0


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
        self.account_limits: dict[str, SpendLimit] = {}
        """Spend limits of the accounts that have one (re-read every poll)."""
        # The in-process ledger's book (None with the shared Redis ledger): tests look into it.
        self.book: CreditBook | None = getattr(self.ledger, "book", None)
        self.journal_claim: JournalClaim | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.keys: dict[str, KeyInfo] = {}
        self._negative_keys: dict[str, float] = {}
        self.routes = RouteTable({})
        self._stakes: dict[str, tuple[float, dict[str, int]]] = {}
        self.metrics = Metrics()
        self.journal: Journal | None = None
        self.client: aiohttp.ClientSession | None = None
        self.limiter: Limiter = LocalLimiter()
        self._ledger_cursor = 0
        self._tasks: list[asyncio.Task[None]] = []
        self._flush_lock = asyncio.Lock()
        self._last_short_poll = 0.0
        self._start_lock: asyncio.Lock | None = None
        self.started = False

    # --- lifecycle --------------------------------------------------------------------------

    def _load_state(self) -> int:
        """Store the journals of dead workers (earlier runs included), then load the caches."""
        replayed = self.adopt_journals()
        self.keys = self.store.all_keys()
        self.account_limits = self.store.account_limits()
        self._refresh_routes()
        return replayed

    def adopt_journals(self) -> int:
        """Store every dead worker's journaled records and settle the holds they name (runs
        off the event loop; both steps are idempotent)."""
        skip = self.journal_claim.worker_id if self.journal_claim is not None else None
        return adopt_orphans(self.cfg.journal_dir, self._store_adopted, skip=skip)

    def _store_adopted(self, records: list[dict[str, Any]]) -> None:
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
        if routes.clashes != self.routes.clashes:  # log each change once, not every poll
            for clash in routes.clashes:
                log.error("%s; fix the launch data or gateway configuration", clash.sentence())
        self.routes = routes

    async def startup(self) -> None:
        if self.started:
            return
        self._loop = asyncio.get_running_loop()
        self.journal_claim = await asyncio.to_thread(claim, self.cfg.journal_dir)
        replayed = await asyncio.to_thread(self._load_state)
        if replayed:
            log.warning("replayed %d journaled usage records", replayed)
        await self.ledger.start(self.store)
        self.journal = Journal(
            self.journal_claim.directory,
            fsync=self.cfg.journal_fsync,
            sync_interval_s=self.cfg.journal_sync_interval_ms / 1000,
        )
        # aiohttp rather than httpx for the upstream pool: as a proxy client on this hardware it
        # sustained ~5.6× the requests/s of httpx.AsyncClient (docs/api-platform.md).
        self.client = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(
                limit=self.cfg.max_connections, keepalive_timeout=30, ttl_dns_cache=300
            ),
            timeout=aiohttp.ClientTimeout(
                total=None,
                connect=self.cfg.connect_timeout_s,
                sock_read=self.cfg.read_timeout_s,
            ),
            skip_auto_headers=("User-Agent",),
        )
        if self.cfg.redis_url:
            self.limiter = RedisLimiter(self.cfg.redis_url)
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
        if self.client is not None:
            await self.client.close()
        await self.limiter.close()
        await self.ledger.close()
        if self.journal is not None:
            self.journal.close()
            if self.journal.backlog == 0 and self.journal_claim is not None:
                for p in self.journal_claim.directory.glob("usage-*.jsonl"):
                    p.unlink()  # every record in it is in the database
        if self.journal_claim is not None:
            self.journal_claim.release()
            self.journal_claim = None
        self.started = False

    async def flush(self) -> int:
        """Move journaled records into the database; returns how many were stored."""
        journal = self.journal
        if journal is None:
            return 0
        stored = 0
        async with self._flush_lock:
            while journal.backlog:
                batch = journal.take_batch(self.cfg.flush_batch)
                await asyncio.to_thread(self.store.insert_usage, [r for _, r in batch])
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
            k = self.keys.get(h)
            if k is not None and not k.revoked:
                self.keys[h] = KeyInfo(
                    k.id, k.account, k.prefix, k.name, k.created_at, True, k.rpm_limit, k.tpm_limit
                )

        await self._refresh_limits()

    async def _refresh_limits(self) -> None:
        """Limits set through another worker (or the CLI) apply here from this poll on."""
        key_limits = await asyncio.to_thread(self.store.key_limits)
        self.account_limits = await asyncio.to_thread(self.store.account_limits)
        with_key_limits(self.keys, key_limits)

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
            await self._http(scope, receive, send)
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

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = full_path(scope)
        method: str = scope["method"]
        try:
            if method == "POST" and path == "/v1/chat/completions":
                await self._inference("chat", scope, receive, send)
            elif method == "POST" and path == "/v1/completions":
                await self._inference("completions", scope, receive, send)
            elif method == "POST" and path == "/v1/embeddings":
                await self._inference("embeddings", scope, receive, send)
            else:
                handler = self._other_routes(method, path)
                if handler is None:
                    raise ApiError(404, f"no route {method} {path}", code="not_found")
                await handler(scope, receive, send)
        except ApiError as exc:
            await send_json(send, exc.status, exc.body)
        except BodyTooLarge:
            await send_json(
                send,
                413,
                openai_error(
                    f"request body larger than {self.cfg.max_body_bytes} bytes",
                    code="request_too_large",
                ),
            )
        except ClientGone:
            return

    # --- auth -------------------------------------------------------------------------------

    def _bearer(self, scope: Scope) -> str:
        auth = header(scope, b"authorization")
        if not auth:
            raise ApiError(
                401,
                "missing API key: send 'Authorization: Bearer sk-…'",
                "authentication_error",
                "missing_api_key",
            )
        scheme, _, token = auth.decode("latin-1").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(
                401, "malformed Authorization header", "authentication_error", "invalid_api_key"
            )
        return token.strip()

    async def _api_key(self, scope: Scope) -> KeyInfo:
        token = self._bearer(scope)
        if not token.startswith(KEY_PREFIX):
            raise ApiError(401, "invalid API key", "authentication_error", "invalid_api_key")
        h = hash_secret(token)
        key = self.keys.get(h)
        if key is None:
            neg = self._negative_keys.get(h)
            now = time.monotonic()
            if neg is None or neg < now:
                key = await asyncio.to_thread(self.store.find_key, h)
                if key is None:
                    if len(self._negative_keys) > 10_000:
                        self._negative_keys.clear()
                    self._negative_keys[h] = now + NEGATIVE_KEY_TTL_S
                else:
                    self.keys[h] = key
        if key is None:
            raise ApiError(401, "invalid API key", "authentication_error", "invalid_api_key")
        if key.revoked:
            raise ApiError(
                401, "this API key was revoked", "authentication_error", "revoked_api_key"
            )
        return key

    async def _account(self, scope: Scope) -> str:
        """Account of a request authenticated by an API key or a SIWE session."""
        token = self._bearer(scope)
        if token.startswith(KEY_PREFIX):
            return (await self._api_key(scope)).account
        account = await asyncio.to_thread(self.store.find_session, token)
        if account is None:
            raise ApiError(
                401, "invalid or expired session", "authentication_error", "invalid_session"
            )
        return account

    async def _session(self, scope: Scope) -> str:
        token = self._bearer(scope)
        if token.startswith(KEY_PREFIX):
            raise ApiError(
                401,
                "managing keys needs a Sign-In with Ethereum session, not an API key",
                "authentication_error",
                "session_required",
            )
        return await self._account(scope)

    # --- stake discounts and attribution ----------------------------------------------------

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

    async def attribution(self, account: str, route: Route) -> tuple[str | None, int]:
        """(deployment the usage counts toward, discount bps from stake on it)."""
        if route.deployment is None and self.cfg.season != 1:
            return None, 0  # Season 2: a base id counts toward no MT (no stake read needed)
        stakes = await self.stakes(account)
        season: Season = 1 if self.cfg.season == 1 else 2
        # fomo.economics.attribution: own id first; Season 1 base ids go to the most-staked
        # deployment, ties to the lowest token id (never to whichever row came first).
        deployment = self.routes.attribution.attribute(route.model_id, stakes, season)
        if deployment is None:
            return None, 0
        return deployment, discount_bps(stakes.get(deployment, 0))

    # --- inference --------------------------------------------------------------------------

    async def _inference(self, endpoint: str, scope: Scope, receive: Receive, send: Send) -> None:
        t0 = time.perf_counter()
        key = await self._api_key(scope)
        body = await read_body(receive, self.cfg.max_body_bytes)
        try:
            req = json.loads(body)
        except ValueError:
            raise ApiError(400, "malformed JSON body", code="invalid_json") from None
        if not isinstance(req, dict):
            raise ApiError(400, "the body must be a JSON object", code="invalid_json")
        model = req.get("model")
        if not isinstance(model, str) or not model:
            raise ApiError(400, "'model' is required", param="model")
        route = self.routes.get(model)
        if route is None and model in self.routes.refused:
            raise ApiError(
                404,
                f"The model '{model}' is not served: "
                f"{self.routes.refused[model].reason}; the operator must resolve it",
                code="model_not_found",
                param="model",
            )
        if route is None:
            raise ApiError(
                404,
                f"The model '{model}' does not exist or is not served here; see GET /v1/models",
                code="model_not_found",
                param="model",
            )
        limited = await self.limiter.check(key)
        if limited is not None:
            raise ApiError(429, limited, "rate_limit_error", "rate_limit_exceeded")
        if not isinstance(req.get("stream", False), bool | None):
            raise ApiError(400, "'stream' must be true or false", param="stream")
        stream = endpoint != "embeddings" and bool(req.get("stream"))
        r = _Request(endpoint, key, route, req, t0)
        upstream_req = dict(req)
        upstream_req["model"] = route.upstream_model
        try:
            await self._hold(r, len(body), upstream_req)
        except ApiError as exc:
            # Short: credits granted/deposited since the last poll may be waiting. Look once
            # (at most every 100 ms across requests, so a 402 flood cannot hammer the database).
            if exc.status != 402 or time.monotonic() - self._last_short_poll < 0.1:
                raise
            self._last_short_poll = time.monotonic()
            await self.poll_once()
            await self._hold(r, len(body), upstream_req)
        try:
            if stream:
                client_usage = False
                so = req.get("stream_options")
                if isinstance(so, dict):
                    client_usage = bool(so.get("include_usage"))
                    upstream_req["stream_options"] = {**so, "include_usage": True}
                else:
                    upstream_req["stream_options"] = {"include_usage": True}
                await self._stream(r, upstream_req, client_usage, receive, send)
            else:
                await self._unary(r, upstream_req, send)
        finally:
            if not r.settled and r.hold_id:  # any path that did not settle: charge nothing
                r.settled = True
                await self.ledger.release(r.hold_id)

    async def _hold(self, r: _Request, body_len: int, upstream_req: dict[str, Any]) -> None:
        """Hold the most this request can cost (list price; a discount only lowers it)."""
        cfg, tier, req = self.cfg, r.route.tier, r.req
        input_bound = body_len + cfg.input_slack_tokens
        input_cost = input_bound * tier.input_nano
        account = r.key.account
        counters = self._limit_counters(r.key)
        if r.endpoint == "embeddings":
            amount = input_cost
        else:
            n = req.get("n", 1)
            if n is None:
                n = 1
            if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 128:
                raise ApiError(400, "'n' must be an integer between 1 and 128", param="n")
            field_name = "max_completion_tokens" if "max_completion_tokens" in req else "max_tokens"
            max_out = req.get(field_name)
            if max_out is not None:
                if isinstance(max_out, bool) or not isinstance(max_out, int) or max_out < 1:
                    raise ApiError(
                        400, f"'{field_name}' must be a positive integer", param=field_name
                    )
                amount = input_cost + n * max_out * tier.output_nano
            else:
                cap = cfg.default_max_output_tokens
                if tier.output_nano > 0:
                    avail = (await self._ledger_balance(account)).available
                    room, binding, used = await self._headroom(account, counters, avail)
                    spare = room - input_cost
                    affordable = spare // (n * tier.output_nano) if spare > 0 else 0
                    cap = min(cap, affordable)
                if cap < min(cfg.min_output_tokens, cfg.default_max_output_tokens):
                    if binding is not None:  # the limit, not the balance, is what is short
                        needed = input_cost + n * cfg.min_output_tokens * tier.output_nano
                        self._limit_reached(SpendLimitExceeded(binding, used, needed))
                    self._insufficient(
                        account,
                        input_cost + n * cfg.min_output_tokens * tier.output_nano,
                        spare + input_cost,
                    )
                upstream_req[field_name] = cap
                amount = input_cost + n * cap * tier.output_nano
        try:
            r.hold_id = await self.ledger.hold(account, amount, cfg.hold_lease_s, counters)
        except InsufficientCredit as exc:
            self._insufficient(account, amount, exc.available)
        except SpendLimitExceeded as exc:
            self._limit_reached(exc)
        except LedgerUnavailable as exc:
            raise ApiError(503, f"credits are unavailable: {exc}", "server_error") from None
        r.hold = amount

    def _limit_counters(self, key: KeyInfo) -> Sequence[LimitCounter]:
        """The spend counters a hold of this key counts in (fomo.gateway.limits)."""
        now = now_utc(self.clock_ns())
        return hold_counters(
            key.id, key_limit_of(key), key.account, self.account_limits.get(key.account), now
        )

    async def _headroom(
        self, account: str, counters: Sequence[LimitCounter], avail: int
    ) -> tuple[int, LimitCounter | None, int]:
        try:
            return await headroom(self.ledger, account, counters, avail)
        except LedgerUnavailable as exc:
            raise ApiError(503, f"credits are unavailable: {exc}", "server_error") from None

    def _limit_reached(self, exc: SpendLimitExceeded) -> None:
        raise ApiError(
            402,
            exc.sentence(now_utc(self.clock_ns())),
            "insufficient_quota",
            "spend_limit_exceeded",
        )

    async def _ledger_balance(self, account: str) -> Balance:
        try:
            return await self.ledger.balance(account)
        except LedgerUnavailable as exc:
            raise ApiError(503, f"credits are unavailable: {exc}", "server_error") from None

    def _insufficient(self, account: str, needed: int, available: int) -> None:
        avail = max(available, 0)
        raise ApiError(
            402,
            f"insufficient credits: this request may cost up to {usd_text(needed)} "
            f"(held until it completes) and account {account} has {usd_text(avail)} "
            "available. Deposit USDC with `fomo credits deposit AMOUNT`, or lower max_tokens.",
            "insufficient_quota",
            "insufficient_credits",
        )

    def _upstream_headers(self, route: Route) -> dict[str, str]:
        h = {"content-type": "application/json"}
        if route.upstream_key:
            h["authorization"] = f"Bearer {route.upstream_key}"
        return h

    async def _send_upstream(self, r: _Request, payload: dict[str, Any]) -> aiohttp.ClientResponse:
        assert self.client is not None
        path = {"chat": "/chat/completions", "completions": "/completions"}.get(
            r.endpoint, "/embeddings"
        )
        url = r.route.upstream_url + path
        data = dumps(payload)
        headers = self._upstream_headers(r.route)
        attempt = 0
        r.t_forward = time.perf_counter()
        while True:
            try:
                return await self.client.post(url, data=data, headers=headers)
            except _RETRYABLE as exc:
                attempt += 1
                if attempt > self.cfg.connect_retries:
                    self.metrics.upstream_errors.labels(r.route.model_id, "connect").inc()
                    raise ApiError(
                        502,
                        f"upstream for '{r.route.model_id}' is unreachable ({type(exc).__name__})",
                        "server_error",
                        "upstream_unreachable",
                    ) from None
                await asyncio.sleep(0.05 * attempt)
            except _TIMEOUTS:
                self.metrics.upstream_errors.labels(r.route.model_id, "timeout").inc()
                raise ApiError(
                    504, "upstream timed out", "server_error", "upstream_timeout"
                ) from None
            except aiohttp.ClientError as exc:
                self.metrics.upstream_errors.labels(r.route.model_id, "transport").inc()
                raise ApiError(
                    502, f"upstream failed ({type(exc).__name__})", "server_error", "upstream_error"
                ) from None

    async def _upstream_error(self, r: _Request, resp: aiohttp.ClientResponse) -> ApiError:
        try:
            raw = await resp.read()
        except (TimeoutError, aiohttp.ClientError):
            raw = b""
        finally:
            resp.release()
        status = resp.status
        self.metrics.upstream_errors.labels(r.route.model_id, str(status)).inc()
        message = f"upstream returned HTTP {status}"
        with contextlib.suppress(ValueError, AttributeError, TypeError, KeyError):
            message = f"upstream: {json.loads(raw)['error']['message']}"
        if status in (400, 404, 413, 422):
            return ApiError(status, message, "invalid_request_error", "upstream_rejected")
        if status == 429:
            return ApiError(429, message, "rate_limit_error", "upstream_rate_limited")
        return ApiError(502, message, "server_error", "upstream_error")

    async def _finish(
        self,
        r: _Request,
        usage: Usage | None,
        *,
        status: int,
        estimated: bool = False,
        cut: bool = False,
        post_s: float = 0.0,
    ) -> dict[str, Any]:
        """Price, settle and journal one request; returns the record (durable on return)."""
        account = r.key.account
        now = time.perf_counter()
        total_s = now - r.t0
        overhead_s = max(total_s - r.upstream_s, 0.0) if r.upstream_s else total_s
        record: dict[str, Any] = {
            "request_id": r.request_id,
            "ts_us": self.clock_ns() // 1000,
            "account": account,
            "key_id": r.key.id,
            "endpoint": r.endpoint,
            "model_id": r.route.model_id,
            "base_model": r.route.base_model,
            "latency_us": int(total_s * 1e6),
            "overhead_us": int(overhead_s * 1e6),
            "status": status,
            "stream": r.endpoint != "embeddings" and bool(r.req.get("stream")),
            "cut": cut,
            "estimated": estimated,
        }
        record["day"] = record["ts_us"] // US_PER_DAY
        if usage is None:
            r.settled = True
            if r.hold_id:
                await self.ledger.release(r.hold_id)
            record.update(
                deployment=None,
                input_tokens=0,
                cached_input_tokens=0,
                output_tokens=0,
                reasoning_tokens=0,
                gross_nano_usd=0,
                discount_bps=0,
                paid_nano_usd=0,
                compute_cost_nano_usd=0,
                charged=False,
            )
            assert self.journal is not None
            self.journal.write(record)  # no money moved: no need to wait for the disk
        else:
            deployment, disc = await self.attribution(account, r.route)
            gross = gross_cost_nano(r.route.tier, usage)
            paid = paid_cost_nano(gross, disc)
            taken = min(paid, r.hold)  # what the settle below takes, known before it runs
            if taken < paid:
                self.metrics.hold_overruns.inc()
            record.update(
                deployment=deployment,
                input_tokens=usage.input_tokens,
                cached_input_tokens=usage.cached_input_tokens,
                output_tokens=usage.output_tokens,
                reasoning_tokens=usage.reasoning_tokens,
                gross_nano_usd=gross,
                discount_bps=disc,
                paid_nano_usd=taken,
                compute_cost_nano_usd=compute_cost_nano(r.route.compute_rate, usage),
                charged=True,
                hold_id=r.hold_id,
            )
            assert self.journal is not None
            # The record is durable before the hold is settled: a worker killed in between
            # leaves a record naming the hold, and whoever adopts its journal settles it.
            await self.journal.append(record)
            r.settled = True
            await self.ledger.settle(r.hold_id, taken)
            mm = self.metrics.child(r.endpoint, r.route.model_id)
            mm.input.inc(usage.input_tokens)
            mm.cached.inc(usage.cached_input_tokens)
            mm.output.inc(usage.output_tokens)
            mm.reasoning.inc(usage.reasoning_tokens)
            mm.gross.inc(gross)
            mm.paid.inc(taken)
            if r.key.tpm_limit is not None:
                await self.limiter.add_tokens(r.key, usage.input_tokens + usage.output_tokens)
        mm = self.metrics.child(r.endpoint, r.route.model_id)
        mm.request(status)
        mm.latency.observe(total_s)
        mm.overhead.observe(overhead_s)
        return record

    async def _unary(self, r: _Request, payload: dict[str, Any], send: Send) -> None:
        resp = await self._send_upstream(r, payload)
        if resp.status != 200:
            err = await self._upstream_error(r, resp)
            await self._finish(r, None, status=err.status)
            raise err
        try:
            raw = await resp.read()
        except _TIMEOUTS:
            resp.close()
            await self._finish(r, None, status=504)
            raise ApiError(504, "upstream timed out", "server_error", "upstream_timeout") from None
        except aiohttp.ClientError as exc:
            resp.close()
            await self._finish(r, None, status=502)
            raise ApiError(
                502, f"upstream failed ({type(exc).__name__})", "server_error", "upstream_error"
            ) from None
        resp.release()
        r.upstream_s = time.perf_counter() - r.t_forward
        try:
            out = json.loads(raw)
        except ValueError:
            await self._finish(r, None, status=502)
            raise ApiError(
                502, "upstream sent invalid JSON", "server_error", "upstream_error"
            ) from None
        usage = parse_usage(out.get("usage")) if isinstance(out, dict) else None
        estimated = False
        if usage is None:
            estimated = True
            inp = _prompt_tokens_estimate(r.endpoint, r.req)
            texts = [_choice_text(c, "message") for c in (out.get("choices") or [])]
            o, reasoning = _estimate_output(texts)
            usage = Usage(inp, 0, o, reasoning)
        record = await self._finish(r, usage, status=200, estimated=estimated)
        await send_bytes(
            send,
            200,
            raw,
            [
                *JSON_HEADERS,
                (b"x-request-id", r.request_id.encode()),
                (b"x-fomo-overhead-ms", f"{record['overhead_us'] / 1000:.3f}".encode()),
            ],
        )

    async def _stream(
        self,
        r: _Request,
        payload: dict[str, Any],
        client_usage: bool,
        receive: Receive,
        send: Send,
    ) -> None:
        resp = await self._send_upstream(r, payload)
        if resp.status != 200:
            err = await self._upstream_error(r, resp)
            await self._finish(r, None, status=err.status)
            raise err
        pre_ms = (r.t_forward - r.t0) * 1000
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    *SSE_HEADERS,
                    (b"x-request-id", r.request_id.encode()),
                    (b"x-fomo-overhead-ms", f"{max(pre_ms, 0.0):.3f}".encode()),
                ],
            }
        )
        disconnect = asyncio.ensure_future(receive())
        high: Usage | None = None
        delivered: list[bytes] = []  # data payloads the client received (for estimates)
        done = False
        failure: str | None = None
        buf = b""
        try:
            async for raw in resp.content.iter_any():
                if disconnect.done():
                    failure = "client disconnected"
                    break
                buf += raw
                if b"\r" in buf:
                    buf = buf.replace(b"\r\n", b"\n")
                while True:
                    i = buf.find(b"\n\n")
                    if i < 0:
                        break
                    event, buf = buf[: i + 2], buf[i + 2 :]
                    data = event[6:-2] if event.startswith(b"data: ") else None
                    if data is None:
                        if event.startswith(b"data:"):
                            data = event[5:-2]
                        else:
                            continue  # comments / keep-alives
                    if data.strip() == b"[DONE]":
                        done = True
                        continue  # sent after the usage record is durable
                    forward = True
                    if b'"usage"' in data:
                        try:
                            obj = json.loads(data)
                        except ValueError:
                            obj = None
                        if isinstance(obj, dict):
                            u = parse_usage(obj.get("usage"))
                            if u is not None:
                                high = _high_water(high, u)
                                if not obj.get("choices") and not client_usage:
                                    forward = False
                    if forward:
                        await send({"type": "http.response.body", "body": event, "more_body": True})
                        delivered.append(data)
        except _TIMEOUTS:
            failure = "upstream timed out"
        except aiohttp.ClientError as exc:
            failure = f"upstream stream broke ({type(exc).__name__})"
        finally:
            if done and failure is None:
                resp.release()
            else:  # never reuse a connection with an unread or broken stream on it
                resp.close()
            disconnect.cancel()
        r.upstream_s = time.perf_counter() - r.t_forward
        cut = failure is not None or not done
        if cut and failure is None:
            failure = "upstream ended the stream early"
        if failure is not None:
            self.metrics.upstream_errors.labels(r.route.model_id, "stream_cut").inc()
        usage = high
        estimated = False
        if usage is None:
            texts: list[tuple[str, str]] = []
            for d in delivered:
                with contextlib.suppress(ValueError, AttributeError):
                    for c in json.loads(d).get("choices") or []:
                        texts.append(_choice_text(c, "delta"))
            o, reasoning = _estimate_output(texts)
            if o > 0 or not cut:
                estimated = True
                usage = Usage(_prompt_tokens_estimate(r.endpoint, r.req), 0, o, reasoning)
            # else: cut before any content reached the client — an upstream failure, no charge
        await self._finish(r, usage, status=200, estimated=estimated, cut=cut)
        if failure is None:
            tail = b"data: [DONE]\n\n"
        else:
            tail = b"data: " + dumps(openai_error(failure, "server_error", "stream_cut")) + b"\n\n"
        await send({"type": "http.response.body", "body": tail, "more_body": False})

    # --- accounts, keys, views ---------------------------------------------------------------

    def _other_routes(
        self, method: str, path: str
    ) -> Callable[[Scope, Receive, Send], Awaitable[None]] | None:
        table: dict[tuple[str, str], Callable[[Scope, Receive, Send], Awaitable[None]]] = {
            ("GET", "/v1/models"): self._models,
            ("GET", "/metrics"): self._metrics,
            ("GET", "/healthz"): self._health,
            ("POST", "/v1/auth/nonce"): self._nonce,
            ("POST", "/v1/auth/verify"): self._verify,
            ("GET", "/v1/keys"): self._list_keys,
            ("POST", "/v1/keys"): self._create_key,
            ("GET", "/v1/account/balance"): self._balance,
            ("GET", "/v1/account/usage"): self._usage,
            ("GET", "/v1/account/discounts"): self._discounts,
            ("GET", "/v1/account/requests"): self._requests,
            **self._limit_routes(),
        }
        h = table.get((method, path))
        if h is None and method in ("GET", "PATCH") and path.startswith("/v1/keys/"):
            return self._limit_handler(method, path)
        if h is None and method == "DELETE" and path.startswith("/v1/keys/"):
            return self._revoke_key
        if h is None and method == "GET" and path.startswith("/v1/models/"):
            return self._model
        return h

    def _limit_routes(
        self,
    ) -> dict[tuple[str, str], Callable[[Scope, Receive, Send], Awaitable[None]]]:
        """Spend limits (fomo.gateway.limit_routes): read and set a key's or the account's."""
        return {
            ("GET", "/v1/key"): self._limit_handler("GET", "/v1/key"),
            ("GET", "/v1/account/limit"): self._limit_handler("GET", "/v1/account/limit"),
            ("PATCH", "/v1/account/limit"): self._limit_handler("PATCH", "/v1/account/limit"),
        }

    def _limit_handler(
        self, method: str, path: str
    ) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
        handler = {
            ("GET", "/v1/key"): limit_routes.current_key,
            ("GET", "/v1/account/limit"): limit_routes.get_account_limit,
            ("PATCH", "/v1/account/limit"): limit_routes.patch_account_limit,
        }.get((method, path))
        if handler is None:  # /v1/keys/{id}
            handler = limit_routes.get_key if method == "GET" else limit_routes.patch_key

        async def run(scope: Scope, receive: Receive, send: Send) -> None:
            await handler(self, scope, receive, send)

        return run

    async def _models(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._api_key(scope)
        await send_json(send, 200, self.routes.models_payload)

    async def _model(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._api_key(scope)
        mid = full_path(scope)[len("/v1/models/") :]
        entry = self.routes.model_entries.get(mid)
        if entry is None:
            raise ApiError(404, f"The model '{mid}' does not exist", code="model_not_found")
        await send_json(send, 200, entry)

    async def _metrics(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.journal is not None:
            self.metrics.journal_backlog.set(self.journal.backlog)
        await send_bytes(
            send, 200, self.metrics.render(), [(b"content-type", b"text/plain; version=0.0.4")]
        )

    async def _health(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send_json(send, 200, {"ok": True, "models": len(self.routes.routes)})

    async def _json_body(self, receive: Receive) -> dict[str, Any]:
        body = await read_body(receive, 64 * 1024)
        try:
            obj = json.loads(body or b"{}")
        except ValueError:
            raise ApiError(400, "malformed JSON body", code="invalid_json") from None
        if not isinstance(obj, dict):
            raise ApiError(400, "the body must be a JSON object", code="invalid_json")
        return obj

    async def _nonce(self, scope: Scope, receive: Receive, send: Send) -> None:
        nonce, exp = await asyncio.to_thread(self.store.create_nonce, self.cfg.nonce_ttl_s)
        host = header(scope, b"host")
        domain = self.cfg.siwe_domain or (host.decode() if host else "localhost")
        await send_json(
            send,
            200,
            {
                "nonce": nonce,
                "expires_at": exp.isoformat(),
                "domain": domain,
                "chain_id": self.cfg.siwe_chain_id,
            },
        )

    async def _verify(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = await self._json_body(receive)
        message, signature = body.get("message"), body.get("signature")
        if not isinstance(message, str) or not isinstance(signature, str):
            raise ApiError(400, "'message' and 'signature' are required strings")
        from fomo.gateway import siwe  # eth-account is slow to import; only sign-in needs it

        host = header(scope, b"host")
        domain = self.cfg.siwe_domain or (host.decode() if host else "localhost")
        try:
            msg = siwe.verify(message, signature, domain=domain, chain_id=self.cfg.siwe_chain_id)
        except siwe.SiweError as exc:
            raise ApiError(
                401, f"sign-in failed: {exc}", "authentication_error", "siwe_invalid"
            ) from None
        if not await asyncio.to_thread(self.store.consume_nonce, msg.nonce):
            raise ApiError(
                401,
                "sign-in failed: nonce unknown, expired or already used",
                "authentication_error",
                "siwe_nonce",
            )
        account = normalize_address(msg.address)
        token, exp = await asyncio.to_thread(
            self.store.create_session, account, self.cfg.session_ttl_s
        )
        await send_json(
            send, 200, {"session": token, "account": account, "expires_at": exp.isoformat()}
        )

    @staticmethod
    def _key_json(k: KeyInfo) -> dict[str, Any]:
        return {
            "id": k.id,
            "prefix": k.prefix,
            "name": k.name,
            "created_at": k.created_at.isoformat(),
            "revoked": k.revoked,
            "rpm_limit": k.rpm_limit,
            "tpm_limit": k.tpm_limit,
        }

    async def _create_key(self, scope: Scope, receive: Receive, send: Send) -> None:
        account = await self._session(scope)
        body = await self._json_body(receive)
        limits: dict[str, int | None] = {}
        for f in ("rpm_limit", "tpm_limit"):
            v = body.get(f)
            if v is not None and (
                isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= MAX_KEY_LIMIT
            ):
                raise ApiError(400, f"'{f}' must be an integer from 1 to {MAX_KEY_LIMIT}", param=f)
            limits[f] = v
        name = body.get("name") or ""
        if not isinstance(name, str):
            raise ApiError(400, "'name' must be a string", param="name")
        spend_limit = None
        if any(f in body for f in limit_routes.LIMIT_FIELDS):
            try:
                spend_limit = limit_routes.parse_limit_body(body, None)
            except limit_routes.LimitInputError as exc:
                raise ApiError(400, str(exc), code="invalid_limit", param=exc.param) from None
        info, plaintext = await asyncio.to_thread(
            self.store.create_key,
            account,
            name,
            limits["rpm_limit"],
            limits["tpm_limit"],
            spend_limit,
        )
        self.keys[hash_secret(plaintext)] = info
        body_out = await limit_routes.key_json(self, info)
        await send_json(send, 201, {**body_out, "key": plaintext, "account": account})

    async def _list_keys(self, scope: Scope, receive: Receive, send: Send) -> None:
        account = await self._session(scope)
        keys = await asyncio.to_thread(self.store.list_keys, account)
        data = [await limit_routes.key_json(self, k) for k in keys]
        await send_json(send, 200, {"object": "list", "data": data})

    async def _revoke_key(self, scope: Scope, receive: Receive, send: Send) -> None:
        account = await self._session(scope)
        raw_id = full_path(scope)[len("/v1/keys/") :]
        # ASCII digits only ("²".isdigit() is true) and within the 64-bit id column.
        if (
            not (raw_id.isascii() and raw_id.isdigit() and len(raw_id) <= 19)
            or int(raw_id) > MAX_KEY_ID
        ):
            raise ApiError(404, "no such key", code="not_found")
        h = await asyncio.to_thread(self.store.revoke_key, int(raw_id), account)
        if h is None:
            raise ApiError(404, "no such key", code="not_found")
        k = self.keys.get(h)
        if k is not None:
            self.keys[h] = KeyInfo(
                k.id, k.account, k.prefix, k.name, k.created_at, True, k.rpm_limit, k.tpm_limit
            )
        await send_json(send, 200, {"id": int(raw_id), "revoked": True})

    async def _balance(self, scope: Scope, receive: Receive, send: Send) -> None:
        account = await self._account(scope)
        await self.poll_once()  # a grant made a moment ago shows up here
        b = await self._ledger_balance(account)
        bal, held = b.total, b.held
        await send_json(
            send,
            200,
            {
                "account": account,
                "balance_nano_usd": bal,
                "held_nano_usd": held,
                "available_nano_usd": bal - held,
                "balance_usd": usd_text(bal),
                "account_limit": await limit_routes.account_limit_fields(self, account),
            },
        )

    async def _usage(self, scope: Scope, receive: Receive, send: Send) -> None:
        account = await self._account(scope)
        qs = parse_qs(scope.get("query_string", b"").decode())
        try:
            days = int(qs.get("days", ["30"])[0])
        except ValueError:
            days = 0
        if not 1 <= days <= MAX_USAGE_DAYS:
            raise ApiError(
                400, f"'days' must be an integer from 1 to {MAX_USAGE_DAYS}", param="days"
            )
        await self.flush()
        today = self.clock_ns() // 1000 // US_PER_DAY
        rows = await asyncio.to_thread(self.store.usage_by_day_model, account, today - days + 1)
        await send_json(send, 200, {"object": "list", "account": account, "data": rows})

    async def _requests(self, scope: Scope, receive: Receive, send: Send) -> None:
        account = await self._account(scope)
        qs = parse_qs(
            scope.get("query_string", b"").decode(errors="replace"), keep_blank_values=True
        )
        try:
            q = requests_log.parse_query(qs)
        except requests_log.BadQuery as exc:
            raise ApiError(400, str(exc), param=exc.param) from None
        await self.flush()  # this worker's requests of a moment ago are listed too
        rows, more = await asyncio.to_thread(
            requests_log.list_requests, self.store.factory, account, q
        )
        await send_json(send, 200, requests_log.page_json(account, q, rows, more))

    async def _discounts(self, scope: Scope, receive: Receive, send: Send) -> None:
        account = await self._account(scope)
        self._stakes.pop(account, None)
        stakes = await self.stakes(account)
        data = []
        for r in sorted(self.routes.routes.values(), key=lambda x: x.model_id):
            if r.deployment is None:
                continue
            staked = stakes.get(r.deployment, 0)
            data.append(
                {
                    "model": r.model_id,
                    "deployment": r.deployment,
                    "staked_mt_base_units": str(staked),
                    "discount_bps": discount_bps(staked),
                }
            )
        await send_json(send, 200, {"object": "list", "account": account, "data": data})


def make_ledger(config: GatewayConfig, clock_ns: Callable[[], int] = time.time_ns) -> CreditLedger:
    """The shared Redis ledger when ``redis_url`` is set, else the in-process one."""
    if config.redis_url:
        from fomo.gateway.ledger_redis import RedisLedger

        return RedisLedger(config.redis_url, prefix=config.ledger_prefix, clock_ns=clock_ns)
    return MemoryLedger(clock_ns)


async def settle_records(ledger: CreditLedger, records: list[dict[str, Any]]) -> None:
    """Settle the holds named by adopted journal records (a no-op for holds already settled)."""
    for rec in records:
        hold_id = rec.get("hold_id")
        if hold_id:
            await ledger.settle(hold_id, int(rec.get("paid_nano_usd") or 0))


def create_app(config: GatewayConfig | None = None) -> Gateway:
    return Gateway(config or GatewayConfig())
