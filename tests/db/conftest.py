"""DB test fixtures: every test taking ``db_url`` runs on SQLite and (if configured) PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.db.backends import PG_ENV, PostgresSession, postgres_admin_url
from tests.services import missing_service


@pytest.fixture(scope="session")
def pg_session() -> Iterator[PostgresSession | None]:
    admin = postgres_admin_url()
    if admin is None:
        yield None
        return
    session = PostgresSession(admin)
    try:
        yield session
    finally:
        session.drop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(
    request: pytest.FixtureRequest, tmp_path: Path, pg_session: PostgresSession | None
) -> Iterator[str]:
    """An empty database URL (not migrated)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fomo.db'}"
        return
    if pg_session is None:
        missing_service(f"PostgreSQL tests need {PG_ENV}")
    with pg_session.schema_url() as url:
        yield url
