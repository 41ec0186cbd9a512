"""The official openai client, unchanged, against a running gateway: sync, async, streaming."""

from __future__ import annotations

import asyncio
import os

import openai
import pytest

from fomo.economics.pricing import DEVNET_TIERS, Usage, gross_cost_nano

from .conftest import USD, GatewayHandle, ServerThread, set_upstream, usage_rows

BOTH_DATABASES = True


@pytest.fixture(autouse=True)
def _reset(upstream: ServerThread) -> None:
    set_upstream(upstream)


def _priced(model: str, u: object) -> int:
    usage = Usage(
        u.prompt_tokens,  # type: ignore[attr-defined]
        (u.prompt_tokens_details.cached_tokens if u.prompt_tokens_details else 0),  # type: ignore[attr-defined]
        u.completion_tokens,  # type: ignore[attr-defined]
        (u.completion_tokens_details.reasoning_tokens if u.completion_tokens_details else 0),  # type: ignore[attr-defined]
    )
    return gross_cost_nano(DEVNET_TIERS[model], usage)


def test_sync_chat_is_metered_exactly(gateway: GatewayHandle) -> None:
    account, key = gateway.new_account(credits_usd=1)
    gateway.sync()
    client = openai.OpenAI(base_url=gateway.url + "/v1", api_key=key)
    raw = client.chat.completions.with_raw_response.create(
        model="qwen3-30b-a3b-instruct",
        messages=[{"role": "user", "content": "price this request exactly"}],
        max_tokens=12,
    )
    resp = raw.parse()
    assert float(raw.headers["x-fomo-overhead-ms"]) >= 0
    cost = _priced("qwen3-30b-a3b-instruct", resp.usage)
    assert cost > 0
    (row,) = usage_rows(gateway, account)
    assert row.request_id == raw.headers["x-request-id"]
    # the header is the metered overhead, not a number made up for the response
    assert raw.headers["x-fomo-overhead-ms"] == f"{row.overhead_us / 1000:.3f}"
    assert 0 < row.overhead_us <= row.latency_us
    assert (row.input_tokens, row.output_tokens) == (
        resp.usage.prompt_tokens,  # type: ignore[union-attr]
        resp.usage.completion_tokens,  # type: ignore[union-attr]
    )
    assert row.gross_nano_usd == row.paid_nano_usd == cost
    assert row.discount_bps == 0 and not row.estimated and row.charged and row.status == 200
    # compute cost: 40% of list on the devnet tiers (all divide exactly)
    assert row.compute_cost_nano_usd * 10 == cost * 4
    assert gateway.store.balance(account) == 1 * USD - cost


def test_models_list(gateway: GatewayHandle) -> None:
    _, key = gateway.new_account(credits_usd=0)
    ids = {m.id for m in openai.OpenAI(base_url=gateway.url + "/v1", api_key=key).models.list()}
    assert set(DEVNET_TIERS) <= ids


def test_sync_streaming_chat_with_reasoning(gateway: GatewayHandle) -> None:
    account, key = gateway.new_account(credits_usd=1)
    gateway.sync()
    client = openai.OpenAI(base_url=gateway.url + "/v1", api_key=key)
    chunks = list(
        client.chat.completions.create(
            model="kimi-k2-thinking",
            messages=[{"role": "user", "content": "stream with thinking"}],
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    usage = chunks[-1].usage
    assert usage is not None and chunks[-1].choices == []
    assert usage.completion_tokens_details.reasoning_tokens > 0  # type: ignore[union-attr]
    (row,) = usage_rows(gateway, account)
    assert row.reasoning_tokens == usage.completion_tokens_details.reasoning_tokens  # type: ignore[union-attr]
    assert row.output_tokens == usage.completion_tokens
    assert row.paid_nano_usd == _priced("kimi-k2-thinking", usage)
    assert row.stream and not row.cut


def test_async_client_completions_and_embeddings(gateway: GatewayHandle) -> None:
    account, key = gateway.new_account(credits_usd=1)
    gateway.sync()

    async def run() -> tuple[object, object, list[str]]:
        client = openai.AsyncOpenAI(base_url=gateway.url + "/v1", api_key=key)
        comp = await client.completions.create(
            model="deepseek-v3.2", prompt="async hello", max_tokens=6
        )
        emb = await client.embeddings.create(model="deepseek-v3.2", input=["one two", "three"])
        stream = await client.completions.create(
            model="deepseek-v3.2", prompt="async stream", max_tokens=5, stream=True
        )
        texts = [c.choices[0].text async for c in stream if c.choices]
        await client.close()
        return comp, emb, texts

    comp, emb, texts = asyncio.run(run())
    assert len(emb.data) == 2 and len(emb.data[0].embedding) == 16  # type: ignore[attr-defined]
    assert "".join(texts).strip()
    rows = usage_rows(gateway, account)
    assert [r.endpoint for r in rows] == ["completions", "embeddings", "completions"]
    assert rows[0].output_tokens == comp.usage.completion_tokens  # type: ignore[attr-defined]
    assert rows[1].input_tokens == emb.usage.prompt_tokens and rows[1].output_tokens == 0  # type: ignore[attr-defined]
    assert rows[2].output_tokens == 5
    spent = sum(r.paid_nano_usd for r in rows)
    assert gateway.store.balance(account) == USD - spent


def test_cached_tokens_billed_at_cached_price(gateway: GatewayHandle) -> None:
    account, key = gateway.new_account(credits_usd=1)
    gateway.sync()
    client = openai.OpenAI(base_url=gateway.url + "/v1", api_key=key)
    salt = os.urandom(4).hex()  # the upstream's prefix cache outlives this test
    prefix = " ".join(f"cached{salt}word{i}" for i in range(64))
    for q in ("first", "second"):
        client.chat.completions.create(
            model="qwen3-235b-a22b-instruct",
            messages=[{"role": "user", "content": f"{prefix} {q}"}],
            max_tokens=3,
        )
    first, second = usage_rows(gateway, account)
    assert first.cached_input_tokens == 0 and second.cached_input_tokens >= 56
    tier = DEVNET_TIERS["qwen3-235b-a22b-instruct"]
    assert second.gross_nano_usd == (
        (second.input_tokens - second.cached_input_tokens) * tier.input_nano
        + second.cached_input_tokens * tier.cached_input_nano
        + second.output_tokens * tier.output_nano
    )
    assert second.gross_nano_usd < first.gross_nano_usd


def test_account_views(gateway: GatewayHandle) -> None:
    import httpx

    _, key = gateway.new_account(credits_usd=2)
    client = openai.OpenAI(base_url=gateway.url + "/v1", api_key=key)
    client.completions.create(model="deepseek-v3.2", prompt="view me", max_tokens=3)
    h = {"authorization": f"Bearer {key}"}
    bal = httpx.get(gateway.url + "/v1/account/balance", headers=h).json()
    usage = httpx.get(gateway.url + "/v1/account/usage?days=1", headers=h).json()["data"]
    assert len(usage) == 1 and usage[0]["model"] == "deepseek-v3.2" and usage[0]["requests"] == 1
    assert bal["balance_nano_usd"] == str(2 * USD - int(usage[0]["paid_nano_usd"]))
    assert bal["held_nano_usd"] == "0"
    metrics = httpx.get(gateway.url + "/metrics").text
    assert "fomo_gateway_requests_total" in metrics and "fomo_gateway_spend_nano_usd" in metrics
