"""Time-weighted stake over an epoch (SPEC §5: reward math uses the time-weighted stake).

The stake that counts is the *active* stake: stake in the 7-day unstake cooldown earns and
discounts nothing, so the indexer records a cooldown start as a decrease of active stake. Given the
active stake at the epoch start and its later changes, :func:`stake_seconds` integrates it exactly
(an integer in wei·seconds). ``compute_day`` only uses stake *shares*, so stake-seconds can be
passed to it directly; :func:`time_weighted_average` gives the average in wei when one is wanted.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction


def stake_seconds(initial: int, changes: Sequence[tuple[int, int]], start: int, end: int) -> int:
    """``∫ active stake dt`` over ``[start, end)``.

    ``initial`` is the active stake at ``start``; ``changes`` are ``(timestamp, new active stake)``
    in non-decreasing time order within ``[start, end]`` (several at one timestamp: the last wins).
    """
    if end < start:
        raise ValueError("epoch end precedes its start")
    if initial < 0:
        raise ValueError("stake must not be negative")
    total = 0
    t, amount = start, initial
    for ts, new_amount in changes:
        if not t <= ts <= end:
            raise ValueError("stake changes must be time-ordered and inside the epoch")
        if new_amount < 0:
            raise ValueError("stake must not be negative")
        total += amount * (ts - t)
        t, amount = ts, new_amount
    return total + amount * (end - t)


def time_weighted_average(
    initial: int, changes: Sequence[tuple[int, int]], start: int, end: int
) -> Fraction:
    """The average active stake over ``[start, end)`` (exact; ``end > start``)."""
    if end <= start:
        raise ValueError("an average needs a non-empty epoch")
    return Fraction(stake_seconds(initial, changes, start, end), end - start)
