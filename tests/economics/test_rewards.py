"""Reward formulas: α, age factor, Deployment Score, scores and floored splits (SPEC §8)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fomo.economics import exact, rewards
from fomo.economics.params import DEFAULT_PARAMS


def test_age_factor_endpoints() -> None:
    assert rewards.age_factor(0) == 2
    # e^-1 to 50 digits: 0.36787944117144232159552377016146086744581113103177
    assert abs(
        rewards.age_factor(90) - Fraction("1.36787944117144232159552377016146086744581113103")
    ) < Fraction(1, 10**45)
    assert 1 < rewards.age_factor(3650) < Fraction(1000001, 1000000)


@settings(max_examples=100)
@given(st.fractions(min_value=0, max_value=5000), st.fractions(min_value=0, max_value=5000))
def test_age_factor_and_alpha_fall_with_age(a: Fraction, b: Fraction) -> None:
    lo, hi = sorted((a, b))
    assert 1 <= rewards.age_factor(hi) <= rewards.age_factor(lo) <= 2
    assert Fraction(1, 2) <= rewards.alpha(hi) <= rewards.alpha(lo) <= Fraction(9, 10)


def test_deployment_score() -> None:
    assert rewards.deployment_score(0, 0) == 0
    assert rewards.deployment_score(1_000, 0) == 2_000
    assert rewards.deployment_score(1_000, 90) == 1_000 * rewards.age_factor(90)
    with pytest.raises(ValueError):
        rewards.deployment_score(-1, 0)
    with pytest.raises(ValueError):
        rewards.alpha(-1)


def test_alpha_respects_params() -> None:
    p = DEFAULT_PARAMS.with_overrides(
        {"alpha_start": "0.8", "alpha_end": "0.6", "alpha_ramp_days": 100}
    )
    assert rewards.alpha(0, p) == Fraction(4, 5)
    assert rewards.alpha(50, p) == Fraction(7, 10)
    assert rewards.alpha(100, p) == Fraction(3, 5)


def test_split_floor_keeps_dust_and_handles_no_weight() -> None:
    s = rewards.split_floor(100, [1, 1, 1])
    assert s.amounts == (33, 33, 33) and s.dust == 1
    s = rewards.split_floor(100, [0, 0])
    assert s.amounts == (0, 0) and s.dust == 100
    assert rewards.split_floor(0, []).dust == 0
    with pytest.raises(ValueError):
        rewards.split_floor(100, [1, -1])


weights = st.lists(
    st.one_of(
        st.just(Fraction(0)), st.fractions(min_value=0, max_value=10**6, max_denominator=10**9)
    ),
    min_size=0,
    max_size=12,
)


@settings(max_examples=120)
@given(st.integers(0, 10**27), weights)
def test_split_sums_to_pool_minus_dust(pool: int, ws: list[Fraction]) -> None:
    s = rewards.split_floor(pool, ws)
    assert all(a >= 0 for a in s.amounts)
    assert sum(s.amounts) + s.dust == pool
    assert s.dust >= 0
    if sum(ws) > 0:
        # Floor dust is less than one base unit per recipient with a positive weight.
        assert s.dust < max(1, sum(1 for w in ws if w > 0))
        # Larger weight never gets less.
        for w1, a1 in zip(ws, s.amounts, strict=True):
            for w2, a2 in zip(ws, s.amounts, strict=True):
                if w1 <= w2:
                    assert a1 <= a2
    else:
        assert s.dust == pool


@settings(max_examples=100)
@given(
    st.fractions(min_value=0, max_value=1),
    st.fractions(min_value=0, max_value=1),
    st.fractions(min_value=0, max_value=1),
    st.fractions(min_value=1, max_value=2),
)
def test_scores_bounds(usage: Fraction, stake: Fraction, alpha: Fraction, m: Fraction) -> None:
    g = rewards.global_score(usage, stake, alpha, m)
    i = rewards.incentive_score(usage, stake, m)
    assert 0 <= i <= g <= usage * m
    assert g >= usage * alpha * m  # the non-staker floor
    if stake == 0:
        assert i == 0
    if usage == 0:
        assert g == 0 and i == 0


def test_exact_functions() -> None:
    assert exact.sqrt(Fraction(9, 16)) == Fraction(3, 4)
    assert exact.sqrt(0) == 0
    r = exact.sqrt(2)
    assert abs(r * r - 2) < Fraction(1, 10**48)
    assert exact.ln(1) == 0
    assert exact.exp(0) == 1
    assert abs(exact.ln(exact.exp(Fraction(3, 7))) - Fraction(3, 7)) < Fraction(1, 10**47)
    with pytest.raises(ValueError):
        exact.ln(0)
    with pytest.raises(ValueError):
        exact.sqrt(-1)
    assert exact.floor_to_places(Fraction(2, 3), 3) == "0.666"
    assert exact.floor_to_places(Fraction(5), 2) == "5.00"


def test_exact_ignores_the_ambient_decimal_context() -> None:
    import decimal

    before = exact.sqrt(Fraction(1, 10))
    with decimal.localcontext() as ctx:
        ctx.prec = 5
        ctx.rounding = decimal.ROUND_DOWN
        assert exact.sqrt(Fraction(1, 10)) == before
        assert exact.exp(Fraction(-1, 3)) == exact.exp(Fraction(-1, 3))
    # The published digits of √0.1 (50 significant), so a changed context would show.
    assert before == Fraction("0.31622776601683793319988935444327185337195551393252")
