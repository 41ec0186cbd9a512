"""gmFLOCK effective balance and multiplier (SPEC §5)."""

from __future__ import annotations

from decimal import Context
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fomo.economics.gmflock import effective_balance, multiplier
from fomo.economics.params import DEFAULT_PARAMS
from fomo.economics.units import FLOCK_UNIT, SECONDS_PER_DAY

YEAR = 365 * SECONDS_PER_DAY


def test_effective_balance_examples() -> None:
    # 100 with a year left weighs the same as 200 with six months (half a year) left.
    assert effective_balance(100 * FLOCK_UNIT, YEAR) == effective_balance(
        200 * FLOCK_UNIT, YEAR // 2
    )
    assert effective_balance(100 * FLOCK_UNIT, YEAR) == 100 * FLOCK_UNIT
    assert effective_balance(100 * FLOCK_UNIT, 0) == 0
    assert effective_balance(100 * FLOCK_UNIT, -5) == 0
    assert effective_balance(100 * FLOCK_UNIT, 2 * YEAR) == 100 * FLOCK_UNIT  # clamped
    assert effective_balance(10, 1) == 0  # floored
    with pytest.raises(ValueError):
        effective_balance(-1, YEAR)


def test_multiplier_endpoints() -> None:
    assert multiplier(0) == 1
    assert multiplier(DEFAULT_PARAMS.gm_gcap) == 2
    assert multiplier(10 * DEFAULT_PARAMS.gm_gcap) == 2
    # G = G0: ln 2 / ln 1001 of the way from 1 to 2.
    m = multiplier(DEFAULT_PARAMS.gm_g0)
    c = Context(prec=60)
    assert abs(m - 1 - Fraction(c.divide(c.ln(2), c.ln(1001)))) < Fraction(1, 10**45)
    with pytest.raises(ValueError):
        multiplier(-1)


def test_multiplier_respects_params() -> None:
    p = DEFAULT_PARAMS.with_overrides({"gm_max_multiplier": "1.5"})
    assert multiplier(p.gm_gcap, p) == Fraction(3, 2)


@settings(max_examples=200)
@given(st.integers(0, 10**26), st.integers(0, 10**26))
def test_multiplier_in_range_and_monotone(a: int, b: int) -> None:
    lo, hi = sorted((a, b))
    m_lo, m_hi = multiplier(lo), multiplier(hi)
    assert 1 <= m_lo <= m_hi <= 2


@settings(max_examples=100)
@given(st.integers(0, 10**26), st.integers(-YEAR, 2 * YEAR), st.integers(-YEAR, 2 * YEAR))
def test_effective_balance_bounded_and_monotone_in_time(amount: int, t1: int, t2: int) -> None:
    lo, hi = sorted((t1, t2))
    assert 0 <= effective_balance(amount, lo) <= effective_balance(amount, hi) <= amount
