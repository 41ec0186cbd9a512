# pragma version ~=0.4.3
"""
@title launch_curve
@license AGPL-3.0-only
@notice The bonding curve's pure maths (SPEC §3), to the wei what `fomo.economics.curve` computes
        (the Launchpad's differential tests hold them together): a constant-product curve over
        virtual reserves selling SALE_SUPPLY MT for up to `max_raise` FLOCK, and how a buy is
        priced on it: the anti-sniper tax at a given time (`tax_bps`) and the fill of a buy
        (`quote`: fees rounded up, a partial fill at `max_raise`, the MT out rounded down).
"""

from contracts.launch import launch_record

BPS: constant(uint256) = 10_000
WAD: constant(uint256) = 10**18
SALE_SUPPLY: constant(uint256) = 400_000 * WAD
LP_SUPPLY: constant(uint256) = 200_000 * WAD
TAX_DECAY_BPS_PER_MINUTE: constant(uint256) = 100


struct Fill:
    tax_bps: uint256
    gross_used: uint256
    net: uint256
    protocol_fee: uint256
    creator_fee: uint256
    anti_sniper_fee: uint256
    mt_out: uint256
    graduates: bool


@internal
@pure
def start(max_raise: uint256, lp_bps: uint256) -> (uint256, uint256):
    # The one place the curve's start is derived (`fomo.economics.curve` mirrors it): virtual
    # FLOCK V such that the buy reaching R leaves the curve at the price the pool opens at,
    # V = R*L*10000 // (lp_bps*S - L*10000); x0 = V, y0 = S + V*S // R.
    virtual_flock: uint256 = max_raise * LP_SUPPLY * BPS // (lp_bps * SALE_SUPPLY - LP_SUPPLY * BPS)
    return virtual_flock, SALE_SUPPLY + virtual_flock * SALE_SUPPLY // max_raise


@internal
@pure
def ceil_div(a: uint256, b: uint256) -> uint256:
    return (a + b - 1) // b


@internal
@pure
def mt_out(x0: uint256, y0: uint256, raised: uint256, sold: uint256, net: uint256) -> uint256:
    # MT the curve gives for `net` FLOCK after `raised` FLOCK sold `sold` MT: rounding the new
    # MT reserve up, so the buyer never gets the rounding.
    return (y0 - sold) - self.ceil_div(x0 * y0, x0 + raised + net)


@internal
@pure
def tax_bps(l: launch_record.Launch, t: uint256) -> uint256:
    decay: uint256 = TAX_DECAY_BPS_PER_MINUTE * ((t - l.sale_start) // 60)
    if decay >= l.tax_start_bps:
        return l.base_fee_bps
    return max(l.base_fee_bps, l.tax_start_bps - decay)


@internal
@pure
def quote(l: launch_record.Launch, flock_in: uint256, tax: uint256) -> Fill:
    assert flock_in > 0, "zero amount"
    gross_used: uint256 = flock_in
    total_fee: uint256 = self.ceil_div(flock_in * tax, BPS)
    net: uint256 = flock_in - total_fee
    mt_out: uint256 = 0
    graduates: bool = l.raised + net >= l.max_raise
    if graduates:
        # Partial fill: only what reaches R enters the curve; fees are charged on that part.
        net = l.max_raise - l.raised
        gross_used = self.ceil_div(net * BPS, BPS - tax)
        total_fee = gross_used - net
        mt_out = SALE_SUPPLY - l.sold
    else:
        assert net > 0, "zero net"
        mt_out = self.mt_out(l.x0, l.y0, l.raised, l.sold, net)
    base_fee: uint256 = min(total_fee, self.ceil_div(gross_used * l.base_fee_bps, BPS))
    creator_fee: uint256 = 0
    if l.base_fee_bps > 0:
        creator_fee = base_fee * l.creator_fee_bps // l.base_fee_bps
    return Fill(
        tax_bps=tax,
        gross_used=gross_used,
        net=net,
        protocol_fee=base_fee - creator_fee,
        creator_fee=creator_fee,
        anti_sniper_fee=total_fee - base_fee,
        mt_out=mt_out,
        graduates=graduates,
    )
