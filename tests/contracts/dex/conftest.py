"""Fixtures for the DEX and dev-token tests: compiled once per session, isolated per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boa
import pytest
from eth_utils import keccak, to_checksum_address

from fomo.chain.sources import contract_path

FLOCK_CAP = 10**24  # 1M FLOCK per faucet call
USDC_CAP = 10**12  # 1M USDC per faucet call


def named_address(name: str) -> str:
    """A fixed, distinct address per name (independent of boa's address counter and anchors)."""
    return to_checksum_address(keccak(text=f"fomo-dex-test:{name}")[12:])


@pytest.fixture(scope="session")
def token_deployer() -> Any:
    return boa.load_partial(str(contract_path("tokens/DevToken.vy")))


@pytest.fixture(scope="session")
def pair_deployer() -> Any:
    return boa.load_partial(str(contract_path("dex/Pair.vy")))


@pytest.fixture(scope="session")
def factory_deployer() -> Any:
    return boa.load_partial(str(contract_path("dex/Factory.vy")))


@pytest.fixture(scope="session")
def router_deployer() -> Any:
    return boa.load_partial(str(contract_path("dex/Router.vy")))


@pytest.fixture(scope="module")
def admin() -> Any:
    return named_address("admin")


@pytest.fixture(scope="module")
def alice() -> Any:
    return named_address("alice")


@pytest.fixture(scope="module")
def bob() -> Any:
    return named_address("bob")


@pytest.fixture(scope="module")
def flock(token_deployer: Any, admin: Any) -> Any:
    with boa.env.prank(admin):
        return token_deployer.deploy("Flock", "FLOCK", 18, True, FLOCK_CAP)


@pytest.fixture(scope="module")
def usdc(token_deployer: Any, admin: Any) -> Any:
    with boa.env.prank(admin):
        return token_deployer.deploy("USD Coin", "USDC", 6, True, USDC_CAP)


@pytest.fixture(scope="module")
def pair_blueprint(pair_deployer: Any) -> Any:
    return pair_deployer.deploy_as_blueprint()


@pytest.fixture(scope="module")
def factory(factory_deployer: Any, pair_blueprint: Any, admin: Any) -> Any:
    with boa.env.prank(admin):
        return factory_deployer.deploy(pair_blueprint.address, admin)


@pytest.fixture(scope="module")
def router(router_deployer: Any, factory: Any) -> Any:
    return router_deployer.deploy(factory.address)


@pytest.fixture(autouse=True)
def _isolate() -> Iterator[None]:
    with boa.env.anchor():
        yield


@pytest.fixture(scope="module")
def token_a(token_deployer: Any, admin: Any) -> Any:
    with boa.env.prank(admin):
        return token_deployer.deploy("Token A", "TKA", 18, True, 10**30)


@pytest.fixture(scope="module")
def token_b(token_deployer: Any, admin: Any) -> Any:
    with boa.env.prank(admin):
        return token_deployer.deploy("Token B", "TKB", 18, True, 10**30)


@pytest.fixture(scope="module")
def pair(factory: Any, pair_deployer: Any, token_a: Any, token_b: Any) -> Any:
    address = factory.createPair(token_a, token_b)
    return pair_deployer.at(address)


@pytest.fixture(scope="module")
def token0(pair: Any, token_deployer: Any) -> Any:
    return token_deployer.at(pair.token0())


@pytest.fixture(scope="module")
def token1(pair: Any, token_deployer: Any) -> Any:
    return token_deployer.at(pair.token1())


def add_liquidity(pair: Any, token0: Any, token1: Any, amount0: int, amount1: int, to: Any) -> int:
    """Fund the pair directly and mint, as the Router does."""
    if amount0:
        token0.faucet(pair.address, amount0)
    if amount1:
        token1.faucet(pair.address, amount1)
    return int(pair.mint(to))
