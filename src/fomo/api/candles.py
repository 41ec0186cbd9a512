"""OHLC candles from a time series of exact prices (pure: no database, no I/O).

A *point* is the spot price right after one event (a curve purchase, a pool ``Sync``); a candle
covers one bucket ``[time, time + interval)`` of chain time. ``open`` is the spot just before
the bucket's first point (the previous point's price, or the series' starting price), so a
bucket with one trade still shows how far that trade moved the price; ``high``/``low`` include
the open; ``close`` is the last point's price. Buckets without points are omitted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class PricePoint:
    time: int
    price: Fraction


@dataclass
class Candle:
    time: int
    open: Fraction
    high: Fraction
    low: Fraction
    close: Fraction
    volume: int = 0


def bucket_start(time: int, interval: int) -> int:
    """Start of the ``interval``-second bucket holding ``time`` (aligned to the unix epoch)."""
    return time - time % interval


def build_candles(
    points: Iterable[PricePoint],
    volumes: Iterable[tuple[int, int]],
    interval: int,
    *,
    start_price: Fraction | None = None,
) -> list[Candle]:
    """Candles oldest first. ``points`` in chain order; ``volumes`` are ``(time, amount)`` added
    to the candle of their bucket (a volume in a bucket with no point is dropped: every trade
    also moves the price, so this only happens for inconsistent input)."""
    if interval <= 0:
        raise ValueError("interval must be > 0")
    candles: dict[int, Candle] = {}
    previous = start_price
    for point in points:
        start = bucket_start(point.time, interval)
        candle = candles.get(start)
        if candle is None:
            opening = point.price if previous is None else previous
            candle = Candle(start, opening, opening, opening, opening)
            candles[start] = candle
        candle.high = max(candle.high, point.price)
        candle.low = min(candle.low, point.price)
        candle.close = point.price
        previous = point.price
    for time, amount in volumes:
        candle = candles.get(bucket_start(time, interval))
        if candle is not None:
            candle.volume += amount
    return [candles[key] for key in sorted(candles)]
