"""Generic fixtures for the economy contract tests (shared by several test modules)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import boa
import pytest

from fomo.chain.sources import contract_path

HERE = Path(__file__).resolve().parent
ZERO_ADDRESS = "0x" + "00" * 20
# Per-call cap of the DevToken faucet used by the tests (the contract's own maximum).
FAUCET_CAP = 10**30


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


@pytest.fixture(scope="session")
def dev_token_deployer() -> Any:
    """Deployer of the project's DevToken (ERC-20 + permit + burn + faucet)."""
    return boa.load_partial(str(contract_path("tokens/DevToken.vy")))


@pytest.fixture(scope="session")
def make_token(dev_token_deployer: Any) -> Callable[..., Any]:
    """Deploy a DevToken with the faucet on: ``make_token("FLOCK", 18)``; mint with `faucet`."""

    def deploy(symbol: str, decimals: int = 18) -> Any:
        return dev_token_deployer.deploy(f"Dev {symbol}", symbol, decimals, True, FAUCET_CAP)

    return deploy
