"""Fixtures and helpers for the RewardDistributor / RevenueRouter / Merkle tests (part B).

Kept out of conftest.py so the two economy test owners do not edit one file; test modules
import what they use: ``from ._fixtures_b import *``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boa
import pytest

from fomo.chain.sources import contract_path
from fomo.economics.merkle import MerkleTree

__all__ = [
    "DAY",
    "HERE_B",
    "HOUR",
    "Q112",
    "ZERO32",
    "ZERO_ADDRESS",
    "amount_out",
    "b_admin",
    "b_isolate",
    "deployer",
    "dex_b",
    "distributor",
    "flock_b",
    "guardian",
    "issuer",
    "issuer2",
    "keeper",
    "launchpad_b",
    "mt2_b",
    "mt_b",
    "publish",
    "publisher",
    "reserves_for",
    "revenue_router",
    "settler",
    "spot_held",
    "spot_within",
    "token_deployer_b",
    "treasury_b",
    "twap_price",
    "usdc_b",
]

HERE_B = Path(__file__).resolve().parent
ZERO_ADDRESS = "0x" + "00" * 20
ZERO32 = b"\x00" * 32
HOUR = 3600
DAY = 86400
FAUCET_CAP_B = 10**30


@pytest.fixture(scope="module")
def b_admin() -> Any:
    return boa.env.generate_address("b-admin")


@pytest.fixture(scope="module")
def publisher() -> Any:
    return boa.env.generate_address("b-publisher")


@pytest.fixture(scope="module")
def guardian() -> Any:
    return boa.env.generate_address("b-guardian")


@pytest.fixture(scope="module")
def treasury_b() -> Any:
    return boa.env.generate_address("b-treasury")


_DEPLOYERS: dict[str, Any] = {}


def deployer(relative: str) -> Any:
    """Compile a contract once per test process (``contracts/`` path or a test double here)."""
    if relative not in _DEPLOYERS:
        path = HERE_B / relative if relative.endswith("B.vy") else contract_path(relative)
        _DEPLOYERS[relative] = boa.load_partial(str(path))
    return _DEPLOYERS[relative]


@pytest.fixture(scope="session")
def token_deployer_b() -> Any:
    return deployer("tokens/DevToken.vy")


@pytest.fixture(scope="module")
def flock_b(token_deployer_b: Any, b_admin: Any) -> Any:
    with boa.env.prank(b_admin):
        return token_deployer_b.deploy("Dev FLOCK", "FLOCK", 18, True, FAUCET_CAP_B)


@pytest.fixture(scope="module")
def mt_b(token_deployer_b: Any, b_admin: Any) -> Any:
    with boa.env.prank(b_admin):
        return token_deployer_b.deploy("Model Token", "MT", 18, True, FAUCET_CAP_B)


@pytest.fixture(scope="module")
def distributor(b_admin: Any, publisher: Any, guardian: Any, treasury_b: Any) -> Any:
    with boa.env.prank(b_admin):
        dist = deployer("economy/RewardDistributor.vy").deploy(b_admin, treasury_b)
        dist.grant_role(dist.PUBLISHER_ROLE(), publisher)
        dist.grant_role(dist.GUARDIAN_ROLE(), guardian)
    return dist


@pytest.fixture
def b_isolate() -> Iterator[None]:
    """Roll the chain back after each test (modules opt in with autouse wrappers)."""
    with boa.env.anchor():
        yield


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


@pytest.fixture(scope="module")
def usdc_b(token_deployer_b: Any, b_admin: Any) -> Any:
    with boa.env.prank(b_admin):
        return token_deployer_b.deploy("Dev USDC", "USDC", 6, True, FAUCET_CAP_B)


@pytest.fixture(scope="module")
def mt2_b(token_deployer_b: Any, b_admin: Any) -> Any:
    with boa.env.prank(b_admin):
        return token_deployer_b.deploy("Model Token 2", "MTT", 18, True, FAUCET_CAP_B)


@pytest.fixture(scope="module")
def issuer() -> Any:
    return boa.env.generate_address("b-issuer")


@pytest.fixture(scope="module")
def issuer2() -> Any:
    return boa.env.generate_address("b-issuer2")


@pytest.fixture(scope="module")
def settler() -> Any:
    return boa.env.generate_address("b-settler")


@pytest.fixture(scope="module")
def keeper() -> Any:
    return boa.env.generate_address("b-keeper")


def add_liquidity(router: Any, token_a: Any, token_b: Any, amount_a: int, amount_b: int) -> None:
    lp = boa.env.generate_address()
    token_a.faucet(lp, amount_a, sender=lp)
    token_b.faucet(lp, amount_b, sender=lp)
    token_a.approve(router.address, amount_a, sender=lp)
    token_b.approve(router.address, amount_b, sender=lp)
    router.addLiquidity(
        token_a.address, token_b.address, amount_a, amount_b, 0, 0, lp, 2**64, sender=lp
    )


@pytest.fixture(scope="module")
def dex_b(b_admin: Any, usdc_b: Any, flock_b: Any, mt_b: Any, mt2_b: Any) -> Any:
    """The DEX router with USDC/FLOCK, FLOCK/MT and FLOCK/MT2 pools seeded."""
    blueprint = deployer("dex/Pair.vy").deploy_as_blueprint()
    factory = deployer("dex/Factory.vy").deploy(blueprint.address, b_admin)
    router = deployer("dex/Router.vy").deploy(factory.address)
    add_liquidity(router, usdc_b, flock_b, USDC_POOL, FLOCK_USDC_POOL)
    add_liquidity(router, flock_b, mt_b, FLOCK_MT_POOL, MT_POOL)
    add_liquidity(router, flock_b, mt2_b, FLOCK_MT_POOL, MT_POOL)
    return router


@pytest.fixture(scope="module")
def launchpad_b(mt_b: Any, mt2_b: Any, issuer: Any, issuer2: Any) -> Any:
    stub = deployer("LaunchpadStubB.vy").deploy()
    stub.set_launch(mt_b.address, issuer, True)
    stub.set_launch(mt2_b.address, issuer2, True)
    return stub


@pytest.fixture(scope="module")
def revenue_router(
    b_admin: Any,
    usdc_b: Any,
    flock_b: Any,
    dex_b: Any,
    launchpad_b: Any,
    treasury_b: Any,
    settler: Any,
    keeper: Any,
) -> Any:
    with boa.env.prank(b_admin):
        rr = deployer("economy/RevenueRouter.vy").deploy(
            b_admin,
            usdc_b.address,
            flock_b.address,
            dex_b.address,
            launchpad_b.address,
            treasury_b,
        )
        rr.grant_role(rr.SETTLER_ROLE(), settler)
        rr.grant_role(rr.KEEPER_ROLE(), keeper)
    usdc_b.faucet(settler, 10**30 // 10**6, sender=settler)
    usdc_b.approve(rr.address, 2**256 - 1, sender=settler)
    return rr


_PAIRS: dict[tuple[str, str, str], Any] = {}


def pair_of(router: Any, a: Any, b: Any) -> Any:
    """The Pair contract of (a, b) on `router`'s factory (wrapped once per process: wrapping
    an address re-annotates the source, which takes seconds)."""
    key = (str(router.address), str(a.address), str(b.address))
    if key not in _PAIRS:
        factory = deployer("dex/Factory.vy").at(router.factory())
        _PAIRS[key] = deployer("dex/Pair.vy").at(factory.getPair(a.address, b.address))
    return _PAIRS[key]


Q112 = 2**112


def amount_out(amount_in: int, reserve_in: int, reserve_out: int) -> int:
    """Uniswap V2 getAmountOut, restated."""
    with_fee = amount_in * 997
    return with_fee * reserve_out // (reserve_in * 1000 + with_fee)


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
        out = amount_out(amount, r_in, r_out)
        if not spot_within((r_in, r_out), (r_in + amount, r_out - out), bps):
            return False
        amount = out
    return True
