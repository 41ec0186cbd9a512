"""Router: liquidity and swaps through real pairs, multi-hop paths, deadlines, slippage."""

from __future__ import annotations

from typing import Any

import boa
import pytest
from eth_account import Account

from tests.contracts.permit import sign_token_permit

from .conftest import named_address
from .reference import MINIMUM_LIQUIDITY, get_amount_in, get_amount_out, quote

MAX = 2**256 - 1
ZERO = "0x0000000000000000000000000000000000000000"


def _deadline() -> int:
    return int(boa.env.evm.patch.timestamp) + 600


@pytest.fixture(scope="module")
def token_c(token_deployer: Any, admin: Any) -> Any:
    with boa.env.prank(admin):
        return token_deployer.deploy("Token C", "TKC", 6, True, 10**30)


@pytest.fixture(scope="module")
def pools(router: Any, token_a: Any, token_b: Any, token_c: Any, admin: Any) -> None:
    """A/B at 1:2 and B/C at 1:3 (C has 6 decimals), seeded through the router."""
    with boa.env.prank(admin):
        for t in (token_a, token_b, token_c):
            t.mint(admin, 10**30)
            t.approve(router.address, MAX)
        router.addLiquidity(token_a, token_b, 10**21, 2 * 10**21, 0, 0, admin, _deadline())
        router.addLiquidity(token_b, token_c, 10**21, 3 * 10**9, 0, 0, admin, _deadline())


@pytest.fixture(scope="module")
def trader(token_a: Any, token_b: Any, token_c: Any, router: Any) -> Any:
    who = named_address("trader")
    with boa.env.prank(who):
        for t in (token_a, token_b, token_c):
            t.approve(router.address, MAX)
    token_a.faucet(who, 10**24)
    token_b.faucet(who, 10**24)
    token_c.faucet(who, 10**24)
    return who


def _reserves(factory: Any, pair_deployer: Any, t_in: Any, t_out: Any) -> tuple[int, int]:
    pair = pair_deployer.at(factory.getPair(t_in, t_out))
    r0, r1, _ = pair.getReserves()
    return (r0, r1) if pair.token0() == t_in.address else (r1, r0)


def test_factory_getter(router: Any, factory: Any) -> None:
    assert router.factory() == factory.address


def test_add_liquidity_creates_pair(
    router: Any, factory: Any, pair_deployer: Any, token_a: Any, token_b: Any, alice: Any
) -> None:
    token_a.faucet(alice, 10**20)
    token_b.faucet(alice, 10**20)
    with boa.env.prank(alice):
        token_a.approve(router.address, MAX)
        token_b.approve(router.address, MAX)
        amount_a, amount_b, liquidity = router.addLiquidity(
            token_a, token_b, 4 * 10**18, 9 * 10**18, 0, 0, alice, _deadline()
        )
    assert (amount_a, amount_b) == (4 * 10**18, 9 * 10**18)
    assert liquidity == 6 * 10**18 - MINIMUM_LIQUIDITY
    pair = pair_deployer.at(factory.getPair(token_a, token_b))
    assert pair.balanceOf(alice) == liquidity
    assert token_a.balanceOf(router.address) == 0 and token_b.balanceOf(router.address) == 0


def test_add_liquidity_optimal_amounts(
    router: Any,
    pools: None,
    factory: Any,
    pair_deployer: Any,
    token_a: Any,
    token_b: Any,
    trader: Any,
) -> None:
    ra, rb = _reserves(factory, pair_deployer, token_a, token_b)
    with boa.env.prank(trader):
        # B is the excess side: A is used fully, B at the pool ratio
        a, b, _ = router.addLiquidity(
            token_a, token_b, 10**18, 5 * 10**18, 0, 0, trader, _deadline()
        )
        assert (a, b) == (10**18, quote(10**18, ra, rb))
        ra, rb = _reserves(factory, pair_deployer, token_a, token_b)
        # A is the excess side
        a, b, _ = router.addLiquidity(
            token_a, token_b, 5 * 10**18, 10**18, 0, 0, trader, _deadline()
        )
        assert (a, b) == (quote(10**18, rb, ra), 10**18)


def test_add_liquidity_slippage(
    router: Any, pools: None, token_a: Any, token_b: Any, trader: Any
) -> None:
    with boa.env.prank(trader):
        with boa.reverts("INSUFFICIENT_B_AMOUNT"):
            router.addLiquidity(
                token_a, token_b, 10**18, 5 * 10**18, 0, 2 * 10**18 + 1, trader, _deadline()
            )
        with boa.reverts("INSUFFICIENT_A_AMOUNT"):
            router.addLiquidity(
                token_a, token_b, 5 * 10**18, 10**18, 10**18, 0, trader, _deadline()
            )
        with boa.reverts("EXPIRED"):
            router.addLiquidity(
                token_a, token_b, 1, 1, 0, 0, trader, boa.env.evm.patch.timestamp - 1
            )


def test_remove_liquidity(
    router: Any,
    pools: None,
    factory: Any,
    pair_deployer: Any,
    token_a: Any,
    token_b: Any,
    admin: Any,
    bob: Any,
) -> None:
    pair = pair_deployer.at(factory.getPair(token_a, token_b))
    liquidity = pair.balanceOf(admin) // 4
    ra, rb = _reserves(factory, pair_deployer, token_a, token_b)
    supply = pair.totalSupply()
    with boa.env.prank(admin):
        pair.approve(router.address, liquidity)
        with boa.reverts("INSUFFICIENT_A_AMOUNT"):
            router.removeLiquidity(token_a, token_b, liquidity, ra, 0, bob, _deadline())
        with boa.reverts("INSUFFICIENT_B_AMOUNT"):
            router.removeLiquidity(token_a, token_b, liquidity, 0, rb, bob, _deadline())
        with boa.reverts("EXPIRED"):
            router.removeLiquidity(
                token_a, token_b, liquidity, 0, 0, bob, boa.env.evm.patch.timestamp - 1
            )
        a, b = router.removeLiquidity(token_a, token_b, liquidity, 0, 0, bob, _deadline())
    assert (a, b) == (liquidity * ra // supply, liquidity * rb // supply)
    assert (token_a.balanceOf(bob), token_b.balanceOf(bob)) == (a, b)
    # reversed token order gives the same amounts, labelled the other way round
    with boa.env.prank(admin):
        pair.approve(router.address, liquidity)
        b2, a2 = router.removeLiquidity(token_b, token_a, liquidity, 0, 0, bob, _deadline())
    assert a2 > 0 and b2 > 0


def test_remove_liquidity_with_permit(
    router: Any, factory: Any, pair_deployer: Any, token_a: Any, token_b: Any, bob: Any
) -> None:
    owner = Account.create()
    with boa.env.prank(owner.address):
        token_a.faucet(owner.address, 10**20)
        token_b.faucet(owner.address, 10**20)
        token_a.approve(router.address, MAX)
        token_b.approve(router.address, MAX)
        _, _, liquidity = router.addLiquidity(
            token_a, token_b, 10**19, 10**19, 0, 0, owner.address, _deadline()
        )
    pair = pair_deployer.at(factory.getPair(token_a, token_b))
    for approve_max in (False, True):
        part = liquidity // 2
        value = MAX if approve_max else part
        deadline = _deadline()
        v, r, s = sign_token_permit(pair, owner, router.address, value, deadline)
        with boa.env.prank(owner.address):
            a, b = router.removeLiquidityWithPermit(
                token_a,
                token_b,
                part,
                0,
                0,
                bob,
                deadline,
                approve_max,
                v,
                r,
                s,
            )
        assert a > 0 and b > 0
    # a max permit is an infinite approval: spending does not decrement it
    assert pair.allowance(owner.address, router.address) == MAX
    assert pair.balanceOf(owner.address) == liquidity - 2 * (liquidity // 2)


def test_swap_exact_in_one_hop(
    router: Any,
    pools: None,
    factory: Any,
    pair_deployer: Any,
    token_a: Any,
    token_b: Any,
    trader: Any,
    bob: Any,
) -> None:
    ra, rb = _reserves(factory, pair_deployer, token_a, token_b)
    expected = get_amount_out(10**18, ra, rb)
    assert router.getAmountsOut(10**18, [token_a, token_b]) == [10**18, expected]
    with boa.env.prank(trader):
        with boa.reverts("INSUFFICIENT_OUTPUT_AMOUNT"):
            router.swapExactTokensForTokens(
                10**18, expected + 1, [token_a, token_b], bob, _deadline()
            )
        amounts = router.swapExactTokensForTokens(
            10**18, expected, [token_a, token_b], bob, _deadline()
        )
    assert amounts == [10**18, expected]
    assert token_b.balanceOf(bob) == expected
    assert _reserves(factory, pair_deployer, token_a, token_b) == (ra + 10**18, rb - expected)


def test_swap_exact_in_two_hops(
    router: Any,
    pools: None,
    factory: Any,
    pair_deployer: Any,
    token_a: Any,
    token_b: Any,
    token_c: Any,
    trader: Any,
    bob: Any,
) -> None:
    ra, rb = _reserves(factory, pair_deployer, token_a, token_b)
    rb2, rc = _reserves(factory, pair_deployer, token_b, token_c)
    mid = get_amount_out(10**18, ra, rb)
    out = get_amount_out(mid, rb2, rc)
    path = [token_a, token_b, token_c]
    assert router.getAmountsOut(10**18, path) == [10**18, mid, out]
    with boa.env.prank(trader):
        amounts = router.swapExactTokensForTokens(10**18, out, path, bob, _deadline())
    assert amounts == [10**18, mid, out]
    assert token_c.balanceOf(bob) == out
    assert token_b.balanceOf(bob) == 0  # the middle token went pair-to-pair
    assert token_b.balanceOf(router.address) == 0


def test_swap_exact_out(
    router: Any,
    pools: None,
    factory: Any,
    pair_deployer: Any,
    token_a: Any,
    token_b: Any,
    token_c: Any,
    trader: Any,
    bob: Any,
) -> None:
    rb2, rc = _reserves(factory, pair_deployer, token_b, token_c)
    ra, rb = _reserves(factory, pair_deployer, token_a, token_b)
    want = 10**6
    mid = get_amount_in(want, rb2, rc)
    first = get_amount_in(mid, ra, rb)
    path = [token_a, token_b, token_c]
    assert router.getAmountsIn(want, path) == [first, mid, want]
    before = token_a.balanceOf(trader)
    with boa.env.prank(trader):
        with boa.reverts("EXCESSIVE_INPUT_AMOUNT"):
            router.swapTokensForExactTokens(want, first - 1, path, bob, _deadline())
        amounts = router.swapTokensForExactTokens(want, first, path, bob, _deadline())
    assert amounts == [first, mid, want]
    assert token_c.balanceOf(bob) >= want
    assert before - token_a.balanceOf(trader) == first


def test_swap_reverse_direction(
    router: Any,
    pools: None,
    factory: Any,
    pair_deployer: Any,
    token_a: Any,
    token_b: Any,
    token_c: Any,
    trader: Any,
    bob: Any,
) -> None:
    path = [token_c, token_b, token_a]
    amounts = router.getAmountsOut(10**6, path)
    with boa.env.prank(trader):
        assert (
            router.swapExactTokensForTokens(10**6, amounts[-1], path, bob, _deadline()) == amounts
        )
    assert token_a.balanceOf(bob) == amounts[-1]


def test_swap_reverts(
    router: Any, pools: None, token_a: Any, token_b: Any, token_c: Any, trader: Any, bob: Any
) -> None:
    past = boa.env.evm.patch.timestamp - 1
    unknown = named_address("unknown")
    with boa.env.prank(trader):
        with boa.reverts("EXPIRED"):
            router.swapExactTokensForTokens(1, 0, [token_a, token_b], bob, past)
        with boa.reverts("EXPIRED"):
            router.swapTokensForExactTokens(1, MAX, [token_a, token_b], bob, past)
        with boa.reverts("INVALID_PATH"):
            router.swapExactTokensForTokens(1, 0, [token_a], bob, _deadline())
        with boa.reverts("INVALID_PATH"):
            router.getAmountsIn(1, [token_a])
        with boa.reverts("PAIR_NOT_FOUND"):
            router.swapExactTokensForTokens(10**18, 0, [token_a, token_c], bob, _deadline())
        with boa.reverts("PAIR_NOT_FOUND"):
            router.getAmountsOut(10**18, [token_a, unknown])
        with boa.reverts("INSUFFICIENT_INPUT_AMOUNT"):
            router.swapExactTokensForTokens(0, 0, [token_a, token_b], bob, _deadline())
        with boa.reverts("INSUFFICIENT_LIQUIDITY"):
            router.swapTokensForExactTokens(10**30, MAX, [token_a, token_b], bob, _deadline())


def test_remove_unknown_pair(router: Any, token_a: Any, bob: Any) -> None:
    with boa.reverts("PAIR_NOT_FOUND"):
        router.removeLiquidity(token_a, boa.env.generate_address(), 1, 0, 0, bob, _deadline())


def test_transfer_from_failed(router: Any, token_a: Any, trader: Any, bob: Any) -> None:
    bad = boa.load_partial("tests/contracts/dex/BadToken.vy").deploy()
    bad.mint(trader, 10**20)
    with boa.env.prank(trader):
        bad.approve(router.address, MAX)
        router.addLiquidity(token_a, bad, 10**18, 10**18, 0, 0, trader, _deadline())
    bad.set_fail(True)
    with boa.env.prank(trader), boa.reverts("TRANSFER_FROM_FAILED"):
        router.swapExactTokensForTokens(10**17, 0, [bad, token_a], bob, _deadline())
