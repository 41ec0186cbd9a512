"""Hold, price, settle and record one metered request (the money path of every inference).

:func:`hold` takes an upper bound of the cost off the account's credit before the request is
forwarded (sized by :mod:`fomo.gateway.metering`); :func:`finish` prices what was used, makes the
:class:`~fomo.gateway.usage_record.UsageRecord` durable and settles the hold — never a charge
without its record. **This is where a usage record is written**, one of two ways:

* in-process ledger: the record is journaled (local disk) before the hold is settled, so a worker
  killed in between leaves a record naming the hold and whoever adopts its journal settles it;
* shared Redis ledger: the settle script stores the record (the usage stream) in the same atomic
  step as the charge — durable off the host, so even a host lost for good loses neither — and the
  local journal is skipped. Only if Redis cannot be reached is the record journaled locally (its
  settle is retried later, as before).
"""

from __future__ import annotations

import itertools
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from fomo.economics.pricing import Usage
from fomo.economics.units import usd_text
from fomo.gateway import metering
from fomo.gateway.credits import InsufficientCredit
from fomo.gateway.errors import ApiError, credits_unavailable
from fomo.gateway.ledger import Balance, LedgerUnavailable
from fomo.gateway.limits import (
    LimitCounter,
    SpendLimitExceeded,
    headroom,
    hold_counters,
    key_limit_of,
    now_utc,
)
from fomo.gateway.routing import Route
from fomo.gateway.services import Services
from fomo.gateway.store import KeyInfo
from fomo.gateway.usage_record import US_PER_DAY, UsageRecord
from fomo.gateway.usage_stream import record_json

_RID_PREFIX = uuid.uuid4().hex[:20]
"""Request ids: a random per-process prefix + a counter (unique, and no urandom per request)."""
_RID_COUNTER = itertools.count()


def new_request_id() -> str:
    return f"{_RID_PREFIX}{next(_RID_COUNTER):012x}"


@dataclass
class Metered:
    """State of one metered request (everything the usage record needs)."""

    endpoint: str
    key: KeyInfo
    route: Route
    req: dict[str, Any]
    t0: float
    hold: int = 0
    hold_id: str = ""
    settled: bool = False
    request_id: str = field(default_factory=new_request_id)
    t_forward: float = 0.0
    upstream_s: float = 0.0

    @property
    def stream(self) -> bool:
        return self.endpoint != "embeddings" and bool(self.req.get("stream"))


async def ledger_balance(svc: Services, account: str) -> Balance:
    try:
        return await svc.ledger.balance(account)
    except LedgerUnavailable as exc:
        raise credits_unavailable(exc) from None


def insufficient(account: str, needed: int, available: int) -> ApiError:
    avail = max(available, 0)
    return ApiError(
        402,
        f"insufficient credits: this request may cost up to {usd_text(needed)} "
        f"(held until it completes) and account {account} has {usd_text(avail)} "
        "available. Deposit USDC with `fomo credits deposit AMOUNT`, or lower max_tokens.",
        "insufficient_quota",
        "insufficient_credits",
    )


def limit_counters(svc: Services, key: KeyInfo) -> Sequence[LimitCounter]:
    """The spend counters a hold of this key counts in (fomo.gateway.limits)."""
    now = now_utc(svc.clock_ns())
    limit = svc.account_limits.get(key.account)
    return hold_counters(key.id, key_limit_of(key), key.account, limit, now)


def limit_reached(svc: Services, exc: SpendLimitExceeded) -> ApiError:
    """HTTP 402 naming the limit: whose, how much, what is left, when it resets."""
    sentence = exc.sentence(now_utc(svc.clock_ns()))
    return ApiError(402, sentence, "insufficient_quota", "spend_limit_exceeded")


async def hold(svc: Services, r: Metered, body_len: int, upstream_req: dict[str, Any]) -> None:
    """Hold the most this request can cost (list price; a discount only lowers it). A request
    without an output bound gets one injected into ``upstream_req``. The hold also counts in the
    key's and the account's spend-limit counters, checked in the same atomic ledger step."""
    cfg, tier, account = svc.cfg, r.route.tier, r.key.account
    counters = limit_counters(svc, r.key)
    binding: LimitCounter | None = None
    used = 0
    try:
        plan = metering.plan_hold(r.endpoint, r.req, body_len, tier, cfg.input_slack_tokens)
    except metering.BadParam as exc:
        raise ApiError(400, str(exc), param=exc.param) from None
    if plan.needs_cap:
        available = None
        if tier.output_nano > 0:
            available = (await ledger_balance(svc, account)).available
            try:  # the cap fits the balance AND what the limits have left
                available, binding, used = await headroom(svc.ledger, account, counters, available)
            except LedgerUnavailable as exc:
                raise credits_unavailable(exc) from None
        try:
            cap = metering.output_cap(
                plan,
                tier,
                available,
                default_max_output_tokens=cfg.default_max_output_tokens,
                min_output_tokens=cfg.min_output_tokens,
            )
        except metering.ShortOfCredit as exc:
            if binding is not None:  # the limit, not the balance, is what is short
                raise limit_reached(svc, SpendLimitExceeded(binding, used, exc.needed)) from None
            raise insufficient(account, exc.needed, exc.available) from None
        upstream_req[plan.field] = cap
        amount = plan.amount(tier.output_nano, cap)
    else:
        amount = plan.amount(tier.output_nano)
    try:
        r.hold_id = await svc.ledger.hold(account, amount, cfg.hold_lease_s, counters)
    except InsufficientCredit as exc:
        raise insufficient(account, amount, exc.available) from None
    except SpendLimitExceeded as exc:
        raise limit_reached(svc, exc) from None
    except LedgerUnavailable as exc:
        raise credits_unavailable(exc) from None
    r.hold = amount


async def release(svc: Services, r: Metered) -> None:
    """Charge nothing: give the hold back (once)."""
    if not r.settled and r.hold_id:
        r.settled = True
        await svc.ledger.release(r.hold_id)


async def finish(
    svc: Services,
    r: Metered,
    usage: Usage | None,
    *,
    status: int,
    estimated: bool = False,
    cut: bool = False,
) -> UsageRecord:
    """Price, record and settle one request; returns the record (durable on return).

    ``usage`` None: the request is not charged (an upstream failure), the hold is released."""
    account = r.key.account
    total_s = time.perf_counter() - r.t0
    overhead_s = max(total_s - r.upstream_s, 0.0) if r.upstream_s else total_s
    ts_us = svc.clock_ns() // 1000
    common: dict[str, Any] = {
        "request_id": r.request_id,
        "ts_us": ts_us,
        "day": ts_us // US_PER_DAY,
        "account": account,
        "key_id": r.key.id,
        "endpoint": r.endpoint,
        "model_id": r.route.model_id,
        "base_model": r.route.base_model,
        "latency_us": int(total_s * 1e6),
        "overhead_us": int(overhead_s * 1e6),
        "status": status,
        "stream": r.stream,
        "cut": cut,
        "estimated": estimated,
    }
    journal = svc.journal
    assert journal is not None
    shared = svc.ledger.stores_records
    mm = svc.metrics.child(r.endpoint, r.route.model_id)
    if usage is None:
        r.settled = True
        record = UsageRecord(
            **common,
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
        stored = False
        if r.hold_id:  # shared ledger: the record rides on the release (no extra round trip)
            done = await svc.ledger.settle(r.hold_id, 0, record_json(record) if shared else None)
            stored = done.recorded
        if not stored:
            journal.write(record.to_json())  # no money moved: no need to wait for the disk
    else:
        deployment, disc = await svc.attribution.attribute(svc.routes, account, r.route)
        p = metering.price(r.route.tier, r.route.compute_rate, usage, disc, r.hold)
        if p.overrun:
            svc.metrics.hold_overruns.inc()
        record = UsageRecord(
            **common,
            deployment=deployment,
            input_tokens=usage.input_tokens,
            cached_input_tokens=usage.cached_input_tokens,
            output_tokens=usage.output_tokens,
            reasoning_tokens=usage.reasoning_tokens,
            gross_nano_usd=p.gross,
            discount_bps=disc,
            paid_nano_usd=p.paid,
            compute_cost_nano_usd=p.compute,
            charged=True,
            hold_id=r.hold_id or None,
        )
        r.settled = True
        if shared:
            # One atomic step stores the record and takes the charge (the usage stream).
            done = await svc.ledger.settle(r.hold_id, p.paid, record_json(record))
            if not done.recorded:  # Redis unreachable: the settle is deferred, journal here
                await journal.append(record.to_json())
        else:
            # The record is durable before the hold is settled: a worker killed in between
            # leaves a record naming the hold, and whoever adopts its journal settles it.
            await journal.append(record.to_json())
            await svc.ledger.settle(r.hold_id, p.paid)
        mm.input.inc(usage.input_tokens)
        mm.cached.inc(usage.cached_input_tokens)
        mm.output.inc(usage.output_tokens)
        mm.reasoning.inc(usage.reasoning_tokens)
        mm.gross.inc(p.gross)
        mm.paid.inc(p.paid)
        if r.key.tpm_limit is not None:
            await svc.limiter.add_tokens(r.key, usage.input_tokens + usage.output_tokens)
    mm.request(status)
    mm.latency.observe(total_s)
    mm.overhead.observe(overhead_s)
    return record
