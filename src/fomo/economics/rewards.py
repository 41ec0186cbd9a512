"""The reward formulas of one epoch (SPEC §8), as small exact functions.

* ``α(a) = α_end + (α_start − α_end) · max(0, 1 − a / ramp)`` — 0.9 at graduation, 0.5 from day 180.
* ``age_factor(a) = 1 + (B − 1) · e^(−a/τ)`` — 2 at graduation, → 1 with age (B = 2, τ = 90 days).
* ``Deployment Score = paid revenue × age_factor``; the global emission is split across MTs with
  paid revenue > 0 in proportion to it.
* ``global_score = usage_share × (α + (1 − α) · √stake_share) × m``
* ``incentive_score = usage_share × stake_share × m``

Everything is a ``Fraction``; ``e^x`` and ``√x`` come from :mod:`fomo.economics.exact`. Payouts
are floored to base units by :func:`split_floor`, which reports the dust left in the pool.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import floor

from fomo.economics import exact
from fomo.economics.params import DEFAULT_PARAMS, EconomicsParams


def _non_negative(name: str, value: Fraction | int) -> Fraction:
    q = Fraction(value)
    if q < 0:
        raise ValueError(f"{name} must not be negative")
    return q


def alpha(age_days: Fraction | int, params: EconomicsParams = DEFAULT_PARAMS) -> Fraction:
    """The non-staker floor α of the global staking factor at age ``age_days``."""
    a = _non_negative("age_days", age_days)
    start, end = params.q(params.alpha_start), params.q(params.alpha_end)
    ramp = max(Fraction(0), 1 - a / params.alpha_ramp_days)
    return end + (start - end) * ramp


def age_factor(age_days: Fraction | int, params: EconomicsParams = DEFAULT_PARAMS) -> Fraction:
    """``1 + (B − 1)·e^(−a/τ)``: newer deployments weigh more in the emission split."""
    a = _non_negative("age_days", age_days)
    boost = params.q(params.age_boost)
    return 1 + (boost - 1) * exact.exp(-a / params.q(params.age_tau_days))


def deployment_score(
    paid_revenue: int, age_days: Fraction | int, params: EconomicsParams = DEFAULT_PARAMS
) -> Fraction:
    """Paid revenue (any unit, e.g. nano-USD) times the age factor; 0 without revenue."""
    if paid_revenue < 0:
        raise ValueError("paid revenue must not be negative")
    if paid_revenue == 0:
        return Fraction(0)
    return paid_revenue * age_factor(age_days, params)


def shares(values: Sequence[Fraction | int]) -> list[Fraction]:
    """Each value over their sum (all zero when the sum is zero)."""
    qs = [_non_negative("value", v) for v in values]
    total = sum(qs, Fraction(0))
    if total == 0:
        return [Fraction(0)] * len(qs)
    return [q / total for q in qs]


def global_staking_factor(alpha_: Fraction, stake_share: Fraction) -> Fraction:
    """``α + (1 − α)·√stake_share``: at least α, exactly 1 for the only staker."""
    return alpha_ + (1 - alpha_) * exact.sqrt(stake_share)


def global_score(
    usage_share: Fraction, stake_share: Fraction, alpha_: Fraction, multiplier: Fraction
) -> Fraction:
    """``usage_share × (α + (1 − α)·√stake_share) × m``."""
    return usage_share * global_staking_factor(alpha_, stake_share) * multiplier


def incentive_score(usage_share: Fraction, stake_share: Fraction, multiplier: Fraction) -> Fraction:
    """``usage_share × stake_share × m``: zero without stake or without usage."""
    return usage_share * stake_share * multiplier


@dataclass(frozen=True, slots=True)
class Split:
    """A pool split by weight: floored ``amounts`` and the ``dust`` left in the pool.

    ``sum(amounts) + dust == pool`` always. When every weight is zero nothing is paid and the
    whole pool is ``dust`` (the caller decides whether that rolls over or stays in reserve).
    """

    amounts: tuple[int, ...]
    dust: int

    @property
    def paid(self) -> int:
        return sum(self.amounts)


def split_floor(pool: int, weights: Sequence[Fraction | int]) -> Split:
    """Split ``pool`` base units in proportion to ``weights``, each share floored."""
    if pool < 0:
        raise ValueError("pool must not be negative")
    amounts = tuple(floor(pool * s) for s in shares(weights))
    return Split(amounts, pool - sum(amounts))
