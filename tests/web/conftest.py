"""The browser-test harness: one real `fomo up` (anvil + SQLite + the built web app) per session,
headless Debian chromium driven by playwright, full-page screenshots and axe-core checks.

* ``platform`` — a `fomo up --json` subprocess on free ports in a temporary data dir, serving
  ``web/dist`` (``FOMO_WEB_DIR``); ready once ``/health`` answers ok.
* ``browser`` — chromium from the system (``shutil.which("chromium")``), never a downloaded
  browser. Missing: the tests FAIL with the install command when ``CI=true``, else they skip.
* ``web`` — a fresh browser context at 1440×900 whose pages open ``platform.url``; ``Visit`` gives
  ``.go(path, name)`` (navigate, wait for the app, screenshot), ``.shot(name)`` and ``.axe()``.

Screenshots land in ``tests/web/screenshots/`` (gitignored) so a person can look at every page.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from fomo.chain.anvil import Anvil
from tests.support import free_port

REPO = Path(__file__).resolve().parents[2]
WEB_DIST = Path(os.environ.get("FOMO_WEB_DIR") or REPO / "web" / "dist")
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
AXE_JS = REPO / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
INSTALL_CHROMIUM = (
    "chromium is not installed: run `sudo apt-get install chromium fonts-liberation` "
    "(scripts/test.sh does it when run as root)"
)


def missing(reason: str) -> None:
    """A missing prerequisite fails in CI (the browser tests must run there) and skips locally."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def fomo_command() -> list[str]:
    script = Path(sys.executable).parent / "fomo"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from fomo.cli.main import app; app()"]


@dataclass
class Platform:
    """The running `fomo up`: its URLs, data dir, contracts and dev accounts."""

    url: str
    rpc_url: str
    data_dir: Path
    contracts: dict[str, str]
    accounts: list[dict[str, str]]

    @property
    def manifest(self) -> Path:
        return self.data_dir / "deployment.json"

    def api(self, path: str) -> Any:
        response = httpx.get(self.url + path, timeout=10)
        response.raise_for_status()
        return response.json()


class UpProcess:
    """`fomo up --json` with its output pumped on threads (a full pipe would block it)."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.err: list[str] = []
        assert self.proc.stdout is not None and self.proc.stderr is not None
        for stream, sink in (
            (self.proc.stdout, self.lines.put),
            (self.proc.stderr, self.err.append),
        ):
            threading.Thread(target=self._pump, args=(stream, sink), daemon=True).start()

    @staticmethod
    def _pump(stream: Any, sink: Any) -> None:
        for line in stream:
            sink(line)

    def ready(self, timeout: float = 240.0) -> dict[str, Any]:
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                self.stop()
                raise AssertionError("fomo up never became ready:\n" + "".join(self.err)) from None
            if line.startswith("{") and json.loads(line).get("event") == "ready":
                return dict(json.loads(line))

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGINT)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


@pytest.fixture(scope="session")
def web_build() -> Path:
    if not (WEB_DIST / "index.html").is_file():
        missing(
            f"the web app is not built ({WEB_DIST}/index.html missing): run scripts/build-web.sh"
        )
    return WEB_DIST


@pytest.fixture(scope="session")
def platform(
    web_build: Path,
    anvil_binary: Path,
    artifacts_cache: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Platform]:
    """A real `fomo up` (its own anvil, SQLite, indexer, gateway, the web build) for the session."""
    from fomo.chain.artifacts import load_artifacts

    load_artifacts(artifacts_cache)  # compiled once, shared with tests/chain (by source hash)
    data = tmp_path_factory.mktemp("web-platform")
    (data / "artifacts").mkdir()
    for path in artifacts_cache.glob("artifacts-*.json"):
        shutil.copy2(path, data / "artifacts" / path.name)
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOMO_")}
    env.update(
        FOMO_WEB_DIR=str(web_build),
        FOMO_ANVIL_STATE_INTERVAL="0",
        FOMO_INDEXER_POLL_INTERVAL="0.2",
        PATH=f"{anvil_binary.parent}{os.pathsep}{env.get('PATH', '')}",
    )
    http_port, anvil_port = free_port(), free_port()
    up = UpProcess(
        [
            *fomo_command(),
            "up",
            "--json",
            "--data-dir",
            str(data),
            "--http-port",
            str(http_port),
            "--anvil-port",
            str(anvil_port),
        ],
        env,
    )
    try:
        ready = up.ready()
        url = ready["http_url"]
        health = httpx.get(url + "/health", timeout=10)
        assert health.status_code == 200, health.text
        yield Platform(
            url=url,
            rpc_url=ready["rpc_url"],
            data_dir=data,
            contracts=ready["contracts"],
            accounts=ready["accounts"],
        )
    finally:
        up.stop()
        Anvil.reap_stale(data / "anvil.pid")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    found = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    found = found or shutil.which("chromium-browser")
    if not found:
        missing(INSTALL_CHROMIUM)
    assert found is not None
    return found


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    """Headless system chromium (playwright never downloads a browser here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        args = ["--no-sandbox"] if os.geteuid() == 0 else []  # root (CI containers) needs it
        chromium = pw.chromium.launch(executable_path=chromium_path, headless=True, args=args)
        yield chromium
        chromium.close()


class Visit:
    """One browser context on the platform: navigate, screenshot, check accessibility."""

    def __init__(self, browser: Any, base_url: str, viewport: dict[str, int], tag: str) -> None:
        self.context = browser.new_context(base_url=base_url, viewport=viewport)
        self.page = self.context.new_page()
        self.tag = tag
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def go(self, path: str, name: str) -> Any:
        """Open ``path``, wait until the app has rendered and the network is idle, screenshot."""
        self.page.goto(path, wait_until="networkidle")
        self.page.wait_for_selector("#root > *", timeout=15_000)
        self.shot(name)
        return self.page

    def shot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}-{self.tag}.png"
        # From the top: a scrolled page draws its sticky header mid-way down a full-page shot.
        self.page.evaluate("window.scrollTo(0, 0)")
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def axe(self, within: str = "html") -> None:
        """Fail on every serious or critical axe-core finding on the current page (or in the
        part of it matched by the CSS selector ``within``)."""
        if not AXE_JS.is_file():
            missing(f"axe-core is not installed ({AXE_JS}): run `source scripts/bootstrap.sh`")
        self.page.add_script_tag(path=str(AXE_JS))
        result = self.page.evaluate("async (within) => await axe.run(within)", within)
        bad = [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]
        report = "\n".join(
            f"  {v['impact']}: {v['id']} — {v['help']} at "
            + ", ".join(str(n["target"]) for n in v["nodes"][:3])
            for v in bad
        )
        if bad:
            pytest.fail(f"axe-core on {self.page.url} ({self.tag}):\n{report}", pytrace=False)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def web(browser: Any, platform: Platform) -> Iterator[Visit]:
    visit = Visit(browser, platform.url, DESKTOP, "1440")
    yield visit
    visit.close()


@pytest.fixture
def phone(browser: Any, platform: Platform) -> Iterator[Visit]:
    visit = Visit(browser, platform.url, PHONE, "390")
    yield visit
    visit.close()


def fomo_cli(platform: Platform, *args: str, account: int = 0) -> dict[str, Any]:
    """Run `fomo … --json` in-process against the session platform as dev account ``account``;
    return its JSON result (the CLI is how the tests set up chain state the UI then shows)."""
    from typer.testing import CliRunner

    from fomo.cli.main import app

    env = {
        "FOMO_RPC_URL": platform.rpc_url,
        "FOMO_DATA_DIR": str(platform.data_dir),
        "FOMO_PRIVATE_KEY": platform.accounts[account]["private_key"],
    }
    result = CliRunner().invoke(app, [*args, "--json"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, f"fomo {' '.join(args)}: {result.stdout} {result.stderr}"
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    return dict(json.loads(lines[-1]))


def wait_indexed(platform: Platform, token: str, timeout: float = 30.0) -> dict[str, Any]:
    """Poll the read API until the indexer has the launch ``token`` (chain → DB is asynchronous)."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        response = httpx.get(f"{platform.url}/api/launches/{token}", timeout=10)
        if response.status_code == 200:
            return dict(response.json())
        if time.monotonic() > deadline:
            raise AssertionError(f"launch {token} not indexed after {timeout} s: {response.text}")
        time.sleep(0.2)
