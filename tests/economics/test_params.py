"""The one configuration object: SPEC defaults and hard bounds."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from fomo.economics.discounts import DEFAULT_DISCOUNT_TIERS
from fomo.economics.params import DEFAULT_PARAMS, EconomicsParams
from fomo.economics.units import FLOCK_UNIT


def test_spec_defaults() -> None:
    p = DEFAULT_PARAMS
    assert p.daily_emission == 50_000 * FLOCK_UNIT
    assert (p.age_boost, p.age_tau_days) == (2, 90)
    assert (p.alpha_start, p.alpha_end, p.alpha_ramp_days) == (Decimal("0.9"), Decimal("0.5"), 180)
    assert p.issuer_bonus_bps == 1_000
    assert p.vintage_days == 180
    assert (p.gm_max_multiplier, p.gm_g0, p.gm_gcap) == (2, 1_000 * FLOCK_UNIT, 10**6 * FLOCK_UNIT)
    assert (p.gm_lock_min_days, p.gm_lock_max_days) == (30, 365)
    assert p.discounts == DEFAULT_DISCOUNT_TIERS
    assert (
        p.waterfall_flock_buyback_bps,
        p.waterfall_treasury_bps,
        p.waterfall_mt_buyback_bps,
        p.waterfall_issuer_bps,
    ) == (3_000, 3_000, 3_000, 1_000)
    assert p.season == 2
    assert p.unstake_cooldown_days == 7
    assert p.compute_rate_bps == 4_000
    assert p.dispute_window_seconds == 3_600
    assert (p.launch.min_raise, p.launch.max_raise) == (100_000 * FLOCK_UNIT, 500_000 * FLOCK_UNIT)
    assert p.fees.launch_fee == 32_768 * FLOCK_UNIT
    assert p.max_discount_bps == 3_000


@pytest.mark.parametrize(
    "overrides",
    [
        {"alpha_start": "1.1"},
        {"alpha_start": "0.4"},  # below alpha_end
        {"age_boost": "0.5"},
        {"age_tau_days": 0},
        {"gm_gcap": 10},
        {"gm_lock_min_days": 400},
        {"issuer_bonus_bps": 6_000},
        {"discount_tiers": [[1_000, 3_001]]},
        {"discount_tiers": [[1_000, 500], [100, 600]]},
        {"season": 3},
        {"daily_emission": -1},
        {"unknown": 1},
        {"launch": {"max_raise": 1, "min_raise": 2}},
    ],
)
def test_out_of_bounds_configuration_does_not_load(overrides: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        DEFAULT_PARAMS.with_overrides(overrides)


def test_frozen_and_overrides_are_new_objects() -> None:
    p = DEFAULT_PARAMS.with_overrides({"season": 1, "alpha_end": "0.4"})
    assert p.season == 1 and DEFAULT_PARAMS.season == 2
    with pytest.raises(ValidationError):
        p.season = 2  # type: ignore[misc]
    assert EconomicsParams() == DEFAULT_PARAMS
