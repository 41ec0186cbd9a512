"""Helpers shared by every test package (fixtures shared by them live in tests/conftest.py)."""

from __future__ import annotations

from fomo.chain.anvil import free_port

__all__ = ["free_port"]
