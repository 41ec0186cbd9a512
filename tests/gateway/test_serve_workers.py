"""`fomo serve-gateway --workers N` refuses N > 1 without the shared ledger, in one sentence."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from fomo.cli.main import app
from fomo.gateway.config import GatewayConfig
from fomo.gateway.serve import WorkersNeedRedis, check_workers, main


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
