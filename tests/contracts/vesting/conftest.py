"""Vesting fixtures: one token and one vesting contract per module, isolated per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boa
import pytest

from fomo.chain.sources import contract_path


@pytest.fixture(scope="module")
def owner() -> Any:
    return boa.env.generate_address("vest-owner")


@pytest.fixture(scope="module")
def token(owner: Any) -> Any:
    with boa.env.prank(owner):
        return boa.load(str(contract_path("tokens/DevToken.vy")), "Tok", "TOK", 18, False, 0)


@pytest.fixture(scope="module")
def vesting(token: Any, owner: Any) -> Any:
    v = boa.load(str(contract_path("economy/Vesting.vy")))
    with boa.env.prank(owner):
        token.mint(owner, 10**30)
        token.approve(v.address, 2**256 - 1)
    return v


@pytest.fixture(autouse=True)
def _isolate() -> Iterator[None]:
    with boa.env.anchor():
        yield
