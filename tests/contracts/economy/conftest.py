"""The fixtures of the economy contract tests: accounts, tokens, the RewardDistributor, and the
RevenueRouter's world (a DEX with USDC/FLOCK and FLOCK/MT pools, a launchpad double).

Module-scoped contracts are shared by a module's tests; modules that change state roll the chain
back after each test with ``isolate``. Plain helpers live in ``helpers.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import boa
import pytest

from .helpers import (
    FAUCET_CAP,
    FLOCK_MT_POOL,
    FLOCK_USDC_POOL,
    MT_POOL,
    USDC_POOL,
    add_liquidity,
    deployer,
)


@pytest.fixture
def isolate() -> Iterator[None]:
    """Roll the chain back after each test (modules opt in with autouse wrappers)."""
    with boa.env.anchor():
        yield


# -- accounts ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def admin() -> Any:
    """The account that deploys and administers economy contracts."""
    return boa.env.generate_address("admin")


@pytest.fixture(scope="session")
def alice() -> Any:
    return boa.env.generate_address("alice")


@pytest.fixture(scope="session")
def bob() -> Any:
    return boa.env.generate_address("bob")


@pytest.fixture(scope="session")
def carol() -> Any:
    return boa.env.generate_address("carol")


@pytest.fixture(scope="module")
def publisher() -> Any:
    return boa.env.generate_address("publisher")


@pytest.fixture(scope="module")
def guardian() -> Any:
    return boa.env.generate_address("guardian")


@pytest.fixture(scope="module")
def treasury() -> Any:
    return boa.env.generate_address("treasury")


@pytest.fixture(scope="module")
def issuer() -> Any:
    return boa.env.generate_address("issuer")


@pytest.fixture(scope="module")
def issuer2() -> Any:
    return boa.env.generate_address("issuer2")


@pytest.fixture(scope="module")
def settler() -> Any:
    return boa.env.generate_address("settler")


@pytest.fixture(scope="module")
def keeper() -> Any:
    return boa.env.generate_address("keeper")


# -- tokens -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def dev_token_deployer() -> Any:
    """Deployer of the project's DevToken (ERC-20 + permit + burn + faucet)."""
    return deployer("tokens/DevToken.vy")


@pytest.fixture(scope="session")
def make_token(dev_token_deployer: Any) -> Callable[..., Any]:
    """Deploy a DevToken with the faucet on: ``make_token("FLOCK", 18)``; mint with `faucet`."""

    def deploy(symbol: str, decimals: int = 18) -> Any:
        return dev_token_deployer.deploy(f"Dev {symbol}", symbol, decimals, True, FAUCET_CAP)

    return deploy


@pytest.fixture(scope="module")
def flock(dev_token_deployer: Any, admin: Any) -> Any:
    with boa.env.prank(admin):
        return dev_token_deployer.deploy("Dev FLOCK", "FLOCK", 18, True, FAUCET_CAP)


@pytest.fixture(scope="module")
def mt(dev_token_deployer: Any, admin: Any) -> Any:
    with boa.env.prank(admin):
        return dev_token_deployer.deploy("Model Token", "MT", 18, True, FAUCET_CAP)


@pytest.fixture(scope="module")
def mt2(dev_token_deployer: Any, admin: Any) -> Any:
    with boa.env.prank(admin):
        return dev_token_deployer.deploy("Model Token 2", "MTT", 18, True, FAUCET_CAP)


@pytest.fixture(scope="module")
def usdc(dev_token_deployer: Any, admin: Any) -> Any:
    with boa.env.prank(admin):
        return dev_token_deployer.deploy("Dev USDC", "USDC", 6, True, FAUCET_CAP)


# -- contracts --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def distributor(admin: Any, publisher: Any, guardian: Any, treasury: Any) -> Any:
    with boa.env.prank(admin):
        dist = deployer("economy/RewardDistributor.vy").deploy(admin, treasury)
        dist.grant_role(dist.PUBLISHER_ROLE(), publisher)
        dist.grant_role(dist.GUARDIAN_ROLE(), guardian)
    return dist


@pytest.fixture(scope="module")
def dex(admin: Any, usdc: Any, flock: Any, mt: Any, mt2: Any) -> Any:
    """The DEX router with USDC/FLOCK, FLOCK/MT and FLOCK/MT2 pools seeded."""
    blueprint = deployer("dex/Pair.vy").deploy_as_blueprint()
    factory = deployer("dex/Factory.vy").deploy(blueprint.address, admin)
    router = deployer("dex/Router.vy").deploy(factory.address)
    add_liquidity(router, usdc, flock, USDC_POOL, FLOCK_USDC_POOL)
    add_liquidity(router, flock, mt, FLOCK_MT_POOL, MT_POOL)
    add_liquidity(router, flock, mt2, FLOCK_MT_POOL, MT_POOL)
    return router


@pytest.fixture(scope="module")
def launchpad(mt: Any, mt2: Any, issuer: Any, issuer2: Any) -> Any:
    """The launchpad double: MT (by `issuer`) and MT2 (by `issuer2`) graduated."""
    double = deployer("MockLaunchpad.vy").deploy()
    double.set_launch(mt.address, issuer, True)
    double.set_launch(mt2.address, issuer2, True)
    return double


@pytest.fixture(scope="module")
def revenue_router(
    admin: Any,
    usdc: Any,
    flock: Any,
    dex: Any,
    launchpad: Any,
    treasury: Any,
    settler: Any,
    keeper: Any,
) -> Any:
    with boa.env.prank(admin):
        rr = deployer("economy/RevenueRouter.vy").deploy(
            admin, usdc.address, flock.address, dex.address, launchpad.address, treasury
        )
        rr.grant_role(rr.SETTLER_ROLE(), settler)
        rr.grant_role(rr.KEEPER_ROLE(), keeper)
    usdc.faucet(settler, 10**30 // 10**6, sender=settler)
    usdc.approve(rr.address, 2**256 - 1, sender=settler)
    return rr
