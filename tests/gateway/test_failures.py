"""Upstream failures cost nothing; a stream cut after delivery is charged for what was delivered."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import openai
import pytest

from fomo.economics.pricing import DEVNET_TIERS
from fomo.gateway import tokenizer

from .conftest import (
    USD,
    GatewayHandle,
    ServerThread,
    free_port,
    make_db,
    set_upstream,
    start_gateway,
    usage_rows,
)

MODEL = "qwen3-30b-a3b-instruct"


@pytest.fixture(scope="module")
def gw(upstream: ServerThread, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GatewayHandle]:
    tmp = tmp_path_factory.mktemp("gwfail")
    yield from start_gateway(tmp, make_db("sqlite", tmp), upstream.url, read_timeout_s=0.5)


@pytest.fixture(autouse=True)
def _reset(upstream: ServerThread) -> Iterator[None]:
    set_upstream(upstream)
    yield
    set_upstream(upstream)


def _chat(gw: GatewayHandle, key: str, **kw: object) -> httpx.Response:
    body = {"model": MODEL, "messages": [{"role": "user", "content": "fail me"}], "max_tokens": 8}
    body.update(kw)
    return httpx.post(
        gw.url + "/v1/chat/completions", json=body, headers={"authorization": f"Bearer {key}"}
    )


def _assert_free(gw: GatewayHandle, account: str) -> None:
    assert gw.store.balance(account) == 10 * USD
    assert all(not r.charged and r.paid_nano_usd == 0 for r in usage_rows(gw, account))
    assert gw.gw.book.held.get(account, 0) == 0
    assert gw.gw.book.available[account] == 10 * USD


def test_upstream_5xx_is_502_and_free(gw: GatewayHandle, upstream: ServerThread) -> None:
    account, key = gw.new_account()
    gw.sync()
    set_upstream(upstream, fail_status=500)
    r = _chat(gw, key)
    assert r.status_code == 502 and r.json()["error"]["code"] == "upstream_error"
    r = _chat(gw, key, stream=True)
    assert r.status_code == 502
    _assert_free(gw, account)
    rows = usage_rows(gw, account)
    assert [row.status for row in rows] == [502, 502]


def test_upstream_timeout_is_504_and_free(gw: GatewayHandle, upstream: ServerThread) -> None:
    account, key = gw.new_account()
    gw.sync()
    set_upstream(upstream, latency_ms=1500)
    r = _chat(gw, key)
    assert r.status_code == 504 and r.json()["error"]["code"] == "upstream_timeout"
    _assert_free(gw, account)


def test_unreachable_upstream_is_502_and_free(
    upstream: ServerThread, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tmp = tmp_path_factory.mktemp("gwdead")
    dead = f"http://127.0.0.1:{free_port()}"
    for gh in start_gateway(tmp, make_db("sqlite", tmp), dead, connect_retries=1):
        account, key = gh.new_account()
        gh.sync()
        r = _chat(gh, key)
        assert r.status_code == 502 and r.json()["error"]["code"] == "upstream_unreachable"
        _assert_free(gh, account)


def test_cut_stream_charges_what_was_delivered(gw: GatewayHandle, upstream: ServerThread) -> None:
    account, key = gw.new_account()
    gw.sync()
    set_upstream(upstream, cut_after_chunks=3)
    client = openai.OpenAI(base_url=gw.url + "/v1", api_key=key, max_retries=0)
    got: list[str] = []
    with pytest.raises(openai.APIError):
        for chunk in client.chat.completions.create(
            model=MODEL,
            messages=[{"role": "user", "content": "cut me"}],
            stream=True,
            max_tokens=10,
        ):
            if chunk.choices and chunk.choices[0].delta.content:
                got.append(chunk.choices[0].delta.content)
    assert len(got) == 3
    (row,) = usage_rows(gw, account)
    assert row.cut and row.estimated and row.charged
    delivered = tokenizer.count_text("".join(got))
    assert row.output_tokens == delivered
    assert row.input_tokens == tokenizer.count_chat_prompt([{"role": "user", "content": "cut me"}])
    tier = DEVNET_TIERS[MODEL]
    assert row.paid_nano_usd == row.input_tokens * tier.input_nano + delivered * tier.output_nano
    assert gw.store.balance(account) == 10 * USD - row.paid_nano_usd
    assert gw.gw.book.held.get(account, 0) == 0


def test_cut_before_any_content_is_free(gw: GatewayHandle, upstream: ServerThread) -> None:
    account, key = gw.new_account()
    gw.sync()
    set_upstream(upstream, cut_after_chunks=-1)
    # cut_after_chunks=-1: the dev upstream cuts before the first content chunk
    r = _chat(gw, key, stream=True)
    assert '"stream_cut"' in r.text
    _assert_free(gw, account)


def test_no_usage_upstream_is_estimated_with_tokenizer(
    gw: GatewayHandle, upstream: ServerThread
) -> None:
    account, key = gw.new_account()
    gw.sync()
    set_upstream(upstream, no_usage=True)
    r = _chat(gw, key)
    assert r.status_code == 200
    text = r.json()["choices"][0]["message"]["content"]
    r2 = _chat(gw, key, stream=True)
    assert r2.text.endswith("data: [DONE]\n\n")
    a, b = usage_rows(gw, account)
    assert a.estimated and b.estimated and not a.cut and not b.cut
    assert a.output_tokens == tokenizer.count_text(text)
    assert b.output_tokens > 0 and b.charged
