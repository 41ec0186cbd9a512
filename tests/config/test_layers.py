"""Settings are merged defaults < file < environment < flags, for the platform and the gateway,
and `fomo config show` says where each value came from (issue 12, item 11)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from fomo.cli.main import app
from fomo.config import Settings
from fomo.gateway.config import load_gateway_config
from fomo.gateway.mount import gateway_config

UPSTREAM_ONLY = '[upstreams."qwen3-30b-a3b-instruct"]\nurl = "http://gpu-box:8000/v1"\n'


def test_gateway_file_keeps_platform_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A gateway.toml with only an upstream table must not reset season, confirmations or the
    SIWE chain id (it used to: deposits were credited after 1 confirmation instead of 3)."""
    (tmp_path / "gateway.toml").write_text(UPSTREAM_ONLY)
    monkeypatch.setenv("FOMO_SEASON", "1")
    monkeypatch.setenv("FOMO_CONFIRMATIONS", "3")
    monkeypatch.setenv("FOMO_CHAIN_ID", "1337")
    settings = Settings.load(data_dir=tmp_path)
    cfg = gateway_config(settings)  # what `fomo up` mounts
    assert cfg.season == 1
    assert cfg.deposit_confirmations == 3
    assert cfg.siwe_chain_id == 1337
    assert cfg.upstreams["qwen3-30b-a3b-instruct"].url == "http://gpu-box:8000/v1"
    assert cfg.database_url == f"sqlite:///{tmp_path / 'fomo.db'}"
    assert cfg.journal_dir == tmp_path / "gateway-journal"


def test_gateway_file_keeps_platform_defaults(tmp_path: Path) -> None:
    (tmp_path / "gateway.toml").write_text(UPSTREAM_ONLY)
    cfg = gateway_config(Settings.load(data_dir=tmp_path, chain_id=8453, confirmations=5))
    assert (cfg.season, cfg.deposit_confirmations, cfg.siwe_chain_id) == (2, 5, 8453)


def test_layer_order_for_the_gateway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """File beats the platform's defaults and file; environment beats the file; flags beat all."""
    platform = tmp_path / "fomo.toml"
    platform.write_text("confirmations = 4\nseason = 1\n")
    gw = tmp_path / "gateway.toml"
    gw.write_text('deposit_confirmations = 6\ndefault_upstream = "http://a/v1"\n')
    settings = Settings.load(platform, data_dir=tmp_path)
    cfg, sources = load_gateway_config(settings, gw)
    assert (cfg.deposit_confirmations, cfg.season) == (6, 1)
    assert sources["deposit_confirmations"] == f"file {gw}"
    monkeypatch.setenv("FOMO_CONFIRMATIONS", "9")
    settings = Settings.load(platform, data_dir=tmp_path)
    cfg, sources = load_gateway_config(settings, gw, default_upstream="http://b/v1")
    assert cfg.deposit_confirmations == 9
    assert sources["deposit_confirmations"] == "env FOMO_CONFIRMATIONS (platform confirmations)"
    assert (cfg.default_upstream, sources["default_upstream"]) == ("http://b/v1", "flag")
    assert sources["season"] == f"file {platform} (platform season)"
    assert sources["compute_rate_bps"] == "default"


def test_a_gateway_file_cannot_set_the_season(tmp_path: Path) -> None:
    """The season has one source, the platform setting: a gateway file naming it is refused with
    one sentence saying where it belongs (it used to override the platform's season)."""
    gw = tmp_path / "gateway.toml"
    for text in ("season = 1\n", "[gateway]\nseason = 1\n"):
        gw.write_text(text)
        with pytest.raises(
            ValueError, match=r"^season is a platform setting \(fomo.toml or FOMO_SEASON\)"
        ):
            load_gateway_config(Settings.load(data_dir=tmp_path), gw)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('[upstream."qwen3-30b-a3b-instruct"]\nurl = "http://x/v1"\n', "[upstream]"),
        ("deposit_confirmation = 3\n", "deposit_confirmation"),
        ('[upstreams.a]\nurl = "http://x/v1"\napi-key = "k"\n', "api-key"),
        (
            '[[deployments]]\nbase_model = "m"\nticker = "T"\ntoken = "0x1"\ntikker = "x"\n',
            "tikker",
        ),
    ],
)
def test_unknown_gateway_key_or_table_is_an_error_naming_it(
    tmp_path: Path, text: str, named: str
) -> None:
    gw = tmp_path / "gateway.toml"
    gw.write_text(text)
    with pytest.raises(ValueError, match=named.replace("[", r"\[").replace("]", r"\]")):
        load_gateway_config(Settings.load(data_dir=tmp_path), gw)
    res = CliRunner().invoke(
        app, ["config", "show", "--gateway-config", str(gw)], env={"FOMO_DATA_DIR": str(tmp_path)}
    )
    assert res.exit_code == 2
    assert named in res.stderr and "Traceback" not in res.output


def test_unknown_platform_table_is_an_error_naming_it(tmp_path: Path) -> None:
    cfg = tmp_path / "fomo.toml"
    cfg.write_text("[indexer]\nconfirmations = 3\n")
    with pytest.raises(ValueError, match=r"\[indexer\]"):
        Settings.load(cfg)


def test_config_show_prints_provenance(tmp_path: Path) -> None:
    platform = tmp_path / "fomo.toml"
    platform.write_text("http_port = 9123\n")
    (tmp_path / "gateway.toml").write_text(UPSTREAM_ONLY + 'api_key = "s3cret"\n')
    res = CliRunner().invoke(
        app,
        ["config", "show", "--config", str(platform)],
        env={"FOMO_DATA_DIR": str(tmp_path), "FOMO_CONFIRMATIONS": "3"},
    )
    assert res.exit_code == 0, res.output
    assert "s3cret" not in res.stdout
    data = json.loads(res.stdout)
    assert data["sources"]["http_port"] == f"file {platform}"
    assert data["sources"]["confirmations"] == "env FOMO_CONFIRMATIONS"
    assert data["sources"]["data_dir"] == "env FOMO_DATA_DIR"
    assert data["sources"]["season"] == "default"
    gw = data["gateway"]
    assert gw["file"] == str(tmp_path / "gateway.toml")
    assert gw["settings"]["deposit_confirmations"] == 3
    assert gw["sources"]["deposit_confirmations"].startswith("env FOMO_CONFIRMATIONS")
    assert gw["sources"]["upstreams"] == f"file {tmp_path / 'gateway.toml'}"
    assert gw["settings"]["upstreams"]["qwen3-30b-a3b-instruct"]["api_key"] == "***"


def test_flags_beat_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOMO_HTTP_PORT", "9200")
    s = Settings.load(http_port=9300)
    assert s.http_port == 9300 and s.sources["http_port"] == "flag"


def test_mount_uses_the_loader(tmp_path: Path) -> None:
    # The ctx-style object `fomo up` hands the mount (settings only).
    ctx = SimpleNamespace(settings=Settings.load(data_dir=tmp_path, confirmations=7))
    assert gateway_config(ctx.settings).deposit_confirmations == 7


def test_gateway_table_in_the_platform_file_points_to_the_gateway_file(tmp_path: Path) -> None:
    cfg = tmp_path / "fomo.toml"
    cfg.write_text('[upstreams."deepseek-v3.2"]\nurl = "http://x/v1"\n')
    with pytest.raises(ValueError, match=r"\[upstreams\].*gateway\.toml"):
        Settings.load(cfg)


def test_a_file_value_beats_one_derived_from_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`FOMO_DATA_DIR` implies a SQLite database and a journal under it; a gateway file that
    names `database_url` or `journal_dir` outright keeps them (the env var names another
    setting). An explicit `FOMO_DATABASE_URL` still beats the file, as every env var does."""
    gw = tmp_path / "gateway.toml"
    db = f"sqlite:///{tmp_path / 'named.db'}"
    gw.write_text(f'database_url = "{db}"\njournal_dir = "{tmp_path / "named-journal"}"\n')
    monkeypatch.setenv("FOMO_DATA_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.delenv("FOMO_DATABASE_URL", raising=False)
    cfg, sources = load_gateway_config(Settings.load(), gw)
    assert cfg.database_url == db and sources["database_url"] == f"file {gw}"
    assert cfg.journal_dir == tmp_path / "named-journal"
    no_db = tmp_path / "plain.toml"
    no_db.write_text("default_max_output_tokens = 512\n")
    cfg, _ = load_gateway_config(Settings.load(), no_db)  # not named: the data dir decides
    assert str(tmp_path / "elsewhere" / "fomo.db") in cfg.database_url
    explicit = f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.setenv("FOMO_DATABASE_URL", explicit)
    cfg, sources = load_gateway_config(Settings.load(), gw)
    assert cfg.database_url == explicit and sources["database_url"].startswith("env ")
