"""Shared test configuration."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from fomo.chain.anvil import AnvilNotFoundError, find_anvil

settings.register_profile(
    "ci",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("dev", deadline=None, max_examples=50)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def anvil_binary() -> Path:
    """The anvil binary (npm @foundry-rs/anvil, installed by scripts/bootstrap.sh)."""
    try:
        return find_anvil()
    except AnvilNotFoundError as exc:
        pytest.skip(f"anvil binary absent: {exc}")


@pytest.fixture(scope="session")
def artifacts_cache(request: pytest.FixtureRequest) -> Path:
    """Compiled contracts, cached by source hash in pytest's cache and shared by every worker."""
    return Path(request.config.cache.mkdir("fomo-chain-artifacts"))
