"""Plain helpers and constants of the economy contract tests (fixtures are in conftest.py).

Test modules import what they use by name: ``from .helpers import fund, publish``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boa

from fomo.chain.sources import contract_path
from fomo.economics.merkle import MerkleTree
from tests.contracts.dex.reference import Q112, get_amount_out

HERE = Path(__file__).resolve().parent
ZERO_ADDRESS = "0x" + "00" * 20
ZERO32 = b"\x00" * 32
HOUR = 3600
DAY = 86400
# Per-call cap of the DevToken faucet used by the tests (the contract's own maximum).
FAUCET_CAP = 10**30


_DEPLOYERS: dict[str, Any] = {}


def deployer(relative: str) -> Any:
    """Compile a contract once per test process: a test double in this folder by its file
    name, else a project contract by its ``contracts/`` path."""
    if relative not in _DEPLOYERS:
        double = HERE / relative
        path = double if double.exists() else contract_path(relative)
        _DEPLOYERS[relative] = boa.load_partial(str(path))
    return _DEPLOYERS[relative]


def fund(dist: Any, token: Any, amount: int, pool: str = ZERO_ADDRESS) -> None:
    """Mint `amount` of a DevToken to a fresh funder and fund the distributor with it."""
    funder = boa.env.generate_address()
    token.faucet(funder, amount, sender=funder)
    token.approve(dist.address, amount, sender=funder)
    dist.fund(token.address, amount, pool, sender=funder)


def publish(dist: Any, publisher: Any, tree: MerkleTree, epoch: int) -> None:
    """Propose `tree`'s root and wait out the dispute window so it is live."""
    dist.propose_root(tree.root(), epoch, b"\x01" * 32, sender=publisher)
    boa.env.time_travel(seconds=dist.dispute_window())


def events(contract: Any, name: str) -> list[Any]:
    """Decoded events called `name` emitted by `contract` in its last transaction."""
    return [
        e
        for e in contract.get_logs(strict=False)
        if type(e).__name__ == name and getattr(e, "address", contract.address) == contract.address
    ]


# -- RevenueRouter world: USDC/FLOCK and FLOCK/MT pools on the project's DEX ----------------

USDC_POOL = 1_000_000 * 10**6  # 1M USDC
FLOCK_USDC_POOL = 10_000_000 * 10**18  # against 10M FLOCK: FLOCK = $0.10
FLOCK_MT_POOL = 2_000_000 * 10**18  # 2M FLOCK
MT_POOL = 200_000 * 10**18  # against 200k MT: MT = 10 FLOCK = $1


def add_liquidity(router: Any, token_a: Any, token_b: Any, amount_a: int, amount_b: int) -> None:
    lp = boa.env.generate_address()
    token_a.faucet(lp, amount_a, sender=lp)
    token_b.faucet(lp, amount_b, sender=lp)
    token_a.approve(router.address, amount_a, sender=lp)
    token_b.approve(router.address, amount_b, sender=lp)
    router.addLiquidity(
        token_a.address, token_b.address, amount_a, amount_b, 0, 0, lp, 2**64, sender=lp
    )


_PAIRS: dict[tuple[str, str, str], Any] = {}


def pair_of(router: Any, a: Any, b: Any) -> Any:
    """The Pair contract of (a, b) on `router`'s factory (wrapped once per process: wrapping
    an address re-annotates the source, which takes seconds)."""
    key = (str(router.address), str(a.address), str(b.address))
    if key not in _PAIRS:
        factory = deployer("dex/Factory.vy").at(router.factory())
        _PAIRS[key] = deployer("dex/Pair.vy").at(factory.getPair(a.address, b.address))
    return _PAIRS[key]


def reserves_for(pair: Any, token_in: Any) -> tuple[int, int]:
    r0, r1, _ = pair.getReserves()
    return (r0, r1) if pair.token0() == token_in.address else (r1, r0)


def twap_price(rr: Any, pair: Any, token_in: Any) -> int:
    """The router's TWAP reference for one hop, recomputed from its stored observations and
    the pair's accumulators (UQ112x112, token_in -> other token)."""
    now = int(boa.env.evm.patch.timestamp)
    window = rr.twap_window()
    base = rr.observation_new(pair.address)
    if base[2] == 0 or now < base[2] + window:
        base = rr.observation_old(pair.address)
        assert base[2] != 0 and now >= base[2] + window, "twap not ready"
    r0, r1, last = pair.getReserves()
    p0, p1 = pair.price0CumulativeLast(), pair.price1CumulativeLast()
    elapsed = (now - last) % 2**32
    if elapsed and r0 and r1:
        p0 = (p0 + (r1 * Q112 // r0) * elapsed) % 2**256
        p1 = (p1 + (r0 * Q112 // r1) * elapsed) % 2**256
    span = now - base[2]
    if pair.token0() == token_in.address:
        return ((p0 - base[0]) % 2**256) // span
    return ((p1 - base[1]) % 2**256) // span


def spot_within(before: tuple[int, int], after: tuple[int, int], bps: int) -> bool:
    """True if a pool's spot price (out per in) fell at most `bps` from `before` to `after`
    ((reserve_in, reserve_out) each), compared exactly."""
    (x, y), (x2, y2) = before, after
    return y2 * x * 10_000 >= y * x2 * (10_000 - bps)


def spot_held(amount: int, hops: list[tuple[int, int]], bps: int) -> bool:
    """True if buying through `hops` ((reserve_in, reserve_out) per hop, no donations) with
    `amount` moves no hop's spot by more than `bps` — the router's pre-trade spot bound."""
    for r_in, r_out in hops:
        out = get_amount_out(amount, r_in, r_out, zero_ok=True)
        if not spot_within((r_in, r_out), (r_in + amount, r_out - out), bps):
            return False
        amount = out
    return True
