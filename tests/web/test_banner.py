"""`fomo up`'s banner names the web app's URL, and says when the web app is not built."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from fomo.cli.up import banner
from fomo.config import Settings
from fomo.context import RuntimeContext
from fomo.db.session import make_engine, make_session_factory


def printed(tmp_path: Path, web_dir: Path) -> str:
    settings = Settings(data_dir=tmp_path, http_port=8123, web_dir=web_dir)
    engine = make_engine(settings.db_url)
    ctx = RuntimeContext(
        settings=settings,
        engine=engine,
        session_factory=make_session_factory(engine),
    )
    console = Console(record=True, width=200)
    banner(ctx, console)
    engine.dispose()
    return console.export_text()


def test_the_banner_prints_the_web_url(tmp_path: Path) -> None:
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "index.html").write_text("<!doctype html>")
    text = printed(tmp_path, tmp_path / "dist")
    line = next(line for line in text.splitlines() if line.startswith("web app"))
    assert line.split() == ["web", "app", "http://127.0.0.1:8123/"]


def test_the_banner_says_how_to_build_a_missing_web_app(tmp_path: Path) -> None:
    text = printed(tmp_path, tmp_path / "nowhere")
    line = next(line for line in text.splitlines() if line.startswith("web app"))
    assert "http://127.0.0.1:8123/" in line and "not built" in line and "npm run build" in line
