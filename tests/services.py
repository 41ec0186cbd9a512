"""Real Redis and PostgreSQL for tests: ``FOMO_TEST_REDIS_URL`` / ``FOMO_TEST_POSTGRES_URL``.

Without the variable a test that needs the service is skipped on a developer machine, but fails
under ``CI=true``: CI must never go green by silently not running them (``.ci/run`` sets both
when the servers answer).
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

REDIS_ENV = "FOMO_TEST_REDIS_URL"
POSTGRES_ENV = "FOMO_TEST_POSTGRES_URL"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing_service(message: str) -> NoReturn:
    """Skip (developer machine) or fail (``CI=true``) a test whose service is not configured."""
    if in_ci():
        pytest.fail(f"{message} (CI=true: a missing service fails, never skips)")
    pytest.skip(message)


def require_service(env: str, what: str) -> str:
    url = os.environ.get(env)
    if url:
        return url
    missing_service(f"{what} tests need {env}")


def redis_url() -> str:
    return require_service(REDIS_ENV, "Redis")


def postgres_url() -> str:
    return require_service(POSTGRES_ENV, "PostgreSQL")
