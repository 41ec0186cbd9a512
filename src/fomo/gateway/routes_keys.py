"""Sign-In with Ethereum and API keys: ``POST /v1/auth/nonce``, ``POST /v1/auth/verify`` (→ a
session), ``GET``/``POST /v1/keys`` and ``DELETE /v1/keys/{id}`` (session only). A key's spend
limit is shown with it and may be given at creation (:mod:`fomo.gateway.routes_limits`)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from typing import Any

from fomo.db.base import normalize_address
from fomo.gateway.asgi import Receive, Scope, Send, full_path, header, read_body, send_json
from fomo.gateway.bounds import MAX_KEY_ID, MAX_KEY_LIMIT
from fomo.gateway.errors import ApiError
from fomo.gateway.ledger import MAX_EXACT_NANO
from fomo.gateway.limits import LIMIT_FIELDS, LimitInputError, key_limit_readout, now_utc
from fomo.gateway.limits import parse_limit_body as parse_spend_limit
from fomo.gateway.services import Services
from fomo.gateway.store import KeyInfo

JSON_BODY_LIMIT = 64 * 1024
"""The account endpoints' bodies are small JSON objects."""


async def json_body(receive: Receive) -> dict[str, Any]:
    body = await read_body(receive, JSON_BODY_LIMIT)
    try:
        obj = json.loads(body or b"{}")
    except ValueError:
        raise ApiError(400, "malformed JSON body", code="invalid_json") from None
    if not isinstance(obj, dict):
        raise ApiError(400, "the body must be a JSON object", code="invalid_json")
    return obj


def key_json(k: KeyInfo) -> dict[str, Any]:
    return {
        "id": k.id,
        "prefix": k.prefix,
        "name": k.name,
        "created_at": k.created_at.isoformat(),
        "revoked": k.revoked,
        "rpm_limit": k.rpm_limit,
        "tpm_limit": k.tpm_limit,
    }


def bad_limit(exc: LimitInputError) -> ApiError:
    return ApiError(400, str(exc), code="invalid_limit", param=exc.param)


def key_id_of(scope: Scope) -> int | None:
    """The id in ``/v1/keys/{id}``, or None: ASCII digits only ("²".isdigit() is true) and
    within the 64-bit id column."""
    raw = full_path(scope)[len("/v1/keys/") :]
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 19) or int(raw) > MAX_KEY_ID:
        return None
    return int(raw)


async def key_view(svc: Services, key: KeyInfo) -> dict[str, Any]:
    """A key as the API shows it to its owner: its fields and its spend limit."""
    return {**key_json(key), **await key_limit_readout(svc.ledger, key, now_utc(svc.clock_ns()))}


class KeyRoutes:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    def _domain(self, scope: Scope) -> str:
        host = header(scope, b"host")
        return self.svc.cfg.siwe_domain or (host.decode() if host else "localhost")

    async def nonce(self, scope: Scope, receive: Receive, send: Send) -> None:
        cfg = self.svc.cfg
        nonce, exp = await asyncio.to_thread(self.svc.store.create_nonce, cfg.nonce_ttl_s)
        await send_json(
            send,
            200,
            {
                "nonce": nonce,
                "expires_at": exp.isoformat(),
                "domain": self._domain(scope),
                "chain_id": cfg.siwe_chain_id,
            },
        )

    async def verify(self, scope: Scope, receive: Receive, send: Send) -> None:
        svc = self.svc
        body = await json_body(receive)
        message, signature = body.get("message"), body.get("signature")
        if not isinstance(message, str) or not isinstance(signature, str):
            raise ApiError(400, "'message' and 'signature' are required strings")
        from fomo.gateway import siwe  # eth-account is slow to import; only sign-in needs it

        try:
            msg = siwe.verify(
                message, signature, domain=self._domain(scope), chain_id=svc.cfg.siwe_chain_id
            )
        except siwe.SiweError as exc:
            raise ApiError(
                401, f"sign-in failed: {exc}", "authentication_error", "siwe_invalid"
            ) from None
        if not await asyncio.to_thread(svc.store.consume_nonce, msg.nonce):
            raise ApiError(
                401,
                "sign-in failed: nonce unknown, expired or already used",
                "authentication_error",
                "siwe_nonce",
            )
        account = normalize_address(msg.address)
        token, exp = await asyncio.to_thread(
            svc.store.create_session, account, svc.cfg.session_ttl_s
        )
        await send_json(
            send, 200, {"session": token, "account": account, "expires_at": exp.isoformat()}
        )

    async def create(self, scope: Scope, receive: Receive, send: Send) -> None:
        svc = self.svc
        account = await svc.auth.session(scope)
        body = await json_body(receive)
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
        if any(f in body for f in LIMIT_FIELDS):
            try:
                spend_limit = parse_spend_limit(body, None, MAX_EXACT_NANO)
            except LimitInputError as exc:
                raise bad_limit(exc) from None
        info, plaintext = await asyncio.to_thread(
            svc.store.create_key, account, name, limits["rpm_limit"], limits["tpm_limit"]
        )
        if spend_limit is not None:  # before the key is shown, so before it can be used
            await asyncio.to_thread(svc.store.set_key_limit, info.id, None, spend_limit)
            info = replace(info, limit_nano=spend_limit.limit_nano, limit_reset=spend_limit.reset)
        svc.auth.remember(plaintext, info)
        view = await key_view(svc, info)
        await send_json(send, 201, {**view, "key": plaintext, "account": account})

    async def list_keys(self, scope: Scope, receive: Receive, send: Send) -> None:
        account = await self.svc.auth.session(scope)
        keys = await asyncio.to_thread(self.svc.store.list_keys, account)
        data = [await key_view(self.svc, k) for k in keys]
        await send_json(send, 200, {"object": "list", "data": data})

    async def revoke(self, scope: Scope, receive: Receive, send: Send) -> None:
        svc = self.svc
        account = await svc.auth.session(scope)
        key_id = key_id_of(scope)
        if key_id is None:
            raise ApiError(404, "no such key", code="not_found")
        h = await asyncio.to_thread(svc.store.revoke_key, key_id, account)
        if h is None:
            raise ApiError(404, "no such key", code="not_found")
        svc.auth.mark_revoked(h)
        await send_json(send, 200, {"id": key_id, "revoked": True})
