"""The development upstream is honest: deterministic text, real counts, caching, reasoning."""

from __future__ import annotations

import base64
import struct

import httpx
import pytest

from fomo.devtools.dev_text import PrefixCache, count_tokens

from .conftest import ServerThread, set_upstream


@pytest.fixture(autouse=True)
def _reset(upstream: ServerThread) -> None:
    set_upstream(upstream)


def chat(upstream: ServerThread, content: str, **kw: object) -> dict:
    body = {"model": "qwen3-30b-a3b-instruct", "messages": [{"role": "user", "content": content}]}
    body.update(kw)
    r = httpx.post(upstream.url + "/v1/chat/completions", json=body)
    r.raise_for_status()
    return r.json()


def test_deterministic_text_and_real_counts(upstream: ServerThread) -> None:
    a = chat(upstream, "why is the sky blue today?", max_tokens=5)
    b = chat(upstream, "why is the sky blue today?", max_tokens=5)
    assert a["choices"][0]["message"]["content"] == b["choices"][0]["message"]["content"]
    text = a["choices"][0]["message"]["content"]
    assert a["usage"]["completion_tokens"] == count_tokens(text) == 5
    assert a["choices"][0]["finish_reason"] == "length"
    # "user: why is the sky blue today?" → user : why is the sky blue today ?
    assert a["usage"]["prompt_tokens"] == 9


def test_prefix_reuse_is_reported_as_cached(upstream: ServerThread) -> None:
    prefix = " ".join(f"word{i}" for i in range(40))
    first = chat(upstream, prefix + " first question")
    second = chat(upstream, prefix + " second question")
    assert first["usage"]["prompt_tokens_details"]["cached_tokens"] == 0
    cached = second["usage"]["prompt_tokens_details"]["cached_tokens"]
    assert 32 <= cached <= 42  # the shared 42-token prefix, whole 8-token blocks
    assert cached % 8 == 0


def test_prefix_cache_never_caches_whole_prompt() -> None:
    c = PrefixCache(block=2, capacity=10)
    toks = ["a", "b", "c", "d"]
    assert c.lookup_and_store(toks) == 0
    assert c.lookup_and_store(toks) == 3


def test_reasoning_model_counts_reasoning_inside_output(upstream: ServerThread) -> None:
    out = chat(upstream, "think about it", model="kimi-k2-thinking")
    u = out["usage"]
    msg = out["choices"][0]["message"]
    r = u["completion_tokens_details"]["reasoning_tokens"]
    assert r == count_tokens(msg["reasoning_content"]) > 0
    assert u["completion_tokens"] == r + count_tokens(msg["content"])


def test_stream_usage_only_when_asked(upstream: ServerThread) -> None:
    body = {"model": "deepseek-v3.2", "prompt": "hello", "stream": True, "max_tokens": 4}
    plain = httpx.post(upstream.url + "/v1/completions", json=body).text
    assert '"usage"' not in plain and plain.endswith("data: [DONE]\n\n")
    body["stream_options"] = {"include_usage": True}
    with_usage = httpx.post(upstream.url + "/v1/completions", json=body).text
    events = [e for e in with_usage.split("\n\n") if e]
    assert '"choices":[]' in events[-2] and '"completion_tokens":4' in events[-2]


def test_embeddings_base64_and_usage(upstream: ServerThread) -> None:
    r = httpx.post(
        upstream.url + "/v1/embeddings",
        json={"model": "deepseek-v3.2", "input": ["a b c", "d"], "encoding_format": "base64"},
    ).json()
    vec = struct.unpack("<16f", base64.b64decode(r["data"][0]["embedding"]))
    assert all(-1 <= x <= 1 for x in vec)
    assert r["usage"]["prompt_tokens"] == 4


def test_failure_injection(upstream: ServerThread) -> None:
    set_upstream(upstream, fail_status=503)
    r = httpx.post(upstream.url + "/v1/completions", json={"model": "deepseek-v3.2", "prompt": "x"})
    assert r.status_code == 503 and "injected" in r.json()["error"]["message"]
    set_upstream(upstream, cut_after_chunks=2)
    with pytest.raises(httpx.HTTPError):
        httpx.post(
            upstream.url + "/v1/completions",
            json={"model": "deepseek-v3.2", "prompt": "x", "stream": True},
        ).read()
    set_upstream(upstream, no_usage=True)
    r = httpx.post(upstream.url + "/v1/completions", json={"model": "deepseek-v3.2", "prompt": "x"})
    assert r.status_code == 200 and "usage" not in r.json()
