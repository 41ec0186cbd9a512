"""Inference discount from MT staked on the deployment used (SPEC §5, §6).

``paid = gross × (1 − discount)``, rounded up to a whole nano-USD (the protocol's favour).
The hard protocol cap of 30% is enforced twice: a tier table above it cannot be built, and
``discount_bps`` / ``paid_cost_nano`` refuse or clamp anything above it, so no configuration,
however it was produced, can make inference cheaper than 70% of list price.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from fomo.economics.units import BPS, MT_UNIT

MAX_DISCOUNT_BPS: Final = 3_000
"""Hard protocol cap: no configuration may exceed a 30% discount."""


@dataclass(frozen=True, slots=True)
class DiscountTier:
    """Stake of at least ``min_stake`` MT base units earns ``bps`` off list price."""

    min_stake: int
    bps: int


@dataclass(frozen=True, slots=True)
class DiscountTiers:
    """A validated discount table: thresholds strictly rising, discounts non-decreasing, ≤ 30%."""

    tiers: tuple[DiscountTier, ...]

    def __post_init__(self) -> None:
        prev_stake = 0
        prev_bps = 0
        for i, t in enumerate(self.tiers):
            if isinstance(t.min_stake, bool) or not isinstance(t.min_stake, int):
                raise ValueError(f"discount tier {i}: min_stake must be an integer")
            if isinstance(t.bps, bool) or not isinstance(t.bps, int):
                raise ValueError(f"discount tier {i}: bps must be an integer")
            if t.min_stake <= prev_stake:
                raise ValueError(f"discount tier {i}: thresholds must be positive and rising")
            if not prev_bps <= t.bps <= MAX_DISCOUNT_BPS:
                raise ValueError(
                    f"discount tier {i}: bps must be non-decreasing and at most "
                    f"{MAX_DISCOUNT_BPS} (30% hard cap)"
                )
            prev_stake, prev_bps = t.min_stake, t.bps

    @classmethod
    def from_whole_tokens(cls, table: Iterable[tuple[int, int]]) -> DiscountTiers:
        """Build from ``(whole MT, bps)`` pairs, e.g. ``[(1000, 500), (10000, 1000)]``."""
        return cls(tuple(DiscountTier(int(mt) * MT_UNIT, int(bps)) for mt, bps in table))


DEFAULT_DISCOUNT_TIERS: Final = DiscountTiers.from_whole_tokens(
    [(1_000, 500), (10_000, 1_000), (50_000, 1_500), (100_000, 2_000)]
)
"""SPEC §5: ≥1,000 MT 5% · ≥10,000 10% · ≥50,000 15% · ≥100,000 20%."""


def discount_bps(staked_mt_base_units: int, tiers: DiscountTiers = DEFAULT_DISCOUNT_TIERS) -> int:
    """Discount in bps for ``staked_mt_base_units`` of active (not cooling-down) stake.

    The highest tier whose threshold the stake reaches applies; the result never exceeds 30%.
    """
    if isinstance(staked_mt_base_units, bool) or not isinstance(staked_mt_base_units, int):
        raise ValueError("stake must be an integer number of MT base units")
    if staked_mt_base_units < 0:
        raise ValueError("stake must not be negative")
    if not isinstance(tiers, DiscountTiers):
        raise TypeError("tiers must be a validated DiscountTiers table")
    result = 0
    for t in tiers.tiers:
        if staked_mt_base_units >= t.min_stake:
            result = t.bps
    # Belt and braces: a DiscountTiers mutated behind our back still cannot pass the cap.
    return min(result, MAX_DISCOUNT_BPS)


def paid_cost_nano(gross_nano: int, discount: int) -> int:
    """``ceil(gross × (10000 − discount) / 10000)``: what the user pays, in nano-USD."""
    if isinstance(gross_nano, bool) or not isinstance(gross_nano, int) or gross_nano < 0:
        raise ValueError("gross must be a non-negative integer number of nano-USD")
    if isinstance(discount, bool) or not isinstance(discount, int):
        raise ValueError("discount must be an integer number of bps")
    if not 0 <= discount <= MAX_DISCOUNT_BPS:
        raise ValueError(f"discount {discount} bps is outside [0, {MAX_DISCOUNT_BPS}] (30% cap)")
    return -(-gross_nano * (BPS - discount) // BPS)
