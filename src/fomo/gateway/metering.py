"""Metering, pure: how much to hold, what the upstream says was used, what a request costs.

Plain functions over plain values — no I/O, no server, no clock — so each rule has unit tests of
its own (``tests/gateway/test_metering.py``). The handlers (:mod:`fomo.gateway.charging`) call
them with the request, the route's price tier and the account's balance.

* **Hold size**: prompt bytes bound the input tokens of any byte-level tokenizer (plus a
  configured slack); the output bound is ``n × max_tokens`` (or ``max_completion_tokens``). A
  request without either gets a cap injected: the configured default, or what the balance
  affords if that is less.
* **Usage**: OpenAI's usage object (chat/completions/embeddings and the Responses-style names)
  → :class:`~fomo.economics.pricing.Usage`; over a stream the high-water mark of every usage seen.
* **Estimates** when the upstream reports no usage: a real tokenizer over the prompt and the
  text delivered (:mod:`fomo.gateway.tokenizer`, which reads its packaged vocabulary once, on
  first use); such records are marked ``estimated``.
* **Price of a record**: gross at list price, the stake discount, what the hold lets us take.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import fomo.gateway.tokenizer as tokenizer
from fomo.economics.discounts import paid_cost_nano
from fomo.economics.pricing import PriceTier, Usage, compute_cost_nano, gross_cost_nano

MAX_N = 128
"""The most choices (``n``) one request may ask for."""


class BadParam(ValueError):
    """A request field the hold cannot be sized from (one sentence, naming the field)."""

    def __init__(self, message: str, param: str) -> None:
        super().__init__(message)
        self.param = param


class ShortOfCredit(Exception):
    """Even the smallest useful request does not fit the balance."""

    def __init__(self, needed: int, available: int) -> None:
        super().__init__(f"needs {needed} nano-USD, {available} available")
        self.needed = needed
        self.available = available


# --- hold size ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HoldPlan:
    """The validated shape of a request's cost bound, before the output cap is known."""

    input_cost: int
    """Nano-USD of the input bound (body bytes + slack) at the list input price."""
    n: int = 1
    field: str = "max_tokens"
    """The output-length field the request uses (or gets injected)."""
    max_out: int | None = None
    """The request's own output bound; None when the gateway must choose a cap."""
    outputs: bool = True
    """False for embeddings (no output tokens at all)."""

    @property
    def needs_cap(self) -> bool:
        return self.outputs and self.max_out is None

    def amount(self, output_nano: int, max_out: int | None = None) -> int:
        """Nano-USD to hold with ``max_out`` (default: the request's own) output tokens."""
        if not self.outputs:
            return self.input_cost
        out = self.max_out if max_out is None else max_out
        assert out is not None
        return self.input_cost + self.n * out * output_nano


def _positive_int(v: Any) -> bool:
    return not isinstance(v, bool) and isinstance(v, int) and v >= 1


def plan_hold(
    endpoint: str, req: dict[str, Any], body_len: int, tier: PriceTier, input_slack_tokens: int
) -> HoldPlan:
    """Validate ``n`` and the output bound and price the input bound (raises :class:`BadParam`)."""
    input_cost = (body_len + input_slack_tokens) * tier.input_nano
    if endpoint == "embeddings":
        return HoldPlan(input_cost, outputs=False)
    n = req.get("n", 1)
    if n is None:
        n = 1
    if not _positive_int(n) or n > MAX_N:
        raise BadParam(f"'n' must be an integer between 1 and {MAX_N}", "n")
    field = "max_completion_tokens" if "max_completion_tokens" in req else "max_tokens"
    max_out = req.get(field)
    if max_out is not None and not _positive_int(max_out):
        raise BadParam(f"'{field}' must be a positive integer", field)
    return HoldPlan(input_cost, n, field, max_out)


def output_cap(
    plan: HoldPlan,
    tier: PriceTier,
    available: int | None,
    *,
    default_max_output_tokens: int,
    min_output_tokens: int,
) -> int:
    """The ``max_tokens`` to inject into a request that set none.

    The configured default, lowered to what ``available`` (the account's spendable nano-USD; may
    be None when output is free) affords after the input bound; :class:`ShortOfCredit` when that
    is below the smallest useful answer (``min_output_tokens``)."""
    cap = default_max_output_tokens
    spare = 0
    if tier.output_nano > 0:
        spare = (available or 0) - plan.input_cost
        affordable = spare // (plan.n * tier.output_nano) if spare > 0 else 0
        cap = min(cap, affordable)
    if cap < min(min_output_tokens, default_max_output_tokens):
        raise ShortOfCredit(
            plan.amount(tier.output_nano, min_output_tokens), spare + plan.input_cost
        )
    return cap


# --- usage ----------------------------------------------------------------------------------


def parse_usage(u: Any) -> Usage | None:
    """OpenAI usage (chat/completions/embeddings, also the Responses-style names) → Usage.

    None when there is no usable usage object; negative counts are clamped to 0, and cached /
    reasoning tokens never exceed the input / output they are part of."""
    if not isinstance(u, dict):
        return None
    try:
        prompt = int(u.get("prompt_tokens", u.get("input_tokens", 0)) or 0)
        completion = int(u.get("completion_tokens", u.get("output_tokens", 0)) or 0)
        pd = u.get("prompt_tokens_details") or u.get("input_tokens_details") or {}
        cd = u.get("completion_tokens_details") or u.get("output_tokens_details") or {}
        cached = int((pd.get("cached_tokens") if isinstance(pd, dict) else 0) or 0)
        reasoning = int((cd.get("reasoning_tokens") if isinstance(cd, dict) else 0) or 0)
    except (TypeError, ValueError):
        return None
    prompt, completion = max(prompt, 0), max(completion, 0)
    return Usage(
        prompt,
        min(max(cached, 0), prompt),
        completion,
        min(max(reasoning, 0), completion),
    )


def high_water(a: Usage | None, b: Usage) -> Usage:
    """The larger of two usage reports, field by field (a stream may report usage repeatedly;
    a later, smaller report never lowers the charge)."""
    if a is None:
        return b
    inp = max(a.input_tokens, b.input_tokens)
    out = max(a.output_tokens, b.output_tokens)
    return Usage(
        inp,
        min(max(a.cached_input_tokens, b.cached_input_tokens), inp),
        out,
        min(max(a.reasoning_tokens, b.reasoning_tokens), out),
    )


# --- estimates (no usage reported) ----------------------------------------------------------


def prompt_tokens_estimate(endpoint: str, req: dict[str, Any]) -> int:
    if endpoint == "chat":
        return tokenizer.count_chat_prompt(req.get("messages"))
    if endpoint == "embeddings":
        return tokenizer.count_prompt(req.get("input"))
    return tokenizer.count_prompt(req.get("prompt"))


def choice_text(choice: Any, delta_key: str) -> tuple[str, str]:
    """(content, reasoning) text of one choice (``delta_key="message"``) or stream delta."""
    if not isinstance(choice, dict):
        return "", ""
    if "text" in choice:
        return str(choice.get("text") or ""), ""
    m = choice.get(delta_key)
    if not isinstance(m, dict):
        return "", ""
    reasoning = m.get("reasoning_content") or m.get("reasoning") or ""
    return str(m.get("content") or ""), str(reasoning)


def estimate_output(texts: list[tuple[str, str]]) -> tuple[int, int]:
    """(output tokens, of which reasoning) of the (content, reasoning) texts delivered."""
    content = sum(tokenizer.count_text(c) for c, _ in texts)
    reasoning = sum(tokenizer.count_text(r) for _, r in texts)
    return content + reasoning, reasoning


def estimate_usage(endpoint: str, req: dict[str, Any], texts: list[tuple[str, str]]) -> Usage:
    o, reasoning = estimate_output(texts)
    return Usage(prompt_tokens_estimate(endpoint, req), 0, o, reasoning)


# --- price of a record ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Price:
    gross: int
    """List price of the usage (what rewards are computed from)."""
    paid: int
    """What the account is charged: gross less the stake discount, at most the hold."""
    compute: int
    """What the usage cost in compute (the deployment's compute rate)."""
    overrun: bool
    """The discounted price exceeded the hold (the protocol absorbs the difference)."""


def price(
    tier: PriceTier, compute_rate: PriceTier, usage: Usage, disc_bps: int, hold: int
) -> Price:
    gross = gross_cost_nano(tier, usage)
    paid = paid_cost_nano(gross, disc_bps)
    taken = min(paid, hold)  # the settle takes at most what was held
    return Price(gross, taken, compute_cost_nano(compute_rate, usage), taken < paid)
