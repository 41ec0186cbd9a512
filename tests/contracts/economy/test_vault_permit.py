"""PaymentVault.deposit_with_permit: one-transaction deposits with an EIP-2612 signature."""

from __future__ import annotations

from typing import Any

import boa
import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount

from fomo.chain.sources import contract_path
from tests.contracts.permit import sign_token_permit

VAULT = str(contract_path("economy/PaymentVault.vy"))


@pytest.fixture(scope="module")
def usdc(make_token: Any) -> Any:
    return make_token("USDC", 6)


@pytest.fixture(scope="module")
def vault(admin: Any, usdc: Any) -> Any:
    return boa.load(
        VAULT, admin, usdc, boa.env.generate_address("r"), boa.env.generate_address("t")
    )


@pytest.fixture(scope="module")
def signer(usdc: Any) -> LocalAccount:
    acct: LocalAccount = Account.from_key(b"\x11" * 32)
    usdc.faucet(acct.address, 10**12)
    return acct


def deadline() -> int:
    return int(boa.env.evm.patch.timestamp) + 3600


def test_deposit_with_permit(vault: Any, usdc: Any, signer: LocalAccount, bob: Any) -> None:
    d = deadline()
    v, r, s = sign_token_permit(usdc, signer, vault.address, 5_000_000, d)
    with boa.env.prank(signer.address):
        vault.deposit_with_permit(bob, 5_000_000, d, v, r, s)
    e = vault.get_logs()[-1]
    assert type(e).__name__ == "Deposited"
    assert (e.payer, e.account, e.amount) == (signer.address, bob, 5_000_000)
    assert vault.deposits(bob) == 5_000_000
    assert usdc.balanceOf(vault) == 5_000_000
    assert usdc.allowance(signer.address, vault) == 0


def test_front_run_permit_does_not_block_deposit(
    vault: Any, usdc: Any, signer: LocalAccount, alice: Any
) -> None:
    d = deadline()
    v, r, s = sign_token_permit(usdc, signer, vault.address, 700, d)
    # Someone copies the permit from the mempool and submits it first.
    with boa.env.prank(alice):
        usdc.permit(signer.address, vault, 700, d, v, r, s)
    with boa.env.prank(signer.address):
        vault.deposit_with_permit(signer.address, 700, d, v, r, s)
    assert vault.deposits(signer.address) == 700


def test_permit_signed_for_someone_else_fails(
    vault: Any, usdc: Any, signer: LocalAccount, alice: Any
) -> None:
    d = deadline()
    v, r, s = sign_token_permit(usdc, signer, vault.address, 700, d)
    # Only the signer can use its permit: the vault permits for msg.sender.
    with boa.env.prank(alice), boa.reverts("erc20: invalid signature"):
        vault.deposit_with_permit(alice, 700, d, v, r, s)
    assert vault.total_deposited() == 0


def test_permit_for_wrong_amount_fails(vault: Any, usdc: Any, signer: LocalAccount) -> None:
    d = deadline()
    v, r, s = sign_token_permit(usdc, signer, vault.address, 700, d)
    with boa.env.prank(signer.address), boa.reverts("erc20: invalid signature"):
        vault.deposit_with_permit(signer.address, 701, d, v, r, s)
    assert vault.total_deposited() == 0


def test_expired_permit_fails(vault: Any, usdc: Any, signer: LocalAccount) -> None:
    d = deadline()
    v, r, s = sign_token_permit(usdc, signer, vault.address, 700, d)
    boa.env.time_travel(seconds=3601)
    with boa.env.prank(signer.address), boa.reverts("erc20: expired deadline"):
        vault.deposit_with_permit(signer.address, 700, d, v, r, s)
