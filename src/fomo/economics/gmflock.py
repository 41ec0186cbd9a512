"""gmFLOCK: effective balance and the global score multiplier (SPEC §5).

Effective balance weighs locked FLOCK by the time left on the lock, linearly:
``amount × remaining / 365 days`` (floored to a wei), so 100 locked with a year left weighs the
same as 200 with six months left. The multiplier grows with the logarithm of the effective
balance and saturates at ``M`` once ``G ≥ Gcap``::

    m(G) = 1 + (M − 1) · min(1, ln(1 + G/G0) / ln(1 + Gcap/G0))

``ln`` is evaluated by :mod:`fomo.economics.exact` (correctly rounded to 50 digits, then exact),
so ``m`` is deterministic, exactly 1 at G = 0, exactly M at G ≥ Gcap and monotone in between.
"""

from __future__ import annotations

from fractions import Fraction

from fomo.economics import exact
from fomo.economics.params import DEFAULT_PARAMS, EconomicsParams
from fomo.economics.units import SECONDS_PER_DAY


def effective_balance(
    amount: int, remaining_seconds: int, params: EconomicsParams = DEFAULT_PARAMS
) -> int:
    """Effective gmFLOCK wei of a lock of ``amount`` wei with ``remaining_seconds`` left.

    An expired lock (``remaining ≤ 0``) weighs nothing; a remaining time above the full-weight
    period (impossible with the default 365-day maximum lock) is clamped to it, so the effective
    balance never exceeds the amount locked.
    """
    if amount < 0:
        raise ValueError("amount must not be negative")
    full = params.gm_full_weight_days * SECONDS_PER_DAY
    remaining = min(max(remaining_seconds, 0), full)
    return amount * remaining // full


def multiplier(effective_gmflock: int, params: EconomicsParams = DEFAULT_PARAMS) -> Fraction:
    """The global score multiplier ``m(G)`` for ``effective_gmflock`` wei, in ``[1, M]``."""
    if effective_gmflock < 0:
        raise ValueError("effective gmFLOCK must not be negative")
    m_max = params.q(params.gm_max_multiplier)
    if effective_gmflock == 0:
        return Fraction(1)
    if effective_gmflock >= params.gm_gcap:
        return m_max
    g0 = params.gm_g0
    ratio = exact.ln(1 + Fraction(effective_gmflock, g0)) / exact.ln(
        1 + Fraction(params.gm_gcap, g0)
    )
    return 1 + (m_max - 1) * min(Fraction(1), ratio)


def requested_unlock_time(now: int, days: int, params: EconomicsParams = DEFAULT_PARAMS) -> int:
    """The unlock time to request for a lock of ``days`` days from ``now``.

    The contract rounds unlock times DOWN to a UTC midnight and needs the rounded time to be
    ``gm_lock_min_days`` to ``gm_lock_max_days`` ahead, so ask for the first midnight at least
    ``days`` days (plus a minute of slack for the block being mined later) ahead — or, when that
    passes the maximum, the last midnight within it. Raises ``ValueError`` for a length outside
    the bounds.
    """
    lo, hi, day = params.gm_lock_min_days, params.gm_lock_max_days, SECONDS_PER_DAY
    if not lo <= days <= hi:
        raise ValueError(f"A lock lasts {lo} to {hi} days.")
    target = now + days * day + 60
    up = -(-target // day) * day
    if up <= now + hi * day:
        return up
    return (now + hi * day) // day * day
