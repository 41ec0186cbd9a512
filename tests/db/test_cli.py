"""`fomo db upgrade|current|downgrade` and `fomo config show` through the real CLI app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fomo.cli.main import app
from fomo.db.migrate import head_revisions

runner = CliRunner()


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("FOMO_"):
            monkeypatch.delenv(name)


def test_upgrade_current_downgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    behind = runner.invoke(app, ["db", "current", "--database-url", url, "--json"])
    assert behind.exit_code == 1
    assert json.loads(behind.stdout)["current"] is None

    up = runner.invoke(app, ["db", "upgrade", "--database-url", url])
    assert up.exit_code == 0, up.output
    now = runner.invoke(app, ["db", "current", "--database-url", url, "--json"])
    assert now.exit_code == 0
    assert json.loads(now.stdout)["current"] == head_revisions()[0]

    refused = runner.invoke(app, ["db", "downgrade", "base", "--database-url", url], input="n\n")
    assert refused.exit_code != 0
    assert runner.invoke(app, ["db", "current", "--database-url", url]).exit_code == 0

    down = runner.invoke(app, ["db", "downgrade", "base", "--yes", "--database-url", url])
    assert down.exit_code == 0, down.output
    assert runner.invoke(app, ["db", "current", "--database-url", url]).exit_code == 1


def test_config_show_masks_secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOMO_DEPLOYER_KEY", "0x" + "11" * 32)
    monkeypatch.setenv("FOMO_DATABASE_URL", "postgresql+psycopg://fomo:hunter2@db/fomo")
    cfg = tmp_path / "fomo.toml"
    cfg.write_text("http_port = 9123\n")
    result = runner.invoke(app, ["config", "show", "--config", str(cfg)])
    assert result.exit_code == 0, result.output
    assert "11" * 32 not in result.stdout and "hunter2" not in result.stdout
    data = json.loads(result.stdout)
    assert data["http_port"] == 9123
    assert data["effective"]["http_url"] == "http://127.0.0.1:9123"
    bad = runner.invoke(app, ["config", "show", "--config", str(tmp_path / "missing.toml")])
    assert bad.exit_code == 2
