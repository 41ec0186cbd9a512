"""Sign-In with Ethereum → API keys: created (shown once), listed, revoked; SIWE checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from eth_account import Account

from fomo.gateway import siwe
from fomo.gateway.store import hash_secret

from .conftest import GatewayHandle

BOTH_DATABASES = True


def _message(gw: GatewayHandle, address: str, **kw: object) -> siwe.SiweMessage:
    n = httpx.post(gw.url + "/v1/auth/nonce").json()
    fields: dict[str, object] = {
        "domain": n["domain"],
        "address": address,
        "uri": gw.url,
        "version": "1",
        "chain_id": 31337,
        "nonce": n["nonce"],
        "issued_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "statement": "Sign in to the FOMO API platform.",
    }
    fields.update(kw)
    return siwe.SiweMessage(**fields)  # type: ignore[arg-type]


def _verify(gw: GatewayHandle, msg: siwe.SiweMessage, key: str) -> httpx.Response:
    return httpx.post(
        gw.url + "/v1/auth/verify", json={"message": msg.text(), "signature": siwe.sign(msg, key)}
    )


def test_sign_in_create_list_revoke(gateway: GatewayHandle) -> None:
    wallet = Account.create()
    msg = _message(gateway, wallet.address)
    r = _verify(gateway, msg, wallet.key.hex())
    assert r.status_code == 200, r.text
    session = r.json()["session"]
    assert r.json()["account"] == wallet.address.lower()
    auth = {"authorization": f"Bearer {session}"}

    created = httpx.post(
        gateway.url + "/v1/keys", json={"name": "laptop", "rpm_limit": 100}, headers=auth
    )
    assert created.status_code == 201
    key = created.json()["key"]
    assert key.startswith("sk-") and len(key) > 40
    # stored hashed only
    (info,) = gateway.store.list_keys(wallet.address)
    assert gateway.store.find_key(hash_secret(key)) == info and info.prefix == key[:12]

    listed = httpx.get(gateway.url + "/v1/keys", headers=auth).json()["data"]
    assert [(k["name"], k["rpm_limit"], k["revoked"]) for k in listed] == [("laptop", 100, False)]
    assert "key" not in listed[0]

    gateway.store.grant(wallet.address, 10**9)
    h = {"authorization": f"Bearer {key}"}
    body = {"model": "deepseek-v3.2", "prompt": "signed in", "max_tokens": 2}
    assert httpx.post(gateway.url + "/v1/completions", json=body, headers=h).status_code == 200

    # another wallet cannot revoke it
    other = Account.create()
    other_session = _verify(gateway, _message(gateway, other.address), other.key.hex()).json()[
        "session"
    ]
    kid = listed[0]["id"]
    assert (
        httpx.delete(
            f"{gateway.url}/v1/keys/{kid}", headers={"authorization": f"Bearer {other_session}"}
        ).status_code
        == 404
    )

    assert httpx.delete(f"{gateway.url}/v1/keys/{kid}", headers=auth).json() == {
        "id": kid,
        "revoked": True,
    }
    r = httpx.post(gateway.url + "/v1/completions", json=body, headers=h)
    assert r.status_code == 401 and r.json()["error"]["code"] == "revoked_api_key"
    # an API key cannot manage keys
    assert httpx.get(gateway.url + "/v1/keys", headers=h).status_code == 401


def test_nonce_is_single_use(gateway: GatewayHandle) -> None:
    wallet = Account.create()
    msg = _message(gateway, wallet.address)
    assert _verify(gateway, msg, wallet.key.hex()).status_code == 200
    r = _verify(gateway, msg, wallet.key.hex())
    assert r.status_code == 401 and "nonce" in r.json()["error"]["message"]


@pytest.mark.parametrize(
    "change",
    [
        {"domain": "evil.example"},
        {"expiration_time": (datetime.now(UTC) - timedelta(minutes=1)).isoformat()},
        {"not_before": (datetime.now(UTC) + timedelta(hours=1)).isoformat()},
        {"nonce": "neverissued123"},
    ],
)
def test_rejected_messages(gateway: GatewayHandle, change: dict[str, object]) -> None:
    wallet = Account.create()
    r = _verify(gateway, _message(gateway, wallet.address, **change), wallet.key.hex())
    assert r.status_code == 401 and r.json()["error"]["message"].startswith("sign-in failed")


def test_signature_from_another_wallet_is_rejected(gateway: GatewayHandle) -> None:
    victim, attacker = Account.create(), Account.create()
    msg = _message(gateway, victim.address)
    r = _verify(gateway, msg, attacker.key.hex())
    assert r.status_code == 401 and "signature" in r.json()["error"]["message"]


def test_parser_round_trip_and_strictness() -> None:
    addr = Account.create().address
    m = siwe.SiweMessage(
        domain="example.com",
        address=addr,
        uri="https://example.com/login",
        version="1",
        chain_id=8453,
        nonce="abcdef123456",
        issued_at="2026-01-01T00:00:00Z",
        expiration_time="2026-01-02T00:00:00Z",
        request_id="req-1",
        resources=["ipfs://x", "https://example.com/tos"],
    )
    assert siwe.parse(m.text()) == m
    with pytest.raises(siwe.SiweError, match="checksummed"):
        siwe.parse(m.text().replace(addr, addr.lower()))
    with pytest.raises(siwe.SiweError, match="out of order"):
        siwe.parse(m.text().replace("Version: 1\nChain ID: 8453", "Chain ID: 8453\nVersion: 1"))
    with pytest.raises(siwe.SiweError, match="nonce"):
        siwe.parse(m.text().replace("abcdef123456", "short"))
