"""The devnet's well-known accounts, derived from the anvil mnemonic as anvil derives them."""

from __future__ import annotations

from dataclasses import dataclass

from eth_account import Account
from eth_account.hdaccount import key_from_seed, seed_from_mnemonic


@dataclass(frozen=True)
class DevAccount:
    """A devnet account derived from the anvil mnemonic (keys are public knowledge)."""

    index: int
    address: str
    private_key: str


def dev_accounts(mnemonic: str, count: int) -> list[DevAccount]:
    """The first ``count`` accounts of ``mnemonic`` on path m/44'/60'/0'/0/i, as anvil derives."""
    seed = seed_from_mnemonic(mnemonic, "")
    out = []
    for i in range(count):
        key = key_from_seed(seed, f"m/44'/60'/0'/0/{i}")
        out.append(DevAccount(i, Account.from_key(key).address, "0x" + key.hex()))
    return out
