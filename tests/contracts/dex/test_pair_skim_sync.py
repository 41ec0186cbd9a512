"""Pair donations: skim returns the excess, sync adopts it; neither moves value between LPs."""

from __future__ import annotations

from typing import Any

import boa

from .conftest import add_liquidity


def test_skim_returns_donations(pair: Any, token0: Any, token1: Any, alice: Any, bob: Any) -> None:
    add_liquidity(pair, token0, token1, 10**18, 2 * 10**18, alice)
    token0.faucet(pair.address, 123)
    token1.faucet(pair.address, 456)
    pair.skim(bob)
    assert (token0.balanceOf(bob), token1.balanceOf(bob)) == (123, 456)
    assert pair.getReserves()[:2] == (10**18, 2 * 10**18)
    assert token0.balanceOf(pair.address) == 10**18
    pair.skim(bob)  # nothing left: a no-op without any (empty) transfer
    assert pair.get_logs() == []
    assert (token0.balanceOf(bob), token1.balanceOf(bob)) == (123, 456)


def test_skim_one_side_only_touches_that_token(
    pair: Any, token0: Any, token1: Any, bob: Any
) -> None:
    # before the first mint, a one-sided donation is skimmable without calling the other token
    token1.faucet(pair.address, 789)
    pair.skim(bob)
    transfers = [(e.address, e.value) for e in pair.get_logs()]
    assert transfers == [(token1.address, 789)]
    assert token1.balanceOf(bob) == 789
    assert token0.balanceOf(bob) == 0


def test_sync_adopts_donations(pair: Any, token0: Any, token1: Any, alice: Any) -> None:
    add_liquidity(pair, token0, token1, 10**18, 2 * 10**18, alice)
    token0.faucet(pair.address, 10**18)
    pair.sync()
    logs = [e for e in pair.get_logs() if type(e).__name__ == "Sync"]
    assert pair.getReserves()[:2] == (2 * 10**18, 2 * 10**18)
    assert [(e.reserve0, e.reserve1) for e in logs] == [(2 * 10**18, 2 * 10**18)]


def test_donation_before_first_mint_cannot_set_the_price(
    pair: Any, token0: Any, token1: Any, alice: Any, bob: Any
) -> None:
    # pre-liquidity reserves stay zero: sync is refused, the donation remains skimmable
    token0.faucet(pair.address, 10**18)
    with boa.reverts("NO_LIQUIDITY"):
        pair.sync()
    assert pair.getReserves()[:2] == (0, 0)
    pair.skim(bob)
    assert token0.balanceOf(bob) == 10**18
    # the first depositor then sets exactly the ratio they deposit
    add_liquidity(pair, token0, token1, 2 * 10**18, 5 * 10**18, alice)
    assert pair.getReserves()[:2] == (2 * 10**18, 5 * 10**18)


def test_skim_after_overflowing_donation(
    pair: Any, token0: Any, token1: Any, admin: Any, alice: Any, bob: Any
) -> None:
    add_liquidity(pair, token0, token1, 10**18, 10**18, alice)
    with boa.env.prank(admin):
        token0.mint(pair.address, 2**112)
    with boa.reverts("OVERFLOW"):
        pair.sync()
    pair.skim(bob)
    assert token0.balanceOf(bob) == 2**112
    pair.sync()
    assert pair.getReserves()[:2] == (10**18, 10**18)
