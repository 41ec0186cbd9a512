"""Alembic environment, driven programmatically by :mod:`fomo.db.migrate` (no alembic.ini).

The caller passes either an open connection (``config.attributes["connection"]``) or a URL
(``sqlalchemy.url``). ``render_as_batch`` is on for SQLite so ALTERs become table copies.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from fomo.db.metadata import target_metadata
from fomo.db.session import make_engine

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata(),
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata(),
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    assert url, "no database URL given to the migration environment"
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
