"""Prices, usage metering and compute cost (SPEC §2, §6)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fomo.economics.pricing import (
    DEVNET_TIERS,
    PriceTier,
    Usage,
    compute_cost_nano,
    compute_rate_for,
    gross_cost_nano,
    usd_per_million_to_nano_per_token,
)


def test_quote_is_parsed_exactly() -> None:
    assert usd_per_million_to_nano_per_token("0.20") == 200
    assert usd_per_million_to_nano_per_token("0.001") == 1
    assert usd_per_million_to_nano_per_token(3) == 3000
    assert usd_per_million_to_nano_per_token(Decimal("2.5")) == 2500


@pytest.mark.parametrize("bad", ["0.0001", "-1", "abc", "NaN", "Infinity", ""])
def test_bad_quotes_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        usd_per_million_to_nano_per_token(bad)


def test_float_quotes_are_refused() -> None:
    with pytest.raises(ValueError):
        usd_per_million_to_nano_per_token(0.2)  # type: ignore[arg-type]


def test_devnet_tiers_match_spec() -> None:
    expect = {
        "qwen3-30b-a3b-instruct": (200, 50, 800, False),
        "deepseek-v3.2": (280, 70, 420, False),
        "qwen3-235b-a22b-instruct": (700, 175, 2800, False),
        "kimi-k2-thinking": (600, 150, 2500, True),
    }
    got = {
        k: (t.input_nano, t.cached_input_nano, t.output_nano, t.reasoning_model)
        for k, t in DEVNET_TIERS.items()
    }
    assert got == expect


def test_cached_price_rounds_up_and_can_be_explicit() -> None:
    assert PriceTier.from_usd_per_million("0.001", "0.001").cached_input_nano == 1
    assert PriceTier.from_usd_per_million("1", "2", "0.1").cached_input_nano == 100
    with pytest.raises(ValueError):
        PriceTier.from_usd_per_million("1", "2", "2")


def test_gross_cost_bills_cached_and_reasoning_correctly() -> None:
    tier = DEVNET_TIERS["kimi-k2-thinking"]
    usage = Usage(
        input_tokens=1_000, cached_input_tokens=400, output_tokens=300, reasoning_tokens=200
    )
    # 600 uncached × 600 + 400 cached × 150 + 300 output (reasoning included) × 2500
    assert gross_cost_nano(tier, usage) == 600 * 600 + 400 * 150 + 300 * 2500
    # One million output tokens cost exactly the quoted $2.50.
    assert gross_cost_nano(tier, Usage(output_tokens=1_000_000)) == 2_500_000_000


@pytest.mark.parametrize(
    "kwargs",
    [
        {"input_tokens": -1},
        {"input_tokens": 1, "cached_input_tokens": 2},
        {"output_tokens": 1, "reasoning_tokens": 2},
        {"output_tokens": True},
    ],
)
def test_invalid_usage_is_refused(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        Usage(**kwargs)


def test_compute_rate_is_forty_percent_of_list_on_devnet() -> None:
    tier = DEVNET_TIERS["qwen3-30b-a3b-instruct"]
    rate = compute_rate_for(tier)
    assert (rate.input_nano, rate.cached_input_nano, rate.output_nano) == (80, 20, 320)
    usage = Usage(1_000, 200, 500, 100)
    assert compute_cost_nano(rate, usage) * 10 == gross_cost_nano(tier, usage) * 4


def test_compute_rate_floors() -> None:
    rate = compute_rate_for(PriceTier(3, 1, 7), 5_000)
    assert (rate.input_nano, rate.cached_input_nano, rate.output_nano) == (1, 0, 3)
    with pytest.raises(ValueError):
        compute_rate_for(PriceTier(3, 1, 7), 10_001)


usages = st.builds(
    lambda i, c, o, r: Usage(i, min(c, i), o, min(r, o)),
    st.integers(0, 10**7),
    st.integers(0, 10**7),
    st.integers(0, 10**7),
    st.integers(0, 10**7),
)


@settings(max_examples=100)
@given(usages, usages, st.sampled_from(sorted(DEVNET_TIERS)))
def test_gross_cost_is_additive_and_compute_never_exceeds_list(
    a: Usage, b: Usage, name: str
) -> None:
    tier = DEVNET_TIERS[name]
    assert gross_cost_nano(tier, a + b) == gross_cost_nano(tier, a) + gross_cost_nano(tier, b)
    assert 0 <= compute_cost_nano(compute_rate_for(tier), a) <= gross_cost_nano(tier, a)


def test_huge_quotes_are_not_rounded_by_the_decimal_context() -> None:
    quote = "1234567890123456789012345678901234.567"
    assert usd_per_million_to_nano_per_token(quote) == 1234567890123456789012345678901234567
    tier = PriceTier.from_usd_per_million(quote, quote)
    assert tier.usd_per_million()[0] == Decimal(quote)
