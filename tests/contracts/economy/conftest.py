"""Generic fixtures for the economy contract tests (shared by several test modules)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import boa
import pytest

HERE = Path(__file__).resolve().parent


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
def new_address() -> Callable[[], Any]:
    """Factory for fresh addresses."""
    return boa.env.generate_address


@pytest.fixture(scope="session")
def erc20_deployer() -> Any:
    """Deployer for the test-only ERC-20 double `TestToken.vy` (open `mint`, holder `burn`).

    Deploy as ``erc20_deployer.deploy(name, symbol, decimals)``.
    """
    return boa.load_partial(str(HERE / "TestToken.vy"))
