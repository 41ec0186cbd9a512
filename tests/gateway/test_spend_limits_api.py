"""Spend limits through the gateway: set over the API (session), read by the key's owner
(GET /v1/key, key list, balance), enforced at the hold with a 402 that names the limit, picked up
by the poll when set elsewhere (the CLI, another worker), and bad input refused in one sentence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from fomo.economics.spend_limits import SpendLimit

from .conftest import USD, GatewayHandle, usage_rows

BOTH_DATABASES = True

MODEL = "qwen3-235b-a22b-instruct"


def _session(gw: GatewayHandle, account: str) -> dict[str, str]:
    token, _ = gw.store.create_session(account, 3600)
    return {"authorization": f"Bearer {token}"}


def _chat(gw: GatewayHandle, key: str, tag: str, max_tokens: int = 20) -> httpx.Response:
    body = {
        "model": MODEL,
        "messages": [{"role": "user", "content": tag}],
        "max_tokens": max_tokens,
    }
    return httpx.post(
        gw.url + "/v1/chat/completions",
        json=body,
        headers={"authorization": f"Bearer {key}"},
        timeout=30,
    )


def _hold_of(tag: str, max_tokens: int = 20) -> int:
    body = {
        "model": MODEL,
        "messages": [{"role": "user", "content": tag}],
        "max_tokens": max_tokens,
    }
    probe = httpx.Request("POST", "http://x", json=body)
    return (len(probe.content) + 256) * 700 + max_tokens * 2800


def _tomorrow() -> str:
    return f"{datetime.now(UTC).date() + timedelta(days=1)}T00:00:00Z"


def test_key_limit_is_set_read_and_enforced(gateway: GatewayHandle) -> None:
    account, key = gateway.new_account(credits_usd=10)
    auth = _session(gateway, account)
    (info,) = gateway.store.list_keys(account)
    one = _hold_of("limit 0")
    limit = 3 * one + one // 2  # room for three requests' holds, never a fourth
    r = httpx.patch(
        f"{gateway.url}/v1/keys/{info.id}",
        json={"limit_usd": f"{limit / 1e9:.9f}", "limit_reset": "daily"},
        headers=auth,
    )
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["limit_nano_usd"] == str(limit) and got["limit_reset"] == "daily"
    assert got["limit_remaining_nano_usd"] == str(limit)
    assert got["limit_resets_at"] == _tomorrow()

    statuses = [_chat(gateway, key, f"limit {i}") for i in range(3)]
    assert [s.status_code for s in statuses] == [200, 200, 200]
    rows = [u for u in usage_rows(gateway, account) if u.charged]
    spent = sum(u.paid_nano_usd for u in rows)
    assert 0 < spent <= limit

    # what the owner reads with the key itself (OpenRouter's GET /api/v1/key)
    me = httpx.get(gateway.url + "/v1/key", headers={"authorization": f"Bearer {key}"}).json()
    assert me["id"] == info.id and me["limit"] is not None
    assert int(me["limit_remaining_nano_usd"]) == limit - spent
    assert me["account_limit"]["limit"] is None

    # a limit one nano-USD short of the next request's hold: 402 naming it, nothing charged
    limit = spent + _hold_of("limit 3") - 1
    r = httpx.patch(
        f"{gateway.url}/v1/keys/{info.id}", json={"limit_usd": f"{limit / 1e9:.9f}"}, headers=auth
    )
    assert r.json()["limit_remaining_nano_usd"] == str(limit - spent)
    r = _chat(gateway, key, "limit 3")
    assert r.status_code == 402, r.text
    err = r.json()["error"]
    assert err["code"] == "spend_limit_exceeded" and err["type"] == "insufficient_quota"
    msg = err["message"]
    assert msg.startswith(f"API key {info.id}'s daily spend limit of ")
    assert f"resets at {_tomorrow()[:10]} 00:00 UTC." in msg
    assert msg.count(". ") == 0
    assert len([u for u in usage_rows(gateway, account) if u.charged]) == 3

    # the balance is untouched by the refusal and shows no account limit
    bal = httpx.get(gateway.url + "/v1/account/balance", headers=auth).json()
    assert bal["balance_nano_usd"] == str(10 * USD - spent)
    assert bal["account_limit"]["limit"] is None

    # the key list shows the limit too; raising it lets the key spend again
    listed = httpx.get(gateway.url + "/v1/keys", headers=auth).json()["data"]
    assert listed[0]["limit_nano_usd"] == str(limit)
    r = httpx.patch(f"{gateway.url}/v1/keys/{info.id}", json={"limit_usd": "1"}, headers=auth)
    assert r.json()["limit"] == "1.00" and r.json()["limit_reset"] == "daily"  # reset kept
    assert _chat(gateway, key, "limit 4").status_code == 200
    # and removing it
    r = httpx.patch(f"{gateway.url}/v1/keys/{info.id}", json={"limit_usd": None}, headers=auth)
    assert r.json()["limit"] is None and r.json()["limit_reset"] is None


def test_account_limit_spans_the_accounts_keys(gateway: GatewayHandle) -> None:
    account, key1 = gateway.new_account(credits_usd=10)
    _, key2 = gateway.store.create_key(account, "second")
    auth = _session(gateway, account)
    one = _hold_of("acct 0")
    limit = one  # exactly one request's hold: after key 1 spends anything, key 2 is refused
    r = httpx.patch(
        gateway.url + "/v1/account/limit",
        json={"limit_usd": f"{limit / 1e9:.9f}", "limit_reset": "monthly"},
        headers=auth,
    )
    assert r.status_code == 200, r.text
    assert r.json()["limit_reset"] == "monthly"
    assert _chat(gateway, key1, "acct 0").status_code == 200
    r = _chat(gateway, key2, "acct 2")
    assert r.status_code == 402
    assert r.json()["error"]["message"].startswith(f"Account {account}'s monthly spend limit of ")
    # readable with the session or a key of the account
    for headers in (auth, {"authorization": f"Bearer {key1}"}):
        got = httpx.get(gateway.url + "/v1/account/limit", headers=headers).json()
        assert got["limit_nano_usd"] == str(limit)
    bal = httpx.get(gateway.url + "/v1/account/balance", headers=auth).json()
    assert bal["account_limit"]["limit_nano_usd"] == str(limit)
    httpx.patch(gateway.url + "/v1/account/limit", json={"limit_usd": None}, headers=auth)
    assert _chat(gateway, key2, "acct 3").status_code == 200


def test_a_limit_set_elsewhere_applies_from_the_next_poll(gateway: GatewayHandle) -> None:
    """The CLI (or another worker) writes the database; this worker's poll picks it up."""
    account, key = gateway.new_account(credits_usd=10)
    (info,) = gateway.store.list_keys(account)
    assert _chat(gateway, key, "elsewhere 0").status_code == 200  # key now cached
    gateway.store.set_key_limit(info.id, None, SpendLimit(0, None))
    gateway.sync()
    r = _chat(gateway, key, "elsewhere 1")
    assert r.status_code == 402
    assert "lifetime spend limit of 0.00 USD" in r.json()["error"]["message"]
    assert r.json()["error"]["message"].endswith("never resets.")
    gateway.store.set_account_limit(account, SpendLimit(0, "weekly"))
    gateway.store.set_key_limit(info.id, None, None)
    gateway.sync()
    assert "weekly spend limit" in _chat(gateway, key, "elsewhere 2").json()["error"]["message"]
    gateway.store.set_account_limit(account, None)
    gateway.sync()
    assert _chat(gateway, key, "elsewhere 3").status_code == 200


def test_without_max_tokens_the_output_cap_fits_the_limit(gateway: GatewayHandle) -> None:
    """A request without max_tokens gets the output cap the balance AND the limit afford, and
    a limit too small for the minimum cap is named in the 402 (not the ample balance)."""
    account, key = gateway.new_account(credits_usd=10)
    (info,) = gateway.store.list_keys(account)
    body = {"model": MODEL, "messages": [{"role": "user", "content": "nomax"}]}
    min_out = gateway.gw.cfg.min_output_tokens
    limit = _hold_of("nomax", min_out + 40) - 1  # room for min_out + 39 output tokens
    gateway.store.set_key_limit(info.id, None, SpendLimit(limit, "daily"))
    gateway.sync()
    seen: list[Any] = []
    gateway.gw.ledger.hold, real = _spy(gateway.gw.ledger.hold, seen), gateway.gw.ledger.hold
    try:
        r = httpx.post(
            gateway.url + "/v1/chat/completions",
            json=body,
            headers={"authorization": f"Bearer {key}"},
            timeout=30,
        )
    finally:
        gateway.gw.ledger.hold = real  # type: ignore[method-assign]
    assert r.status_code == 200, r.text
    (amount,) = seen
    # the injected cap is what the limit affords: the hold fits it, one more token would not
    assert amount <= limit < amount + 2800
    gateway.store.set_key_limit(info.id, None, SpendLimit(_hold_of("nomax", min_out) - 1, None))
    gateway.sync()
    r = httpx.post(
        gateway.url + "/v1/chat/completions",
        json=body,
        headers={"authorization": f"Bearer {key}"},
        timeout=30,
    )
    assert r.status_code == 402
    assert r.json()["error"]["code"] == "spend_limit_exceeded"
    assert "lifetime spend limit" in r.json()["error"]["message"]


def _spy(fn: Any, seen: list[Any]) -> Any:
    async def hold(account: str, amount: int, *a: Any) -> Any:
        seen.append(amount)
        return await fn(account, amount, *a)

    return hold


@pytest.mark.parametrize(
    ("body", "param", "words"),
    [
        ({"limit_usd": "-1"}, "limit_usd", "is negative"),
        ({"limit_usd": "five"}, "limit_usd", "is not a decimal USD amount"),
        ({"limit_usd": "0.0000000001"}, "limit_usd", "more than 9 decimal places"),
        ({"limit_usd": 1.5}, "limit_usd", "written as a string"),
        ({"limit_usd": "5", "limit_reset": "hourly"}, "limit_reset", "not one of daily"),
        ({"limit_usd": "99999999"}, "limit_usd", "above the largest limit"),
        ({}, "limit_usd", "Give 'limit_usd'"),
        ({"limit_reset": "daily"}, "limit_usd", "no limit to change"),
    ],
)
def test_bad_limit_input_is_a_400_sentence(
    gateway: GatewayHandle, body: dict[str, Any], param: str, words: str
) -> None:
    account, _ = gateway.new_account(credits_usd=0)
    (info,) = gateway.store.list_keys(account)
    auth = _session(gateway, account)
    for url in (f"{gateway.url}/v1/keys/{info.id}", gateway.url + "/v1/account/limit"):
        r = httpx.patch(url, json=body, headers=auth)
        assert r.status_code == 400, (url, r.text)
        err = r.json()["error"]
        assert words in err["message"] and err["param"] == param
        assert err["message"].endswith(".") and "\n" not in err["message"]
    r = httpx.post(gateway.url + "/v1/keys", json={"name": "x", **body}, headers=auth)
    if body:
        assert r.status_code == 400 and words in r.json()["error"]["message"]
    assert gateway.store.list_keys(account)[0].limit_nano is None


def test_setting_limits_needs_a_session_and_the_own_key(gateway: GatewayHandle) -> None:
    account, key = gateway.new_account(credits_usd=0)
    other, _ = gateway.new_account(credits_usd=0)
    (info,) = gateway.store.list_keys(account)
    as_key = {"authorization": f"Bearer {key}"}
    r = httpx.patch(f"{gateway.url}/v1/keys/{info.id}", json={"limit_usd": "1"}, headers=as_key)
    assert r.status_code == 401
    r = httpx.patch(gateway.url + "/v1/account/limit", json={"limit_usd": "1"}, headers=as_key)
    assert r.status_code == 401
    r = httpx.patch(
        f"{gateway.url}/v1/keys/{info.id}",
        json={"limit_usd": "1"},
        headers=_session(gateway, other),
    )
    assert r.status_code == 404
    assert (
        httpx.get(f"{gateway.url}/v1/keys/{info.id}", headers=_session(gateway, other)).status_code
        == 404
    )
    got = httpx.get(f"{gateway.url}/v1/keys/{info.id}", headers=_session(gateway, account))
    assert got.status_code == 200 and got.json()["limit"] is None


def test_key_created_with_a_limit(gateway: GatewayHandle) -> None:
    account, _ = gateway.new_account(credits_usd=0)
    auth = _session(gateway, account)
    r = httpx.post(
        gateway.url + "/v1/keys",
        json={"name": "capped", "limit_usd": "2.5", "limit_reset": "weekly"},
        headers=auth,
    )
    assert r.status_code == 201, r.text
    assert (r.json()["limit"], r.json()["limit_reset"]) == ("2.50", "weekly")
    assert r.json()["limit_remaining"] == "2.50"
