"""The dev upstream's answers in OpenAI's shapes: embeddings, chat and text completions, and
their server-sent-event streams (``stream_options.include_usage`` honoured), with the injected
chunk latency and stream cut applied while streaming."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import struct
import time
from typing import Any

from fomo.devtools.dev_config import DevUpstreamConfig, Stats, UpstreamCut
from fomo.devtools.dev_text import (
    Choice,
    PrefixCache,
    count_tokens,
    generate,
    prompt_text,
    render_messages,
)
from fomo.gateway.asgi import SSE_HEADERS, Send, dumps, send_json


def embeddings(config: DevUpstreamConfig, req: dict[str, Any]) -> dict[str, Any]:
    inp = req.get("input")
    if isinstance(inp, str):
        texts = [inp]
    elif isinstance(inp, list) and inp and all(isinstance(x, str) for x in inp):
        texts = list(inp)
    elif isinstance(inp, list) and inp and all(isinstance(x, int) for x in inp):
        texts = [" ".join(map(str, inp))]
    elif isinstance(inp, list) and inp and all(isinstance(x, list) for x in inp):
        texts = [" ".join(map(str, x)) for x in inp]
    else:
        raise ValueError("'input' must be a string or a non-empty array")
    dim = int(req.get("dimensions") or config.embedding_dim)
    if not 1 <= dim <= 4096:
        raise ValueError("'dimensions' out of range")
    fmt = req.get("encoding_format") or "float"
    data = []
    tokens = 0
    for i, t in enumerate(texts):
        tokens += count_tokens(t)
        raw = hashlib.shake_256(t.encode()).digest(dim * 2)
        vec = [
            (int.from_bytes(raw[2 * j : 2 * j + 2], "big") / 65535.0) * 2 - 1 for j in range(dim)
        ]
        emb: Any = vec
        if fmt == "base64":
            emb = base64.b64encode(struct.pack(f"<{dim}f", *vec)).decode()
        data.append({"object": "embedding", "index": i, "embedding": emb})
    out: dict[str, Any] = {"object": "list", "data": data, "model": req["model"]}
    if not config.no_usage:
        out["usage"] = {"prompt_tokens": tokens, "total_tokens": tokens}
    return out


async def complete(
    config: DevUpstreamConfig,
    cache: PrefixCache,
    stats: Stats,
    chat: bool,
    req: dict[str, Any],
    send: Send,
) -> None:
    n = req.get("n", 1) or 1
    if not isinstance(n, int) or not 1 <= n <= 8:
        raise ValueError("'n' must be an integer in [1, 8]")
    prompt = render_messages(req.get("messages")) if chat else prompt_text(req.get("prompt"))
    choices, prompt_tokens, cached = generate(config, cache, req, prompt, n)
    completion_tokens = sum(len(c.reasoning) + len(c.content) for c in choices)
    reasoning_tokens = sum(len(c.reasoning) for c in choices)
    usage: dict[str, Any] = {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
        "prompt_tokens_details": {"cached_tokens": cached},
        "completion_tokens_details": {"reasoning_tokens": reasoning_tokens},
    }
    rid = ("chatcmpl-" if chat else "cmpl-") + hashlib.sha256(
        f"{time.time_ns()}{prompt}".encode()
    ).hexdigest()[:24]
    created = int(time.time())
    model = req["model"]
    if req.get("stream"):
        opts = req.get("stream_options") or {}
        include_usage = bool(isinstance(opts, dict) and opts.get("include_usage"))
        await stream(config, stats, chat, rid, created, model, choices, usage, include_usage, send)
        return
    out: dict[str, Any]
    if chat:
        out = {
            "id": rid,
            "object": "chat.completion",
            "created": created,
            "model": model,
            "system_fingerprint": "fomo-dev-upstream",
            "choices": [
                {
                    "index": i,
                    "message": {
                        "role": "assistant",
                        "content": "".join(" " + w for w in c.content).lstrip(),
                        **({"reasoning_content": " ".join(c.reasoning)} if c.reasoning else {}),
                    },
                    "logprobs": None,
                    "finish_reason": c.finish_reason,
                }
                for i, c in enumerate(choices)
            ],
        }
    else:
        out = {
            "id": rid,
            "object": "text_completion",
            "created": created,
            "model": model,
            "system_fingerprint": "fomo-dev-upstream",
            "choices": [
                {
                    "index": i,
                    "text": "".join(" " + w for w in c.reasoning + c.content),
                    "logprobs": None,
                    "finish_reason": c.finish_reason,
                }
                for i, c in enumerate(choices)
            ],
        }
    if not config.no_usage:
        out["usage"] = usage
    await send_json(send, 200, out)


async def stream(
    config: DevUpstreamConfig,
    stats: Stats,
    chat: bool,
    rid: str,
    created: int,
    model: str,
    choices: list[Choice],
    usage: dict[str, Any],
    include_usage: bool,
    send: Send,
) -> None:
    obj = "chat.completion.chunk" if chat else "text_completion"
    with_usage = include_usage and not config.no_usage

    def chunk(index: int, delta: dict[str, Any] | str, finish: str | None) -> bytes:
        c: dict[str, Any] = {"index": index, "finish_reason": finish}
        if chat:
            c["delta"] = delta
            c["logprobs"] = None
        else:
            c["text"] = delta
            c["logprobs"] = None
        body: dict[str, Any] = {
            "id": rid,
            "object": obj,
            "created": created,
            "model": model,
            "system_fingerprint": "fomo-dev-upstream",
            "choices": [c],
        }
        if with_usage:
            body["usage"] = None
        return b"data: " + dumps(body) + b"\n\n"

    await send({"type": "http.response.start", "status": 200, "headers": list(SSE_HEADERS)})
    sent_content = 0
    delay = config.chunk_latency_ms / 1000
    for i, c in enumerate(choices):
        if chat:
            await send(
                {
                    "type": "http.response.body",
                    "body": chunk(i, {"role": "assistant", "content": ""}, None),
                    "more_body": True,
                }
            )
        pieces: list[dict[str, Any] | str] = []
        for w in c.reasoning:
            pieces.append({"reasoning_content": " " + w} if chat else " " + w)
        for w in c.content:
            pieces.append({"content": " " + w} if chat else " " + w)
        for p in pieces:
            if config.cut_after_chunks and sent_content >= max(config.cut_after_chunks, 0):
                stats.cuts_injected += 1
                raise UpstreamCut("injected stream cut")
            if delay:
                await asyncio.sleep(delay)
            await send({"type": "http.response.body", "body": chunk(i, p, None), "more_body": True})
            sent_content += 1
        await send(
            {
                "type": "http.response.body",
                "body": chunk(i, {} if chat else "", c.finish_reason),
                "more_body": True,
            }
        )
    if with_usage:
        final = {
            "id": rid,
            "object": obj,
            "created": created,
            "model": model,
            "system_fingerprint": "fomo-dev-upstream",
            "choices": [],
            "usage": usage,
        }
        await send(
            {
                "type": "http.response.body",
                "body": b"data: " + dumps(final) + b"\n\n",
                "more_body": True,
            }
        )
    await send({"type": "http.response.body", "body": b"data: [DONE]\n\n", "more_body": False})
