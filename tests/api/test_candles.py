"""`fomo.api.candles`: bucketing exact prices into OHLC candles (pure, no chain)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fomo.api.candles import PricePoint, bucket_start, build_candles


def test_open_is_the_previous_close_and_empty_buckets_are_omitted() -> None:
    points = [
        PricePoint(100, Fraction(2)),  # bucket 60
        PricePoint(110, Fraction(5, 2)),  # bucket 60
        PricePoint(115, Fraction(9, 4)),  # bucket 60
        PricePoint(400, Fraction(3)),  # bucket 360 (240 and 300 are empty)
    ]
    volumes = [(100, 7), (115, 3), (400, 11)]
    a, b = build_candles(points, volumes, 60, start_price=Fraction(1))
    assert (a.time, a.open, a.high, a.low, a.close, a.volume) == (
        60, Fraction(1), Fraction(5, 2), Fraction(1), Fraction(9, 4), 10,
    )  # fmt: skip
    assert (b.time, b.open, b.high, b.low, b.close, b.volume) == (
        360, Fraction(9, 4), Fraction(3), Fraction(9, 4), Fraction(3), 11,
    )  # fmt: skip


def test_first_candle_opens_at_its_first_point_without_a_start_price() -> None:
    (only,) = build_candles([PricePoint(5, Fraction(3)), PricePoint(6, Fraction(1))], [], 60)
    assert (only.open, only.high, only.low, only.close) == (3, 3, 1, 1)


def test_volume_without_a_price_point_is_dropped_and_bad_interval_refused() -> None:
    assert build_candles([], [(10, 5)], 60) == []
    assert bucket_start(3599, 3600) == 0 and bucket_start(3600, 3600) == 3600
    with pytest.raises(ValueError):
        build_candles([], [], 0)


@given(
    st.lists(
        st.tuples(
            st.integers(0, 10_000),
            st.fractions(min_value=Fraction(1, 10**18), max_value=10**6),
            st.integers(0, 10**24),
        ),
        max_size=40,
    ),
    st.sampled_from([60, 300, 900, 3600]),
)
def test_candles_summarize_every_point_and_volume(
    raw: list[tuple[int, Fraction, int]], interval: int
) -> None:
    raw.sort(key=lambda r: r[0])  # chain order: time never goes back
    points = [PricePoint(t, p) for t, p, _ in raw]
    candles = build_candles(points, [(t, v) for t, _, v in raw], interval)
    assert [c.time for c in candles] == sorted({bucket_start(t, interval) for t, _, _ in raw})
    assert sum(c.volume for c in candles) == sum(v for _, _, v in raw)
    previous = None
    for c in candles:
        inside = [p for t, p, _ in raw if bucket_start(t, interval) == c.time]
        assert c.close == inside[-1]
        assert c.open == (inside[0] if previous is None else previous)
        assert c.high == max([c.open, *inside]) and c.low == min([c.open, *inside])
        previous = c.close
