"""Every economic parameter of FOMO in one typed, frozen, bounded object (SPEC §1–§8).

Defaults are the SPEC's numbers; where the SPEC is silent the default is documented in
``docs/reward-math.md``. Every field has a hard bound: a configuration outside it does not load.
Amounts are integer base units (18 decimals for FLOCK, MT and gmFLOCK); ratios that the SPEC
writes as decimals (α, B, M) are ``Decimal`` so ``"0.9"`` means exactly 0.9, and the formulas turn
them into ``Fraction`` with :meth:`EconomicsParams.q`.

Override from a plain mapping (e.g. a JSON file)::

    params = DEFAULT_PARAMS.with_overrides({"alpha_start": "0.8", "season": 1})
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field, model_validator

from fomo.economics.attribution import DEFAULT_SEASON, Season
from fomo.economics.curve import FeeConfig, LaunchParams
from fomo.economics.discounts import MAX_DISCOUNT_BPS, DiscountTiers
from fomo.economics.pricing import CACHED_INPUT_BPS, DEFAULT_COMPUTE_RATE_BPS
from fomo.economics.units import BPS, FLOCK_UNIT, SECONDS_PER_DAY

_MAX_DAYS = 3_650

ISSUER_BONUS_MAX_BPS: Final = 5_000
"""Hard bound of the issuer emission bonus (default 10%)."""


class EconomicsParams(BaseModel):
    """The protocol's economic configuration. Frozen; build a new one to change anything."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)

    # --- §8.1 global emission and the Deployment Score -------------------------------------
    daily_emission: int = Field(
        50_000 * FLOCK_UNIT, ge=0, le=10_000_000 * FLOCK_UNIT, description="FLOCK wei per epoch"
    )
    age_boost: Decimal = Field(
        Decimal(2), ge=1, le=10, description="B: age factor of a brand-new deployment"
    )
    age_tau_days: Decimal = Field(
        Decimal(90), gt=0, le=_MAX_DAYS, description="τ: decay time of the age boost"
    )
    # --- §8.2 inside an MT -----------------------------------------------------------------
    issuer_bonus_bps: int = Field(
        1_000, ge=0, le=ISSUER_BONUS_MAX_BPS, description="RMA issuer emission bonus"
    )
    alpha_start: Decimal = Field(Decimal("0.9"), ge=0, le=1, description="α at age 0")
    alpha_end: Decimal = Field(Decimal("0.5"), ge=0, le=1, description="α once mature")
    alpha_ramp_days: int = Field(180, gt=0, le=_MAX_DAYS, description="days from start to end α")
    # --- §5 gmFLOCK ------------------------------------------------------------------------
    gm_max_multiplier: Decimal = Field(Decimal(2), ge=1, le=5, description="M")
    gm_g0: int = Field(1_000 * FLOCK_UNIT, gt=0, description="G0, effective gmFLOCK wei")
    gm_gcap: int = Field(1_000_000 * FLOCK_UNIT, gt=0, description="Gcap, effective gmFLOCK wei")
    gm_lock_min_days: int = Field(30, ge=1, le=_MAX_DAYS)
    gm_lock_max_days: int = Field(365, ge=1, le=4 * 365)
    gm_full_weight_days: int = Field(
        365, ge=1, le=4 * 365, description="remaining lock that weighs 1:1 in the effective balance"
    )
    # --- §5 staking and discounts ------------------------------------------------------------
    unstake_cooldown_days: int = Field(7, ge=0, le=90)
    discount_tiers: tuple[tuple[int, int], ...] = Field(
        ((1_000, 500), (10_000, 1_000), (50_000, 1_500), (100_000, 2_000)),
        description="(minimum whole MT staked, discount bps); capped at 30% whatever is set",
    )
    # --- §2/§6 pricing -----------------------------------------------------------------------
    cached_input_bps: int = Field(CACHED_INPUT_BPS, ge=0, le=BPS)
    compute_rate_bps: int = Field(DEFAULT_COMPUTE_RATE_BPS, ge=0, le=BPS)
    # --- §7 revenue waterfall ----------------------------------------------------------------
    waterfall_flock_buyback_bps: int = Field(3_000, ge=0, le=BPS)
    waterfall_treasury_bps: int = Field(3_000, ge=0, le=BPS)
    waterfall_mt_buyback_bps: int = Field(3_000, ge=0, le=BPS)
    waterfall_issuer_bps: int = Field(1_000, ge=0, le=BPS)
    # --- §8.3 vintage --------------------------------------------------------------------------
    vintage_days: int = Field(180, ge=1, le=_MAX_DAYS)
    # --- §6 attribution, §8.5 publication --------------------------------------------------------
    season: Season = DEFAULT_SEASON
    dispute_window_seconds: int = Field(3_600, ge=0, le=7 * SECONDS_PER_DAY)
    # --- §2/§3 launches (validated by fomo.economics.curve) ---------------------------------
    launch: LaunchParams = Field(
        default_factory=lambda: LaunchParams(
            max_raise=500_000 * FLOCK_UNIT, min_raise=100_000 * FLOCK_UNIT
        )
    )
    fees: FeeConfig = Field(default_factory=FeeConfig)

    @model_validator(mode="after")
    def _cross_field_bounds(self) -> EconomicsParams:
        if self.alpha_end > self.alpha_start:
            raise ValueError("alpha_end must not exceed alpha_start (α only falls with age)")
        if self.gm_gcap <= self.gm_g0:
            raise ValueError("gm_gcap must exceed gm_g0")
        if not self.gm_lock_min_days <= self.gm_lock_max_days <= self.gm_full_weight_days:
            raise ValueError("need gm_lock_min_days <= gm_lock_max_days <= gm_full_weight_days")
        waterfall = (
            self.waterfall_flock_buyback_bps
            + self.waterfall_treasury_bps
            + self.waterfall_mt_buyback_bps
            + self.waterfall_issuer_bps
        )
        if waterfall != BPS:
            raise ValueError(f"the waterfall shares must sum to {BPS} bps, got {waterfall}")
        # Building the table runs its validation: rising thresholds, ≤ 30% hard cap.
        self.discounts  # noqa: B018
        return self

    @property
    def discounts(self) -> DiscountTiers:
        """The discount table, validated (thresholds rising, every tier ≤ 30%)."""
        return DiscountTiers.from_whole_tokens(self.discount_tiers)

    @property
    def max_discount_bps(self) -> int:
        """The hard cap; a constant of the protocol, not a parameter."""
        return MAX_DISCOUNT_BPS

    @staticmethod
    def q(value: Decimal | int) -> Fraction:
        """A parameter as an exact Fraction (Decimal → Fraction is exact)."""
        return Fraction(value)

    def with_overrides(self, overrides: Mapping[str, Any]) -> EconomicsParams:
        """A new, fully re-validated object with ``overrides`` applied."""
        data = self.model_dump()
        data.update(overrides)
        return EconomicsParams.model_validate(data)


DEFAULT_PARAMS: Final = EconomicsParams()
"""The SPEC defaults (devnet)."""
