"""Protocol fee: with feeTo set, 1/6 of the growth in sqrt(k) is minted to feeTo (Uniswap V2)."""

from __future__ import annotations

from typing import Any

import boa

from .conftest import add_liquidity
from .reference import get_amount_out, protocol_fee_liquidity


def _swap_round_trip(pair: Any, token0: Any, token1: Any, who: Any, amount: int) -> None:
    r0, r1, _ = pair.getReserves()
    out = get_amount_out(amount, r0, r1)
    token0.faucet(pair.address, amount)
    pair.swap(0, out, who, b"")
    r0, r1, _ = pair.getReserves()
    out = get_amount_out(amount, r1, r0)
    token1.faucet(pair.address, amount)
    pair.swap(out, 0, who, b"")


def test_fee_off_keeps_klast_zero(
    pair: Any, token0: Any, token1: Any, alice: Any, bob: Any
) -> None:
    add_liquidity(pair, token0, token1, 10**20, 10**20, alice)
    _swap_round_trip(pair, token0, token1, bob, 10**19)
    add_liquidity(pair, token0, token1, 10**18, 10**18, alice)
    assert pair.kLast() == 0


def test_fee_on_mints_one_sixth_of_growth(
    pair: Any, factory: Any, token0: Any, token1: Any, admin: Any, alice: Any, bob: Any
) -> None:
    fee_to = boa.env.generate_address("fee_to")
    with boa.env.prank(admin):
        factory.setFeeTo(fee_to)
    add_liquidity(pair, token0, token1, 10**20, 10**20, alice)
    k_last = pair.kLast()
    assert k_last == 10**40
    for _ in range(3):
        _swap_round_trip(pair, token0, token1, bob, 10**19)
    r0, r1, _ = pair.getReserves()
    supply = pair.totalSupply()
    expected = protocol_fee_liquidity(supply, r0 * r1, k_last)
    assert expected > 0

    liquidity = pair.balanceOf(alice)
    with boa.env.prank(alice):
        pair.transfer(pair.address, liquidity)
        pair.burn(alice)
    assert pair.balanceOf(fee_to) == expected
    r0, r1, _ = pair.getReserves()
    assert pair.kLast() == r0 * r1
    # fee_to's share is worth ~1/6 of the LP fees: positive, and less than alice's gain
    assert token0.balanceOf(fee_to) == 0


def test_fee_switched_off_resets_klast(
    pair: Any, factory: Any, token0: Any, token1: Any, admin: Any, alice: Any
) -> None:
    fee_to = boa.env.generate_address("fee_to")
    with boa.env.prank(admin):
        factory.setFeeTo(fee_to)
    add_liquidity(pair, token0, token1, 10**20, 10**20, alice)
    assert pair.kLast() != 0
    with boa.env.prank(admin):
        factory.setFeeTo("0x0000000000000000000000000000000000000000")
    add_liquidity(pair, token0, token1, 10**18, 10**18, alice)
    assert pair.kLast() == 0
    assert pair.balanceOf(fee_to) == 0


def test_no_fee_without_growth(
    pair: Any, factory: Any, token0: Any, token1: Any, admin: Any, alice: Any
) -> None:
    fee_to = boa.env.generate_address("fee_to")
    with boa.env.prank(admin):
        factory.setFeeTo(fee_to)
    add_liquidity(pair, token0, token1, 10**20, 10**20, alice)
    add_liquidity(pair, token0, token1, 10**19, 10**19, alice)
    assert pair.balanceOf(fee_to) == 0
