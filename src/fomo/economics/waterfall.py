"""The revenue waterfall (SPEC §7).

Net revenue of a deployment for an epoch is ``paid − compute cost``; a negative result is carried
forward and recovered from later epochs before anything is split again. The settled amount is
split 30% $FLOCK buyback · 30% treasury · 30% $MT buyback · 10% RMA issuer. The buyback and
issuer legs are floored and the treasury receives the exact remainder (the dust), so the four
legs always sum to the input.
"""

from __future__ import annotations

from dataclasses import dataclass

from fomo.economics.params import DEFAULT_PARAMS, EconomicsParams
from fomo.economics.units import BPS, NANO_PER_USDC_UNIT


@dataclass(frozen=True, slots=True)
class WaterfallSplit:
    """One settlement split into its four legs (same unit as the input)."""

    flock_buyback: int
    treasury: int
    mt_buyback: int
    issuer: int

    @property
    def total(self) -> int:
        return self.flock_buyback + self.treasury + self.mt_buyback + self.issuer


def split_net_revenue(net: int, params: EconomicsParams = DEFAULT_PARAMS) -> WaterfallSplit:
    """Split ``net`` (any integer unit: nano-USD or USDC base units) by the waterfall."""
    if net < 0:
        raise ValueError("only a non-negative net revenue is split; carry a loss forward")
    flock = net * params.waterfall_flock_buyback_bps // BPS
    mt = net * params.waterfall_mt_buyback_bps // BPS
    issuer = net * params.waterfall_issuer_bps // BPS
    return WaterfallSplit(
        flock_buyback=flock, treasury=net - flock - mt - issuer, mt_buyback=mt, issuer=issuer
    )


@dataclass(frozen=True, slots=True)
class NetRevenue:
    """The settlement of one deployment for one epoch.

    ``carry_nano`` is what moves to the next epoch: negative is a loss still to be recovered,
    positive is revenue below one USDC base unit (1,000 nano-USD) not yet settleable.
    """

    net_nano: int
    settle_usdc_units: int
    carry_nano: int


def net_revenue(paid_nano: int, compute_nano: int, carry_nano: int = 0) -> NetRevenue:
    """``paid − compute + carry``; settle whole USDC base units, carry the rest (either sign).

    Nothing is lost: ``settle_usdc_units × 1000 + carry_out == paid − compute + carry_in``.
    """
    if paid_nano < 0 or compute_nano < 0:
        raise ValueError("paid and compute cost must not be negative")
    net = paid_nano - compute_nano + carry_nano
    if net <= 0:
        return NetRevenue(net_nano=net, settle_usdc_units=0, carry_nano=net)
    units, rest = divmod(net, NANO_PER_USDC_UNIT)
    return NetRevenue(net_nano=net, settle_usdc_units=units, carry_nano=rest)
