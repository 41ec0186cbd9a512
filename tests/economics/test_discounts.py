"""Staking discount tiers and the 30% hard cap (SPEC §5)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fomo.economics.discounts import (
    DEFAULT_DISCOUNT_TIERS,
    MAX_DISCOUNT_BPS,
    DiscountTier,
    DiscountTiers,
    discount_bps,
    paid_cost_nano,
)
from fomo.economics.units import MT_UNIT


@pytest.mark.parametrize(
    ("stake", "bps"),
    [
        (0, 0),
        (1_000 * MT_UNIT - 1, 0),
        (1_000 * MT_UNIT, 500),
        (10_000 * MT_UNIT - 1, 500),
        (10_000 * MT_UNIT, 1_000),
        (50_000 * MT_UNIT, 1_500),
        (99_999 * MT_UNIT, 1_500),
        (100_000 * MT_UNIT, 2_000),
        (1_000_000 * MT_UNIT, 2_000),
    ],
)
def test_default_tiers(stake: int, bps: int) -> None:
    assert discount_bps(stake) == bps


def test_paid_cost_rounds_up() -> None:
    assert paid_cost_nano(1_000, 500) == 950
    assert paid_cost_nano(1, 500) == 1  # 0.95 nano-USD is charged as 1
    assert paid_cost_nano(19, 500) == 19  # 18.05 → 19
    assert paid_cost_nano(0, 2_000) == 0


@pytest.mark.parametrize("bad", [-1, 3_001, 10_000])
def test_paid_cost_refuses_discounts_outside_the_cap(bad: int) -> None:
    with pytest.raises(ValueError):
        paid_cost_nano(100, bad)


@pytest.mark.parametrize(
    "table",
    [
        [(1_000, 3_001)],  # above the hard cap
        [(1_000, 500), (500, 1_000)],  # thresholds not rising
        [(1_000, 1_000), (2_000, 500)],  # discount falls with more stake
        [(0, 500)],  # zero threshold would discount non-stakers
        [(1_000, -1)],
    ],
)
def test_invalid_tables_cannot_be_built(table: list[tuple[int, int]]) -> None:
    with pytest.raises(ValueError):
        DiscountTiers.from_whole_tokens(table)


def test_cap_holds_even_for_a_tampered_table() -> None:
    tiers = DiscountTiers((DiscountTier(1, 3_000),))
    object.__setattr__(tiers, "tiers", (DiscountTier(1, 9_000),))
    assert discount_bps(5, tiers) == MAX_DISCOUNT_BPS


tables = st.lists(
    st.tuples(st.integers(1, 10**9), st.integers(0, MAX_DISCOUNT_BPS)), min_size=0, max_size=6
).map(
    lambda rows: DiscountTiers.from_whole_tokens(
        zip(sorted({s for s, _ in rows}), sorted(b for _, b in rows), strict=False)
    )
)


@settings(max_examples=150)
@given(tables, st.integers(0, 10**30), st.integers(0, 10**30), st.integers(0, 10**15))
def test_discount_never_exceeds_cap_and_is_monotone(
    tiers: DiscountTiers, s1: int, s2: int, gross: int
) -> None:
    lo, hi = sorted((s1, s2))
    d_lo, d_hi = discount_bps(lo, tiers), discount_bps(hi, tiers)
    assert 0 <= d_lo <= d_hi <= MAX_DISCOUNT_BPS
    paid = paid_cost_nano(gross, d_hi)
    assert gross * (10_000 - MAX_DISCOUNT_BPS) <= paid * 10_000
    assert paid <= gross
    assert DEFAULT_DISCOUNT_TIERS.tiers[-1].bps <= MAX_DISCOUNT_BPS
