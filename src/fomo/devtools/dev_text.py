"""What the dev upstream says, deterministically: the toy tokenizer (one token per word or
punctuation mark), the prefix cache (like vLLM's automatic prefix caching), prompts as text and
the words of each choice (reasoning first for a reasoning model) within the output budget."""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from fomo.devtools.dev_config import DevUpstreamConfig

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


def render_messages(messages: Any) -> str:
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


def prompt_text(prompt: Any) -> str:
    if isinstance(prompt, str):
        return prompt
    if isinstance(prompt, list) and all(isinstance(p, str) for p in prompt):
        return "\n".join(prompt)
    if isinstance(prompt, list) and all(isinstance(p, int) for p in prompt):
        return " ".join(str(p) for p in prompt)
    raise ValueError("'prompt' must be a string, an array of strings or an array of token ids")


@dataclass
class Choice:
    reasoning: list[str]
    content: list[str]
    finish_reason: str


def generate(
    config: DevUpstreamConfig, cache: PrefixCache, req: dict[str, Any], prompt: str, n: int
) -> tuple[list[Choice], int, int]:
    """The choices, the prompt's token count and how many of its tokens the cache served."""
    prompt_tokens = tokenize(prompt)
    cached = cache.lookup_and_store(prompt_tokens)
    limit = req.get("max_completion_tokens") or req.get("max_tokens")
    if limit is not None and (not isinstance(limit, int) or limit < 1):
        raise ValueError("'max_tokens' must be a positive integer")
    budget = limit if limit is not None else config.default_max_tokens
    reasoning = req["model"] in config.reasoning_models
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
        choices.append(Choice(r_words, c_words, "length" if want > budget else "stop"))
    return choices, len(prompt_tokens), cached
