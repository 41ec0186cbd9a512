"""Helpers shared by every test package (fixtures shared by them live in tests/conftest.py)."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
