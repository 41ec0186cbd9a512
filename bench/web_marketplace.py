"""Marketplace cold-load benchmark (not a test): 200 launches, a real `fomo up`, headless chromium.

1. starts `fomo up` on a fresh devnet (temporary data dir, free ports) serving a copy of
   ``web/dist`` (build it first: ``scripts/build-web.sh``);
2. seeds ``--launches`` launches with direct contract calls (one approval, then signed
   ``create_launch`` transactions sent back to back from dev account 0) and waits until the
   indexer serves all of them;
3. loads the marketplace ``--runs`` times, each in a fresh browser context (empty cache: a cold
   load), and reads the browser's own timings: navigation (response end, DOMContentLoaded, load)
   and the moment the last launch card is in the DOM (a MutationObserver installed before any
   page script);
4. the baseline, in the same run and from the same server: a static page holding the same
   rendered DOM (the marketplace's HTML after rendering, scripts removed, same stylesheet), loaded
   the same way. Printed: medians, and the ratio marketplace / baseline.

    uv run python bench/web_marketplace.py                    # 200 launches, 5 runs each
    uv run python bench/web_marketplace.py --launches 50 --runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from eth_account import Account
from web3 import Web3

from fomo.chain.anvil import free_port
from fomo.chain.manifest import load_manifest

REPO = Path(__file__).resolve().parents[1]
CARD = '[data-testid^="launch-card-"]'
WAD = 10**18
OBSERVER = """
window.__bench = {cards: null};
new MutationObserver(() => {
  if (window.__bench.cards === null
      && document.querySelectorAll('%s').length >= %d) {
    window.__bench.cards = performance.now();
  }
}).observe(document, {childList: true, subtree: true});
"""


def start_platform(data: Path, web_dir: Path) -> tuple[subprocess.Popen[str], dict[str, Any]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOMO_")}
    env.update(
        FOMO_WEB_DIR=str(web_dir),
        FOMO_DEV_FLOCK_PER_ACCOUNT=str(10_000_000 * WAD),  # 300 launch fees for account 0
        FOMO_INDEXER_POLL_INTERVAL="0.2",
        FOMO_ANVIL_STATE_INTERVAL="0",
        PATH=f"{REPO / '.tools' / 'node_modules' / '.bin'}{os.pathsep}{env.get('PATH', '')}",
    )
    fomo = Path(sys.executable).parent / "fomo"
    proc = subprocess.Popen(
        [
            *(str(fomo), "up", "--json", "--data-dir", str(data)),
            *("--http-port", str(free_port()), "--anvil-port", str(free_port())),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        start_new_session=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stdout is not None
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()  # type: ignore[union-attr]
    while True:
        line = lines.get(timeout=300)
        if line.startswith("{") and json.loads(line).get("event") == "ready":
            return proc, dict(json.loads(line))


def seed(ready: dict[str, Any], data: Path, count: int) -> None:
    """``count`` launches from dev account 0: one approval, then back-to-back signed txs."""
    w3 = Web3(Web3.HTTPProvider(ready["rpc_url"], request_kwargs={"timeout": 60}))
    manifest = load_manifest(data / "deployment.json")
    key = ready["accounts"][0]["private_key"]
    me = Account.from_key(key).address
    lp_entry, flock_entry = manifest.contracts["Launchpad"], manifest.contracts["FLOCK"]
    lp = w3.eth.contract(address=lp_entry.address, abi=manifest.abi(lp_entry.artifact))
    flock = w3.eth.contract(address=flock_entry.address, abi=manifest.abi(flock_entry.artifact))
    fee = int(lp.functions.launch_creation_fee().call())
    mid = bytes(lp.functions.model_type_at(0).call())  # whichever model type is registered first
    nonce = w3.eth.get_transaction_count(me)
    gas_price = w3.eth.gas_price * 2
    deadline = int(w3.eth.get_block("latest")["timestamp"]) + 86_400

    def send(fn: Any, gas: int) -> bytes:
        nonlocal nonce
        tx = fn.build_transaction(
            {"from": me, "nonce": nonce, "gas": gas, "gasPrice": gas_price, "chainId": 31337}
        )
        nonce += 1
        signed = Account.sign_transaction(tx, key)
        return bytes(w3.eth.send_raw_transaction(signed.raw_transaction))

    w3.eth.wait_for_transaction_receipt(
        send(flock.functions.approve(lp.address, fee * count), 100_000)
    )
    first = lp.functions.create_launch(mid, "Bench 000", "BN000", 0, 0, deadline)
    gas = int(first.estimate_gas({"from": me})) * 3 // 2
    last = b""
    for i in range(count):
        fn = lp.functions.create_launch(mid, f"Bench {i:03d}", f"BN{i:03d}", 0, 0, deadline)
        last = send(fn, gas)
    receipt = w3.eth.wait_for_transaction_receipt(last, timeout=300)
    assert receipt["status"] == 1, "a create_launch reverted"

    deadline_s = time.monotonic() + 300
    while time.monotonic() < deadline_s:
        total = httpx.get(f"{ready['http_url']}/api/launches?limit=1", timeout=10).json()["total"]
        if total >= count:
            return
        time.sleep(0.5)
    raise SystemExit(f"the indexer served {total} of {count} launches after 300 s")


def measure(browser: Any, url: str, count: int) -> dict[str, float]:
    """One cold load: a fresh context (no cache), timings from the browser itself (ms)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.add_init_script(OBSERVER % (CARD, count))
    page.goto(url, wait_until="load")
    page.wait_for_function("window.__bench.cards !== null", timeout=60_000)
    timings: dict[str, float] = page.evaluate(
        """() => {
            const n = performance.getEntriesByType('navigation')[0];
            return {response: n.responseEnd, dcl: n.domContentLoadedEventEnd,
                    load: n.loadEventEnd, cards: window.__bench.cards};
        }"""
    )
    context.close()
    return timings


def snapshot(browser: Any, url: str, count: int) -> str:
    """The rendered marketplace as static HTML: same DOM and stylesheet, no scripts."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(f"document.querySelectorAll('{CARD}').length >= {count}")
    html: str = page.evaluate("document.documentElement.outerHTML")
    context.close()
    html = re.sub(r"<script\b[^>]*>.*?</script>", "", html, flags=re.S)
    html = re.sub(r'<link rel="modulepreload"[^>]*>', "", html)
    return "<!doctype html>" + html


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--launches", type=int, default=200)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    dist = Path(os.environ.get("FOMO_WEB_DIR") or REPO / "web" / "dist")
    if not (dist / "index.html").is_file():
        raise SystemExit(f"No web build in {dist}: run scripts/build-web.sh first.")
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("chromium is not installed: sudo apt-get install chromium")

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="fomo-bench-web-") as tmp:
        web_dir = Path(tmp) / "web"
        shutil.copytree(dist, web_dir)
        data = Path(tmp) / "data"
        cached = REPO / ".pytest_cache" / "d" / "fomo-chain-artifacts"
        if cached.is_dir():  # compiled contracts from a test run: skip recompiling
            shutil.copytree(cached, data / "artifacts")
        print(f"starting fomo up (data dir {data}) …", flush=True)
        proc, ready = start_platform(data, web_dir)
        try:
            t0 = time.monotonic()
            seed(ready, data, args.launches)
            print(f"seeded and indexed {args.launches} launches in {time.monotonic() - t0:.1f} s")
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=chromium,
                    headless=True,
                    args=["--no-sandbox"] if os.geteuid() == 0 else [],
                )
                url = ready["http_url"]
                (web_dir / "baseline.html").write_text(snapshot(browser, url + "/", args.launches))
                measure(browser, url + "/", args.launches)  # warm the server, not the browser
                market = [measure(browser, url + "/", args.launches) for _ in range(args.runs)]
                static = [
                    measure(browser, url + "/baseline.html", args.launches)
                    for _ in range(args.runs)
                ]
                browser.close()
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=60)
    report(market, static, args.launches, args.runs)


def report(
    market: list[dict[str, float]], static: list[dict[str, float]], n: int, runs: int
) -> None:
    print(f"\nmarketplace cold load, {n} launches, median of {runs} fresh contexts (ms):")
    print(f"{'metric':<34}{'marketplace':>12}{'static page':>13}{'ratio':>8}")
    rows = (
        ("response end (HTML received)", "response"),
        ("DOMContentLoaded", "dcl"),
        ("load event", "load"),
        (f"{n}th card in the DOM", "cards"),
    )
    for label, key in rows:
        m = statistics.median(r[key] for r in market)
        s = statistics.median(r[key] for r in static)
        print(f"{label:<34}{m:>12.1f}{s:>13.1f}{m / s:>7.2f}×")


if __name__ == "__main__":
    main()
