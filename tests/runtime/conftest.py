"""Runtime test helpers: free loopback ports and the anvil binary (tests skip if it is absent)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from fomo.chain.anvil import AnvilNotFoundError, find_anvil


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def anvil_binary() -> Path:
    try:
        return find_anvil()
    except AnvilNotFoundError as exc:
        pytest.skip(f"anvil binary absent: {exc}")
