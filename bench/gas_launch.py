"""Gas report for the launch lifecycle (Launchpad, ModelToken, Vesting) with a DEX swap.

Run from the repository root:  uv run python bench/gas_launch.py

Every operation runs in titanoboa's in-process EVM (py-evm) as if it were its own transaction:
pending writes are locked in first (SSTORE priced against the right original values) and every
account and slot is cold again. The figure is a transaction-level estimate: 21,000 intrinsic +
calldata (4 gas per zero byte, 16 per non-zero byte) + execution gas - refund (capped at 1/5).
`x ERC-20` is the ratio to a plain FLOCK `transfer` measured the same way in the same run;
`x UniV2 swap` is the ratio to Uniswap V2 Router02's published swapExactTokensForTokens cost
(101,898 gas, v2-periphery tests, pre-EIP-2929 schedule, so indicative only).
"""

from __future__ import annotations

import os

import boa

from fomo.chain.sources import contract_path, contracts_dir
from gaskit import measure_call as measure

MAX = 2**256 - 1
WAD = 10**18
FAR = 2**64
UNIV2_ROUTER_SWAP = 101_898


def run() -> list[tuple[str, int]]:
    """Deploy the launch stack, walk two launches through their lives; (label, gas) rows."""
    os.chdir(contracts_dir().parent)  # `from contracts.interfaces import ...` resolves from here
    admin, treasury, creator = (boa.env.generate_address(n) for n in ("admin", "tre", "creator"))
    alice, bob = boa.env.generate_address("alice"), boa.env.generate_address("bob")
    token_d = boa.load_partial(str(contract_path("tokens/DevToken.vy")))
    with boa.env.prank(admin):
        flock = token_d.deploy("Flock", "FLOCK", 18, True, 10**24)
    pair_bp = boa.load_partial(str(contract_path("dex/Pair.vy"))).deploy_as_blueprint()
    factory = boa.load(str(contract_path("dex/Factory.vy")), pair_bp.address, admin)
    router = boa.load(str(contract_path("dex/Router.vy")), factory.address)
    vesting = boa.load(str(contract_path("economy/Vesting.vy")))
    distributor = boa.load(str(contract_path("economy/RewardDistributor.vy")), admin, treasury)
    mt_d = boa.load_partial(str(contract_path("tokens/ModelToken.vy")))
    launchpad = boa.load(
        str(contract_path("launch/Launchpad.vy")),
        flock.address,
        factory.address,
        mt_d.deploy_as_blueprint().address,
        treasury,
        distributor.address,
        vesting.address,
        admin,
    )
    name = "qwen3-30b-a3b-instruct"
    mid = boa.eval(f'keccak256("{name}")')
    with boa.env.prank(admin):
        launchpad.register_model_type(
            mid, name, b"\x00" * 32, 100_000 * WAD, 500_000 * WAD, 7000, 2000, 1000
        )
        for who in (creator, alice, bob):
            flock.mint(who, 10**25)
    for who in (creator, alice, bob):
        with boa.env.prank(who):
            flock.approve(launchpad.address, MAX)
            flock.approve(router.address, MAX)

    rows: list[tuple[str, int]] = []
    gas, _ = measure(flock, "transfer", bob, WAD, sender=alice)
    rows.append(("baseline: ERC-20 transfer", gas))

    gas, mt1 = measure(
        launchpad, "create_launch", mid, "Qwen Alice", "QWENALICE", 0, 0, FAR, sender=creator
    )
    rows.append(("create_launch", gas))
    gas, mt2 = measure(
        launchpad, "create_launch", mid, "Qwen Bob", "QWENBOB", 10_000 * WAD, 0, FAR, sender=creator
    )
    rows.append(("create_launch + bundled first buy", gas))

    boa.env.time_travel(seconds=2 * 3600)
    gas, _ = measure(launchpad, "buy", mt1, 20_000 * WAD, 0, FAR, sender=alice)
    rows.append(("buy (first pledge of the buyer)", gas))
    gas, _ = measure(launchpad, "buy", mt1, 20_000 * WAD, 0, FAR, sender=alice)
    rows.append(("buy (repeat pledge)", gas))
    gas, _ = measure(launchpad, "buy", mt1, 1_000_000 * WAD, 0, FAR, sender=bob)
    rows.append(("graduating buy (partial fill + graduation)", gas))
    gas, _ = measure(launchpad, "claim", mt1, sender=alice)
    rows.append(("claim", gas))

    mt = mt_d.at(mt1)
    with boa.env.prank(alice):
        mt.approve(router.address, MAX)
    gas, _ = measure(
        router,
        "swapExactTokensForTokens",
        1_000 * WAD,
        0,
        [mt1, flock.address],
        alice,
        FAR,
        sender=alice,
    )
    rows.append(("DEX swap MT->FLOCK (router, 1 hop)", gas))

    # mt2: stays below the max, graduates manually after the window
    gas, _ = measure(launchpad, "buy", mt2, 150_000 * WAD, 0, FAR, sender=alice)
    rows.append(("buy (second launch)", gas))
    gas, mt3 = measure(
        launchpad, "create_launch", mid, "Qwen Carol", "QWENC", 0, 0, FAR, sender=creator
    )
    boa.env.time_travel(seconds=3 * 3600)
    measure(launchpad, "buy", mt3, 1_000 * WAD, 0, FAR, sender=bob)
    boa.env.time_travel(seconds=8 * 86400)
    gas, _ = measure(launchpad, "graduate", mt2, sender=bob)
    rows.append(("graduate (after the window, below max)", gas))
    gas, _ = measure(launchpad, "redeem", mt3, sender=bob)
    rows.append(("redeem (failed launch)", gas))
    return rows


def main() -> None:
    rows = run()
    baseline = rows[0][1]
    print(f"{'operation':<46}{'gas':>11}{'x ERC-20':>10}{'x UniV2 swap':>14}")
    for label, gas in rows:
        print(f"{label:<46}{gas:>11,}{gas / baseline:>10.2f}{gas / UNIV2_ROUTER_SWAP:>14.2f}")


if __name__ == "__main__":
    main()
