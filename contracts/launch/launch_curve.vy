# pragma version ~=0.4.3
"""
@title launch_curve
@license AGPL-3.0-only
@notice The bonding curve's pure maths (SPEC §3), to the wei what `fomo.economics.curve` computes
        (the Launchpad's differential tests hold them together): a constant-product curve over
        virtual reserves selling SALE_SUPPLY MT for up to `max_raise` FLOCK.
"""

BPS: constant(uint256) = 10_000
WAD: constant(uint256) = 10**18
SALE_SUPPLY: constant(uint256) = 400_000 * WAD
LP_SUPPLY: constant(uint256) = 200_000 * WAD


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
