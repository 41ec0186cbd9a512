"""`fomo serve-gateway --workers N` refuses N > 1 without the shared ledger, in one sentence."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from fomo.cli.main import app
from fomo.gateway.config import GatewayConfig
from fomo.gateway.serve import WorkersNeedRedis, check_workers, main, parse_args


def test_several_workers_need_redis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FOMO_REDIS_URL", raising=False)
    cfg = tmp_path / "gateway.toml"
    cfg.write_text(f'database_url = "sqlite:///{tmp_path / "fomo.db"}"\n')
    out = CliRunner().invoke(app, ["serve-gateway", "--config", str(cfg), "--workers", "2"])
    assert out.exit_code == 2
    assert "--workers 2 needs the shared credit ledger: set redis_url" in out.output
    assert "Traceback" not in out.output
    with pytest.raises(SystemExit) as exc:
        main(["--config", str(cfg), "--workers", "3"])
    assert exc.value.code == 2


def test_worker_count_rules() -> None:
    check_workers(GatewayConfig(), 1)
    check_workers(GatewayConfig(redis_url="redis://127.0.0.1:6379/0"), 4)
    with pytest.raises(WorkersNeedRedis):
        check_workers(GatewayConfig(), 2)
    with pytest.raises(WorkersNeedRedis):
        check_workers(GatewayConfig(redis_url="redis://x"), 0)


def test_the_module_entry_keeps_the_platform_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python -m fomo.gateway.serve --config FILE` layers the file over the platform settings,
    as `fomo serve-gateway` does: a gateway file that does not name the database must not put
    the gateway's own default database back (issue 12 item 11, the one path it had left)."""
    data = tmp_path / "platform-data"
    monkeypatch.setenv("FOMO_DATA_DIR", str(data))
    monkeypatch.delenv("FOMO_DATABASE_URL", raising=False)
    cfg_file = tmp_path / "gateway.toml"
    cfg_file.write_text("default_max_output_tokens = 512\n")
    args, cfg = parse_args(["--config", str(cfg_file), "--port", "8123"])
    assert args.port == 8123
    assert cfg.default_max_output_tokens == 512  # the file
    assert str(data / "fomo.db") in cfg.database_url  # the platform's data dir, not a default
    bad = tmp_path / "bad.toml"
    bad.write_text("no_such_setting = 1\n")
    with pytest.raises(SystemExit) as exc:
        parse_args(["--config", str(bad)])
    assert exc.value.code == 2
