"""A pair created before graduation with FLOCK donated to it cannot move the DEX opening price
away from the curve's final price: the pool always opens holding exactly (lp_flock, lp_mt),
and the donated FLOCK ends up with the treasury.

Our Pair refuses `sync` before its first mint, so a donation there is never a reserve and is
skimmed. A standard Uniswap V2 pair lets anyone `sync` a donation into the reserves; to test
the launchpad against that too, `standard` below is our Pair compiled with exactly that one
guard removed (a test double derived from the real source, nothing else changed), behind its
own factory and launchpad.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import boa
import pytest

from fomo.chain.sources import contract_path
from fomo.economics.curve import WAD
from tests.contracts.launch.helpers import (
    BASE_MODEL,
    MODEL_TYPE_ID,
    SALE,
    TIER,
    Stack,
    events,
    grant_funder,
)

GUARD = 'assert erc20.totalSupply > 0, "NO_LIQUIDITY"'


class Variant:
    """A launchpad whose factory makes pairs of the given kind, sharing the stack's tokens."""

    def __init__(self, stack: Stack, standard: bool) -> None:
        self.stack = stack
        if standard:
            source = contract_path("dex/Pair.vy").read_text()
            assert source.count(GUARD) == 1
            pair_deployer = boa.loads_partial(source.replace(GUARD, "pass"), name="StdPair")
            pair_bp = pair_deployer.deploy_as_blueprint()
            self.factory = boa.load(
                str(contract_path("dex/Factory.vy")), pair_bp.address, stack.admin
            )
            self.pair_deployer = pair_deployer
            self.launchpad = boa.load(
                str(contract_path("launch/Launchpad.vy")),
                stack.flock.address,
                self.factory.address,
                stack.launchpad.MT_BLUEPRINT(),
                stack.treasury,
                stack.distributor.address,
                stack.vesting.address,
                stack.admin,
            )
            with boa.env.prank(stack.admin):
                self.launchpad.register_model_type(
                    MODEL_TYPE_ID, BASE_MODEL, TIER, 100_000 * WAD, 500_000 * WAD, 7000, 2000, 1000
                )
            grant_funder(stack.distributor, self.launchpad, stack.admin)
            for who in [stack.creator, *stack.users]:
                with boa.env.prank(who):
                    stack.flock.approve(self.launchpad.address, 2**256 - 1)
        else:
            self.factory = stack.factory
            self.pair_deployer = stack.pair_deployer
            self.launchpad = stack.launchpad
        self.standard = standard

    def create(self) -> Any:
        with boa.env.prank(self.stack.creator):
            addr = self.launchpad.create_launch(MODEL_TYPE_ID, "M", "MT", 0, 0, 2**64)
        return self.stack.mt_deployer.at(addr)

    def buy(self, mt: Any, amount: int) -> None:
        with boa.env.prank(self.stack.users[0]):
            self.launchpad.buy(mt.address, amount, 0, 2**64)

    def donate(self, mt: Any, amount: int, sync: bool) -> Any:
        flock = self.stack.flock
        self.factory.createPair(mt.address, flock.address)
        pair = self.pair_deployer.at(self.factory.getPair(mt.address, flock.address))
        with boa.env.prank(self.stack.users[3]):
            flock.transfer(pair.address, amount)
        if sync and self.standard:
            pair.sync()
            assert max(pair.getReserves()[:2]) == amount
        elif sync:
            with boa.reverts("NO_LIQUIDITY"):
                pair.sync()
        return pair

    def reserves(self, pair: Any) -> tuple[int, int]:
        r0, r1, _ = pair.getReserves()
        return (r0, r1) if pair.token0() == self.stack.flock.address else (r1, r0)


@pytest.fixture(scope="module", params=["ours", "standard"])
def variant(request: pytest.FixtureRequest, stack: Stack) -> Variant:
    return Variant(stack, standard=request.param == "standard")


@pytest.mark.parametrize(
    ("donation", "sync"),
    [
        (1, True),
        (1_000 * WAD, True),
        (1_000 * WAD, False),
        (349_999 * WAD, True),  # just under lp_flock at the max raise
        (350_000 * WAD, True),  # exactly lp_flock
        (3_000_000 * WAD, True),  # far above lp_flock
        (3_000_000 * WAD, False),
    ],
)
def test_donation_at_max_raise(variant: Variant, donation: int, sync: bool) -> None:
    flock, treasury = variant.stack.flock, variant.stack.treasury
    mt = variant.create()
    pair = variant.donate(mt, donation, sync)
    treasury_before = flock.balanceOf(treasury)
    boa.env.time_travel(seconds=2 * 3600)
    variant.buy(mt, 2_000_000 * WAD)
    (g,) = events(variant.launchpad, "Graduated")
    (purchased,) = events(variant.launchpad, "Purchased")
    assert g.pair == pair.address
    assert variant.reserves(pair) == (g.lpFlock, g.lpMt) == (350_000 * WAD, 200_000 * WAD)
    assert flock.balanceOf(pair.address) == g.lpFlock
    assert mt.balanceOf(pair.address) == g.lpMt
    assert g.donatedFlock == donation
    assert (
        flock.balanceOf(treasury) - treasury_before
        == g.protocolFlock + donation + purchased.protocolFee + purchased.antiSniperFee
    )
    assert flock.balanceOf(variant.launchpad.address) == 0
    assert pair.balanceOf(variant.launchpad.address) == g.lpTokens > 0


def test_donation_with_manual_graduation_keeps_curve_price(variant: Variant) -> None:
    flock = variant.stack.flock
    mt = variant.create()
    boa.env.time_travel(seconds=2 * 3600)
    variant.buy(mt, 200_000 * WAD)
    pair = variant.donate(mt, 1_000_000 * WAD, sync=True)
    boa.env.time_travel(seconds=SALE)
    variant.launchpad.graduate(mt.address)
    (g,) = events(variant.launchpad, "Graduated")
    launch = variant.launchpad.launches(mt.address)
    flock_r, mt_r = variant.reserves(pair)
    assert (flock_r, mt_r) == (g.lpFlock, g.lpMt)
    curve_price = Fraction(launch.x0 + launch.raised, launch.y0 - launch.sold)
    # lp_mt is floored, so the pool price is at or just above the curve's, within one MT wei.
    assert Fraction(flock_r, mt_r) >= curve_price
    assert Fraction(flock_r, mt_r + 1) < curve_price
    assert flock.balanceOf(variant.launchpad.address) == 0


def test_no_liquidity_can_be_added_before_graduation(variant: Variant) -> None:
    """Only FLOCK can reach the pair before graduation, so nobody can mint LP there first."""
    mt = variant.create()
    pair = variant.donate(mt, 10 * WAD, sync=False)
    with boa.reverts():
        pair.mint(variant.stack.users[0])
    assert pair.totalSupply() == 0
