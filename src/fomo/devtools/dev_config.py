"""The dev upstream's settings and counters: the models it serves and the failures it injects
(latency, an error status every Nth request, a stream cut, no usage), changed at run time through
``POST /_dev/config``, and what ``GET /_dev/stats`` reports."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

DEFAULT_MODELS: tuple[str, ...] = (
    "qwen3-30b-a3b-instruct",
    "deepseek-v3.2",
    "qwen3-235b-a22b-instruct",
    "kimi-k2-thinking",
)


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
class Stats:
    requests: int = 0
    by_path: dict[str, int] = field(default_factory=dict)
    failures_injected: int = 0
    cuts_injected: int = 0
