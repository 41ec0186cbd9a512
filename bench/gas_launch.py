"""Gas report for the launch lifecycle (Launchpad, ModelToken, Vesting) with a DEX swap.

Run from the repository root:  uv run python bench/gas_launch.py [BASELINE_REF]

The same walk runs twice in one process: first against the contracts as they were at
BASELINE_REF (default `fbba2b5`, the tree before issue 14's gas work; extracted with
`git archive` into a temporary directory and compiled there), then against the working tree.
The table prints both columns, the ratio after/before and the issue's goal where it set one.

Every operation runs in titanoboa's in-process EVM (py-evm) as if it were its own transaction:
pending writes are locked in first (SSTORE priced against the right original values) and every
account and slot is cold again. The figure is a transaction-level estimate: 21,000 intrinsic +
calldata (4 gas per zero byte, 16 per non-zero byte) + execution gas - refund (capped at 1/5).
`x ERC-20` is the ratio to a plain FLOCK `transfer` measured the same way in the same run;
`x UniV2 swap` is the ratio to Uniswap V2 Router02's published swapExactTokensForTokens cost
(101,898 gas, v2-periphery tests, pre-EIP-2929 schedule, so indicative only).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

import boa

from fomo.chain.sources import contracts_dir
from gaskit import measure_call as measure

BASELINE_REF = "fbba2b5"
# Issue 14's targets (gas), by row label.
GOALS = {
    "create_launch": 500_000,
    "buy (repeat pledge)": 100_000,
    "graduating buy (partial fill + graduation)": 750_000,
    "claim": 70_000,
}

MAX = 2**256 - 1
WAD = 10**18
FAR = 2**64
UNIV2_ROUTER_SWAP = 101_898


def run(root: Path) -> list[tuple[str, int]]:
    """Deploy the launch stack compiled from `root`/contracts, walk launches through their
    lives; (label, gas) rows."""
    os.chdir(root)  # `from contracts.interfaces import ...` resolves from here

    def contract_path(rel: str) -> Path:
        return root / "contracts" / rel

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
        if hasattr(distributor, "FUNDER_ROLE"):
            # Since the MT Reward pool is minted straight to the distributor, the launchpad
            # credits it there (`fund_transferred`, FUNDER only), as `fomo.chain.deploy` grants.
            distributor.grant_role(distributor.FUNDER_ROLE(), launchpad.address)
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


def _in_tree_at(ref: str, body: Callable[[Path], list[tuple[str, int]]]) -> list[tuple[str, int]]:
    """Run `body` on the contracts/ tree of git `ref`, extracted into a temporary directory."""
    repo = contracts_dir().parent
    tar = subprocess.run(
        ["git", "archive", ref, "contracts"], cwd=repo, check=True, capture_output=True
    ).stdout
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
            archive.extractall(tmp, filter="data")
        return body(Path(tmp))


def main() -> None:
    ref = sys.argv[1] if len(sys.argv) > 1 else BASELINE_REF
    try:
        before = dict(_in_tree_at(ref, run))
    except subprocess.CalledProcessError:
        # A shallow clone or a mistyped ref: say so, still measure the working tree.
        print(f"baseline {ref!r} is not in this clone's history; the 'before' column is empty")
        before = {}
    rows = run(contracts_dir().parent)
    transfer = rows[0][1]
    print(f"before = contracts at {ref}; after = working tree; goal from issue 14")
    print(
        f"{'operation':<46}{'before':>11}{'after':>11}{'after/before':>14}{'goal':>10}"
        f"{'x ERC-20':>10}{'x UniV2 swap':>14}"
    )
    for label, gas in rows:
        old = before.get(label)
        old_s = f"{old:>11,}" if old else f"{'-':>11}"
        ratio = f"{gas / old:>14.2f}" if old else f"{'-':>14}"
        goal = GOALS.get(label)
        goal_s = f"{goal:>10,}" if goal else f"{'':>10}"
        print(
            f"{label:<46}{old_s}{gas:>11,}{ratio}{goal_s}"
            f"{gas / transfer:>10.2f}{gas / UNIV2_ROUTER_SWAP:>14.2f}"
        )


if __name__ == "__main__":
    main()
