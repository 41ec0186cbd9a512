"""PaymentVault.vy: deposits, settlement records, withdrawals, destinations, roles, reverts."""

from __future__ import annotations

from typing import Any

import boa
import pytest
from eth_utils import keccak

from fomo.chain.sources import contract_path

from .helpers import ZERO_ADDRESS

DAY = 86400
SETTLER = keccak(text="SETTLER")
OPERATOR = keccak(text="OPERATOR")
VAULT = str(contract_path("economy/PaymentVault.vy"))


@pytest.fixture(scope="module")
def usdc(make_token: Any) -> Any:
    return make_token("USDC", 6)


@pytest.fixture(scope="module")
def router() -> Any:
    return boa.env.generate_address("router")


@pytest.fixture(scope="module")
def treasury() -> Any:
    return boa.env.generate_address("treasury")


@pytest.fixture(scope="module")
def settler() -> Any:
    return boa.env.generate_address("settler")


@pytest.fixture(scope="module")
def operator() -> Any:
    return boa.env.generate_address("operator")


@pytest.fixture(scope="module")
def vault(admin: Any, usdc: Any, router: Any, treasury: Any, settler: Any, operator: Any) -> Any:
    v = boa.load(VAULT, admin, usdc, router, treasury)
    with boa.env.prank(admin):
        v.grant_role(SETTLER, settler)
        v.grant_role(OPERATOR, operator)
    return v


@pytest.fixture(scope="module", autouse=True)
def funded(vault: Any, usdc: Any, alice: Any, bob: Any) -> None:
    for who in (alice, bob):
        usdc.faucet(who, 10**12)
        with boa.env.prank(who):
            usdc.approve(vault, 2**256 - 1)


def today() -> int:
    return int(boa.env.evm.patch.timestamp) // DAY


def deposit(vault: Any, payer: Any, account: Any, amount: int) -> None:
    with boa.env.prank(payer):
        vault.deposit(account, amount)


def test_constructor(admin: Any, usdc: Any, router: Any, treasury: Any) -> None:
    v = boa.load(VAULT, admin, usdc, router, treasury)
    assert (v.admin(), v.USDC(), v.router(), v.treasury()) == (
        admin,
        usdc.address,
        router,
        treasury,
    )
    with boa.reverts("zero address"):
        boa.load(VAULT, admin, ZERO_ADDRESS, router, treasury)
    with boa.reverts("zero address"):
        boa.load(VAULT, admin, usdc, ZERO_ADDRESS, treasury)
    with boa.reverts("bad destination"):
        boa.load(VAULT, admin, usdc, router, usdc)


def test_deposit_credits_account(vault: Any, usdc: Any, alice: Any, bob: Any) -> None:
    deposit(vault, alice, bob, 5_000_000)
    e = vault.get_logs()[-1]
    assert type(e).__name__ == "Deposited"
    assert (e.payer, e.account, e.amount) == (alice, bob, 5_000_000)
    deposit(vault, alice, alice, 1)
    assert vault.deposits(bob) == 5_000_000
    assert vault.deposits(alice) == 1
    assert vault.total_deposited() == 5_000_001
    assert usdc.balanceOf(vault) == 5_000_001
    assert usdc.balanceOf(alice) == 10**12 - 5_000_001


def test_deposit_reverts(vault: Any, usdc: Any, alice: Any, carol: Any) -> None:
    with boa.env.prank(alice), boa.reverts("zero amount"):
        vault.deposit(alice, 0)
    with boa.env.prank(alice), boa.reverts("zero address"):
        vault.deposit(ZERO_ADDRESS, 1)
    with boa.env.prank(carol), boa.reverts():  # no allowance, no balance
        vault.deposit(carol, 1)
    assert vault.total_deposited() == 0


def test_record_settlement(vault: Any, settler: Any, alice: Any) -> None:
    deposit(vault, alice, alice, 1000)
    day = today()
    with boa.env.prank(settler):
        vault.record_settlement(day - 1, 600)
    e = vault.get_logs()[-1]
    assert type(e).__name__ == "RevenueSettled"
    assert (e.epoch, e.amount, e.total_settled, e.settler) == (day - 1, 600, 600, settler)
    assert vault.settled(day - 1) == 600
    assert vault.is_settled(day - 1)
    assert vault.total_settled() == 600
    assert vault.withdrawable() == 600
    # A zero-revenue day can be recorded, and then not again.
    with boa.env.prank(settler):
        vault.record_settlement(day - 2, 0)
    assert vault.is_settled(day - 2)
    with boa.env.prank(settler), boa.reverts("epoch settled"):
        vault.record_settlement(day - 2, 1)


def test_record_settlement_reverts(
    vault: Any, settler: Any, operator: Any, admin: Any, alice: Any
) -> None:
    deposit(vault, alice, alice, 1000)
    day = today()
    for who in (operator, admin, alice):
        with boa.env.prank(who), boa.reverts("missing role"):
            vault.record_settlement(day - 1, 1)
    with boa.env.prank(settler), boa.reverts("epoch not over"):
        vault.record_settlement(day, 1)
    with boa.env.prank(settler), boa.reverts("exceeds deposits"):
        vault.record_settlement(day - 1, 1001)
    with boa.env.prank(settler):
        vault.record_settlement(day - 1, 1000)
        with boa.reverts("epoch settled"):
            vault.record_settlement(day - 1, 0)
        with boa.reverts("exceeds deposits"):
            vault.record_settlement(day - 3, 1)


def test_withdraw_to_router_and_treasury(
    vault: Any, usdc: Any, settler: Any, operator: Any, router: Any, treasury: Any, alice: Any
) -> None:
    deposit(vault, alice, alice, 1000)
    with boa.env.prank(settler):
        vault.record_settlement(today() - 1, 700)
    with boa.env.prank(operator):
        vault.withdraw(router, 400)
    e = vault.get_logs()[-1]
    assert type(e).__name__ == "RevenueWithdrawn"
    assert (e.to, e.amount, e.total_withdrawn, e.operator) == (router, 400, 400, operator)
    with boa.env.prank(operator):
        vault.withdraw(treasury, 300)
    assert usdc.balanceOf(router) == 400
    assert usdc.balanceOf(treasury) == 300
    assert usdc.balanceOf(vault) == 300
    assert vault.total_withdrawn() == 700
    assert vault.withdrawable() == 0
    with boa.env.prank(operator), boa.reverts("exceeds settled"):
        vault.withdraw(router, 1)


def test_withdraw_reverts(
    vault: Any, settler: Any, operator: Any, admin: Any, router: Any, alice: Any
) -> None:
    deposit(vault, alice, alice, 1000)
    with boa.env.prank(operator), boa.reverts("exceeds settled"):
        vault.withdraw(router, 1)  # deposited but not settled
    with boa.env.prank(settler):
        vault.record_settlement(today() - 1, 500)
    for who in (settler, admin, alice):
        with boa.env.prank(who), boa.reverts("missing role"):
            vault.withdraw(router, 1)
    with boa.env.prank(operator), boa.reverts("bad destination"):
        vault.withdraw(alice, 1)
    with boa.env.prank(operator), boa.reverts("bad destination"):
        vault.withdraw(operator, 1)
    with boa.env.prank(operator), boa.reverts("zero amount"):
        vault.withdraw(router, 0)
    with boa.env.prank(operator), boa.reverts("exceeds settled"):
        vault.withdraw(router, 501)


def test_set_destinations(vault: Any, usdc: Any, admin: Any, operator: Any, alice: Any) -> None:
    new_router = boa.env.generate_address("router2")
    new_treasury = boa.env.generate_address("treasury2")
    old_router = vault.router()
    with boa.env.prank(alice), boa.reverts("not admin"):
        vault.set_router(new_router)
    with boa.env.prank(alice), boa.reverts("not admin"):
        vault.set_treasury(new_treasury)
    with boa.env.prank(admin):
        for bad, reason in ((ZERO_ADDRESS, "zero address"), (vault, "bad destination")):
            with boa.reverts(reason):
                vault.set_router(bad)
            with boa.reverts(reason):
                vault.set_treasury(bad)
        with boa.reverts("bad destination"):
            vault.set_router(usdc)
        vault.set_router(new_router)
        e = vault.get_logs()[-1]
        assert (e.previous_router, e.new_router) == (old_router, new_router)
        vault.set_treasury(new_treasury)
        assert type(vault.get_logs()[-1]).__name__ == "TreasuryUpdated"
    assert vault.router() == new_router
    assert vault.treasury() == new_treasury
    # The old router is no longer a destination.
    with boa.env.prank(operator), boa.reverts("bad destination"):
        vault.withdraw(old_router, 1)


def test_donation_is_not_withdrawable(
    vault: Any, usdc: Any, operator: Any, router: Any, alice: Any
) -> None:
    with boa.env.prank(alice):
        usdc.transfer(vault, 10**6)
    with boa.env.prank(operator), boa.reverts("exceeds settled"):
        vault.withdraw(router, 1)
