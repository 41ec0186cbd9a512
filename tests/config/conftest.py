"""Every settings test starts from an environment without FOMO_* variables (the developer's or
CI's own must not leak into what a test asserts)."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("FOMO_"):
            monkeypatch.delenv(name)
