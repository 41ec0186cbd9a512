"""``/docs`` works offline and documents everything ``fomo up`` serves: its page loads only
same-origin files, which are served, and ``/openapi.json`` includes the gateway's paths."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from fomo.api.app import create_app
from fomo.config import Settings
from fomo.runtime import hooks
from tests.gateway.conftest import make_db

GATEWAY_PATHS = {
    "/v1/chat/completions": "post",
    "/v1/completions": "post",
    "/v1/embeddings": "post",
    "/v1/models": "get",
    "/v1/auth/nonce": "post",
    "/v1/auth/verify": "post",
    "/v1/keys": "post",
    "/v1/keys/{key_id}": "delete",
    "/v1/account/balance": "get",
}


def _platform(tmp_path: Path) -> TestClient:
    """The app exactly as `fomo up` builds it: the read API plus the runtime's HTTP mounts."""
    settings = Settings(data_dir=tmp_path, database_url=make_db("sqlite", tmp_path))
    app = create_app(settings)
    for prefix, factory in hooks.HTTP_MOUNTS:
        app.mount(prefix, factory(app.state.ctx))
    return TestClient(app)


def test_docs_page_loads_only_local_assets_and_they_are_served(tmp_path: Path) -> None:
    client = _platform(tmp_path)
    page = client.get("/docs")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    html = page.text
    assert "http://" not in html and "https://" not in html  # no CDN, no online validator
    refs = re.findall(r'(?:src|href)="([^"]+)"', html) + re.findall(r"url: '([^']+)'", html)
    assets = [r for r in refs if r != "/openapi.json"]
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    for ref in refs:
        assert ref.startswith("/") and not ref.startswith("//"), ref  # same origin
        got = client.get(ref)
        assert got.status_code == 200 and len(got.content) > 100, ref
    js = client.get(next(a for a in assets if a.endswith(".js")))
    assert "SwaggerUIBundle" in js.text and "javascript" in js.headers["content-type"]


def test_schema_documents_the_gateway_and_sign_in(tmp_path: Path) -> None:
    schema = _platform(tmp_path).get("/openapi.json").json()
    paths = schema["paths"]
    for path, method in GATEWAY_PATHS.items():
        assert method in paths.get(path, {}), f"{method.upper()} {path} not documented"
    assert "/api/launches" in paths and "/health" in paths  # the read API is still there
    chat = paths["/v1/chat/completions"]["post"]
    assert chat["security"] == [{"ApiKey": []}]
    assert {"200", "401", "402"} <= set(chat["responses"])
    assert "text/event-stream" in chat["responses"]["200"]["content"]
    keys = paths["/v1/keys"]["post"]
    assert keys["security"] == [{"SiweSession": []}]
    assert set(schema["components"]["securitySchemes"]) >= {"ApiKey", "SiweSession"}


def test_read_api_alone_documents_no_gateway(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url=make_db("sqlite", tmp_path))
    paths = TestClient(create_app(settings)).get("/openapi.json").json()["paths"]
    assert "/api/launches" in paths and not any(p.startswith("/v1/") for p in paths)
