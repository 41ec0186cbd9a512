"""Bad requests get OpenAI-format errors with clear messages and cost nothing."""

from __future__ import annotations

import httpx
import pytest

from .conftest import USD, GatewayHandle, ServerThread, set_upstream, usage_rows

CHAT = "/v1/chat/completions"
GOOD = {"model": "deepseek-v3.2", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 3}


@pytest.fixture(autouse=True)
def _reset(upstream: ServerThread) -> None:
    set_upstream(upstream)


def _err(r: httpx.Response, status: int) -> dict:
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert set(err) == {"message", "type", "param", "code"} and err["message"]
    return err


def _no_charge(gateway: GatewayHandle, account: str, credits: int = 10 * USD) -> None:
    assert gateway.store.balance(account) == credits
    assert [r for r in usage_rows(gateway, account) if r.charged] == []
    assert gateway.gw.book.held.get(account, 0) == 0


def test_unknown_model(gateway: GatewayHandle) -> None:
    account, key = gateway.new_account()
    r = httpx.post(
        gateway.url + CHAT,
        json={**GOOD, "model": "gpt-nope"},
        headers={"authorization": f"Bearer {key}"},
    )
    err = _err(r, 404)
    assert err["code"] == "model_not_found" and "gpt-nope" in err["message"]
    _no_charge(gateway, account)


def test_malformed_json_and_missing_model(gateway: GatewayHandle) -> None:
    account, key = gateway.new_account()
    h = {"authorization": f"Bearer {key}", "content-type": "application/json"}
    assert (
        _err(httpx.post(gateway.url + CHAT, content=b"{not json", headers=h), 400)["code"]
        == "invalid_json"
    )
    assert (
        _err(httpx.post(gateway.url + CHAT, content=b"[1,2]", headers=h), 400)["code"]
        == "invalid_json"
    )
    assert (
        _err(httpx.post(gateway.url + CHAT, json={"messages": []}, headers=h), 400)["param"]
        == "model"
    )
    assert _err(httpx.post(gateway.url + CHAT, json={**GOOD, "max_tokens": -1}, headers=h), 400)
    _no_charge(gateway, account)


def test_missing_invalid_and_revoked_keys(gateway: GatewayHandle) -> None:
    account, key = gateway.new_account()
    assert _err(httpx.post(gateway.url + CHAT, json=GOOD), 401)["code"] == "missing_api_key"
    bad = {"authorization": "Bearer sk-not-a-real-key"}
    assert (
        _err(httpx.post(gateway.url + CHAT, json=GOOD, headers=bad), 401)["code"]
        == "invalid_api_key"
    )
    assert (
        _err(
            httpx.post(gateway.url + CHAT, json=GOOD, headers={"authorization": "Basic abc"}), 401
        )["code"]
        == "invalid_api_key"
    )
    h = {"authorization": f"Bearer {key}"}
    assert httpx.post(gateway.url + CHAT, json=GOOD, headers=h).status_code == 200
    (key_info,) = gateway.store.list_keys(account)
    gateway.store.revoke_key(key_info.id)  # operator revocation, straight in the database
    gateway.sync()
    err = _err(httpx.post(gateway.url + CHAT, json=GOOD, headers=h), 401)
    assert err["code"] == "revoked_api_key" and "revoked" in err["message"]
    assert len([r for r in usage_rows(gateway, account) if r.charged]) == 1


def test_oversize_body(gateway: GatewayHandle) -> None:
    account, key = gateway.new_account()
    big = {**GOOD, "messages": [{"role": "user", "content": "x" * (5 * 1024 * 1024)}]}
    r = httpx.post(gateway.url + CHAT, json=big, headers={"authorization": f"Bearer {key}"})
    assert _err(r, 413)["code"] == "request_too_large"
    _no_charge(gateway, account)


def test_insufficient_credit_is_402(gateway: GatewayHandle) -> None:
    account, key = gateway.new_account(credits_usd=0)
    gateway.store.grant(account, 1000, "tiny")  # one micro-dollar
    gateway.sync()
    h = {"authorization": f"Bearer {key}"}
    err = _err(httpx.post(gateway.url + CHAT, json={**GOOD, "max_tokens": 1000}, headers=h), 402)
    assert err["code"] == "insufficient_credits" and "insufficient credits" in err["message"]
    _no_charge(gateway, account, 1000)
