"""curl-level SSE: the byte stream a plain HTTP client sees."""

from __future__ import annotations

import json

import httpx
import pytest

from .conftest import GatewayHandle, ServerThread, set_upstream, usage_rows


@pytest.fixture(autouse=True)
def _reset(upstream: ServerThread) -> None:
    set_upstream(upstream)


def _events(text: str) -> list[str]:
    return [e for e in text.split("\n\n") if e]


def _post_stream(gateway: GatewayHandle, key: str, body: dict) -> httpx.Response:
    with httpx.stream(
        "POST",
        gateway.url + "/v1/chat/completions",
        json=body,
        headers={"authorization": f"Bearer {key}"},
    ) as r:
        r.read()
        return r


def test_usage_chunk_stripped_when_not_asked(gateway: GatewayHandle) -> None:
    account, key = gateway.new_account()
    gateway.sync()
    body = {
        "model": "qwen3-30b-a3b-instruct",
        "messages": [{"role": "user", "content": "raw sse please"}],
        "stream": True,
        "max_tokens": 7,
    }
    r = _post_stream(gateway, key, body)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/event-stream")
    events = _events(r.text)
    assert events[-1] == "data: [DONE]"
    payloads = [json.loads(e[6:]) for e in events[:-1]]
    assert all(p["choices"] for p in payloads), "the usage-only chunk must not reach the client"
    content = "".join(p["choices"][0]["delta"].get("content") or "" for p in payloads)
    assert len(content.split()) == 7
    (row,) = usage_rows(gateway, account)
    assert row.output_tokens == 7 and not row.estimated  # upstream usage was still metered


def test_usage_chunk_kept_when_asked(gateway: GatewayHandle) -> None:
    account, key = gateway.new_account()
    gateway.sync()
    body = {
        "model": "qwen3-30b-a3b-instruct",
        "messages": [{"role": "user", "content": "raw sse with usage"}],
        "stream": True,
        "max_tokens": 4,
        "stream_options": {"include_usage": True},
    }
    events = _events(_post_stream(gateway, key, body).text)
    assert events[-1] == "data: [DONE]"
    last = json.loads(events[-2][6:])
    assert last["choices"] == [] and last["usage"]["completion_tokens"] == 4
    (row,) = usage_rows(gateway, account)
    assert row.input_tokens == last["usage"]["prompt_tokens"]
