"""Time-weighted stake (SPEC §5)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fomo.economics.staking import stake_seconds, time_weighted_average

DAY = 86_400


def test_half_day_stake_counts_half() -> None:
    assert stake_seconds(0, [(DAY // 2, 100)], 0, DAY) == 100 * DAY // 2
    assert time_weighted_average(0, [(DAY // 2, 100)], 0, DAY) == 50
    # Cooldown started a quarter into the day: the stake stops counting then.
    assert time_weighted_average(100, [(DAY // 4, 0)], 0, DAY) == 25
    assert time_weighted_average(7, [], 0, DAY) == 7
    assert time_weighted_average(0, [(10, 5), (10, 9)], 0, 20) == Fraction(9, 2)


@pytest.mark.parametrize(
    ("initial", "changes", "start", "end"),
    [(1, [], 10, 5), (-1, [], 0, 1), (0, [(5, 1), (3, 1)], 0, 10), (0, [(11, 1)], 0, 10)],
)
def test_invalid(initial: int, changes: list[tuple[int, int]], start: int, end: int) -> None:
    with pytest.raises(ValueError):
        stake_seconds(initial, changes, start, end)


@settings(max_examples=100)
@given(
    st.integers(0, 10**24),
    st.lists(st.tuples(st.integers(0, DAY), st.integers(0, 10**24)), max_size=10),
)
def test_average_lies_between_min_and_max(initial: int, raw: list[tuple[int, int]]) -> None:
    changes = sorted(raw, key=lambda c: c[0])
    avg = time_weighted_average(initial, changes, 0, DAY)
    amounts = [initial] + [a for _, a in changes]
    assert min(amounts) <= avg <= max(amounts)
