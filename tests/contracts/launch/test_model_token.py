"""ModelToken: unminted at launch, minted exactly once by the launchpad, burnable, permit."""

from __future__ import annotations

import boa
from eth_account import Account

from fomo.economics.curve import TOTAL_SUPPLY, WAD
from tests.contracts.launch.helpers import Stack
from tests.contracts.permit import sign_permit


def _fresh_token(stack: Stack, minter: str) -> object:
    with boa.env.prank(minter):
        return stack.mt_deployer.deploy("Model", "MDL")


def test_only_minter_mints_and_only_once(stack: Stack) -> None:
    minter = stack.users[0]
    mt = _fresh_token(stack, minter)
    assert mt.totalSupply() == 0 and not mt.minting_closed()
    with boa.env.prank(stack.users[1]), boa.reverts("not minter"):
        mt.mint_once([stack.users[1]], [1])
    with boa.env.prank(minter), boa.reverts("length mismatch"):
        mt.mint_once([stack.users[1]], [1, 2])
    with boa.env.prank(minter):
        mt.mint_once([stack.users[1], stack.users[2]], [5, 7])
    assert mt.totalSupply() == 12 and mt.minting_closed()
    with boa.env.prank(minter), boa.reverts("minting closed"):
        mt.mint_once([minter], [1])
    # snekmate's own mint is not exported.
    assert not hasattr(mt, "mint") and not hasattr(mt, "set_minter")


def test_empty_metadata_rejected(stack: Stack) -> None:
    with boa.reverts("empty name"):
        stack.mt_deployer.deploy("", "X")
    with boa.reverts("empty symbol"):
        stack.mt_deployer.deploy("X", "")


def test_graduated_token_is_closed_and_burnable(stack: Stack) -> None:
    mt = stack.create(first_buy=1_000 * WAD)
    stack.fill_to_max(mt, stack.users[0])
    assert mt.minting_closed() and mt.totalSupply() == TOTAL_SUPPLY
    with boa.env.prank(stack.launchpad.address), boa.reverts("minting closed"):
        mt.mint_once([stack.users[0]], [1])
    with boa.env.prank(stack.users[0]):
        stack.launchpad.claim(mt.address)
        mt.burn(WAD)
    assert mt.totalSupply() == TOTAL_SUPPLY - WAD


def test_permit(stack: Stack) -> None:
    owner = Account.create()
    spender = stack.users[1]
    mt = _fresh_token(stack, stack.users[0])
    with boa.env.prank(stack.users[0]):
        mt.mint_once([owner.address], [100])
    deadline = boa.env.evm.patch.timestamp + 3600
    v, r, s = sign_permit(
        owner, token=mt.address, name="Model", spender=spender, value=60, nonce=0, deadline=deadline
    )
    mt.permit(
        owner.address,
        spender,
        60,
        deadline,
        v,
        r,
        s,
    )
    assert mt.allowance(owner.address, spender) == 60
    with boa.env.prank(spender):
        mt.transferFrom(owner.address, spender, 60)
    assert mt.balanceOf(spender) == 60
