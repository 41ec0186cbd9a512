"""Revenue waterfall and net revenue carry-forward (SPEC §7)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fomo.economics.params import DEFAULT_PARAMS
from fomo.economics.waterfall import net_revenue, split_net_revenue


def test_default_split() -> None:
    s = split_net_revenue(1_000)
    assert (s.flock_buyback, s.treasury, s.mt_buyback, s.issuer) == (300, 300, 300, 100)
    s = split_net_revenue(7)  # dust goes to the treasury
    assert (s.flock_buyback, s.treasury, s.mt_buyback, s.issuer) == (2, 3, 2, 0)
    with pytest.raises(ValueError):
        split_net_revenue(-1)


def test_custom_split_must_sum_to_whole() -> None:
    p = DEFAULT_PARAMS.with_overrides(
        {"waterfall_flock_buyback_bps": 5_000, "waterfall_treasury_bps": 1_000}
    )
    assert split_net_revenue(100, p).flock_buyback == 50
    with pytest.raises(ValueError, match="sum to 10000"):
        DEFAULT_PARAMS.with_overrides({"waterfall_issuer_bps": 2_000})


@settings(max_examples=200)
@given(st.integers(0, 10**30))
def test_split_sums_exactly(net: int) -> None:
    s = split_net_revenue(net)
    assert s.total == net
    assert min(s.flock_buyback, s.treasury, s.mt_buyback, s.issuer) >= 0
    assert s.treasury - s.flock_buyback < 4  # dust is at most 3 units


def test_loss_carries_forward_and_is_recovered_first() -> None:
    day1 = net_revenue(paid_nano=1_000_000, compute_nano=1_500_000)
    assert (day1.settle_usdc_units, day1.carry_nano) == (0, -500_000)
    day2 = net_revenue(2_000_000, 400_000, day1.carry_nano)
    assert day2.net_nano == 1_100_000
    assert (day2.settle_usdc_units, day2.carry_nano) == (1_100, 0)
    day3 = net_revenue(1_234, 0)  # sub-USDC-unit remainder waits for the next epoch
    assert (day3.settle_usdc_units, day3.carry_nano) == (1, 234)


@settings(max_examples=200)
@given(st.lists(st.tuples(st.integers(0, 10**12), st.integers(0, 10**12)), max_size=20))
def test_nothing_is_lost_over_many_epochs(days: list[tuple[int, int]]) -> None:
    carry = 0
    settled = 0
    for paid, compute in days:
        r = net_revenue(paid, compute, carry)
        assert r.settle_usdc_units >= 0
        settled += r.settle_usdc_units * 1_000
        carry = r.carry_nano
        assert carry < 1_000
    assert settled + carry == sum(p - c for p, c in days)
