"""An exact integer evaluation of :func:`fomo.economics.day.compute_day` for million-account days.

``compute_day`` builds dozens of ``Fraction`` objects per participant (49 µs per participant in
``bench/epoch_scale.py``: minutes for three million (account, MT) pairs). The payouts only
need, per pool, ``floor(pool × w_i / Σw)`` — and that value does not change when every weight
``w_i`` is multiplied by the same positive rational. So, per deployment:

* ``global_score_i = (x_i/X) · (α + (1 − α)·√(y_i/Y)) · m_i``. Dropping the common ``1/X`` and
  the denominator of α, and writing ``√(y_i/Y) = p_i/q_i`` (the same ``exact.sqrt`` value
  ``compute_day`` uses) and ``m_i = a_i/b_i``::

      w_i ∝ x_i · (α_n·q_i + (α_d − α_n)·p_i) · a_i / (q_i · b_i)

  and with ``L = lcm(q_i·b_i)`` every ``w_i·L`` is an integer. ``L`` stays small: ``q_i`` are
  powers of ten (correctly rounded decimals) or the rare exact square root, and every ``b_i``
  divides one constant (the multiplier is ``1 + (M−1)·ln(…)/ln(…)`` of 50-digit decimals).
* ``incentive_score_i = (x_i/X)·(y_i/Y)·m_i ∝ x_i · y_i · a_i / b_i`` likewise.

Everything else (the emission split across MTs, α, the age factor) is computed with the very
functions ``compute_day`` uses. The result is identical by construction (a rational identity,
then the same floor) and checked against ``compute_day`` in ``tests/economics/test_day_fast.py``.
Participant-level ratios are not materialised; the explainer recomputes them per MT with
``compute_day``.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import lcm

from fomo.economics import exact, gmflock, rewards
from fomo.economics.day import (
    FLOCK,
    DayInput,
    DayResult,
    DeploymentInput,
    DeploymentResult,
    deployment_result,
    evaluate_day,
    validate_day,
)
from fomo.economics.params import DEFAULT_PARAMS, EconomicsParams
from fomo.economics.units import BPS


def _split(pool: int, weights: Sequence[int]) -> rewards.Split:
    """:func:`fomo.economics.rewards.split_floor` for integer weights, without Fractions."""
    total = sum(weights)
    if total == 0 or pool == 0:
        return rewards.Split((0,) * len(weights), pool)
    amounts = tuple(pool * w // total for w in weights)
    return rewards.Split(amounts, pool - sum(amounts))


class _Multipliers:
    """``m(G)`` as (numerator, denominator), computed once per distinct balance."""

    def __init__(self, params: EconomicsParams) -> None:
        self.params = params
        self.cache: dict[int, tuple[int, int]] = {0: (1, 1)}

    def get(self, g: int, override: Fraction | None) -> tuple[int, int]:
        if override is not None:
            return override.numerator, override.denominator
        hit = self.cache.get(g)
        if hit is None:
            m = gmflock.multiplier(g, self.params)
            hit = self.cache[g] = (m.numerator, m.denominator)
        return hit


def _deployment(
    dep: DeploymentInput,
    emission: int,
    emission_share: Fraction,
    score: Fraction,
    bonus_bps: int,
    params: EconomicsParams,
    mults: _Multipliers,
    payouts: dict[tuple[str, str], int],
) -> DeploymentResult:
    a = dep.alpha if dep.alpha is not None else rewards.alpha(dep.age_days, params)
    an, ad = a.numerator, a.denominator
    ps = dep.participants
    total_stake = sum(p.stake for p in ps)
    m = [mults.get(p.effective_gmflock, p.multiplier) for p in ps]
    sq: list[tuple[int, int]] = []
    for p in ps:
        if p.stake == 0 or p.gross_spend == 0:
            sq.append((0, 1))  # its weight is zero (or √0 = 0) either way
        else:
            r = exact.sqrt(Fraction(p.stake, total_stake))
            sq.append((r.numerator, r.denominator))
    g_den = lcm(*{q * b for (_, q), (_, b) in zip(sq, m, strict=True)}) if ps else 1
    g_w = [
        p.gross_spend * (an * q + (ad - an) * pn) * mn * (g_den // (q * md))
        for p, (pn, q), (mn, md) in zip(ps, sq, m, strict=True)
    ]
    i_den = lcm(*{md for _, md in m}) if ps else 1
    i_w = [p.gross_spend * p.stake * mn * (i_den // md) for p, (mn, md) in zip(ps, m, strict=True)]
    bonus = emission * bonus_bps // BPS
    g_split = _split(emission - bonus, g_w)
    r_split = _split(dep.reserved_flock_released, i_w)
    m_split = _split(dep.mt_reward_released, i_w)

    if bonus:
        key = (dep.issuer, FLOCK)
        payouts[key] = payouts.get(key, 0) + bonus
    get, token = payouts.get, dep.token
    for p, g, rf, mt in zip(ps, g_split.amounts, r_split.amounts, m_split.amounts, strict=True):
        # inlined: this loop runs once per (account, MT) pair
        if g or rf:
            key = (p.account, FLOCK)
            payouts[key] = get(key, 0) + g + rf
        if mt:
            key = (p.account, token)
            payouts[key] = get(key, 0) + mt
    return deployment_result(
        dep, a, score, emission_share, emission, bonus, g_split, r_split, m_split, params
    )


def compute_day_fast(
    day: DayInput, params: EconomicsParams = DEFAULT_PARAMS, *, validate: bool = True
) -> tuple[DayResult, dict[tuple[str, str], int]]:
    """``compute_day`` without participant details: (result with ``participants=()``,
    the payouts ``compute_day(...).payouts()`` would give). ``validate=False`` skips
    ``compute_day``'s input checks for a day built by :func:`fomo.economics.epoch_input.day_input`
    from an already validated :class:`~fomo.economics.epoch_input.EpochInput` (one gmFLOCK value per
    account, sorted unique participants, non-negative integers by construction)."""
    if validate:
        validate_day(day, params)
    mults = _Multipliers(params)
    payouts: dict[tuple[str, str], int] = {}
    result = evaluate_day(
        day,
        params,
        lambda d, e, share, score, bps: _deployment(
            d, e, share, score, bps, params, mults, payouts
        ),
    )
    return result, payouts
