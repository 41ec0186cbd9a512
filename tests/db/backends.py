"""Database backends for tests: temp-file SQLite, and PostgreSQL if FOMO_TEST_POSTGRES_URL is set.

PostgreSQL isolation: one uniquely-named database per test session (created on first use, dropped
at the end), and one uniquely-named schema per test inside it (``search_path`` set through the
connection URL), so parallel sessions and tests never see each other's tables.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

PG_ENV = "FOMO_TEST_POSTGRES_URL"


def postgres_admin_url() -> str | None:
    return os.environ.get(PG_ENV) or None


class PostgresSession:
    """A throwaway database on the server named by ``FOMO_TEST_POSTGRES_URL``."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.name = f"fomo_test_{uuid.uuid4().hex[:12]}"
        self._created = False

    def _admin(self):  # type: ignore[no-untyped-def]
        return create_engine(self.admin_url, isolation_level="AUTOCOMMIT")

    def database_url(self) -> str:
        if not self._created:
            engine = self._admin()
            with engine.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{self.name}"')
            engine.dispose()
            self._created = True
        return (
            make_url(self.admin_url).set(database=self.name).render_as_string(hide_password=False)
        )

    @contextmanager
    def schema_url(self) -> Iterator[str]:
        """URL whose connections see only a fresh schema (dropped afterwards)."""
        base = self.database_url()
        schema = f"s_{uuid.uuid4().hex[:12]}"
        engine = create_engine(base, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        try:
            yield url.render_as_string(hide_password=False)
        finally:
            with engine.connect() as conn:
                conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
            engine.dispose()

    def drop(self) -> None:
        if not self._created:
            return
        engine = self._admin()
        with engine.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        engine.dispose()
