"""Resuming from the cursor: a restarted indexer continues where the last one stopped, a
re-run over indexed blocks adds nothing, `fomo index once` and the `fomo up` worker do the same."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from sqlalchemy import delete
from typer.testing import CliRunner

from fomo.cli.main import app
from fomo.config import Settings
from fomo.context import RuntimeContext
from fomo.db.models import IndexerCursor
from fomo.db.session import make_engine, make_session_factory
from fomo.indexer.worker import create_worker
from tests.indexer.conftest import (
    WAD,
    Chain,
    Db,
    Scenario,
    chain_log_keys,
    dump,
    make_indexer,
    stored_log_keys,
)

pytestmark = pytest.mark.anvil


def test_restart_resumes_from_cursor_without_duplicates(
    chain: Chain, scenario: Scenario, db: Db, sqlite_db: Db
) -> None:
    first = make_indexer(chain, db, batch_blocks=7)
    results = first.sync(max_steps=3)
    assert [r.action for r in results] == ["indexed"] * 3
    cursor = first.cursor()
    assert cursor is not None and cursor[0] == chain.manifest.block - 1 + 21
    partial = len(stored_log_keys(db))

    # "Restart": a new indexer over the same database picks up at the cursor.
    second = make_indexer(chain, db, batch_blocks=7)
    results = second.sync()
    assert results[0].from_block == cursor[0] + 1
    assert sum(r.skipped_duplicates for r in results) == 0
    stored = stored_log_keys(db)
    assert len(stored) > partial and len(stored) == len(set(stored))
    assert set(stored) == chain_log_keys(chain)

    # Same chain indexed in one go elsewhere: identical rows.
    make_indexer(chain, sqlite_db).sync()
    assert dump(db) == dump(sqlite_db)


def test_reindexing_stored_blocks_is_idempotent(chain: Chain, scenario: Scenario, db: Db) -> None:
    indexer = make_indexer(chain, db)
    indexer.sync()
    before = dump(db)
    # Lose the cursor (as if a crash happened between commit and … nothing: it is one commit;
    # this forces the worst case of re-reading everything).
    with db.session() as s:
        s.execute(delete(IndexerCursor))
        s.commit()
    results = make_indexer(chain, db).sync()
    assert sum(r.logs for r in results) == 0
    assert sum(r.skipped_duplicates for r in results) == len(before["event_logs"])
    assert dump(db) == before


def _settings(tmp_path: Path, chain: Chain, db_url: str) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=db_url,
        rpc_url=chain.url,
        indexer_poll_interval=0.05,
        indexer_backoff_max=0.5,
    )


def test_cli_index_once(chain: Chain, scenario: Scenario, tmp_path: Path) -> None:
    chain.manifest.save(tmp_path / "deployment.json")
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {"FOMO_DATA_DIR": str(tmp_path), "FOMO_DATABASE_URL": url, "FOMO_RPC_URL": chain.url}
    runner = CliRunner()
    res = runner.invoke(app, ["index", "once", "--json"], env=env)
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout.strip().splitlines()[-1])
    assert data["ok"] and data["cursor_block"] == chain.head() and data["logs"] > 0
    again = json.loads(runner.invoke(app, ["index", "once", "--json"], env=env).stdout)
    assert again["logs"] == 0 and again["batches"] == 0
    status = json.loads(runner.invoke(app, ["index", "status", "--json"], env=env).stdout)
    assert status["cursor_block"] == data["cursor_block"]
    missing = {**env, "FOMO_DATABASE_URL": f"sqlite:///{tmp_path / 'absent' / 'x.db'}"}
    res = runner.invoke(app, ["index", "status", "--json"], env=missing)
    assert res.exit_code == 1 and "not set up" in json.loads(res.stdout)["error"]
    assert not (tmp_path / "absent").exists()
    down = {**env, "FOMO_RPC_URL": "http://127.0.0.1:9"}
    res = runner.invoke(app, ["index", "once", "--json", "--retries", "1"], env=down)
    assert res.exit_code == 1 and "unavailable" in json.loads(res.stdout)["error"]


def test_fomo_up_worker_follows_the_chain(
    chain: Chain, scenario: Scenario, sqlite_db: Db, tmp_path: Path
) -> None:
    settings = _settings(tmp_path, chain, sqlite_db.url)
    engine = make_engine(sqlite_db.url)
    ctx = RuntimeContext(
        settings=settings,
        engine=engine,
        session_factory=make_session_factory(engine),
        manifest=chain.manifest,
    )
    worker = create_worker(ctx)
    assert worker is not None
    worker.start()
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            cursor = worker.indexer.cursor()
            if cursor is not None and cursor[0] == chain.head():
                break
            time.sleep(0.05)
        chain.transfer_mt(scenario.alice, scenario.graduated, scenario.carol.address, WAD)
        target = chain.head()
        while time.monotonic() < deadline:
            cursor = worker.indexer.cursor()
            if cursor is not None and cursor[0] == target:
                break
            time.sleep(0.05)
        assert worker.indexer.cursor() is not None
        assert worker.indexer.cursor()[0] == target  # type: ignore[index]
    finally:
        worker.stop()
        engine.dispose()
    assert not worker.running and worker.error is None
    assert set(stored_log_keys(sqlite_db)) == chain_log_keys(chain)
    disabled = RuntimeContext(**{**ctx.__dict__, "settings": settings.model_copy(
        update={"indexer_enabled": False})})  # fmt: skip
    assert create_worker(disabled) is None


def test_two_indexers_on_one_database(
    chain: Chain, scenario: Scenario, db: Db, sqlite_db: Db
) -> None:
    """`fomo index once` next to the `fomo up` worker: whoever loses a race drops its batch and
    retries; the result is the same as one indexer's."""
    import threading

    indexers = [make_indexer(chain, db, batch_blocks=3) for _ in range(2)]
    stop = threading.Event()
    idle = [threading.Event(), threading.Event()]
    errors: list[BaseException] = []

    def run(i: int) -> None:
        def on_step(result: object) -> None:
            if getattr(result, "action", None) == "idle":
                idle[i].set()

        try:
            indexers[i].run_forever(
                stop, poll_interval=0.01, backoff_initial=0.001, backoff_max=0.01, on_step=on_step
            )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(2)]
    for t in threads:
        t.start()
    for ev in idle:
        assert ev.wait(60)
    stop.set()
    for t in threads:
        t.join(10)
    assert not errors
    make_indexer(chain, sqlite_db).sync()
    assert dump(db) == dump(sqlite_db)
