"""Launchpad fixtures: the whole launch stack compiled and deployed once per session.

Every test runs inside `boa.env.anchor()`, so state never leaks between tests.
"""

from __future__ import annotations

from collections.abc import Iterator

import boa
import pytest

from tests.contracts.launch.helpers import Stack


@pytest.fixture(scope="session")
def stack() -> Stack:
    return Stack()


@pytest.fixture(autouse=True)
def _isolate() -> Iterator[None]:
    with boa.env.anchor():
        yield
