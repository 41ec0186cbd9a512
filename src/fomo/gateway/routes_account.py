"""Views: ``/v1/models`` (and one model), ``/v1/account/balance``, ``/usage``, ``/requests``,
``/discounts``, and the operator's ``/metrics`` and ``/healthz``."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs

from fomo.economics.discounts import discount_bps
from fomo.economics.units import usd_text
from fomo.gateway import requests_log
from fomo.gateway.asgi import Receive, Scope, Send, full_path, send_bytes, send_json
from fomo.gateway.bounds import MAX_USAGE_DAYS
from fomo.gateway.charging import ledger_balance
from fomo.gateway.errors import ApiError
from fomo.gateway.routes_limits import account_limit_view
from fomo.gateway.services import Services
from fomo.gateway.usage_record import US_PER_DAY


class AccountRoutes:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    async def models(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.svc.auth.api_key(scope)
        await send_json(send, 200, self.svc.routes.models_payload)

    async def model(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.svc.auth.api_key(scope)
        mid = full_path(scope)[len("/v1/models/") :]
        entry = self.svc.routes.model_entries.get(mid)
        if entry is None:
            raise ApiError(404, f"The model '{mid}' does not exist", code="model_not_found")
        await send_json(send, 200, entry)

    async def metrics(self, scope: Scope, receive: Receive, send: Send) -> None:
        svc = self.svc
        if svc.journal is not None:
            svc.metrics.journal_backlog.set(svc.journal.backlog)
        await send_bytes(
            send, 200, svc.metrics.render(), [(b"content-type", b"text/plain; version=0.0.4")]
        )

    async def health(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Pools are summarised without their URLs: /healthz answers anyone.
        upstreams = self.svc.upstream.pools.status()
        await send_json(
            send, 200, {"ok": True, "models": len(self.svc.routes.routes), "upstreams": upstreams}
        )

    async def balance(self, scope: Scope, receive: Receive, send: Send) -> None:
        account = await self.svc.auth.account(scope)
        await self.svc.poll()  # a grant made a moment ago shows up here
        b = await ledger_balance(self.svc, account)
        bal, held = b.total, b.held
        # Money is integer nano-USD as decimal text: a browser's JSON number is exact only
        # below 2^53 nano-USD (≈ 9 million USD).
        await send_json(
            send,
            200,
            {
                "account": account,
                "balance_nano_usd": str(bal),
                "held_nano_usd": str(held),
                "available_nano_usd": str(bal - held),
                "balance_usd": usd_text(bal),
                "account_limit": await account_limit_view(self.svc, account),
            },
        )

    async def usage(self, scope: Scope, receive: Receive, send: Send) -> None:
        svc = self.svc
        account = await svc.auth.account(scope)
        qs = parse_qs(scope.get("query_string", b"").decode())
        try:
            days = int(qs.get("days", ["30"])[0])
        except ValueError:
            days = 0
        if not 1 <= days <= MAX_USAGE_DAYS:
            raise ApiError(
                400, f"'days' must be an integer from 1 to {MAX_USAGE_DAYS}", param="days"
            )
        await svc.flush()
        today = svc.clock_ns() // 1000 // US_PER_DAY
        rows = await asyncio.to_thread(svc.store.usage_by_day_model, account, today - days + 1)
        await send_json(send, 200, {"object": "list", "account": account, "data": rows})

    async def requests(self, scope: Scope, receive: Receive, send: Send) -> None:
        svc = self.svc
        account = await svc.auth.account(scope)
        qs = parse_qs(
            scope.get("query_string", b"").decode(errors="replace"), keep_blank_values=True
        )
        try:
            q = requests_log.parse_query(qs)
        except requests_log.BadQuery as exc:
            raise ApiError(400, str(exc), param=exc.param) from None
        await svc.flush()  # this worker's requests of a moment ago are listed too
        rows, more = await asyncio.to_thread(
            requests_log.list_requests, svc.store.factory, account, q
        )
        await send_json(send, 200, requests_log.page_json(account, q, rows, more))

    async def discounts(self, scope: Scope, receive: Receive, send: Send) -> None:
        svc = self.svc
        account = await svc.auth.account(scope)
        svc.attribution.forget(account)
        stakes = await svc.attribution.stakes(account)
        data = []
        for r in sorted(svc.routes.routes.values(), key=lambda x: x.model_id):
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
