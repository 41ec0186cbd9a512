"""PaymentVault deposits indexed on chain become credits exactly once (USDC 6 dp → nano-USD)."""

from __future__ import annotations

import os

from fomo.db.models import Deposit, IndexerCursor
from fomo.db.session import session_scope

from .conftest import GatewayHandle

BOTH_DATABASES = True

USDC = 10**6


def _deposit(gh: GatewayHandle, account: str, amount: int, block: int) -> None:
    with session_scope(gh.store.factory) as s:
        s.add(
            Deposit(
                account=account,
                token="0x" + "05" * 20,
                amount=amount,
                block_number=block,
                block_hash="0x" + os.urandom(32).hex(),
                block_time=1_700_000_000 + block,
                tx_hash="0x" + os.urandom(32).hex(),
                log_index=0,
            )
        )


def _head(gh: GatewayHandle, block: int) -> None:
    with session_scope(gh.store.factory) as s:
        s.merge(
            IndexerCursor(
                name="gateway-test", chain_id=31337, block_number=block, block_hash="0x" + "00" * 32
            )
        )


def test_deposits_credited_once_after_confirmation(gateway: GatewayHandle) -> None:
    account, _ = gateway.new_account(credits_usd=0)
    _head(gateway, 100)
    _deposit(gateway, account, 12_345_678, block=100)  # 12.345678 USDC
    _deposit(gateway, account, 1 * USDC, block=101)  # above the indexed head: not yet
    gateway.sync()
    assert gateway.gw.book.balance(account) == 12_345_678 * 1_000
    gateway.sync()  # polling again credits nothing twice
    assert gateway.store.balance(account) == 12_345_678_000
    _head(gateway, 101)
    gateway.sync()
    assert gateway.gw.book.balance(account) == 13_345_678_000
    assert gateway.store.balance(account) == 13_345_678_000
    # a second gateway pass over the same rows (e.g. after a restart) credits nothing more
    assert gateway.store.credit_confirmed_deposits(1) == 0
