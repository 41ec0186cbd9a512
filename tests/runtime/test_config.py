"""Settings: defaults, env over TOML over defaults, validation, and docs covering every field."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from fomo.config import Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("FOMO_"):
            monkeypatch.delenv(name)


def test_embedded_defaults() -> None:
    s = Settings.load()
    assert s.data_dir == Path(".fomo")
    assert s.db_url == "sqlite:///.fomo/fomo.db"
    assert s.chain_rpc_url == "http://127.0.0.1:8545"
    assert (s.chain_id, s.http_host, s.http_port) == (31337, "127.0.0.1", 8000)
    assert s.uses_anvil and s.is_dev_chain
    assert s.season == 2
    assert s.emission_per_epoch == 50_000 * 10**18
    assert s.anvil_state_file == Path(".fomo/anvil-state.json")


def test_env_beats_toml_beats_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "fomo.toml"
    cfg.write_text('http_port = 9100\nconfirmations = 3\n[fomo]\ndata_dir = "/srv/fomo"\n')
    monkeypatch.setenv("FOMO_CONFIG", str(cfg))
    monkeypatch.setenv("FOMO_HTTP_PORT", "9200")
    s = Settings.load()
    assert s.http_port == 9200  # env wins
    assert s.confirmations == 3  # from the file
    assert s.db_url == "sqlite:////srv/fomo/fomo.db"  # derived from the file's data_dir
    # Explicit overrides (CLI flags) beat everything; None means "not given".
    s2 = Settings.load(cfg, http_port=9300, anvil_port=None)
    assert (s2.http_port, s2.anvil_port) == (9300, 8545)


def test_postgres_by_url_and_external_rpc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOMO_DATABASE_URL", "postgresql+psycopg://u:p@db/fomo")
    monkeypatch.setenv("FOMO_RPC_URL", "https://rpc.example")
    monkeypatch.setenv("FOMO_CHAIN_ID", "8453")
    s = Settings.load()
    assert s.db_url == "postgresql+psycopg://u:p@db/fomo"
    assert not s.uses_anvil and not s.is_dev_chain
    assert s.chain_rpc_url == "https://rpc.example"


def test_bad_values_are_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOMO_HTTP_PORT", "70000")
    with pytest.raises(ValidationError):
        Settings.load()
    monkeypatch.delenv("FOMO_HTTP_PORT")
    cfg = tmp_path / "bad.toml"
    cfg.write_text("htp_port = 1\n")
    with pytest.raises(ValueError, match="unknown setting"):
        Settings.load(cfg)
    with pytest.raises(FileNotFoundError):
        Settings.load(tmp_path / "missing.toml")
    with pytest.raises(ValidationError):
        Settings(season=3)  # type: ignore[arg-type]


def test_every_setting_is_documented() -> None:
    doc = DOC.read_text()
    missing = [
        name
        for name in Settings.model_fields
        if f"`FOMO_{name.upper()}`" not in doc or f"`{name}`" not in doc
    ]
    assert missing == []
