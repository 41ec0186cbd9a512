"""Gas report for the economy contracts, part A: Staking, GmFlock, PaymentVault.

Run from the repository root:  uv run python bench/gas_economy_a.py

Each operation runs in titanoboa's in-process EVM as if it were its own transaction: pending
writes are committed first (so SSTORE is priced against the right original values) and account
and storage access is cold. The
reported figure is a transaction-level estimate: 21,000 intrinsic + calldata (4 gas per zero
byte, 16 per non-zero byte) + execution gas − refund (capped at 1/5, EIP-3529). The baseline,
measured the same way in the same run, is a plain ERC-20 `transfer` of the project's DevToken
between two accounts that already hold a balance; each row prints its ratio to that baseline.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import boa
from eth_utils import keccak

from fomo.chain.sources import contract_path, contracts_dir
from gaskit import measure

DAY = 86400


def main() -> None:
    # Contracts import `contracts.auth.roles` relative to the repository root.
    os.chdir(contracts_dir().parent)
    token = boa.load_partial(str(contract_path("tokens/DevToken.vy")))
    admin = boa.env.generate_address("admin")
    alice = boa.env.generate_address("alice")
    bob = boa.env.generate_address("bob")
    router = boa.env.generate_address("router")
    treasury = boa.env.generate_address("treasury")

    mt = token.deploy("Model Token", "MT", 18, True, 10**30)
    flock = token.deploy("Dev FLOCK", "FLOCK", 18, True, 10**30)
    usdc = token.deploy("Dev USDC", "USDC", 6, True, 10**30)
    zero = "0x" + "00" * 20
    staking = boa.load(str(contract_path("economy/Staking.vy")), admin, zero)
    gm = boa.load(str(contract_path("economy/GmFlock.vy")), flock)
    vault = boa.load(str(contract_path("economy/PaymentVault.vy")), admin, usdc, router, treasury)
    with boa.env.prank(admin):
        vault.grant_role(keccak(text="SETTLER"), admin)
        vault.grant_role(keccak(text="OPERATOR"), admin)

    for t in (mt, flock, usdc):
        t.faucet(alice, 10**24)
        t.faucet(bob, 1)
    with boa.env.prank(alice):
        mt.approve(staking, 2**256 - 1)
        flock.approve(gm, 2**256 - 1)
        usdc.approve(vault, 2**256 - 1)

    rows: list[tuple[str, int]] = []

    def row(label: str, fn: Callable[[], int]) -> None:
        rows.append((label, fn()))

    now = int(boa.env.evm.patch.timestamp)
    row("baseline: ERC-20 transfer", lambda: measure(mt, "transfer", bob, 10**18, sender=alice))
    row("stake (first)", lambda: measure(staking, "stake", mt, 10**21, sender=alice))
    row("stake (top-up)", lambda: measure(staking, "stake", mt, 10**21, sender=alice))
    row("request_unstake", lambda: measure(staking, "request_unstake", mt, 10**20, sender=alice))
    boa.env.time_travel(seconds=7 * DAY)
    row("withdraw (staking)", lambda: measure(staking, "withdraw", mt, sender=alice))
    row(
        "create_lock",
        lambda: measure(gm, "create_lock", 10**21, now + 200 * DAY, sender=alice),
    )
    row("increase_amount", lambda: measure(gm, "increase_amount", 10**20, sender=alice))
    row("extend_lock", lambda: measure(gm, "extend_lock", now + 300 * DAY, sender=alice))
    row("deposit (first)", lambda: measure(vault, "deposit", alice, 10**7, sender=alice))
    row("deposit (again)", lambda: measure(vault, "deposit", alice, 10**7, sender=alice))
    boa.env.time_travel(seconds=DAY)
    epoch = int(boa.env.evm.patch.timestamp) // DAY - 1
    row(
        "record_settlement",
        lambda: measure(vault, "record_settlement", epoch, 10**7, sender=admin),
    )
    row("vault withdraw", lambda: measure(vault, "withdraw", router, 10**7, sender=admin))

    baseline = rows[0][1]
    print(f"{'operation':<28}{'gas':>10}{'x transfer':>12}")
    for label, gas in rows:
        print(f"{label:<28}{gas:>10,}{gas / baseline:>12.2f}")


if __name__ == "__main__":
    main()
