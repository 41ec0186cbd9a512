"""The single homes of rules that used to be re-derived at the edges (issue 14 item 3): the
curve's virtual reserves, the slippage floor, the lock-time rule and the renderings of money and
exact ratios."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fomo.economics.curve import (
    LP_SUPPLY,
    SALE_SUPPLY,
    STATUS_NAMES,
    WAD,
    Curve,
    FeeConfig,
    LaunchParams,
    min_out_after_slippage,
    price_impact,
    quote_buy,
    sale_status,
    virtual_reserves,
)
from fomo.economics.gmflock import requested_unlock_time
from fomo.economics.params import DEFAULT_PARAMS
from fomo.economics.units import SECONDS_PER_DAY, fraction_text, usd_text


@given(
    st.integers(min_value=1_000, max_value=10_000_000).map(lambda n: n * WAD),
    st.integers(min_value=5001, max_value=10_000),
)
def test_virtual_reserves_are_the_curve_of_the_launch(max_raise: int, lp_bps: int) -> None:
    reserved = 10_000 - lp_bps
    params = LaunchParams(
        max_raise=max_raise,
        min_raise=max_raise,
        lp_bps=lp_bps,
        reserved_bps=reserved,
        protocol_bps=0,
    )
    curve = Curve.for_launch(params)
    assert virtual_reserves(max_raise, lp_bps, SALE_SUPPLY, LP_SUPPLY) == (curve.x0, curve.y0)
    assert Curve.from_reserves(max_raise, SALE_SUPPLY, curve.x0, curve.y0) == curve


def test_min_out_floors_and_refuses_out_of_range_slippage() -> None:
    assert min_out_after_slippage(1_000_001, 100) == 990_000  # 990,000.99 floored
    assert min_out_after_slippage(5, 0) == 5
    assert min_out_after_slippage(5, 10_000) == 0
    with pytest.raises(ValueError, match="slippage"):
        min_out_after_slippage(5, 10_001)


def test_requested_unlock_time_follows_the_params_bounds() -> None:
    day = SECONDS_PER_DAY
    now = 1_000 * day + 5
    # 30 days and a minute ahead, rounded UP to a midnight.
    assert requested_unlock_time(now, 30) == 1_031 * day
    # 365 days would round past the maximum: the last midnight within it instead.
    assert requested_unlock_time(now, 365) == 1_365 * day
    short = DEFAULT_PARAMS.model_copy(update={"gm_lock_min_days": 7})
    assert requested_unlock_time(now, 7, short) == 1_008 * day
    with pytest.raises(ValueError, match="A lock lasts 30 to 365 days"):
        requested_unlock_time(now, 7)


def test_usd_text_is_exact_with_nine_places() -> None:
    assert usd_text(0) == "$0.000000000"
    assert usd_text(123_456) == "$0.000123456"
    assert usd_text(-1_500_000_000) == "-$1.500000000"


def test_fraction_text_truncates_toward_zero_and_strips_zeros() -> None:
    assert fraction_text(Fraction(2, 3), 4) == "0.6666"
    assert fraction_text(Fraction(5, 2), 6) == "2.5"
    assert fraction_text(Fraction(7), 3) == "7"
    assert fraction_text(Fraction(-2, 3), 4) == "-0.6666"
    assert fraction_text(Fraction(-1, 10**9), 4) == "0"


def test_sale_status_follows_the_launchpad_order() -> None:
    def at(now: int, raised: int, graduated: bool = False) -> str:
        return sale_status(graduated=graduated, sale_end=100, raised=raised, min_raise=10, now=now)

    assert at(99, 0) == "Live"
    assert at(100, 10) == "Graduating"  # the window closes at sale_end itself
    assert at(100, 9) == "Failed"
    assert at(5, 0, graduated=True) == "Graduated"
    assert STATUS_NAMES.index("Live") == 1 and STATUS_NAMES[4] == "Graduated"


def test_price_impact_is_the_average_over_the_spot_price() -> None:
    curve = Curve.for_launch(LaunchParams(max_raise=500_000 * WAD, min_raise=100_000 * WAD))
    fees = FeeConfig()
    q = quote_buy(curve, fees, raised=0, sold=0, flock_in=10_000 * WAD, tax=fees.base_fee_bps)
    spot = curve.price(0, 0)
    impact = price_impact(q, spot)
    assert impact == Fraction(q.net, q.mt_out) / spot - 1
    assert 0 < impact < Fraction(1, 50)  # a 10k buy on a 500k curve moves it a little
    assert price_impact(replace(q, mt_out=0), spot) == 0
