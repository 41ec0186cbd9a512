"""The platform read API skeleton: /health reports the database and the chain honestly."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from fomo.api.app import create_app
from fomo.config import Settings
from fomo.db.migrate import upgrade
from tests.support import free_port


def test_health_degraded_without_chain_and_migrations(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, anvil_port=free_port())
    client = TestClient(create_app(settings))
    response = client.get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert not body["chain"]["ok"] and "rpc unreachable" in body["chain"]["detail"]
    assert not body["database"]["ok"]  # reachable but not migrated


def test_health_database_ok_after_migration_and_openapi(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, anvil_port=free_port())
    upgrade(settings.db_url)
    client = TestClient(create_app(settings))
    body = client.get("/health").json()
    assert body["database"]["ok"] and body["database"]["detail"].startswith("revision ")
    spec = client.get("/openapi.json").json()
    assert {"/health", "/api/info"} <= set(spec["paths"])
    assert client.get("/api/info").json()["contracts"] == {}
