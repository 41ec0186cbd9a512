"""RevenueRouter buybacks: TWAP reference, price-impact bound, burns, reserve accounting."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import boa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.contracts.dex.reference import get_amount_out

from .helpers import (
    deployer,
    events,
    pair_of,
    reserves_for,
    spot_held,
    spot_within,
    twap_price,
)

USDC = 10**6
MAX = 2**256 - 1


@pytest.fixture(autouse=True)
def _isolate(isolate: None) -> None:
    pass


def ready(rr: Any, token: Any) -> None:
    """Take observations and let a full TWAP window pass."""
    rr.poke(token.address)
    boa.env.time_travel(seconds=rr.twap_window())


def reference_out(spend: int, prices: list[int]) -> Fraction:
    """Exact output at the TWAP prices after the 0.30% fee per hop."""
    ref = Fraction(spend)
    for price in prices:
        ref = ref * Fraction(997, 1000) * Fraction(price, 2**112)
    return ref


def within_bound(out: int, spend: int, prices: list[int], bps: int) -> bool:
    """The TWAP half of the bound: paid at most `bps` worse than the TWAP (after fees)."""
    return out >= reference_out(spend, prices) * Fraction(10_000 - bps, 10_000)


def within_both(spend: int, hops: list[tuple[int, int]], prices: list[int], bps: int) -> bool:
    """The router's whole bound: every hop's spot moves at most `bps`, and the output is at
    most `bps` below the TWAP reference."""
    out = spend
    for r_in, r_out in hops:
        out = get_amount_out(out, r_in, r_out, zero_ok=True)
    return spot_held(spend, hops, bps) and within_bound(out, spend, prices, bps)


def test_twap_must_be_ready(
    revenue_router: Any, settler: Any, keeper: Any, flock: Any, mt: Any
) -> None:
    rr = revenue_router
    rr.settle(mt.address, 10_000 * USDC, 1, sender=settler)
    with boa.reverts("twap not ready"):
        rr.execute_buyback(flock.address, MAX, sender=keeper)
    with boa.reverts("twap not ready"):
        rr.reference_prices(flock.address)
    rr.poke(flock.address)
    boa.env.time_travel(seconds=rr.twap_window() - 1)
    with boa.reverts("twap not ready"):
        rr.execute_buyback(flock.address, MAX, sender=keeper)
    boa.env.time_travel(seconds=1)
    spent, _ = rr.execute_buyback(flock.address, MAX, sender=keeper)
    assert spent == 3_000 * USDC


def test_poke_rolls_observations_once_per_window(
    revenue_router: Any, dex: Any, usdc: Any, flock: Any
) -> None:
    rr = revenue_router
    pair = pair_of(dex, usdc, flock)
    rr.poke(flock.address)
    first = rr.observation_new(pair.address)
    assert first[2] == boa.env.evm.patch.timestamp
    assert rr.observation_old(pair.address)[2] == 0
    boa.env.time_travel(seconds=600)
    rr.poke(flock.address)  # too early: ignored
    assert rr.observation_new(pair.address) == first
    boa.env.time_travel(seconds=rr.twap_window())
    rr.poke(flock.address)
    (event,) = events(rr, "Observed")
    assert event.pair == pair.address
    assert rr.observation_old(pair.address) == first
    assert rr.observation_new(pair.address)[2] == boa.env.evm.patch.timestamp


def test_flock_buyback_small_reserve_spends_all_and_burns(
    revenue_router: Any, settler: Any, keeper: Any, dex: Any, usdc: Any, flock: Any, mt: Any
) -> None:
    rr = revenue_router
    rr.settle(mt.address, 10_000 * USDC, 1, sender=settler)
    ready(rr, flock)
    pair = pair_of(dex, usdc, flock)
    r_in, r_out = reserves_for(pair, usdc)
    price = twap_price(rr, pair, usdc)
    assert price == r_out * 2**112 // r_in  # no trades since seeding: TWAP = spot
    assert rr.reference_prices(flock.address) == [price]
    supply = flock.totalSupply()
    spent, burned = rr.execute_buyback(flock.address, MAX, sender=keeper)
    (executed,) = events(rr, "BuybackExecuted")
    (burn_event,) = events(rr, "Burned")
    assert spent == 3_000 * USDC
    assert burned == get_amount_out(spent, r_in, r_out)
    assert flock.totalSupply() == supply - burned
    assert flock.balanceOf(rr.address) == 0
    assert rr.buyback_reserve(flock.address) == 0
    assert rr.total_reserved() == 3_000 * USDC  # the MT reserve is untouched
    # the MT reserve, and the issuer's 10% credit waiting to be withdrawn
    assert usdc.balanceOf(rr.address) == 3_000 * USDC + rr.total_issuer_owed() == 4_000 * USDC
    assert (executed.token, executed.usdc_in, executed.amount_out) == (
        flock.address,
        spent,
        burned,
    )
    assert (executed.reserve_left, executed.keeper) == (0, keeper)
    assert within_bound(burned, spent, [price], 100)
    assert executed.min_out <= burned
    assert (burn_event.token, burn_event.amount) == (flock.address, burned)
    with boa.reverts("empty reserve"):
        rr.execute_buyback(flock.address, MAX, sender=keeper)


def test_impact_bound_limits_spend_and_keeps_the_rest(
    revenue_router: Any, settler: Any, keeper: Any, dex: Any, usdc: Any, flock: Any, mt: Any
) -> None:
    rr = revenue_router
    rr.settle(mt.address, 100_000 * USDC, 1, sender=settler)  # 30k USDC FLOCK reserve
    ready(rr, flock)
    pair = pair_of(dex, usdc, flock)
    r_in, r_out = reserves_for(pair, usdc)
    price = twap_price(rr, pair, usdc)
    spent, burned = rr.execute_buyback(flock.address, MAX, sender=keeper)
    (executed,) = events(rr, "BuybackExecuted")
    # moving a 1M USDC pool's spot by 1% takes about 5.03k USDC (the spot falls with the
    # square of the reserve growth); the TWAP half alone would have allowed ~10.1k
    assert 5_000 * USDC < spent < 5_100 * USDC
    assert within_bound(burned, spent, [price], 100)
    assert spot_within((r_in, r_out), reserves_for(pair, usdc), 100)
    # and it is (nearly) the most that fits: 0.1% more would break the bound
    more = spent + spent // 1000
    assert not within_both(more, [(r_in, r_out)], [price], 100)
    assert rr.buyback_reserve(flock.address) == 30_000 * USDC - spent
    assert executed.reserve_left == 30_000 * USDC - spent


def test_wider_bound_spends_more(
    revenue_router: Any,
    settler: Any,
    keeper: Any,
    admin: Any,
    dex: Any,
    usdc: Any,
    flock: Any,
    mt: Any,
) -> None:
    rr = revenue_router
    rr.settle(mt.address, 1_000_000 * USDC, 1, sender=settler)  # 300k USDC reserve
    rr.set_impact_bound(500, sender=admin)
    ready(rr, flock)
    pair = pair_of(dex, usdc, flock)
    before = reserves_for(pair, usdc)
    price = twap_price(rr, pair, usdc)
    spent, burned = rr.execute_buyback(flock.address, MAX, sender=keeper)
    # a 5% spot move of the 1M USDC pool: r with 997 r² + 1997 r = 1000·0.05/0.95, r ≈ 2.61%
    assert 25_000 * USDC < spent < 27_000 * USDC
    assert within_bound(burned, spent, [price], 500)
    assert spot_within(before, reserves_for(pair, usdc), 500)
    assert not spot_within(before, reserves_for(pair, usdc), 400)


def test_max_usdc_caps_the_spend(
    revenue_router: Any, settler: Any, keeper: Any, flock: Any, mt: Any
) -> None:
    rr = revenue_router
    rr.settle(mt.address, 10_000 * USDC, 1, sender=settler)
    ready(rr, flock)
    spent, _ = rr.execute_buyback(flock.address, 1_000 * USDC, sender=keeper)
    assert spent == 1_000 * USDC
    assert rr.buyback_reserve(flock.address) == 2_000 * USDC
    with boa.reverts("zero amount"):
        rr.execute_buyback(flock.address, 0, sender=keeper)


def test_mt_buyback_routes_through_flock_and_burns_mt(
    revenue_router: Any, settler: Any, keeper: Any, dex: Any, usdc: Any, flock: Any, mt: Any
) -> None:
    rr = revenue_router
    rr.settle(mt.address, 2_000 * USDC, 1, sender=settler)  # 600 USDC: 0.3% of the MT pool
    ready(rr, mt)
    p1 = pair_of(dex, usdc, flock)
    p2 = pair_of(dex, flock, mt)
    prices = [twap_price(rr, p1, usdc), twap_price(rr, p2, flock)]
    assert rr.reference_prices(mt.address) == prices
    a_in, a_out = reserves_for(p1, usdc)
    b_in, b_out = reserves_for(p2, flock)
    mt_supply, flock_supply = mt.totalSupply(), flock.totalSupply()
    spent, burned = rr.execute_buyback(mt.address, MAX, sender=keeper)
    assert spent == 600 * USDC
    assert burned == get_amount_out(get_amount_out(spent, a_in, a_out), b_in, b_out)
    assert mt.totalSupply() == mt_supply - burned
    assert flock.totalSupply() == flock_supply  # FLOCK only passed through
    assert within_bound(burned, spent, prices, 100)
    assert rr.buyback_reserve(mt.address) == 0
    assert rr.buyback_reserve(flock.address) == 600 * USDC


def test_mt_buyback_bound_covers_both_hops(
    revenue_router: Any, settler: Any, keeper: Any, dex: Any, usdc: Any, flock: Any, mt: Any
) -> None:
    rr = revenue_router
    rr.settle(mt.address, 200_000 * USDC, 1, sender=settler)  # 60k USDC MT reserve
    ready(rr, mt)
    p1, p2 = pair_of(dex, usdc, flock), pair_of(dex, flock, mt)
    prices = [twap_price(rr, p1, usdc), twap_price(rr, p2, flock)]
    a_in, a_out = reserves_for(p1, usdc)
    b_in, b_out = reserves_for(p2, flock)
    spent, burned = rr.execute_buyback(mt.address, MAX, sender=keeper)
    assert 0 < spent < 60_000 * USDC
    assert burned == get_amount_out(get_amount_out(spent, a_in, a_out), b_in, b_out)
    assert within_bound(burned, spent, prices, 100)
    assert spot_within((a_in, a_out), reserves_for(p1, usdc), 100)
    assert spot_within((b_in, b_out), reserves_for(p2, flock), 100)
    more = spent + spent // 1000
    assert not within_both(more, [(a_in, a_out), (b_in, b_out)], prices, 100)
    assert rr.buyback_reserve(mt.address) == 60_000 * USDC - spent


def pump_flock(dex: Any, usdc: Any, flock: Any, usdc_in: int) -> None:
    whale = boa.env.generate_address()
    usdc.faucet(whale, usdc_in, sender=whale)
    usdc.approve(dex.address, usdc_in, sender=whale)
    dex.swapExactTokensForTokens(
        usdc_in, 0, [usdc.address, flock.address], whale, 2**64, sender=whale
    )


def test_manipulated_spot_price_is_refused(
    revenue_router: Any, settler: Any, keeper: Any, dex: Any, usdc: Any, flock: Any, mt: Any
) -> None:
    rr = revenue_router
    rr.settle(mt.address, 10_000 * USDC, 1, sender=settler)
    ready(rr, flock)
    # a sandwicher pushes FLOCK up ~10% right before the keeper's transaction
    pump_flock(dex, usdc, flock, 50_000 * USDC)
    with boa.reverts("impact bound"):
        rr.execute_buyback(flock.address, MAX, sender=keeper)
    assert rr.buyback_reserve(flock.address) == 3_000 * USDC
    # if the new price holds for long enough, the TWAP follows it and buybacks resume
    for _ in range(3):
        boa.env.time_travel(seconds=rr.twap_window())
        rr.poke(flock.address)
    boa.env.time_travel(seconds=rr.twap_window())
    spent, _ = rr.execute_buyback(flock.address, MAX, sender=keeper)
    assert spent > 0


def dump_flock(dex: Any, usdc: Any, flock: Any, flock_in: int) -> None:
    seller = boa.env.generate_address()
    flock.faucet(seller, flock_in, sender=seller)
    flock.approve(dex.address, flock_in, sender=seller)
    dex.swapExactTokensForTokens(
        flock_in, 0, [flock.address, usdc.address], seller, 2**64, sender=seller
    )


def test_spot_below_twap_cannot_move_the_pool_beyond_the_bound(
    revenue_router: Any, settler: Any, keeper: Any, dex: Any, usdc: Any, flock: Any, mt: Any
) -> None:
    """The audit's exploit: with the spot far below the TWAP, a TWAP-only bound let one 1%
    execution push the pool ~60% and hand the overpayment to whoever sells back into it."""
    rr = revenue_router
    rr.settle(mt.address, 1_000_000 * USDC, 1, sender=settler)  # 300k USDC FLOCK reserve
    ready(rr, flock)
    pair = pair_of(dex, usdc, flock)
    # someone dumps 10M FLOCK into the 10M FLOCK / 1M USDC pool: FLOCK's spot price falls
    # to about a quarter of the TWAP, which has not seen it yet
    dump_flock(dex, usdc, flock, 10_000_000 * 10**18)
    before = reserves_for(pair, usdc)
    spent, burned = rr.execute_buyback(flock.address, MAX, sender=keeper)
    after = reserves_for(pair, usdc)
    assert spot_within(before, after, 100)  # the pool moved at most 1%
    # ~0.5% of the (now ~500k USDC) pool, not the ~150k a TWAP-only bound allowed
    assert spent < before[0] // 150
    # the keeper paid at most 1% over the pre-trade spot (fee aside), so a back-runner
    # selling into the moved pool gets almost nothing
    spot_out = Fraction(spent * before[1], before[0]) * Fraction(997, 1000)
    assert burned >= spot_out * Fraction(99, 100)
    assert rr.buyback_reserve(flock.address) == 300_000 * USDC - spent


def test_two_hop_bound_holds_on_each_hop(
    revenue_router: Any, settler: Any, keeper: Any, dex: Any, usdc: Any, flock: Any, mt: Any
) -> None:
    """Spot of the FLOCK/MT pool far below its TWAP (MT dumped): the second hop binds."""
    rr = revenue_router
    rr.settle(mt.address, 1_000_000 * USDC, 1, sender=settler)  # 300k USDC MT reserve
    ready(rr, mt)
    p1, p2 = pair_of(dex, usdc, flock), pair_of(dex, flock, mt)
    seller = boa.env.generate_address()
    mt.faucet(seller, 200_000 * 10**18, sender=seller)
    mt.approve(dex.address, 2**256 - 1, sender=seller)
    dex.swapExactTokensForTokens(
        200_000 * 10**18, 0, [mt.address, flock.address], seller, 2**64, sender=seller
    )
    h1, h2 = reserves_for(p1, usdc), reserves_for(p2, flock)
    spent, _ = rr.execute_buyback(mt.address, MAX, sender=keeper)
    assert spent > 0
    assert spot_within(h1, reserves_for(p1, usdc), 100)
    assert spot_within(h2, reserves_for(p2, flock), 100)
    # the FLOCK/MT pool (1M FLOCK left after the dump) is the thinner one and binds
    assert not spot_within(h2, reserves_for(p2, flock), 90)


def test_buyback_reverts(
    revenue_router: Any,
    settler: Any,
    keeper: Any,
    admin: Any,
    launchpad: Any,
    dev_token_deployer: Any,
    issuer: Any,
) -> None:
    rr = revenue_router
    for who in (settler, admin):
        with boa.reverts("missing role"):
            rr.execute_buyback(rr.FLOCK(), MAX, sender=who)
    with boa.reverts("empty reserve"):
        rr.execute_buyback(rr.FLOCK(), MAX, sender=keeper)
    lonely = dev_token_deployer.deploy("No Pool", "NOP", 18, True, 10**30)
    launchpad.set_launch(lonely.address, issuer, True)
    rr.settle(lonely.address, 1_000 * USDC, 1, sender=settler)
    with boa.reverts("no pair"):
        rr.execute_buyback(lonely.address, MAX, sender=keeper)
    with boa.reverts("no pair"):
        rr.poke(lonely.address)


def test_deployer_helper_compiles_once() -> None:
    assert deployer("economy/RevenueRouter.vy") is deployer("economy/RevenueRouter.vy")


@settings(max_examples=20)
@given(
    bound=st.integers(min_value=10, max_value=1_000),
    revenue=st.integers(min_value=1_000, max_value=3_000_000),
    two_hops=st.booleans(),
    skew=st.integers(min_value=-5_000, max_value=300),
)
def test_property_spend_is_the_largest_within_bound(
    revenue_router: Any,
    settler: Any,
    keeper: Any,
    admin: Any,
    dex: Any,
    usdc: Any,
    flock: Any,
    mt: Any,
    bound: int,
    revenue: int,
    two_hops: bool,
    skew: int,
) -> None:
    """Any bound, reserve size and route, with the spot moved off the TWAP: up to 3% above
    it, or far below it (a seller dumping up to half the pool's FLOCK reserve)."""
    with boa.env.anchor():
        rr = revenue_router
        rr.set_impact_bound(bound, sender=admin)
        rr.settle(mt.address, revenue * USDC, 1, sender=settler)
        token = mt if two_hops else flock
        ready(rr, token)
        pair = pair_of(dex, usdc, flock)
        if skew:  # move the USDC/FLOCK spot away from the TWAP in this block
            r_usdc, r_flock = reserves_for(pair, usdc)
            trader = boa.env.generate_address()
            t_in, t_out, r_in = (usdc, flock, r_usdc) if skew > 0 else (flock, usdc, r_flock)
            amount = r_in * abs(skew) // 10_000
            t_in.faucet(trader, amount, sender=trader)
            t_in.approve(dex.address, amount, sender=trader)
            dex.swapExactTokensForTokens(
                amount, 0, [t_in.address, t_out.address], trader, 2**64, sender=trader
            )
        route = [(pair, usdc)] + ([(pair_of(dex, flock, mt), flock)] if two_hops else [])
        prices = [twap_price(rr, p, t) for p, t in route]
        hops = [reserves_for(p, t) for p, t in route]

        def out(amount: int) -> int:
            for r_in, r_out in hops:
                amount = get_amount_out(amount, r_in, r_out, zero_ok=True)
            return amount

        budget = rr.buyback_reserve(token.address)
        if not within_both(1, hops, prices, bound):
            with boa.reverts("impact bound"):
                rr.execute_buyback(token.address, MAX, sender=keeper)
            return
        spent, burned = rr.execute_buyback(token.address, MAX, sender=keeper)
        assert 0 < spent <= budget
        assert burned == out(spent)
        assert within_both(spent, hops, prices, bound)
        for (p, t), before in zip(route, hops, strict=True):
            assert spot_within(before, reserves_for(p, t), bound)
        if spent < budget:
            more = spent + spent // 1_000 + 1
            assert not within_both(more, hops, prices, bound)
