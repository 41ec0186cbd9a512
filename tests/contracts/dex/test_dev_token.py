"""DevToken: ERC-20 basics, owner mint, bounded faucet only where enabled, holder burn, permit."""

from __future__ import annotations

from typing import Any

import boa
import pytest
from eth_account import Account
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.contracts.permit import sign_token_permit

from .conftest import FLOCK_CAP

ZERO = "0x0000000000000000000000000000000000000000"


def test_metadata(flock: Any, usdc: Any, admin: Any) -> None:
    assert (flock.name(), flock.symbol(), flock.decimals()) == ("Flock", "FLOCK", 18)
    assert (usdc.name(), usdc.symbol(), usdc.decimals()) == ("USD Coin", "USDC", 6)
    assert flock.owner() == admin
    assert flock.FAUCET_ENABLED() is True
    assert flock.FAUCET_CAP() == FLOCK_CAP
    assert flock.totalSupply() == 0


def test_owner_mint_and_non_owner_mint(flock: Any, admin: Any, alice: Any) -> None:
    with boa.env.prank(admin):
        flock.mint(alice, 5 * 10**18)
    assert flock.balanceOf(alice) == 5 * 10**18
    assert flock.totalSupply() == 5 * 10**18
    with boa.env.prank(alice), boa.reverts("erc20: access is denied"):
        flock.mint(alice, 1)


def test_faucet_bounded(flock: Any, alice: Any, bob: Any) -> None:
    with boa.env.prank(bob):
        flock.faucet(alice, FLOCK_CAP)
    assert flock.balanceOf(alice) == FLOCK_CAP
    with boa.reverts("over faucet cap"):
        flock.faucet(alice, FLOCK_CAP + 1)
    with boa.reverts("zero amount"):
        flock.faucet(alice, 0)


def test_faucet_disabled(token_deployer: Any, alice: Any) -> None:
    real = token_deployer.deploy("Flock", "FLOCK", 18, False, 0)
    assert real.FAUCET_ENABLED() is False
    with boa.reverts("faucet disabled"):
        real.faucet(alice, 1)
    assert real.totalSupply() == 0


def test_constructor_bounds(token_deployer: Any) -> None:
    with boa.reverts("zero faucet cap"):
        token_deployer.deploy("Flock", "FLOCK", 18, True, 0)
    with boa.reverts("faucet cap too high"):
        token_deployer.deploy("Flock", "FLOCK", 18, True, 10**30 + 1)
    with boa.reverts("bad decimals"):
        token_deployer.deploy("Flock", "FLOCK", 37, False, 0)


def test_burn_emits_transfer_to_zero_and_reduces_supply(flock: Any, alice: Any) -> None:
    flock.faucet(alice, 10**21)
    with boa.env.prank(alice):
        flock.burn(4 * 10**20)
    transfers = [e for e in flock.get_logs() if type(e).__name__ == "Transfer"]
    assert flock.balanceOf(alice) == 6 * 10**20
    assert flock.totalSupply() == 6 * 10**20
    assert len(transfers) == 1
    assert transfers[0].sender == alice
    assert transfers[0].receiver == ZERO
    assert transfers[0].value == 4 * 10**20
    with boa.env.prank(alice), boa.reverts("erc20: burn amount exceeds balance"):
        flock.burn(6 * 10**20 + 1)


def test_transfer_and_allowance(usdc: Any, alice: Any, bob: Any) -> None:
    usdc.faucet(alice, 1_000_000)
    with boa.env.prank(alice):
        usdc.approve(bob, 400_000)
    with boa.env.prank(bob):
        usdc.transferFrom(alice, bob, 300_000)
        with boa.reverts("erc20: insufficient allowance"):
            usdc.transferFrom(alice, bob, 100_001)
    assert usdc.balanceOf(bob) == 300_000
    assert usdc.allowance(alice, bob) == 100_000
    with boa.env.prank(alice), boa.reverts("erc20: transfer amount exceeds balance"):
        usdc.transfer(bob, 700_001)


def test_permit(flock: Any, bob: Any) -> None:
    owner = Account.create()
    deadline = boa.env.evm.patch.timestamp + 3600
    v, r, s = sign_token_permit(flock, owner, bob, 777, deadline)
    flock.permit(
        owner.address,
        bob,
        777,
        deadline,
        v,
        r,
        s,
    )
    assert flock.allowance(owner.address, bob) == 777
    assert flock.nonces(owner.address) == 1
    # replaying the same signature fails: the nonce moved on
    with boa.reverts("erc20: invalid signature"):
        flock.permit(
            owner.address,
            bob,
            777,
            deadline,
            v,
            r,
            s,
        )


@settings(max_examples=25)
@given(
    mints=st.lists(st.integers(min_value=1, max_value=FLOCK_CAP), min_size=1, max_size=5),
    burn_frac=st.fractions(min_value=0, max_value=1),
)
def test_supply_equals_sum_of_balances(
    flock: Any, alice: Any, bob: Any, mints: list[int], burn_frac: Any
) -> None:
    with boa.env.anchor():
        for i, amount in enumerate(mints):
            flock.faucet(alice if i % 2 == 0 else bob, amount)
        burn = int(flock.balanceOf(alice) * burn_frac)
        with boa.env.prank(alice):
            flock.burn(burn)
        assert flock.totalSupply() == flock.balanceOf(alice) + flock.balanceOf(bob)
        assert flock.totalSupply() == sum(mints) - burn


@pytest.mark.parametrize("amount", [1, FLOCK_CAP])
def test_faucet_event(flock: Any, alice: Any, bob: Any, amount: int) -> None:
    with boa.env.prank(bob):
        flock.faucet(alice, amount)
    logs = flock.get_logs()
    assert [type(e).__name__ for e in logs] == ["Transfer", "Faucet"]
    assert (logs[1].caller, logs[1].to, logs[1].amount) == (bob, alice, amount)
    assert flock.balanceOf(alice) == amount
