"""Who is asking: the bearer token of a request → an API key, or an account (key or session).

API keys (``sk-…``) are looked up by hash in an in-memory cache loaded at start-up; a miss asks
the database once, and an unknown hash is remembered for a moment (negative cache) so a flood of
bad keys cannot hammer the database. Sessions (``sess-…``, from Sign-In with Ethereum) are read
from the database; only sessions may manage keys.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

from fomo.gateway.asgi import Scope, header
from fomo.gateway.errors import ApiError
from fomo.gateway.store import KEY_PREFIX, GatewayStore, KeyInfo, hash_secret

NEGATIVE_KEY_TTL_S = 2.0
NEGATIVE_KEY_CAP = 10_000
"""Unknown hashes remembered at most (the cache is cleared when it would grow past this)."""


def _unauthorized(message: str, code: str) -> ApiError:
    return ApiError(401, message, "authentication_error", code)


def bearer(scope: Scope) -> str:
    auth = header(scope, b"authorization")
    if not auth:
        raise _unauthorized("missing API key: send 'Authorization: Bearer sk-…'", "missing_api_key")
    scheme, _, token = auth.decode("latin-1").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("malformed Authorization header", "invalid_api_key")
    return token.strip()


def revoked(k: KeyInfo) -> KeyInfo:
    return replace(k, revoked=True)


class Auth:
    def __init__(self, store: GatewayStore) -> None:
        self.store = store
        self.keys: dict[str, KeyInfo] = {}
        """Key hash → key, every key the gateway has seen (revocations applied in place)."""
        self._negative: dict[str, float] = {}

    def load(self) -> None:
        """Load every key (off the event loop)."""
        self.keys = self.store.all_keys()

    def remember(self, plaintext: str, info: KeyInfo) -> None:
        self.keys[hash_secret(plaintext)] = info

    def mark_revoked(self, key_hash: str, *, only_if_live: bool = False) -> None:
        k = self.keys.get(key_hash)
        if k is not None and not (only_if_live and k.revoked):
            self.keys[key_hash] = revoked(k)

    async def api_key(self, scope: Scope) -> KeyInfo:
        token = bearer(scope)
        if not token.startswith(KEY_PREFIX):
            raise _unauthorized("invalid API key", "invalid_api_key")
        h = hash_secret(token)
        key = self.keys.get(h)
        if key is None:
            neg = self._negative.get(h)
            now = time.monotonic()
            if neg is None or neg < now:
                key = await asyncio.to_thread(self.store.find_key, h)
                if key is None:
                    if len(self._negative) > NEGATIVE_KEY_CAP:
                        self._negative.clear()
                    self._negative[h] = now + NEGATIVE_KEY_TTL_S
                else:
                    self.keys[h] = key
        if key is None:
            raise _unauthorized("invalid API key", "invalid_api_key")
        if key.revoked:
            raise _unauthorized("this API key was revoked", "revoked_api_key")
        return key

    async def account(self, scope: Scope) -> str:
        """Account of a request authenticated by an API key or a SIWE session."""
        token = bearer(scope)
        if token.startswith(KEY_PREFIX):
            return (await self.api_key(scope)).account
        account = await asyncio.to_thread(self.store.find_session, token)
        if account is None:
            raise _unauthorized("invalid or expired session", "invalid_session")
        return account

    async def session(self, scope: Scope) -> str:
        """Account of a SIWE session (API keys cannot manage keys)."""
        if bearer(scope).startswith(KEY_PREFIX):
            raise _unauthorized(
                "managing keys needs a Sign-In with Ethereum session, not an API key",
                "session_required",
            )
        return await self.account(scope)
