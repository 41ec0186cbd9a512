"""Pair mint/burn: MINIMUM_LIQUIDITY lock, proportional shares, rounding, reverts, events."""

from __future__ import annotations

from math import isqrt
from typing import Any

import boa
from hypothesis import given, settings
from hypothesis import strategies as st

from .conftest import add_liquidity
from .reference import MINIMUM_LIQUIDITY, first_mint_liquidity

DEAD = "0x000000000000000000000000000000000000dEaD"


def test_first_mint_locks_minimum_liquidity(
    pair: Any, token0: Any, token1: Any, alice: Any
) -> None:
    liquidity = add_liquidity(pair, token0, token1, 10**18, 4 * 10**18, alice)
    mint_logs = [e for e in pair.get_logs() if type(e).__name__ == "Mint"]
    sync_logs = [e for e in pair.get_logs() if type(e).__name__ == "Sync"]
    assert liquidity == 2 * 10**18 - MINIMUM_LIQUIDITY
    assert pair.balanceOf(alice) == liquidity
    assert pair.balanceOf(DEAD) == MINIMUM_LIQUIDITY
    assert pair.totalSupply() == 2 * 10**18
    r0, r1, _ = pair.getReserves()
    assert (r0, r1) == (10**18, 4 * 10**18)
    assert [(e.amount0, e.amount1) for e in mint_logs] == [(10**18, 4 * 10**18)]
    assert [(e.reserve0, e.reserve1) for e in sync_logs] == [(10**18, 4 * 10**18)]


def test_first_mint_too_small(pair: Any, token0: Any, token1: Any, alice: Any) -> None:
    # sqrt(1000 * 1000) == MINIMUM_LIQUIDITY leaves nothing for the depositor
    for amount0, amount1 in [(1000, 1000), (10**6, 0), (0, 0)]:
        with boa.env.anchor(), boa.reverts("INSUFFICIENT_LIQUIDITY_MINTED"):
            add_liquidity(pair, token0, token1, amount0, amount1, alice)


def test_subsequent_mint_takes_the_smaller_share(
    pair: Any, token0: Any, token1: Any, alice: Any, bob: Any
) -> None:
    add_liquidity(pair, token0, token1, 10**18, 4 * 10**18, alice)
    total = pair.totalSupply()
    # unbalanced: the excess token1 is donated to the pool, not credited
    liquidity = add_liquidity(pair, token0, token1, 10**17, 10**18, bob)
    assert liquidity == min(10**17 * total // 10**18, 10**18 * total // (4 * 10**18))
    assert liquidity == total // 10
    with boa.reverts("INSUFFICIENT_LIQUIDITY_MINTED"):
        add_liquidity(pair, token0, token1, 0, 10**18, bob)


def test_burn_returns_pro_rata(pair: Any, token0: Any, token1: Any, alice: Any, bob: Any) -> None:
    liquidity = add_liquidity(pair, token0, token1, 3 * 10**18, 5 * 10**18, alice)
    with boa.env.prank(alice):
        pair.transfer(pair.address, liquidity // 3)
        amount0, amount1 = pair.burn(bob)
    logs = [e for e in pair.get_logs() if type(e).__name__ == "Burn"]
    total = isqrt(15 * 10**36)
    assert amount0 == (liquidity // 3) * 3 * 10**18 // total
    assert amount1 == (liquidity // 3) * 5 * 10**18 // total
    assert token0.balanceOf(bob) == amount0
    assert token1.balanceOf(bob) == amount1
    assert [(e.sender, e.amount0, e.amount1, e.to) for e in logs] == [
        (alice, amount0, amount1, bob)
    ]
    assert pair.getReserves()[:2] == (3 * 10**18 - amount0, 5 * 10**18 - amount1)
    assert pair.totalSupply() == total - liquidity // 3


def test_burn_nothing(pair: Any, token0: Any, token1: Any, alice: Any) -> None:
    add_liquidity(pair, token0, token1, 10**18, 10**18, alice)
    with boa.reverts("INSUFFICIENT_LIQUIDITY_BURNED"):
        pair.burn(alice)


def test_mint_overflow(pair: Any, token0: Any, token1: Any, admin: Any, alice: Any) -> None:
    with boa.env.prank(admin):
        token0.mint(pair.address, 2**112)
        token1.mint(pair.address, 10**18)
    with boa.reverts("OVERFLOW"):
        pair.mint(alice)


def test_transfer_failed(
    factory: Any, pair_deployer: Any, token_a: Any, alice: Any, bob: Any
) -> None:
    bad = boa.load_partial("tests/contracts/dex/BadToken.vy").deploy()
    pair = pair_deployer.at(factory.createPair(token_a, bad))
    token_a.faucet(pair.address, 10**18)
    bad.mint(pair.address, 10**18)
    liquidity = pair.mint(alice)
    bad.set_fail(True)
    with boa.env.prank(alice):
        pair.transfer(pair.address, liquidity)
    with boa.reverts("TRANSFER_FAILED"):
        pair.burn(bob)


@settings(max_examples=30)
@given(
    seed0=st.integers(min_value=10**4, max_value=10**27),
    seed1=st.integers(min_value=10**4, max_value=10**27),
    frac=st.fractions(min_value=0, max_value=1),
)
def test_round_trip_never_returns_more(
    pair: Any, token0: Any, token1: Any, alice: Any, bob: Any, seed0: int, seed1: int, frac: Any
) -> None:
    with boa.env.anchor():
        if isqrt(seed0 * seed1) <= MINIMUM_LIQUIDITY:
            return
        first = add_liquidity(pair, token0, token1, seed0, seed1, alice)
        assert first == first_mint_liquidity(seed0, seed1)
        add0 = max(1, int(seed0 * frac))
        add1 = max(1, int(seed1 * frac))
        total = pair.totalSupply()
        expected = min(add0 * total // seed0, add1 * total // seed1)
        if expected == 0:
            return
        minted = add_liquidity(pair, token0, token1, add0, add1, bob)
        assert minted == expected
        with boa.env.prank(bob):
            pair.transfer(pair.address, minted)
        r0, r1, _ = pair.getReserves()
        total = pair.totalSupply()
        if minted * r0 // total == 0 or minted * r1 // total == 0:
            return
        with boa.env.prank(bob):
            out0, out1 = pair.burn(bob)
        # a deposit-withdraw round trip never profits
        assert out0 <= add0 and out1 <= add1
        assert token0.balanceOf(pair.address) == pair.getReserves()[0]
        assert token1.balanceOf(pair.address) == pair.getReserves()[1]
