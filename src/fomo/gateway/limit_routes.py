"""The spend-limit endpoints and readouts of the gateway (rules: ``fomo.economics.spend_limits``).

* ``GET /v1/key`` — the calling API key itself (OpenRouter's ``GET /api/v1/key``): its limit,
  what is left of it this period and when it resets, and the account's limit.
* ``GET /v1/keys/{id}``, ``PATCH /v1/keys/{id}`` — a key of the signed-in account; PATCH sets
  ``{"limit_usd": "5", "limit_reset": "daily"}`` (``"limit_usd": null`` removes the limit).
* ``GET /v1/account/limit``, ``PATCH /v1/account/limit`` — the account's limit, over all its keys.

Setting a limit needs a Sign-In with Ethereum session (like managing keys); reading it works with
an API key of the account too. The handlers take the :class:`fomo.gateway.app.Gateway` they
serve; bad input is a 400 with one sentence.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from fomo.economics.spend_limits import SpendLimit, parse_limit_usd, parse_reset
from fomo.gateway.asgi import Receive, Scope, Send, full_path, openai_error, send_json
from fomo.gateway.bounds import MAX_KEY_ID
from fomo.gateway.ledger import MAX_EXACT_NANO
from fomo.gateway.limits import (
    ACCOUNT_SCOPE,
    counter_for,
    key_limit_of,
    key_scope,
    limit_json,
    now_utc,
)
from fomo.gateway.store import KeyInfo

LIMIT_FIELDS = ("limit_usd", "limit_reset")


class LimitInputError(ValueError):
    def __init__(self, message: str, param: str) -> None:
        super().__init__(message)
        self.param = param


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


def parse_limit_body(body: dict[str, Any], current: SpendLimit | None) -> SpendLimit | None:
    """The limit a request body asks for: ``limit_usd`` (a USD string; null removes the limit)
    and ``limit_reset`` (daily, weekly, monthly or none); a field left out keeps its value."""
    if not any(f in body for f in LIMIT_FIELDS):
        raise LimitInputError(
            "Give 'limit_usd' (a USD amount as a string, or null to remove the limit) "
            "and/or 'limit_reset' (daily, weekly, monthly or none).",
            "limit_usd",
        )
    if "limit_usd" in body and body["limit_usd"] is None:
        return None
    try:
        reset = parse_reset(body["limit_reset"]) if "limit_reset" in body else None
    except ValueError as exc:
        raise LimitInputError(_sentence(str(exc)), "limit_reset") from None
    if "limit_usd" not in body:
        if current is None:
            raise LimitInputError(
                "There is no limit to change the reset period of: give 'limit_usd' too.",
                "limit_usd",
            )
        return SpendLimit(current.limit_nano, reset)
    try:
        nano = parse_limit_usd(body["limit_usd"], MAX_EXACT_NANO)
    except ValueError as exc:
        raise LimitInputError(_sentence(str(exc)), "limit_usd") from None
    if "limit_reset" not in body and current is not None:
        reset = current.reset
    return SpendLimit(nano, reset)


async def _refuse(send: Send, status: int, message: str, code: str, param: str | None) -> None:
    await send_json(send, status, openai_error(message, "invalid_request_error", code, param))


def _key_id(scope: Scope) -> int | None:
    raw = full_path(scope)[len("/v1/keys/") :]
    # ASCII digits only ("²".isdigit() is true) and within the 64-bit id column.
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 19) or int(raw) > MAX_KEY_ID:
        return None
    return int(raw)


def _now(gw: Any) -> datetime:
    return now_utc(gw.clock_ns())


async def key_limit_fields(gw: Any, key: KeyInfo) -> dict[str, Any]:
    limit = key_limit_of(key)
    now = _now(gw)
    used = 0
    if limit is not None:
        (used,) = await gw.ledger.spent(key.account, [counter_for(key_scope(key.id), limit, now)])
    return limit_json(limit, used, now)


async def account_limit_fields(gw: Any, account: str) -> dict[str, Any]:
    limit = gw.account_limits.get(account)
    now = _now(gw)
    used = 0
    if limit is not None:
        (used,) = await gw.ledger.spent(account, [counter_for(ACCOUNT_SCOPE, limit, now)])
    return limit_json(limit, used, now)


async def key_json(gw: Any, key: KeyInfo) -> dict[str, Any]:
    return {**gw._key_json(key), **await key_limit_fields(gw, key)}


def _remember(gw: Any, info: KeyInfo) -> None:
    """This worker's cache sees the change at once (the others at their next poll)."""
    for h, k in list(gw.keys.items()):
        if k.id == info.id:
            gw.keys[h] = info


async def get_key(gw: Any, scope: Scope, receive: Receive, send: Send) -> None:
    account = await gw._session(scope)
    key_id = _key_id(scope)
    info = None if key_id is None else await asyncio.to_thread(gw.store.get_key, key_id, account)
    if info is None:
        await _refuse(send, 404, "There is no such key of this account.", "not_found", None)
        return
    await send_json(send, 200, await key_json(gw, info))


async def patch_key(gw: Any, scope: Scope, receive: Receive, send: Send) -> None:
    account = await gw._session(scope)
    key_id = _key_id(scope)
    body = await gw._json_body(receive)
    info = None if key_id is None else await asyncio.to_thread(gw.store.get_key, key_id, account)
    if info is None or key_id is None:
        await _refuse(send, 404, "There is no such key of this account.", "not_found", None)
        return
    try:
        limit = parse_limit_body(body, key_limit_of(info))
    except LimitInputError as exc:
        await _refuse(send, 400, str(exc), "invalid_limit", exc.param)
        return
    updated = await asyncio.to_thread(gw.store.set_key_limit, key_id, account, limit)
    assert updated is not None
    _remember(gw, updated)
    await send_json(send, 200, await key_json(gw, updated))


async def current_key(gw: Any, scope: Scope, receive: Receive, send: Send) -> None:
    key = await gw._api_key(scope)
    body = await key_json(gw, key)
    body["account"] = key.account
    body["account_limit"] = await account_limit_fields(gw, key.account)
    await send_json(send, 200, body)


async def get_account_limit(gw: Any, scope: Scope, receive: Receive, send: Send) -> None:
    account = await gw._account(scope)
    await send_json(send, 200, {"account": account, **await account_limit_fields(gw, account)})


async def patch_account_limit(gw: Any, scope: Scope, receive: Receive, send: Send) -> None:
    account = await gw._session(scope)
    body = await gw._json_body(receive)
    try:
        current = await asyncio.to_thread(gw.store.account_limit, account)
        limit = parse_limit_body(body, current)
    except LimitInputError as exc:
        await _refuse(send, 400, str(exc), "invalid_limit", exc.param)
        return
    await asyncio.to_thread(gw.store.set_account_limit, account, limit)
    if limit is None:
        gw.account_limits.pop(account, None)
    else:
        gw.account_limits[account] = limit
    await send_json(send, 200, {"account": account, **await account_limit_fields(gw, account)})
