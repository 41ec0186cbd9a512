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
import re
import signal
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from hexbytes import HexBytes

from webkit import (
    Deployment,
    Signer,
    chromium_path,
    launch_chromium,
    prepare_dirs,
    start_platform,
    web_dist,
)

CARD = '[data-testid^="launch-card-"]'
OBSERVER = """
window.__bench = {cards: null};
new MutationObserver(() => {
  if (window.__bench.cards === null
      && document.querySelectorAll('%s').length >= %d) {
    window.__bench.cards = performance.now();
  }
}).observe(document, {childList: true, subtree: true});
"""


def seed(ready: dict[str, Any], data: Path, count: int) -> None:
    """``count`` launches from dev account 0: one approval, then back-to-back signed txs."""
    dep = Deployment(ready, data)
    w3, lp, flock = dep.w3, dep.launchpad, dep.flock
    signer = Signer(w3, ready["accounts"][0]["private_key"])
    me = signer.address
    fee = int(lp.functions.launch_creation_fee().call())
    mid = bytes(lp.functions.model_type_at(0).call())  # whichever model type is registered first
    deadline = int(w3.eth.get_block("latest")["timestamp"]) + 86_400
    send = signer.send

    w3.eth.wait_for_transaction_receipt(
        send(flock.functions.approve(lp.address, fee * count), 100_000)
    )
    first = lp.functions.create_launch(mid, "Bench 000", "BN000", 0, 0, deadline)
    gas = int(first.estimate_gas({"from": me})) * 3 // 2
    last = HexBytes(b"")
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
    dist = web_dist()
    chromium = chromium_path()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="fomo-bench-web-") as tmp:
        web_dir, data = prepare_dirs(Path(tmp), dist)
        print(f"starting fomo up (data dir {data}) …", flush=True)
        proc, ready = start_platform(data, web_dir)
        try:
            t0 = time.monotonic()
            seed(ready, data, args.launches)
            print(f"seeded and indexed {args.launches} launches in {time.monotonic() - t0:.1f} s")
            with sync_playwright() as pw:
                browser = launch_chromium(pw, chromium)
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
