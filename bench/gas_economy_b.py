"""Gas report for the economy contracts, part B: RewardDistributor and RevenueRouter.

Run from the repository root:  uv run python bench/gas_economy_b.py

Each operation runs in titanoboa's in-process EVM (py-evm) as if it were its own transaction:
pending writes are committed first (so SSTORE is priced against the right original values,
EIP-2200) and every account and slot is cold again (EIP-2929). The figure is a
transaction-level estimate: 21,000 intrinsic + calldata (4 gas per zero byte, 16 per non-zero
byte) + execution gas − refund (capped at 1/5, EIP-3529).

Two comparisons:
- `x transfer`: ratio to a plain DevToken `transfer` between two funded accounts, measured the
  same way in the same run (the in-run baseline);
- `x Uniswap`: for claims, ratio to the Uniswap MerkleDistributor claim gas asserted in its
  test suite (Uniswap/merkle-distributor, test/MerkleDistributor.spec.ts: 78,466 for a
  two-account tree, 91,650 at leaf 50,000 of a 100,000-leaf tree). Those were measured under
  the Istanbul schedule (no cold-access surcharge) with a one-bit-per-index claim bitmap and a
  single token, so the ratio is indicative: this distributor pays per (account, token), keeps
  cumulative amounts (a uint256 per pair) and checks per-token funding.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from typing import Any

import boa

from fomo.chain.sources import contract_path, contracts_dir
from fomo.economics.merkle import MerkleTree
from gaskit import measure

MAX = 2**256 - 1
USDC = 10**6
UNISWAP_CLAIM_2 = 78_466  # two-account tree
UNISWAP_CLAIM_100K = 91_650  # leaf 50,000 of a 100,000-leaf tree


def after_calm(rr: Any, token: Any, fn: Callable[[], int]) -> Callable[[], int]:
    """Measure once the TWAP has caught up with the spot price again (a buyback moves the
    pool, and the next one would otherwise start with part of its impact budget used)."""

    def run() -> int:
        for _ in range(2):
            boa.env.time_travel(seconds=rr.twap_window())
            rr.poke(token.address)
        boa.env.time_travel(seconds=rr.twap_window())
        return fn()

    return run


def _add_liquidity(router: Any, a: Any, b: Any, amount_a: int, amount_b: int) -> None:
    lp = boa.env.generate_address()
    for token, amount in ((a, amount_a), (b, amount_b)):
        token.faucet(lp, amount, sender=lp)
        token.approve(router.address, amount, sender=lp)
    router.addLiquidity(a.address, b.address, amount_a, amount_b, 0, 0, lp, 2**64, sender=lp)


def main() -> None:
    # Contracts import `contracts.auth.roles` relative to the repository root.
    os.chdir(contracts_dir().parent)
    token = boa.load_partial(str(contract_path("tokens/DevToken.vy")))
    admin = boa.env.generate_address("admin")
    alice = boa.env.generate_address("alice")
    bob = boa.env.generate_address("bob")
    treasury = boa.env.generate_address("treasury")
    issuer = boa.env.generate_address("issuer")
    flock = token.deploy("Dev FLOCK", "FLOCK", 18, True, 10**30)
    usdc = token.deploy("Dev USDC", "USDC", 6, True, 10**30)
    mt = token.deploy("Model Token", "MT", 18, True, 10**30)
    for t in (flock, usdc, mt):
        t.faucet(alice, 10**27)
        t.faucet(bob, 1)

    rows: list[tuple[str, int, int | None]] = []

    def row(label: str, fn: Callable[[], int], reference: int | None = None) -> None:
        rows.append((label, fn(), reference))

    row("baseline: ERC-20 transfer", lambda: measure(mt, "transfer", bob, 10**18, sender=alice))

    # -- RewardDistributor -------------------------------------------------------------------
    dist = boa.load(str(contract_path("economy/RewardDistributor.vy")), admin, treasury)
    with boa.env.prank(admin):
        dist.grant_role(dist.PUBLISHER_ROLE(), admin)
        dist.grant_role(dist.GUARDIAN_ROLE(), admin)
    with boa.env.prank(alice):
        flock.approve(dist.address, MAX)
    row(
        "fund (first, token)",
        lambda: measure(dist, "fund", flock.address, 10**24, mt.address, sender=alice),
    )
    row(
        "fund (again)",
        lambda: measure(dist, "fund", flock.address, 10**24, mt.address, sender=alice),
    )

    rng = random.Random(1)
    big = [("0x" + rng.randbytes(20).hex(), flock.address, 10**18 + i) for i in range(100_000)]
    big_tree = MerkleTree(big)
    small = [(big[0][0], flock.address, 100), (big[1][0], flock.address, 101)]
    small_tree = MerkleTree(small)

    row(
        "propose_root (first)",
        lambda: measure(dist, "propose_root", small_tree.root(), 1, b"\x01" * 32, sender=admin),
    )
    row(
        "propose_root (supersede)",
        lambda: measure(dist, "propose_root", small_tree.root(), 1, b"\x02" * 32, sender=admin),
    )
    row("cancel_root", lambda: measure(dist, "cancel_root", small_tree.root(), sender=admin))
    dist.propose_root(small_tree.root(), 1, b"\x01" * 32, sender=admin)
    boa.env.time_travel(seconds=dist.dispute_window())
    row("activate", lambda: measure(dist, "activate", sender=bob))
    leaf = small[0]
    row(
        "claim (2-leaf tree, first)",
        lambda: measure(dist, "claim", *leaf, small_tree.proof(leaf), sender=bob),
        UNISWAP_CLAIM_2,
    )

    dist.propose_root(big_tree.root(), 2, b"\x02" * 32, sender=admin)
    boa.env.time_travel(seconds=dist.dispute_window())
    dist.activate()
    deep = big_tree.get(big[50_000][0], flock.address)
    row(
        "claim (100k-leaf tree, first)",
        lambda: measure(dist, "claim", *deep, big_tree.proof(deep), sender=bob),
        UNISWAP_CLAIM_100K,
    )
    other = big_tree.get(big[70_000][0], flock.address)
    row(
        "claim (100k tree, promotes root)",
        lambda: _claim_after_proposal(dist, admin, big_tree, other, bob),
        UNISWAP_CLAIM_100K,
    )
    bumped = [(a, t, v + 5) if i == 50_000 else (a, t, v) for i, (a, t, v) in enumerate(big)]
    bumped_tree = MerkleTree(bumped)
    dist.propose_root(bumped_tree.root(), 4, b"\x04" * 32, sender=admin)
    boa.env.time_travel(seconds=dist.dispute_window())
    dist.activate()
    again = bumped_tree.get(big[50_000][0], flock.address)
    row(
        "claim (100k tree, top-up)",
        lambda: measure(dist, "claim", *again, bumped_tree.proof(again), sender=bob),
        UNISWAP_CLAIM_100K,
    )

    # -- RevenueRouter -----------------------------------------------------------------------
    blueprint = boa.load_partial(str(contract_path("dex/Pair.vy"))).deploy_as_blueprint()
    factory = boa.load(str(contract_path("dex/Factory.vy")), blueprint.address, admin)
    dex = boa.load(str(contract_path("dex/Router.vy")), factory.address)
    _add_liquidity(dex, usdc, flock, 1_000_000 * USDC, 10_000_000 * 10**18)
    _add_liquidity(dex, flock, mt, 2_000_000 * 10**18, 200_000 * 10**18)
    launchpad = boa.load(str(contracts_dir().parent / "tests/contracts/economy/MockLaunchpad.vy"))
    launchpad.set_launch(mt.address, issuer, True)
    rr = boa.load(
        str(contract_path("economy/RevenueRouter.vy")),
        admin,
        usdc.address,
        flock.address,
        dex.address,
        launchpad.address,
        treasury,
    )
    with boa.env.prank(admin):
        rr.grant_role(rr.SETTLER_ROLE(), alice)
        rr.grant_role(rr.KEEPER_ROLE(), bob)
    with boa.env.prank(alice):
        usdc.approve(rr.address, MAX)
    row("settle (first)", lambda: measure(rr, "settle", mt.address, 20_000 * USDC, 1, sender=alice))
    row(
        "settle (next epoch)",
        lambda: measure(rr, "settle", mt.address, 20_000 * USDC, 2, sender=alice),
    )
    row("poke (FLOCK + MT pairs, first)", lambda: measure(rr, "poke", mt.address, sender=bob))
    row(
        "buyback FLOCK (1 hop, all)",
        after_calm(
            rr,
            mt,
            lambda: measure(rr, "execute_buyback", flock.address, 3_000 * USDC, sender=bob),
        ),
    )
    row(
        "buyback MT (2 hops, all)",
        after_calm(
            rr, mt, lambda: measure(rr, "execute_buyback", mt.address, 500 * USDC, sender=bob)
        ),
    )
    row(
        "buyback MT (2 hops, bounded)",
        after_calm(rr, mt, lambda: measure(rr, "execute_buyback", mt.address, MAX, sender=bob)),
    )
    row(
        "buyback FLOCK (1 hop, bounded)",
        after_calm(rr, mt, lambda: _bounded_flock(rr, alice, bob, mt, flock)),
    )

    baseline = rows[0][1]
    print(f"{'operation':<34}{'gas':>10}{'x transfer':>12}{'x Uniswap':>11}")
    for label, gas, ref in rows:
        vs = f"{gas / ref:>11.2f}" if ref else f"{'':>11}"
        print(f"{label:<34}{gas:>10,}{gas / baseline:>12.2f}{vs}")
    print(
        f"\nUniswap MerkleDistributor claim: {UNISWAP_CLAIM_2:,} (2 leaves), "
        f"{UNISWAP_CLAIM_100K:,} (100k leaves), Istanbul, from its test suite."
    )


def _claim_after_proposal(dist: Any, admin: Any, tree: MerkleTree, leaf: Any, sender: Any) -> int:
    """A claim that also promotes a matured pending root (same leaves, new epoch)."""
    dist.propose_root(tree.root(), 3, b"\x03" * 32, sender=admin)
    boa.env.time_travel(seconds=dist.dispute_window())
    return measure(dist, "claim", *leaf, tree.proof(leaf), sender=sender)


def _bounded_flock(rr: Any, settler: Any, keeper: Any, mt: Any, flock: Any) -> int:
    rr.settle(mt.address, 200_000 * USDC, 3, sender=settler)
    return measure(rr, "execute_buyback", flock.address, MAX, sender=keeper)


if __name__ == "__main__":
    main()
