"""Spend limits: read and set a key's or the account's (rules: ``fomo.economics.spend_limits``).

* ``GET /v1/key`` — the calling API key itself (OpenRouter's ``GET /api/v1/key``): its limit,
  what is left of it this period and when it resets, and the account's limit.
* ``GET /v1/keys/{id}``, ``PATCH /v1/keys/{id}`` — a key of the signed-in account; PATCH sets
  ``{"limit_usd": "5", "limit_reset": "daily"}`` (``"limit_usd": null`` removes the limit).
* ``GET /v1/account/limit``, ``PATCH /v1/account/limit`` — the account's limit, over all its keys.

Setting a limit needs a Sign-In with Ethereum session (like managing keys); reading the account's
works with an API key of the account too. Bad input is a 400 with one sentence. The limit is
enforced where the hold is taken (:mod:`fomo.gateway.charging`).
"""

from __future__ import annotations

import asyncio
from typing import Any

from fomo.gateway.asgi import Receive, Scope, Send, send_json
from fomo.gateway.errors import ApiError
from fomo.gateway.ledger import MAX_EXACT_NANO
from fomo.gateway.limits import (
    LimitInputError,
    account_limit_readout,
    key_limit_of,
    now_utc,
    parse_limit_body,
)
from fomo.gateway.routes_keys import bad_limit, json_body, key_id_of, key_view
from fomo.gateway.services import Services
from fomo.gateway.store import KeyInfo


def _no_such_key() -> ApiError:
    return ApiError(404, "There is no such key of this account.", code="not_found")


async def account_limit_view(svc: Services, account: str) -> dict[str, Any]:
    limit = svc.account_limits.get(account)
    return await account_limit_readout(svc.ledger, account, limit, now_utc(svc.clock_ns()))


class LimitRoutes:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    async def _own_key(self, scope: Scope, account: str) -> KeyInfo:
        key_id = key_id_of(scope)
        if key_id is None:
            raise _no_such_key()
        info = await asyncio.to_thread(self.svc.store.get_key, key_id, account)
        if info is None:
            raise _no_such_key()
        return info

    async def get_key(self, scope: Scope, receive: Receive, send: Send) -> None:
        account = await self.svc.auth.session(scope)
        info = await self._own_key(scope, account)
        await send_json(send, 200, await key_view(self.svc, info))

    async def patch_key(self, scope: Scope, receive: Receive, send: Send) -> None:
        svc = self.svc
        account = await svc.auth.session(scope)
        body = await json_body(receive)
        info = await self._own_key(scope, account)
        try:
            limit = parse_limit_body(body, key_limit_of(info), MAX_EXACT_NANO)
        except LimitInputError as exc:
            raise bad_limit(exc) from None
        await asyncio.to_thread(svc.store.set_key_limit, info.id, account, limit)
        updated = await asyncio.to_thread(svc.store.get_key, info.id, account)
        if updated is None:  # deleted meanwhile
            raise _no_such_key()
        # this worker applies it at once (the others at their next poll)
        for h, k in list(svc.auth.keys.items()):
            if k.id == updated.id:
                svc.auth.keys[h] = updated
        await send_json(send, 200, await key_view(svc, updated))

    async def current_key(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = await self.svc.auth.api_key(scope)
        body = await key_view(self.svc, key)
        body["account"] = key.account
        body["account_limit"] = await account_limit_view(self.svc, key.account)
        await send_json(send, 200, body)

    async def get_account_limit(self, scope: Scope, receive: Receive, send: Send) -> None:
        account = await self.svc.auth.account(scope)
        await send_json(
            send, 200, {"account": account, **await account_limit_view(self.svc, account)}
        )

    async def patch_account_limit(self, scope: Scope, receive: Receive, send: Send) -> None:
        svc = self.svc
        account = await svc.auth.session(scope)
        body = await json_body(receive)
        try:
            current = await asyncio.to_thread(svc.store.account_limit, account)
            limit = parse_limit_body(body, current, MAX_EXACT_NANO)
        except LimitInputError as exc:
            raise bad_limit(exc) from None
        await asyncio.to_thread(svc.store.set_account_limit, account, limit)
        if limit is None:
            svc.account_limits.pop(account, None)
        else:
            svc.account_limits[account] = limit
        await send_json(send, 200, {"account": account, **await account_limit_view(svc, account)})
