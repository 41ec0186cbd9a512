"""The launch bonding curve, buy quotes and the graduation split (SPEC §3), in integer wei.

This module is the reference the Launchpad contract is tested against to the wei, so every
rounding here is the contract's rounding, and every one favours the protocol: the buyer gets
the floor of MT, fees are the ceiling.

The curve is constant product ``x·y = k`` over FLOCK (x) and MT (y) with virtual reserves
derived from the maximum raise ``R``, sale supply ``S``, LP allocation ``L`` and LP share ``f``::

    V  = R·L / (f·S − L)      virtual FLOCK
    Yv = V·S / R              virtual MT
    x0 = V,  y0 = S + Yv,  k = x0·y0

so that selling exactly ``S`` raises exactly ``R`` and the curve's last price ``x/y`` equals
the DEX opening price ``f·R / L``. ``sold`` after a total net principal ``P`` is
``y0 − ceil(k / (x0 + P))`` whatever the order of buys (path independence), except the buy that
reaches ``R``, which receives the whole remainder ``S − sold`` so the sale ends at exactly ``S``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from fomo.economics.units import BPS as BPS  # re-exported: the curve's callers import it here
from fomo.economics.units import SECONDS_PER_DAY
from fomo.economics.units import WAD as WAD

TOTAL_SUPPLY = 1_000_000 * WAD
SALE_SUPPLY = 400_000 * WAD
LP_SUPPLY = 200_000 * WAD
INCENTIVE_RESERVE = 200_000 * WAD
ISSUER_ALLOCATION = 100_000 * WAD
TREASURY_ALLOCATION = 100_000 * WAD
SALE_DURATION_SECONDS = 7 * SECONDS_PER_DAY


def ceil_div(a: int, b: int) -> int:
    """``ceil(a / b)`` for non-negative ``a`` and positive ``b``, in integers."""
    if a < 0 or b <= 0:
        raise ValueError("ceil_div takes a >= 0 and b > 0")
    return -(-a // b)


@dataclass(frozen=True)
class LaunchParams:
    """What a model type fixes for every launch of it (SPEC §2–§3)."""

    max_raise: int
    min_raise: int
    lp_bps: int = 7000
    reserved_bps: int = 2000
    protocol_bps: int = 1000
    sale_supply: int = SALE_SUPPLY
    lp_supply: int = LP_SUPPLY

    def __post_init__(self) -> None:
        if not 0 < self.min_raise <= self.max_raise:
            raise ValueError("need 0 < min_raise <= max_raise")
        if self.lp_bps + self.reserved_bps + self.protocol_bps != BPS:
            raise ValueError("lp_bps + reserved_bps + protocol_bps must be 10000")
        if not 5000 < self.lp_bps <= BPS or self.reserved_bps < 0 or self.protocol_bps < 0:
            raise ValueError("lp_bps must be in (5000, 10000] and the other shares >= 0")
        if self.lp_bps * self.sale_supply <= self.lp_supply * BPS:
            raise ValueError("f·S must exceed L for the curve to exist")


@dataclass(frozen=True)
class FeeConfig:
    """Launchpad fee configuration with its hard bounds (SPEC §3)."""

    base_fee_bps: int = 150
    creator_fee_bps: int = 50
    tax_start_bps: int = 9900
    tax_decay_bps_per_minute: int = 100
    launch_fee: int = 32_768 * WAD
    max_bundle_bps: int = 2500

    def __post_init__(self) -> None:
        if not 0 <= self.base_fee_bps <= 1000:
            raise ValueError("base_fee_bps must be within [0, 1000]")
        if not 0 <= self.creator_fee_bps <= self.base_fee_bps:
            raise ValueError("creator_fee_bps must be within [0, base_fee_bps]")
        if not self.base_fee_bps <= self.tax_start_bps <= 9900:
            raise ValueError("tax_start_bps must be within [base_fee_bps, 9900]")
        if not 0 <= self.max_bundle_bps <= 2500:
            raise ValueError("max_bundle_bps must be within [0, 2500]")

    @property
    def max_bundle_mt(self) -> int:
        """The most MT a bundled first buy may allocate."""
        return TOTAL_SUPPLY * self.max_bundle_bps // BPS


def virtual_reserves(
    max_raise: int, lp_bps: int, sale_supply: int = SALE_SUPPLY, lp_supply: int = LP_SUPPLY
) -> tuple[int, int]:
    """``(x0, y0)``: virtual FLOCK and the initial MT reserve, floored exactly as
    ``Launchpad.create_launch`` computes them (see the module docstring for the formula)."""
    virtual_flock = max_raise * lp_supply * BPS // (lp_bps * sale_supply - lp_supply * BPS)
    virtual_mt = virtual_flock * sale_supply // max_raise
    return virtual_flock, sale_supply + virtual_mt


@dataclass(frozen=True)
class Curve:
    """The virtual reserves of one launch."""

    max_raise: int
    sale_supply: int
    x0: int
    y0: int
    k: int

    @classmethod
    def for_launch(cls, params: LaunchParams) -> Curve:
        x0, y0 = virtual_reserves(
            params.max_raise, params.lp_bps, params.sale_supply, params.lp_supply
        )
        return cls.from_reserves(params.max_raise, params.sale_supply, x0, y0)

    @classmethod
    def from_reserves(cls, max_raise: int, sale_supply: int, x0: int, y0: int) -> Curve:
        """The curve of a launch whose ``(x0, y0)`` were read back (chain, database)."""
        return cls(max_raise=max_raise, sale_supply=sale_supply, x0=x0, y0=y0, k=x0 * y0)

    def sold_after(self, raised: int) -> int:
        """MT sold once ``raised`` net principal has entered the curve (path independent)."""
        if raised >= self.max_raise:
            return self.sale_supply
        return self.y0 - ceil_div(self.k, self.x0 + raised)

    def price(self, raised: int, sold: int) -> Fraction:
        """Spot price in FLOCK wei per MT wei at a curve state (exact)."""
        return Fraction(self.x0 + raised, self.y0 - sold)


STATUS_NAMES: tuple[str, ...] = ("None", "Live", "Failed", "Graduating", "Graduated")
"""``Launchpad.status`` codes 0–4, by name."""


def sale_status(*, graduated: bool, sale_end: int, raised: int, min_raise: int, now: int) -> str:
    """A launch's status at ``now`` (chain time), as ``Launchpad._status`` decides it: Graduated
    once graduated, Live while the sale window is open, then Graduating if the minimum raise was
    reached (anyone may graduate it) and Failed if not (buyers redeem)."""
    if graduated:
        return "Graduated"
    if now < sale_end:
        return "Live"
    return "Graduating" if raised >= min_raise else "Failed"


def min_out_after_slippage(mt_out: int, slippage_bps: int) -> int:
    """The least MT a buy may allocate when the buyer accepts ``slippage_bps`` less than the
    quoted ``mt_out`` (floored: the guard never asks for more than was quoted)."""
    if not 0 <= slippage_bps <= BPS:
        raise ValueError("slippage must be within [0, 10000] bps")
    return mt_out * (BPS - slippage_bps) // BPS


def tax_bps(fees: FeeConfig, elapsed_seconds: int, *, bundled: bool = False) -> int:
    """Combined tax: ``max(base, start − decay × whole minutes since sale start)``.

    The bundled first buy pays the base fee only (it is exempt from the anti-sniper part).
    """
    if elapsed_seconds < 0:
        raise ValueError("elapsed_seconds must be >= 0")
    if bundled:
        return fees.base_fee_bps
    decayed = fees.tax_start_bps - fees.tax_decay_bps_per_minute * (elapsed_seconds // 60)
    return max(fees.base_fee_bps, decayed)


@dataclass(frozen=True)
class BuyQuote:
    """Everything one buy does, as the contract does it."""

    tax_bps: int
    gross_used: int
    refund: int
    net: int
    total_fee: int
    protocol_fee: int
    creator_fee: int
    anti_sniper_fee: int
    mt_out: int
    graduates: bool


def quote_buy(
    curve: Curve,
    fees: FeeConfig,
    *,
    raised: int,
    sold: int,
    flock_in: int,
    tax: int,
) -> BuyQuote:
    """Quote a buy of ``flock_in`` gross FLOCK at combined tax ``tax`` bps.

    A buy that would pass the maximum raise is partially filled: only what is needed to reach
    it enters the curve, fees are charged on that part only, the rest is refunded.
    """
    if flock_in <= 0:
        raise ValueError("flock_in must be > 0")
    if not 0 <= raised < curve.max_raise:
        raise ValueError("the curve is not open: raised must be below the maximum")
    if not fees.base_fee_bps <= tax < BPS:
        raise ValueError("tax must be within [base_fee_bps, 10000)")

    gross_used = flock_in
    total_fee = ceil_div(flock_in * tax, BPS)
    net = flock_in - total_fee
    graduates = raised + net >= curve.max_raise
    if graduates:
        net = curve.max_raise - raised
        gross_used = ceil_div(net * BPS, BPS - tax)
        total_fee = gross_used - net
        mt_out = curve.sale_supply - sold
    else:
        mt_out = (curve.y0 - sold) - ceil_div(curve.k, curve.x0 + raised + net)

    base_fee = min(total_fee, ceil_div(gross_used * fees.base_fee_bps, BPS))
    creator_fee = base_fee * fees.creator_fee_bps // fees.base_fee_bps if fees.base_fee_bps else 0
    return BuyQuote(
        tax_bps=tax,
        gross_used=gross_used,
        refund=flock_in - gross_used,
        net=net,
        total_fee=total_fee,
        protocol_fee=base_fee - creator_fee,
        creator_fee=creator_fee,
        anti_sniper_fee=total_fee - base_fee,
        mt_out=mt_out,
        graduates=graduates,
    )


@dataclass(frozen=True)
class GraduationSplit:
    """Where the raised principal and the MT supply go at graduation (SPEC §3)."""

    lp_flock: int
    reserved_flock: int
    protocol_flock: int
    sold_mt: int
    lp_mt: int
    incentive_mt: int
    issuer_mt: int
    treasury_mt: int

    @property
    def minted_mt(self) -> int:
        return self.sold_mt + self.lp_mt + self.incentive_mt + self.issuer_mt + self.treasury_mt

    @property
    def unminted_mt(self) -> int:
        """Unsold sale MT and unused LP MT: never minted, so total supply tells the truth."""
        return TOTAL_SUPPLY - self.minted_mt


def price_impact(quote: BuyQuote, spot: Fraction) -> Fraction:
    """Average price of a buy (net FLOCK per MT) over the ``spot`` price before it, minus one
    (exact; zero for a buy that allocates nothing)."""
    if quote.mt_out == 0:
        return Fraction(0)
    return Fraction(quote.net, quote.mt_out) / spot - 1


def graduation_split(
    params: LaunchParams, curve: Curve, *, raised: int, sold: int
) -> GraduationSplit:
    """Split principal ``raised`` and mint MT; LP MT is priced at the curve's final price."""
    if not params.min_raise <= raised <= params.max_raise:
        raise ValueError("graduation needs min_raise <= raised <= max_raise")
    lp_flock = raised * params.lp_bps // BPS
    reserved_flock = raised * params.reserved_bps // BPS
    x, y = curve.x0 + raised, curve.y0 - sold
    lp_mt = min(params.lp_supply, lp_flock * y // x)
    return GraduationSplit(
        lp_flock=lp_flock,
        reserved_flock=reserved_flock,
        protocol_flock=raised - lp_flock - reserved_flock,
        sold_mt=sold,
        lp_mt=lp_mt,
        incentive_mt=INCENTIVE_RESERVE,
        issuer_mt=ISSUER_ALLOCATION,
        treasury_mt=TREASURY_ALLOCATION,
    )


def dex_opening_price(params: LaunchParams) -> Fraction:
    """The price the DEX opens at when the sale fills: ``f·R / L``."""
    return Fraction(params.lp_bps * params.max_raise, BPS * params.lp_supply)
