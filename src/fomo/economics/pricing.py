"""Inference prices and metered usage (SPEC §2, §6).

Prices are quoted in USD per 1M tokens and stored as integer nano-USD per token:
$0.20 / 1M tokens = 0.20 × 1e9 / 1e6 = 200 nano-USD per token. A quote that is not a whole number
of nano-USD per token (finer than $0.001 / 1M) is rejected rather than silently rounded, so the
stored price is always exactly the published one.

Costs are therefore exact integers: ``tokens × nano-USD per token``; no rounding happens while
pricing a request. The only rounding in this module is in derived rates (cached-input price and
the compute cost rate), and it is documented where it happens.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Final

from fomo.economics.units import BPS, NANO_PER_USD, TOKENS_PER_PRICE_QUOTE

CACHED_INPUT_BPS: Final = 2_500
"""Cached input is billed at 25% of the input price (SPEC §2)."""

DEFAULT_COMPUTE_RATE_BPS: Final = 4_000
"""Devnet compute cost rate: 40% of list price (SPEC §6)."""

_NANO_PER_TOKEN_PER_USD_PER_MILLION: Final = NANO_PER_USD // TOKENS_PER_PRICE_QUOTE  # = 1000


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def usd_per_million_to_nano_per_token(value: str | int | Decimal) -> int:
    """Parse a USD-per-1M-tokens quote (decimal string, int or Decimal) into nano-USD per token.

    Floats are refused: ``0.1`` as a float is not 0.1. Raises ``ValueError`` for negative,
    non-finite or too-fine quotes.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise ValueError(f"price must be a decimal string, got {type(value).__name__}")
    try:
        d = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(f"price {value!r} is not a decimal number") from exc
    if not d.is_finite():
        raise ValueError(f"price {value!r} is not finite")
    if d < 0:
        raise ValueError(f"price {value!r} is negative")
    # Fraction keeps this exact: Decimal arithmetic would round to the ambient context.
    nano = Fraction(d) * _NANO_PER_TOKEN_PER_USD_PER_MILLION
    if nano.denominator != 1:
        raise ValueError(
            f"price {value!r} USD/1M is finer than 1 nano-USD per token ($0.001 per 1M tokens)"
        )
    return nano.numerator


@dataclass(frozen=True, slots=True)
class PriceTier:
    """Integer nano-USD per token for input, cached input and output.

    Reasoning tokens are part of output and billed at the output price, so they have no price of
    their own. ``reasoning_model`` only flags models that emit reasoning tokens (for display and
    for the gateway's hold estimate); it does not change the arithmetic.
    """

    input_nano: int
    cached_input_nano: int
    output_nano: int
    reasoning_model: bool = False

    def __post_init__(self) -> None:
        for name in ("input_nano", "cached_input_nano", "output_nano"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int):
                raise ValueError(f"{name} must be an integer number of nano-USD per token")
            if v < 0:
                raise ValueError(f"{name} must not be negative")
        if self.cached_input_nano > self.input_nano:
            raise ValueError("cached_input_nano must not exceed input_nano")

    @classmethod
    def from_usd_per_million(
        cls,
        input: str | int | Decimal,
        output: str | int | Decimal,
        cached_input: str | int | Decimal | None = None,
        *,
        reasoning_model: bool = False,
    ) -> PriceTier:
        """Build a tier from USD-per-1M quotes, e.g. ``from_usd_per_million("0.20", "0.80")``.

        Without an explicit ``cached_input`` quote the cached price is 25% of input, rounded up to
        a whole nano-USD (protocol's favour); the devnet tiers all divide exactly.
        """
        input_nano = usd_per_million_to_nano_per_token(input)
        output_nano = usd_per_million_to_nano_per_token(output)
        if cached_input is None:
            cached_nano = _ceil_div(input_nano * CACHED_INPUT_BPS, BPS)
        else:
            cached_nano = usd_per_million_to_nano_per_token(cached_input)
        return cls(input_nano, cached_nano, output_nano, reasoning_model)

    def usd_per_million(self) -> tuple[Decimal, Decimal, Decimal]:
        """The (input, cached input, output) quotes back in USD per 1M tokens, exactly."""
        # nano-USD per token ÷ 1000; built from a string so no context rounding applies.
        return (
            Decimal(f"{self.input_nano}E-3"),
            Decimal(f"{self.cached_input_nano}E-3"),
            Decimal(f"{self.output_nano}E-3"),
        )


@dataclass(frozen=True, slots=True)
class Usage:
    """Metered tokens of one request, OpenAI semantics.

    ``cached_input_tokens`` is a subset of ``input_tokens`` and ``reasoning_tokens`` a subset of
    ``output_tokens`` (exactly as OpenAI's ``prompt_tokens_details.cached_tokens`` and
    ``completion_tokens_details.reasoning_tokens``).
    """

    input_tokens: int = 0
    cached_input_tokens: int = 0
    output_tokens: int = 0
    reasoning_tokens: int = 0

    def __post_init__(self) -> None:
        for name in ("input_tokens", "cached_input_tokens", "output_tokens", "reasoning_tokens"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int):
                raise ValueError(f"{name} must be an integer")
            if v < 0:
                raise ValueError(f"{name} must not be negative")
        if self.cached_input_tokens > self.input_tokens:
            raise ValueError("cached_input_tokens must not exceed input_tokens")
        if self.reasoning_tokens > self.output_tokens:
            raise ValueError("reasoning_tokens must not exceed output_tokens")

    @property
    def uncached_input_tokens(self) -> int:
        return self.input_tokens - self.cached_input_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.cached_input_tokens + other.cached_input_tokens,
            self.output_tokens + other.output_tokens,
            self.reasoning_tokens + other.reasoning_tokens,
        )


def gross_cost_nano(tier: PriceTier, usage: Usage) -> int:
    """List-price cost of ``usage`` in nano-USD (exact; reasoning is billed inside output)."""
    return (
        usage.uncached_input_tokens * tier.input_nano
        + usage.cached_input_tokens * tier.cached_input_nano
        + usage.output_tokens * tier.output_nano
    )


def compute_rate_for(tier: PriceTier, bps: int = DEFAULT_COMPUTE_RATE_BPS) -> PriceTier:
    """A deployment's compute cost rate as ``bps`` of the list tier (devnet default 40%).

    Each per-token rate is floored to a whole nano-USD: compute cost is subtracted from revenue
    before the waterfall, so flooring it keeps the rounding on the protocol's side. The devnet
    tiers divide exactly, so no rounding happens for them.
    """
    if isinstance(bps, bool) or not isinstance(bps, int) or not 0 <= bps <= BPS:
        raise ValueError("compute rate bps must be an integer in [0, 10000]")
    return PriceTier(
        tier.input_nano * bps // BPS,
        tier.cached_input_nano * bps // BPS,
        tier.output_nano * bps // BPS,
        tier.reasoning_model,
    )


def compute_cost_nano(rate: PriceTier, usage: Usage) -> int:
    """Compute cost of ``usage`` at a deployment's compute rate, in nano-USD (exact)."""
    return gross_cost_nano(rate, usage)


DEVNET_TIERS: Final[dict[str, PriceTier]] = {
    "qwen3-30b-a3b-instruct": PriceTier.from_usd_per_million("0.20", "0.80"),
    "deepseek-v3.2": PriceTier.from_usd_per_million("0.28", "0.42"),
    "qwen3-235b-a22b-instruct": PriceTier.from_usd_per_million("0.70", "2.80"),
    "kimi-k2-thinking": PriceTier.from_usd_per_million("0.60", "2.50", reasoning_model=True),
}
"""The pricing tiers devnet seeds (SPEC §2), keyed by base model name."""
