"""``fomo dev-upstream``: an honest OpenAI-compatible test server.

It is a *fake inference server* for tests, demos and benchmarks, and says so in every response
(``system_fingerprint: "fomo-dev-upstream"``). What it does honestly:

* deterministic text: the same prompt (and choice index) always gives the same words;
* real usage numbers for what it produced, counted with its own simple tokenizer (one token per
  word or punctuation mark — it is not any real model's tokenizer);
* prompt caching like vLLM's automatic prefix caching: prompts are cut into blocks of
  ``cache_block`` tokens and a block whose whole prefix was seen before counts as cached;
* reasoning models (``reasoning_models``) first "think" (``reasoning_content`` deltas, counted in
  ``completion_tokens_details.reasoning_tokens``, part of ``completion_tokens``) then answer;
* streaming that honours ``stream_options.include_usage`` (final chunk with empty ``choices``);
* embeddings (float or base64, like OpenAI) and ``/v1/models``.

Failure injection, set at start-up or at run time with ``POST /_dev/config`` (JSON with any of the
``DevUpstreamConfig`` fields): fixed latency before the first byte and between stream chunks,
an HTTP error status for every Nth request, a stream cut (connection dropped) after N content
chunks, and a no-usage mode (usage omitted, as some servers do). ``GET /_dev/stats`` reports
request counts so tests can check what reached the upstream.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json as _json
import re
import struct
import time
from collections import OrderedDict
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from fomo.gateway.asgi import (
    SSE_HEADERS,
    BodyTooLarge,
    ClientGone,
    Receive,
    Scope,
    Send,
    dumps,
    openai_error,
    read_body,
    route_path,
    send_json,
)

DEFAULT_MODELS: tuple[str, ...] = (
    "qwen3-30b-a3b-instruct",
    "deepseek-v3.2",
    "qwen3-235b-a22b-instruct",
    "kimi-k2-thinking",
)

_WORDS = [
    "the",
    "model",
    "token",
    "flock",
    "usage",
    "reward",
    "stake",
    "epoch",
    "curve",
    "launch",
    "pool",
    "burn",
    "credit",
    "gateway",
    "stream",
    "answer",
    "prompt",
    "chain",
    "block",
    "vault",
    "price",
    "market",
    "liquidity",
    "fair",
    "deploy",
    "agent",
    "signal",
    "honest",
    "exact",
    "integer",
    "proof",
    "merkle",
    "root",
    "claim",
    "daily",
    "season",
    "alpha",
    "score",
    "share",
]

_TOKEN_RE = re.compile(r"\w+|[^\w\s]")


def count_tokens(text: str) -> int:
    """The dev upstream's toy tokenizer: one token per word or punctuation mark."""
    return len(_TOKEN_RE.findall(text))


def tokenize(text: str) -> list[str]:
    return _TOKEN_RE.findall(text)


class UpstreamCut(Exception):
    """Raised inside the response to drop the connection mid-stream (failure injection)."""


@dataclass
class DevUpstreamConfig:
    models: tuple[str, ...] = DEFAULT_MODELS
    reasoning_models: tuple[str, ...] = ("kimi-k2-thinking",)
    latency_ms: float = 0.0
    """Delay before the response starts."""
    chunk_latency_ms: float = 0.0
    """Delay between stream chunks."""
    fail_status: int = 0
    """If non-zero, answer this HTTP status instead of a completion ..."""
    fail_every: int = 1
    """... on every ``fail_every``-th request (1 = all)."""
    cut_after_chunks: int = 0
    """If non-zero, drop the connection after this many content chunks of a stream (-1: before
    the first one)."""
    no_usage: bool = False
    """Omit usage everywhere, as some OpenAI-compatible servers do."""
    default_max_tokens: int = 16
    """Output length when the request sets no ``max_tokens`` (the answer may stop earlier)."""
    cache_block: int = 8
    """Prefix-cache block size in tokens."""
    cache_capacity: int = 100_000
    """How many prefix blocks are remembered (least recently used evicted)."""
    embedding_dim: int = 16
    api_key: str = ""
    """If set, requests must carry ``Authorization: Bearer <api_key>``."""

    def update(self, changes: dict[str, Any]) -> None:
        names = {f.name for f in fields(self)}
        for k, v in changes.items():
            if k not in names:
                raise ValueError(f"unknown dev-upstream setting {k!r}")
            if k in ("models", "reasoning_models"):
                v = tuple(v)
            setattr(self, k, v)


@dataclass
class _Stats:
    requests: int = 0
    by_path: dict[str, int] = field(default_factory=dict)
    failures_injected: int = 0
    cuts_injected: int = 0


class PrefixCache:
    """Remembers prompt prefixes at block granularity (like vLLM automatic prefix caching)."""

    def __init__(self, block: int, capacity: int) -> None:
        self.block = max(1, block)
        self.capacity = capacity
        self._blocks: OrderedDict[bytes, None] = OrderedDict()

    def lookup_and_store(self, tokens: list[str]) -> int:
        """Number of prompt tokens served from cache; stores every full block of the prompt."""
        cached = 0
        h = hashlib.blake2b(digest_size=16)
        hit_run = True
        n_blocks = len(tokens) // self.block
        for b in range(n_blocks):
            for t in tokens[b * self.block : (b + 1) * self.block]:
                h.update(t.encode())
                h.update(b"\x00")
            key = h.copy().digest()
            if hit_run and key in self._blocks:
                self._blocks.move_to_end(key)
                cached += self.block
            else:
                hit_run = False
                self._blocks[key] = None
                if len(self._blocks) > self.capacity:
                    self._blocks.popitem(last=False)
        # Never report the whole prompt as cached: the last token is always computed.
        return min(cached, max(0, len(tokens) - 1))


def _words(seed: bytes, n: int) -> list[str]:
    out: list[str] = []
    counter = 0
    while len(out) < n:
        digest = hashlib.sha256(seed + counter.to_bytes(4, "big")).digest()
        counter += 1
        for i in range(0, len(digest), 2):
            out.append(_WORDS[int.from_bytes(digest[i : i + 2], "big") % len(_WORDS)])
            if len(out) == n:
                break
    return out


def _natural_length(seed: bytes) -> int:
    return 8 + hashlib.sha256(b"len" + seed).digest()[0] % 9


def _render_messages(messages: Any) -> str:
    if not isinstance(messages, list) or not messages:
        raise ValueError("'messages' must be a non-empty array")
    parts: list[str] = []
    for m in messages:
        if not isinstance(m, dict):
            raise ValueError("each message must be an object")
        content = m.get("content")
        if isinstance(content, list):  # content parts: keep the text ones
            content = " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
        parts.append(f"{m.get('role', 'user')}: {content or ''}")
    return "\n".join(parts)


def _prompt_text(prompt: Any) -> str:
    if isinstance(prompt, str):
        return prompt
    if isinstance(prompt, list) and all(isinstance(p, str) for p in prompt):
        return "\n".join(prompt)
    if isinstance(prompt, list) and all(isinstance(p, int) for p in prompt):
        return " ".join(str(p) for p in prompt)
    raise ValueError("'prompt' must be a string, an array of strings or an array of token ids")


@dataclass
class _Choice:
    reasoning: list[str]
    content: list[str]
    finish_reason: str


class DevUpstream:
    """The ASGI application."""

    def __init__(self, config: DevUpstreamConfig | None = None) -> None:
        self.config = config or DevUpstreamConfig()
        self.cache = PrefixCache(self.config.cache_block, self.config.cache_capacity)
        self.stats = _Stats()
        self._created = int(time.time())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                msg = await receive()
                if msg["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif msg["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        path = route_path(scope)
        method: str = scope["method"]
        try:
            body = await read_body(receive, 64 * 1024 * 1024)
        except (BodyTooLarge, ClientGone):
            return
        if path.startswith("/_dev/"):
            await self._control(path, method, body, send)
            return
        self.stats.requests += 1
        self.stats.by_path[path] = self.stats.by_path.get(path, 0) + 1
        cfg = self.config
        if cfg.api_key:
            auth = dict(scope["headers"]).get(b"authorization", b"")
            if auth != f"Bearer {cfg.api_key}".encode():
                await send_json(send, 401, openai_error("bad upstream key", "authentication_error"))
                return
        if cfg.latency_ms > 0:
            await asyncio.sleep(cfg.latency_ms / 1000)
        if cfg.fail_status and self.stats.requests % max(1, cfg.fail_every) == 0:
            self.stats.failures_injected += 1
            await send_json(
                send,
                cfg.fail_status,
                openai_error(f"injected failure {cfg.fail_status}", "server_error"),
            )
            return
        if method == "GET" and path == "/v1/models":
            await send_json(send, 200, self._models())
            return
        if method != "POST" or path not in (
            "/v1/chat/completions",
            "/v1/completions",
            "/v1/embeddings",
        ):
            await send_json(send, 404, openai_error(f"no route {method} {path}", code="not_found"))
            return
        try:
            req = _json.loads(body)
            if not isinstance(req, dict):
                raise ValueError("body must be a JSON object")
            model = req.get("model")
            if model not in cfg.models:
                await send_json(
                    send,
                    404,
                    openai_error(f"model {model!r} not served here", code="model_not_found"),
                )
                return
            if path == "/v1/embeddings":
                await send_json(send, 200, self._embeddings(req))
                return
            await self._complete(path == "/v1/chat/completions", req, send)
        except (ValueError, TypeError) as exc:
            await send_json(send, 400, openai_error(str(exc)))

    async def _control(self, path: str, method: str, body: bytes, send: Send) -> None:
        if path == "/_dev/config" and method == "POST":
            try:
                self.config.update(_json.loads(body or b"{}"))
            except (ValueError, TypeError) as exc:
                await send_json(send, 400, openai_error(str(exc)))
                return
            self.cache.block = max(1, self.config.cache_block)
            await send_json(send, 200, asdict(self.config))
        elif path == "/_dev/stats":
            await send_json(send, 200, asdict(self.stats))
        elif path == "/_dev/reset" and method == "POST":
            self.stats = _Stats()
            self.cache = PrefixCache(self.config.cache_block, self.config.cache_capacity)
            await send_json(send, 200, {"ok": True})
        else:
            await send_json(send, 404, openai_error("unknown control endpoint"))

    def _models(self) -> dict[str, Any]:
        return {
            "object": "list",
            "data": [
                {"id": m, "object": "model", "created": self._created, "owned_by": "fomo-dev"}
                for m in self.config.models
            ],
        }

    def _embeddings(self, req: dict[str, Any]) -> dict[str, Any]:
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
        dim = int(req.get("dimensions") or self.config.embedding_dim)
        if not 1 <= dim <= 4096:
            raise ValueError("'dimensions' out of range")
        fmt = req.get("encoding_format") or "float"
        data = []
        tokens = 0
        for i, t in enumerate(texts):
            tokens += count_tokens(t)
            raw = hashlib.shake_256(t.encode()).digest(dim * 2)
            vec = [
                (int.from_bytes(raw[2 * j : 2 * j + 2], "big") / 65535.0) * 2 - 1
                for j in range(dim)
            ]
            emb: Any = vec
            if fmt == "base64":
                emb = base64.b64encode(struct.pack(f"<{dim}f", *vec)).decode()
            data.append({"object": "embedding", "index": i, "embedding": emb})
        out: dict[str, Any] = {"object": "list", "data": data, "model": req["model"]}
        if not self.config.no_usage:
            out["usage"] = {"prompt_tokens": tokens, "total_tokens": tokens}
        return out

    def _generate(self, req: dict[str, Any], prompt: str, n: int) -> tuple[list[_Choice], int, int]:
        prompt_tokens = tokenize(prompt)
        cached = self.cache.lookup_and_store(prompt_tokens)
        limit = req.get("max_completion_tokens") or req.get("max_tokens")
        if limit is not None and (not isinstance(limit, int) or limit < 1):
            raise ValueError("'max_tokens' must be a positive integer")
        budget = limit if limit is not None else self.config.default_max_tokens
        reasoning = req["model"] in self.config.reasoning_models
        choices = []
        for i in range(n):
            seed = hashlib.sha256(f"{req['model']}\x00{i}\x00{prompt}".encode()).digest()
            natural = _natural_length(seed)
            r_n = (natural // 2) if reasoning else 0
            want = r_n + natural
            total = min(want, budget)
            words = _words(seed, total)
            r_words = words[: min(r_n, total)]
            c_words = words[len(r_words) :]
            choices.append(_Choice(r_words, c_words, "length" if want > budget else "stop"))
        return choices, len(prompt_tokens), cached

    async def _complete(self, chat: bool, req: dict[str, Any], send: Send) -> None:
        n = req.get("n", 1) or 1
        if not isinstance(n, int) or not 1 <= n <= 8:
            raise ValueError("'n' must be an integer in [1, 8]")
        prompt = _render_messages(req.get("messages")) if chat else _prompt_text(req.get("prompt"))
        choices, prompt_tokens, cached = self._generate(req, prompt, n)
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
            await self._stream(chat, rid, created, model, choices, usage, include_usage, send)
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
        if not self.config.no_usage:
            out["usage"] = usage
        await send_json(send, 200, out)

    async def _stream(
        self,
        chat: bool,
        rid: str,
        created: int,
        model: str,
        choices: list[_Choice],
        usage: dict[str, Any],
        include_usage: bool,
        send: Send,
    ) -> None:
        cfg = self.config
        obj = "chat.completion.chunk" if chat else "text_completion"
        with_usage = include_usage and not cfg.no_usage

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
        delay = cfg.chunk_latency_ms / 1000
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
                if cfg.cut_after_chunks and sent_content >= max(cfg.cut_after_chunks, 0):
                    self.stats.cuts_injected += 1
                    raise UpstreamCut("injected stream cut")
                if delay:
                    await asyncio.sleep(delay)
                await send(
                    {"type": "http.response.body", "body": chunk(i, p, None), "more_body": True}
                )
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


def create_app(config: DevUpstreamConfig | None = None) -> DevUpstream:
    return DevUpstream(config)
