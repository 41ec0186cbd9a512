"""The launch bonding curve: exact targets, path independence, fees and the graduation split."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fomo.economics.curve import (
    LP_SUPPLY,
    SALE_SUPPLY,
    TOTAL_SUPPLY,
    WAD,
    Curve,
    FeeConfig,
    LaunchParams,
    dex_opening_price,
    graduation_split,
    quote_buy,
    tax_bps,
)

DEFAULT = LaunchParams(max_raise=500_000 * WAD, min_raise=100_000 * WAD)
FEES = FeeConfig()

raises = st.integers(min_value=1_000, max_value=10_000_000).map(lambda n: n * WAD)
lp_shares = st.integers(min_value=5001, max_value=10_000)


def test_default_virtual_reserves_match_the_spec_formulas() -> None:
    curve = Curve.for_launch(DEFAULT)
    # V = R·L / (f·S − L) = 500k·200k / (0.7·400k − 200k) = 1.25M FLOCK; Yv = V·S/R = 1M MT.
    assert curve.x0 == 1_250_000 * WAD
    assert curve.y0 == SALE_SUPPLY + 1_000_000 * WAD
    assert curve.k == curve.x0 * curve.y0


def test_selling_the_whole_sale_raises_exactly_the_max_and_opens_at_the_dex_price() -> None:
    curve = Curve.for_launch(DEFAULT)
    assert curve.sold_after(DEFAULT.max_raise) == SALE_SUPPLY
    # At the default parameters the formula itself lands exactly on S, no remainder rule needed.
    assert curve.y0 - (curve.k // (curve.x0 + DEFAULT.max_raise)) == SALE_SUPPLY
    assert curve.price(DEFAULT.max_raise, SALE_SUPPLY) == dex_opening_price(DEFAULT)


@given(r=raises, lp_bps=lp_shares)
def test_final_curve_price_equals_dex_opening_price_within_rounding(r: int, lp_bps: int) -> None:
    reserved = (10_000 - lp_bps) // 2
    params = LaunchParams(
        max_raise=r,
        min_raise=r,
        lp_bps=lp_bps,
        reserved_bps=reserved,
        protocol_bps=10_000 - lp_bps - reserved,
    )
    curve = Curve.for_launch(params)
    final = curve.price(r, SALE_SUPPLY)
    target = dex_opening_price(params)
    assert abs(final - target) / target < Fraction(1, 10**15)


@given(chunks=st.lists(st.integers(min_value=1, max_value=200_000 * WAD), min_size=1, max_size=12))
def test_sold_is_path_independent_and_never_over_the_sale_supply(chunks: list[int]) -> None:
    curve = Curve.for_launch(DEFAULT)
    raised = sold = 0
    for net in chunks:
        if raised >= DEFAULT.max_raise:
            break
        net = min(net, DEFAULT.max_raise - raised)
        before = curve.sold_after(raised)
        raised += net
        sold += curve.sold_after(raised) - before
        assert sold == curve.sold_after(raised)
        assert 0 <= sold <= SALE_SUPPLY


def test_tax_schedule_decays_one_percent_per_whole_minute_to_the_base_fee() -> None:
    assert tax_bps(FEES, 0) == 9900
    assert tax_bps(FEES, 59) == 9900
    assert tax_bps(FEES, 60) == 9800
    assert tax_bps(FEES, 97 * 60) == 200
    assert tax_bps(FEES, 98 * 60) == 150
    assert tax_bps(FEES, 7 * 24 * 3600) == 150
    assert tax_bps(FEES, 0, bundled=True) == 150


@given(
    flock_in=st.integers(min_value=1, max_value=2_000_000 * WAD),
    raised=st.integers(min_value=0, max_value=500_000 * WAD - 1),
    tax=st.integers(min_value=150, max_value=9900),
)
def test_buy_quote_conserves_flock_and_rounds_for_the_protocol(
    flock_in: int, raised: int, tax: int
) -> None:
    curve = Curve.for_launch(DEFAULT)
    sold = curve.sold_after(raised)
    q = quote_buy(curve, FEES, raised=raised, sold=sold, flock_in=flock_in, tax=tax)
    assert q.gross_used + q.refund == flock_in
    assert q.net + q.total_fee == q.gross_used
    assert q.protocol_fee + q.creator_fee + q.anti_sniper_fee == q.total_fee
    assert min(q.net, q.refund, q.protocol_fee, q.creator_fee, q.anti_sniper_fee) >= 0
    # Fees are at least the exact rational fee on what was used.
    assert q.total_fee >= Fraction(q.gross_used * tax, 10_000)
    assert raised + q.net <= DEFAULT.max_raise
    if q.graduates:
        assert raised + q.net == DEFAULT.max_raise
        assert sold + q.mt_out == SALE_SUPPLY
    else:
        assert q.refund == 0
        exact = Fraction(curve.y0 - sold) - Fraction(curve.k, curve.x0 + raised + q.net)
        assert q.mt_out <= exact  # the buyer gets the floor


def test_partial_fill_charges_fees_only_on_the_part_used() -> None:
    curve = Curve.for_launch(DEFAULT)
    raised = DEFAULT.max_raise - 1_000 * WAD
    sold = curve.sold_after(raised)
    q = quote_buy(curve, FEES, raised=raised, sold=sold, flock_in=10_000 * WAD, tax=150)
    assert q.graduates and q.net == 1_000 * WAD
    assert q.total_fee == q.gross_used - q.net
    assert q.total_fee < 16 * WAD  # 1.5% of ~1,015 FLOCK, not of 10,000
    assert q.refund == 10_000 * WAD - q.gross_used
    assert q.mt_out == SALE_SUPPLY - sold


def test_first_buy_cap_is_a_quarter_of_supply() -> None:
    assert FEES.max_bundle_mt == 250_000 * WAD


@pytest.mark.parametrize(
    "kwargs",
    [
        {"base_fee_bps": 1001},
        {"tax_start_bps": 9901},
        {"max_bundle_bps": 2501},
        {"creator_fee_bps": 200},
    ],
)
def test_fee_config_enforces_hard_bounds(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        FeeConfig(**kwargs)


def test_launch_params_reject_bad_splits() -> None:
    with pytest.raises(ValueError):
        LaunchParams(max_raise=WAD, min_raise=WAD, lp_bps=5000, reserved_bps=4000)
    with pytest.raises(ValueError):
        LaunchParams(max_raise=WAD, min_raise=2 * WAD)


def test_graduation_at_max_mints_the_whole_supply() -> None:
    curve = Curve.for_launch(DEFAULT)
    split = graduation_split(DEFAULT, curve, raised=DEFAULT.max_raise, sold=SALE_SUPPLY)
    assert split.lp_mt == LP_SUPPLY
    assert split.minted_mt == TOTAL_SUPPLY and split.unminted_mt == 0
    assert split.lp_flock + split.reserved_flock + split.protocol_flock == DEFAULT.max_raise
    assert Fraction(split.lp_flock, split.lp_mt) == dex_opening_price(DEFAULT)


@given(raised=st.integers(min_value=100_000 * WAD, max_value=500_000 * WAD))
def test_graduation_below_max_prices_lp_at_the_curve_and_mints_less(raised: int) -> None:
    curve = Curve.for_launch(DEFAULT)
    sold = curve.sold_after(raised)
    split = graduation_split(DEFAULT, curve, raised=raised, sold=sold)
    assert split.lp_flock + split.reserved_flock + split.protocol_flock == raised
    assert split.lp_mt <= LP_SUPPLY and split.minted_mt <= TOTAL_SUPPLY
    curve_price = curve.price(raised, sold)
    lp_price = Fraction(split.lp_flock, split.lp_mt)
    # LP MT is floored, so the pool opens at or a hair above the curve price, never below.
    assert lp_price >= curve_price
    assert (lp_price - curve_price) / curve_price < Fraction(1, 10**15)
