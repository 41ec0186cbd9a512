"""``./fomo`` runs the CLI from a new terminal whose PATH lacks uv (the bootstrap put uv in
``~/.local/bin``, which many shells do not put on PATH), and the README's follow-up commands use
it instead of ``uv run fomo``."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from fomo import __version__

ROOT = Path(__file__).resolve().parents[1]
WRAPPER = ROOT / "fomo"
BARE_PATH = "/usr/bin:/bin"  # what a new terminal has, without uv


def _real_uv() -> str:
    uv = os.environ.get("UV") or shutil.which("uv") or str(Path.home() / ".local/bin/uv")
    if not Path(uv).is_file():
        pytest.skip("no uv executable to stand in for the bootstrap's ~/.local/bin/uv")
    return uv


def test_wrapper_finds_uv_in_home_local_bin_without_path(tmp_path: Path) -> None:
    uv = _real_uv()
    if shutil.which("uv", path=BARE_PATH) is not None:
        pytest.skip("uv is installed system-wide here: no PATH lacks it")
    home = tmp_path / "home"
    (home / ".local/bin").mkdir(parents=True)
    (home / ".local/bin/uv").symlink_to(uv)
    cache = subprocess.run([uv, "cache", "dir"], capture_output=True, text=True, check=True)
    elsewhere = tmp_path / "elsewhere"  # any working directory: the wrapper finds its checkout
    elsewhere.mkdir()
    env = {"HOME": str(home), "PATH": BARE_PATH, "UV_CACHE_DIR": cache.stdout.strip()}
    out = subprocess.run(
        [str(WRAPPER), "version"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == __version__
    assert "bootstrap" not in out.stderr  # found uv; nothing was installed


def test_wrapper_is_executable_and_the_readme_uses_it() -> None:
    assert os.access(WRAPPER, os.X_OK)
    readme = (ROOT / "README.md").read_text()
    assert "uv run fomo" not in readme
    assert "./fomo launch create" in readme and "./fomo demo" in readme
