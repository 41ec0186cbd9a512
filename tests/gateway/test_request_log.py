"""`/v1/models` with prices and deployments, and the per-request log (`GET /v1/account/requests`,
`fomo usage log`), through a real gateway (uvicorn, a real database, the dev upstream)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from fomo.cli.main import app
from fomo.economics.pricing import DEVNET_TIERS, Usage, gross_cost_nano

from .conftest import (
    GatewayHandle,
    ServerThread,
    db_urls,
    drop_db,
    make_db,
    set_upstream,
    start_gateway,
    usage_rows,
)

TOKEN = "0x" + "ab" * 20
DEP_MODEL = "deepseek-v3.2-logx"
runner = CliRunner()


@pytest.fixture(scope="module", params=db_urls())
def gh(
    request: pytest.FixtureRequest,
    upstream: ServerThread,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[GatewayHandle]:
    tmp = tmp_path_factory.mktemp("gw-log")
    url = make_db(request.param, tmp)
    deployments = [{"base_model": "deepseek-v3.2", "ticker": "LOGX", "token": TOKEN}]
    yield from start_gateway(tmp, url, upstream.url, deployments=deployments)
    drop_db(url)


def _auth(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def _log(gh: GatewayHandle, token: str, **params: Any) -> httpx.Response:
    return httpx.get(gh.url + "/v1/account/requests", headers=_auth(token), params=params)


def test_models_carry_exact_prices_and_their_deployment(gh: GatewayHandle) -> None:
    _, key = gh.new_account(credits_usd=0)
    r = httpx.get(gh.url + "/v1/models", headers=_auth(key))
    assert r.status_code == 200
    entries = {m["id"]: m for m in r.json()["data"]}
    base = entries["deepseek-v3.2"]
    assert base["pricing"] == {
        "input_usd_per_million": "0.28",
        "cached_input_usd_per_million": "0.07",
        "output_usd_per_million": "0.42",
        "input_nano_usd_per_token": "280",
        "cached_input_nano_usd_per_token": "70",
        "output_nano_usd_per_token": "420",
        "reasoning_model": False,
    }
    assert base["deployment"] is None and base["base_model"] == "deepseek-v3.2"
    dep = entries[DEP_MODEL]
    assert dep["deployment"] == {"token": TOKEN, "ticker": "LOGX", "base_model": "deepseek-v3.2"}
    assert dep["pricing"] == base["pricing"]
    assert entries["kimi-k2-thinking"]["pricing"]["reasoning_model"] is True
    # every quote is the exact decimal form of the integer the gateway charges with
    for m in entries.values():
        p, tier = m["pricing"], DEVNET_TIERS[m["base_model"]]
        for kind, nano in (
            ("input", tier.input_nano),
            ("cached_input", tier.cached_input_nano),
            ("output", tier.output_nano),
        ):
            assert p[f"{kind}_nano_usd_per_token"] == str(nano)
            assert Decimal(p[f"{kind}_usd_per_million"]) * 1000 == nano
    one = httpx.get(gh.url + f"/v1/models/{DEP_MODEL}", headers=_auth(key))
    assert one.status_code == 200 and one.json() == dep


def _chat(gh: GatewayHandle, key: str, model: str, text: str, **kw: Any) -> dict[str, Any]:
    r = httpx.post(
        gh.url + "/v1/chat/completions",
        headers=_auth(key),
        json={"model": model, "messages": [{"role": "user", "content": text}], **kw},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    if kw.get("stream"):
        return {}
    out: dict[str, Any] = r.json()
    return out


def test_request_log_lists_the_metered_usage_newest_first(gh: GatewayHandle) -> None:
    account, key1 = gh.new_account(credits_usd=10)
    key2_info, key2 = gh.store.create_key(account, "second")
    session, _ = gh.store.create_session(account, 3600)
    other, other_key = gh.new_account(credits_usd=10)
    gh.sync()
    answers = [
        _chat(gh, key1, "deepseek-v3.2", "one two three", max_tokens=5),
        _chat(gh, key2, DEP_MODEL, "four five", max_tokens=7),
        _chat(gh, key1, DEP_MODEL, "six", max_tokens=3, stream=True),
        _chat(gh, key2, "deepseek-v3.2", "seven eight nine ten", max_tokens=4),
        _chat(gh, key1, "kimi-k2-thinking", "think", max_tokens=6),
    ]
    _chat(gh, other_key, "deepseek-v3.2", "someone else", max_tokens=2)

    rows = usage_rows(gh, account)  # the metered usage records, in insertion order
    assert len(rows) == 5
    r = _log(gh, key1)
    assert r.status_code == 200, r.text
    page = r.json()
    assert page["account"] == account and page["has_more"] is False
    data = page["data"]
    assert [d["request_id"] for d in data] == [u.request_id for u in reversed(rows)]
    by_id = {d["request_id"]: d for d in data}
    for u in rows:
        d = by_id[u.request_id]
        assert d["key_id"] == u.key_id and d["model"] == u.model_id
        assert d["deployment"] == u.deployment
        assert (
            d["input_tokens"],
            d["cached_input_tokens"],
            d["output_tokens"],
            d["reasoning_tokens"],
        ) == (u.input_tokens, u.cached_input_tokens, u.output_tokens, u.reasoning_tokens)
        assert int(d["gross_nano_usd"]) == u.gross_nano_usd > 0
        assert int(d["paid_nano_usd"]) == u.paid_nano_usd
        assert int(d["discount_nano_usd"]) == u.gross_nano_usd - u.paid_nano_usd
        assert d["discount_bps"] == u.discount_bps
        assert Decimal(d["latency_ms"]) * 1000 == u.latency_us > 0
        assert d["status"] == 200 and d["charged"] is True
        # and the figures are the price of the tokens the upstream reported
        tier = DEVNET_TIERS[u.base_model]
        usage = Usage(
            d["input_tokens"], d["cached_input_tokens"], d["output_tokens"], d["reasoning_tokens"]
        )
        assert int(d["gross_nano_usd"]) == gross_cost_nano(tier, usage)
    # the unary answers' own usage equals the log's tokens
    unary = [a for a in answers if a]
    for a in unary:
        logged = next(d for d in data if d["input_tokens"] == a["usage"]["prompt_tokens"])
        assert logged["output_tokens"] == a["usage"]["completion_tokens"]
    assert data[2]["stream"] is True and data[2]["deployment"] == TOKEN
    assert "key" not in json.dumps(data).replace("key_id", "")  # no secret, no hash
    assert key1 not in r.text and key2 not in r.text
    # a session sees the same log; another account sees only its own request
    assert _log(gh, session).json()["data"] == data
    their_page = _log(gh, other_key).json()
    theirs = their_page["data"]
    assert (
        their_page["account"] == other
        and len(theirs) == 1
        and theirs[0]["model"] == "deepseek-v3.2"
    )

    # paging: pages of 2 tile the whole list, has_more says when to stop
    pages = [_log(gh, key1, limit=2, offset=o).json() for o in (0, 2, 4)]
    assert [p["has_more"] for p in pages] == [True, True, False]
    assert [d for p in pages for d in p["data"]] == data
    assert _log(gh, key1, offset=5).json()["data"] == []

    # filters
    dep_only = _log(gh, key1, model=DEP_MODEL).json()["data"]
    assert [d["request_id"] for d in dep_only] == [
        d["request_id"] for d in data if d["model"] == DEP_MODEL
    ]
    k2 = _log(gh, key1, key_id=key2_info.id).json()["data"]
    assert len(k2) == 2 and {d["key_id"] for d in k2} == {key2_info.id}
    both = _log(gh, key1, key_id=key2_info.id, model=DEP_MODEL).json()["data"]
    assert len(both) == 1
    mid = data[2]["created_at"]
    since = _log(gh, key1, since=mid).json()["data"]
    until = _log(gh, key1, until=mid).json()["data"]
    assert since + until == data  # since is inclusive, until exclusive: a partition
    assert since[-1]["request_id"] == data[2]["request_id"]
    assert _log(gh, key1, model="no-such-model").json()["data"] == []

    # the operator's view of the same account, from the database
    db = ["--database-url", gh.db_url]
    out = runner.invoke(app, ["usage", "log", account, "--json", *db])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["data"] == data
    out = runner.invoke(app, ["usage", "log", account, "--model", DEP_MODEL, "--json", *db])
    assert json.loads(out.output)["data"] == dep_only
    out = runner.invoke(app, ["usage", "log", account, "--limit", "2", *db])
    assert out.exit_code == 0 and "more: --offset 2" in out.output
    assert out.output.count("deepseek-v3.2") + out.output.count("kimi") == 2


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"offset": "1000000001"}, "offset"),
        ({"key_id": "1.5"}, "key_id"),
        ({"since": "yesterday"}, "since"),
        ({"since": "2026-11-27T12:00:00Z", "until": "2026-11-27T11:00:00Z"}, "until"),
        ({"model": "m" * 161}, "model"),
        ({"model": "deepseek\x00v3.2"}, "model"),
        ({"modle": "deepseek-v3.2"}, "modle"),
    ],
)
def test_bad_request_log_parameters_get_one_sentence(
    gh: GatewayHandle, params: dict[str, str], param: str
) -> None:
    _, key = gh.new_account(credits_usd=0)
    r = _log(gh, key, **params)
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert err["param"] == param and "\n" not in err["message"] and err["message"]


def test_a_failed_request_is_listed_with_its_status_and_no_charge(
    gh: GatewayHandle, upstream: ServerThread
) -> None:
    _, key = gh.new_account(credits_usd=1)
    gh.sync()
    set_upstream(upstream, fail_status=500)
    try:
        r = httpx.post(
            gh.url + "/v1/chat/completions",
            headers=_auth(key),
            json={"model": "deepseek-v3.2", "messages": [{"role": "user", "content": "x"}]},
        )
    finally:
        set_upstream(upstream)
    assert r.status_code == 502
    (entry,) = _log(gh, key).json()["data"]
    assert entry["status"] == 502 and entry["charged"] is False
    assert entry["paid_nano_usd"] == entry["gross_nano_usd"] == "0"


def test_request_log_needs_credentials_and_the_cli_refuses_bad_input(gh: GatewayHandle) -> None:
    assert httpx.get(gh.url + "/v1/account/requests").status_code == 401
    assert _log(gh, "sk-not-a-key").status_code == 401
    db = ["--database-url", gh.db_url]
    out = runner.invoke(app, ["usage", "log", "0x" + "11" * 20, "--limit", "0", *db])
    assert out.exit_code == 2 and "limit" in out.output and "Traceback" not in out.output
    out = runner.invoke(app, ["usage", "log", "not-an-address", *db])
    assert out.exit_code == 2 and "wallet address" in out.output
