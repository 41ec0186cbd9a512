"""The LP token: ERC-20 metadata, transfers, EIP-2612 permit with the pair as verifying contract."""

from __future__ import annotations

from typing import Any

import boa
from eth_account import Account
from eth_utils import keccak

from tests.contracts.permit import sign_token_permit

from .conftest import add_liquidity


def test_metadata(pair: Any) -> None:
    assert pair.name() == "FOMO DEX LP"
    assert pair.symbol() == "FLP"
    assert pair.decimals() == 18
    assert pair.PERMIT_TYPEHASH() == keccak(
        text="Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    )


def test_transfer_and_allowance(pair: Any, token0: Any, token1: Any, alice: Any, bob: Any) -> None:
    liquidity = add_liquidity(pair, token0, token1, 10**18, 10**18, alice)
    with boa.env.prank(alice):
        pair.approve(bob, liquidity)
    with boa.env.prank(bob):
        pair.transferFrom(alice, bob, liquidity)
    assert pair.balanceOf(bob) == liquidity
    assert pair.balanceOf(alice) == 0


def test_permit(pair: Any, token0: Any, token1: Any, bob: Any) -> None:
    owner = Account.create()
    add_liquidity(pair, token0, token1, 10**18, 10**18, owner.address)
    deadline = boa.env.evm.patch.timestamp + 60
    v, r, s = sign_token_permit(pair, owner, bob, 5, deadline)
    boa.env.time_travel(seconds=61)
    with boa.reverts("erc20: expired deadline"):
        pair.permit(owner.address, bob, 5, deadline, v, r, s)
    boa.env.time_travel(seconds=-61)
    pair.permit(owner.address, bob, 5, deadline, v, r, s)
    assert pair.allowance(owner.address, bob) == 5
