"""Migrations: upgrade from empty, schema equals the models, downgrade to empty, upgrade again."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from fomo.db.metadata import target_metadata
from fomo.db.migrate import current_revision, downgrade, head_revisions, upgrade
from fomo.db.session import make_engine


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_first_revision_id_is_stable() -> None:
    # Component revisions (0002_gateway …) name it as their down_revision.
    from alembic.script import ScriptDirectory

    from fomo.db.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert script.get_revision("0001_core").down_revision is None
    assert script.get_base() == "0001_core"


def test_upgrade_from_empty_creates_every_model_table(db_url: str) -> None:
    assert current_revision(db_url) is None
    upgrade(db_url)
    assert (current_revision(db_url),) == head_revisions()
    expected = set(target_metadata().tables)
    assert expected <= _tables(db_url)
    assert {"launches", "purchases", "indexer_cursors", "event_logs", "rewards"} <= expected


def test_migrated_schema_matches_models(db_url: str) -> None:
    upgrade(db_url)
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, target_metadata())
    finally:
        engine.dispose()
    assert diff == []


def test_downgrade_to_base_and_upgrade_again(db_url: str) -> None:
    upgrade(db_url)
    downgrade(db_url, "base")
    assert current_revision(db_url) is None
    assert _tables(db_url) <= {"alembic_version"}
    upgrade(db_url)
    assert (current_revision(db_url),) == head_revisions()


def test_upgrade_is_idempotent(db_url: str) -> None:
    upgrade(db_url)
    upgrade(db_url)
    assert (current_revision(db_url),) == head_revisions()
