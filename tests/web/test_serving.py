"""`fomo up` serves the built web app at `/` beside the APIs (fomo.api.webapp)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fomo.api.app import create_app
from fomo.api.webapp import IMMUTABLE, REVALIDATE
from fomo.config import Settings
from tests.support import free_port

INDEX = '<!doctype html><title>FOMO</title><div id="root"></div>'


@pytest.fixture
def web_dir(tmp_path: Path) -> Path:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(INDEX)
    (dist / "assets" / "index-3f2a9c.js").write_text("console.log('fomo')")
    (dist / "favicon.svg").write_text("<svg/>")
    (tmp_path / "secret.txt").write_text("outside the build")
    return dist


def client_for(tmp_path: Path, web_dir: Path) -> TestClient:
    settings = Settings(data_dir=tmp_path / "data", anvil_port=free_port(), web_dir=web_dir)
    return TestClient(create_app(settings))


def test_index_and_deep_links_get_the_app_without_caching(tmp_path: Path, web_dir: Path) -> None:
    client = client_for(tmp_path, web_dir)
    for path in ("/", "/marketplace", "/token/0x5FbDB2315678afecb367f032d93F642f64180aa3"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.text == INDEX
        assert r.headers["content-type"].startswith("text/html")
        assert r.headers["cache-control"] == REVALIDATE


def test_hashed_assets_are_cached_for_good_other_files_revalidate(
    tmp_path: Path, web_dir: Path
) -> None:
    client = client_for(tmp_path, web_dir)
    js = client.get("/assets/index-3f2a9c.js")
    assert js.status_code == 200 and js.text == "console.log('fomo')"
    assert js.headers["cache-control"] == IMMUTABLE
    assert "javascript" in js.headers["content-type"]
    icon = client.get("/favicon.svg")
    assert icon.status_code == 200 and icon.headers["cache-control"] == REVALIDATE
    # Revalidation works: the ETag answers 304 without a body.
    again = client.get("/", headers={"if-none-match": client.get("/").headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert client.head("/").status_code == 200


def test_a_missing_asset_is_a_404_not_the_app(tmp_path: Path, web_dir: Path) -> None:
    r = client_for(tmp_path, web_dir).get("/assets/index-000000.js")
    assert r.status_code == 404
    assert "no such file in the web build" in r.text


def test_paths_outside_the_build_are_never_served(tmp_path: Path, web_dir: Path) -> None:
    client = client_for(tmp_path, web_dir)
    for path in ("/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt"):
        r = client.get(path)
        assert "outside the build" not in r.text, path


def test_api_paths_keep_their_own_handlers(tmp_path: Path, web_dir: Path) -> None:
    client = client_for(tmp_path, web_dir)
    assert client.get("/api/info").json()["chain_id"] == 31337
    assert "/rpc" in client.get("/openapi.json").json()["paths"]
    docs = client.get("/docs").text
    assert "swagger" in docs.lower()
    # The API docs' own files (served locally, no CDN) are never mistaken for app routes.
    for asset in re.findall(r'(?:href|src)="(/docs-assets/[^"]+)"', docs):
        got = client.get(asset)
        assert got.status_code == 200 and "text/html" not in got.headers["content-type"], asset
    missing = client.get("/api/no-such-route")
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/json"
    # Writes never fall back to the app.
    assert client.post("/marketplace").status_code in (404, 405)


def test_without_a_build_the_page_says_how_to_build_it(tmp_path: Path) -> None:
    client = client_for(tmp_path, tmp_path / "nowhere")
    for path in ("/", "/launch"):
        r = client.get(path)
        assert r.status_code == 503
        assert "not built" in r.text and "npm run build" in r.text and "FOMO_WEB_DIR" in r.text
    assert client.get("/api/info").status_code == 200


def test_web_dir_defaults_to_the_repository_build(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FOMO_WEB_DIR", raising=False)
    repo = Path(__file__).resolve().parents[2]
    assert Settings().web_root == repo / "web" / "dist"
    monkeypatch.setenv("FOMO_WEB_DIR", "/srv/fomo-web")
    assert Settings.load().web_root == Path("/srv/fomo-web")


def test_text_assets_are_gzipped_for_clients_that_accept_it(tmp_path: Path, web_dir: Path) -> None:
    source = "export const launches = [];\n" * 400  # 11 KB of JavaScript
    (web_dir / "assets" / "big-9a8b7c.js").write_text(source)
    client = client_for(tmp_path, web_dir)
    zipped = client.get("/assets/big-9a8b7c.js", headers={"accept-encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["vary"] == "accept-encoding"
    assert zipped.headers["cache-control"] == IMMUTABLE
    assert int(zipped.headers["content-length"]) < len(source) // 10
    assert zipped.text == source  # httpx decompresses: the same bytes arrive
    plain = client.get("/assets/big-9a8b7c.js", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.text == source
    assert plain.headers["etag"] != zipped.headers["etag"]  # two representations, two tags
    # Small files and the app shell are sent as they are.
    small = client.get("/assets/index-3f2a9c.js", headers={"accept-encoding": "gzip"})
    assert "content-encoding" not in small.headers
