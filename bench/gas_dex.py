"""Gas report for the DEX (Factory / Pair / Router) next to Uniswap V2's published costs.

Run from the repository root:  uv run python bench/gas_dex.py

Every operation runs in titanoboa's in-process EVM (py-evm, Prague rules) as if it were its own
transaction: pending writes are locked in first (SSTORE is priced against the right original
values, EIP-2200) and every account and slot is cold again (EIP-2929). The figure printed is a
transaction-level estimate: 21,000 intrinsic + calldata (4 gas per zero byte, 16 per non-zero
byte) + execution gas - refund (capped at 1/5, EIP-3529).

Two comparisons are printed for each row:
- `x ERC-20`: ratio to a plain DevToken `transfer` between two funded accounts, measured the same
  way in the same run (the in-run baseline);
- `x UniV2`: ratio to Uniswap V2's published figure for the same operation, where one exists.
  The references (see docs/dex.md for the sources) were measured by Uniswap's own test suites
  under the Istanbul gas schedule (before EIP-2929 cold-access pricing), except the router
  heuristics, which are the mainnet-calibrated estimates of Uniswap's smart-order-router; the
  ratios are therefore indicative, not exact.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import boa

from fomo.chain.sources import contract_path, contracts_dir
from gaskit import measure

MAX = 2**256 - 1

# Uniswap V2 reference gas (label -> (gas, short source)); None where nothing is published.
REFERENCES: dict[str, tuple[int, str] | None] = {
    "createPair": (2_512_920, "v2-core UniswapV2Factory.spec createPair:gas"),
    "addLiquidity (first, empty pair)": None,
    "addLiquidity (subsequent)": None,
    "pair.swap (direct)": (73_462, "v2-core UniswapV2Pair.spec swap:gas"),
    "router swap, 1 hop": (101_898, "v2-periphery Router02 swapExactTokensForTokens gas"),
    "router swap, 2 hops": (185_000, "smart-order-router V2 heuristic 135k + 50k/hop"),
    "router swapTokensForExactTokens, 1 hop": None,
    "removeLiquidity": None,
}
HEURISTIC_1HOP = 135_000  # smart-order-router BASE_SWAP_COST, for the note under the table


def run() -> list[tuple[str, int]]:
    """Deploy the DEX and measure each operation; returns (label, gas) rows, baseline first."""
    os.chdir(contracts_dir().parent)  # `from contracts.interfaces import ...` resolves from here
    token_d = boa.load_partial(str(contract_path("tokens/DevToken.vy")))
    pair_d = boa.load_partial(str(contract_path("dex/Pair.vy")))
    admin = boa.env.generate_address("admin")
    wallet = boa.env.generate_address("wallet")
    other = boa.env.generate_address("other")
    with boa.env.prank(admin):
        factory = boa.load(
            str(contract_path("dex/Factory.vy")), pair_d.deploy_as_blueprint().address, admin
        )
    router = boa.load(str(contract_path("dex/Router.vy")), factory.address)
    tokens = [token_d.deploy(f"Token {c}", f"TK{c}", 18, True, 10**30) for c in "ABC"]
    for t in tokens:
        t.faucet(wallet, 10**27)
        t.faucet(other, 10**18)
        with boa.env.prank(wallet):
            t.approve(router.address, MAX)
    a, b, c = tokens
    deadline = int(boa.env.evm.patch.timestamp) + 10**6
    e18 = 10**18

    rows: list[tuple[str, int]] = []

    def row(label: str, fn: Callable[[], int]) -> None:
        rows.append((label, fn()))

    row("baseline: ERC-20 transfer", lambda: measure(a, "transfer", other, e18, sender=wallet))
    row("createPair", lambda: measure(factory, "createPair", a, b, sender=wallet))
    row(
        "addLiquidity (first, empty pair)",
        lambda: measure(
            router, "addLiquidity", a, b, 5 * e18, 10 * e18, 0, 0, wallet, deadline, sender=wallet
        ),
    )
    boa.env.time_travel(seconds=1)
    row(
        "addLiquidity (subsequent)",
        lambda: measure(
            router, "addLiquidity", a, b, e18, 2 * e18, 0, 0, wallet, deadline, sender=wallet
        ),
    )
    with boa.env.prank(wallet):
        router.addLiquidity(b, c, 10 * e18, 10 * e18, 0, 0, wallet, deadline)

    # the pair-level swap as Uniswap's swap:gas test does it: sync one block earlier, send the
    # input, then swap in the next block (so the price accumulators are written)
    pair = pair_d.at(factory.getPair(a, b))
    boa.env.time_travel(seconds=1)
    pair.sync()
    r0, r1, _ = pair.getReserves()
    t0_is_a = pair.token0() == a.address
    token_in = b if t0_is_a else a  # token1 in, token0 out, as in the reference test
    with boa.env.prank(wallet):
        token_in.transfer(pair.address, e18)
    out = e18 * 997 * r0 // (r1 * 1000 + e18 * 997)
    boa.env.time_travel(seconds=1)
    row("pair.swap (direct)", lambda: measure(pair, "swap", out, 0, wallet, b"", sender=wallet))

    boa.env.time_travel(seconds=1)
    row(
        "router swap, 1 hop",
        lambda: measure(
            router, "swapExactTokensForTokens", e18, 0, [a, b], wallet, deadline, sender=wallet
        ),
    )
    boa.env.time_travel(seconds=1)
    row(
        "router swap, 2 hops",
        lambda: measure(
            router, "swapExactTokensForTokens", e18, 0, [a, b, c], wallet, deadline, sender=wallet
        ),
    )
    boa.env.time_travel(seconds=1)
    row(
        "router swapTokensForExactTokens, 1 hop",
        lambda: measure(
            router,
            "swapTokensForExactTokens",
            e18 // 2,
            MAX,
            [a, b],
            wallet,
            deadline,
            sender=wallet,
        ),
    )
    with boa.env.prank(wallet):
        pair.approve(router.address, MAX)
    liquidity = pair.balanceOf(wallet) // 2
    boa.env.time_travel(seconds=1)
    row(
        "removeLiquidity",
        lambda: measure(
            router, "removeLiquidity", a, b, liquidity, 0, 0, wallet, deadline, sender=wallet
        ),
    )
    return rows


def main() -> None:
    rows = run()
    baseline = rows[0][1]
    print(f"{'operation':<40}{'gas':>11}{'x ERC-20':>10}{'UniV2 ref':>11}{'x UniV2':>9}")
    for label, gas in rows:
        ref = REFERENCES.get(label)
        ref_gas = f"{ref[0]:>11,}" if ref else f"{'-':>11}"
        ratio = f"{gas / ref[0]:>9.2f}" if ref else f"{'-':>9}"
        print(f"{label:<40}{gas:>11,}{gas / baseline:>10.2f}{ref_gas}{ratio}")
    one_hop = dict(rows)["router swap, 1 hop"]
    print(
        f"\nrouter swap, 1 hop vs smart-order-router's {HEURISTIC_1HOP:,} heuristic: "
        f"{one_hop / HEURISTIC_1HOP:.2f}"
    )
    print("references: " + "; ".join(f"{k}: {v[1]}" for k, v in REFERENCES.items() if v))


if __name__ == "__main__":
    main()
