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
    "ZERO32",
    "ZERO_ADDRESS",
    "b_admin",
    "b_isolate",
    "distributor",
    "flock_b",
    "guardian",
    "mt_b",
    "publish",
    "publisher",
    "token_deployer_b",
    "treasury_b",
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


@pytest.fixture(scope="session")
def token_deployer_b() -> Any:
    return boa.load_partial(str(contract_path("tokens/DevToken.vy")))


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
        dist = boa.load(str(contract_path("economy/RewardDistributor.vy")), b_admin, treasury_b)
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
