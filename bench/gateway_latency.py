"""Gateway latency and throughput benchmark (not a test): loopback, dev upstream with zero latency.

Targets measured side by side in the same run:

* ``direct``  — the dev upstream called directly (the baseline);
* ``gateway`` — the FOMO gateway in front of it with auth + metering + credits + journal ON;
* ``litellm`` — the LiteLLM proxy in front of the same upstream, if installed in a separate venv
  (``--litellm /tmp/litellm-venv/bin/litellm``); never installed into the project environment.

For each target: an open-loop run at a fixed rate (default 500 req/s; latency measured from the
scheduled send time, so a stall is not hidden by coordinated omission) gives p50/p99, and a
closed-loop run (``--concurrency`` connections as fast as they go) gives max throughput.
Added latency = target percentile − direct percentile at the same rate.

The load generator is the one in ``bench/gatewaykit.py`` (a minimal HTTP/1.1 keep-alive client
on raw asyncio streams). Every process shares the same two cores, so absolute numbers are
modest; the ratios are what to compare. The targets here run one after another; for the fleet
comparison (1 and 2 workers, in-process vs shared ledger, LiteLLM with and without its
database) in alternating rounds, use ``bench/gateway_fleet_ab.py``.

    uv run python bench/gateway_latency.py                       # direct + gateway
    uv run python bench/gateway_latency.py --litellm /tmp/litellm-venv/bin/litellm
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import gatewaykit
from gatewaykit import MODEL, start, stop, wait_http

LITELLM_KEY = gatewaykit.LITELLM_MASTER_KEY
"""LiteLLM's master key: it authenticates with a static key (no database), the cheapest auth."""


async def closed_loop(port: int, key: str | None, conns: int, seconds: float) -> dict[str, float]:
    run = await gatewaykit.closed_loop(port, key, conns, seconds)
    return {"rps": run.rps, "errors": run.errors, **_pcts(run.lat)}


async def open_loop(port: int, key: str | None, rate: float, seconds: float) -> dict[str, float]:
    run = await gatewaykit.open_loop(port, key, rate, seconds)
    return {"rps": rate, "errors": run.errors, **_pcts(run.lat)}


def _pcts(lat: list[float]) -> dict[str, float]:
    if not lat:
        return {"p50_ms": float("nan"), "p99_ms": float("nan"), "n": 0}
    return {
        "p50_ms": gatewaykit.percentile(lat, 0.5) * 1000,
        "p99_ms": gatewaykit.percentile(lat, 0.99) * 1000,
        "mean_ms": statistics.fmean(lat) * 1000,
        "n": len(lat),
    }


def gateway_overhead(port: int) -> dict[str, str]:
    """Bucket bounds of the gateway's own time per request (its Prometheus histogram): the part
    of the added latency spent inside the gateway rather than on the extra network hop."""
    import httpx

    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
    buckets: list[tuple[float, float]] = []
    for line in text.splitlines():
        if line.startswith('fomo_gateway_overhead_seconds_bucket{endpoint="chat"'):
            le = line.split('le="')[1].split('"')[0]
            buckets.append((float(le), float(line.rsplit(" ", 1)[1])))
    total = buckets[-1][1] if buckets else 0.0
    out = {}
    for q in (0.5, 0.99):
        bound = next((le for le, c in buckets if total and c >= q * total), float("inf"))
        out[f"p{int(q * 100)}"] = f"≤ {bound * 1000:g} ms" if bound != float("inf") else "> 50 ms"
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rate", type=float, default=500.0, help="open-loop requests per second")
    ap.add_argument("--seconds", type=float, default=10.0, help="duration of each run")
    ap.add_argument("--concurrency", type=int, default=32, help="closed-loop connections")
    ap.add_argument("--litellm", default=None, help="path to the litellm CLI in its own venv")
    ap.add_argument(
        "--fsync",
        action="store_true",
        help="strict journal: each response waits for a (group) fsync (default: background fsync)",
    )
    ap.add_argument("--json", type=Path, default=None, help="also write results here")
    a = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="fomo-bench-"))
    print(f"work dir (logs): {tmp}", flush=True)
    procs: list[subprocess.Popen[bytes]] = []
    results: dict[str, dict[str, dict[str, float]]] = {}
    try:
        from fomo.chain.anvil import free_port

        up_port = free_port()
        procs.append(
            start(
                [
                    sys.executable,
                    "-c",
                    "from fomo.cli.main import app; app()",
                    "dev-upstream",
                    "--port",
                    str(up_port),
                ]
            )
        )
        wait_http(up_port, "/v1/models")

        # Gateway with a funded account and a key, metering and journal on.
        from fomo.db.migrate import upgrade
        from fomo.db.session import make_engine
        from fomo.gateway.store import GatewayStore

        db = f"sqlite:///{tmp / 'fomo.db'}"
        upgrade(db)
        store = GatewayStore(make_engine(db))
        account = "0x" + "be" * 20
        store.grant(account, 10**9 * 10**6, "benchmark")  # $1M: never short
        _, key = store.create_key(account, "bench")
        cfg = tmp / "gateway.toml"
        cfg.write_text(
            f'database_url = "{db}"\njournal_dir = "{tmp / "journal"}"\n'
            f'default_upstream = "http://127.0.0.1:{up_port}/v1"\n'
            f"journal_fsync = {'true' if a.fsync else 'false'}\n"
            + os.environ.get("FOMO_BENCH_GATEWAY_EXTRA", "")
        )
        gw_port = free_port()
        procs.append(
            start(
                [
                    sys.executable,
                    "-m",
                    "fomo.gateway.serve",
                    "--config",
                    str(cfg),
                    "--port",
                    str(gw_port),
                ],
                log=tmp / "gateway.log",
            )
        )
        wait_http(gw_port, "/healthz")

        targets: list[tuple[str, int, str | None]] = [
            ("direct", up_port, None),
            ("gateway", gw_port, key),
        ]
        if a.litellm:
            ll_port = free_port()
            ll_cfg = tmp / "litellm.yaml"
            ll_cfg.write_text(
                "model_list:\n"
                f"  - model_name: {MODEL}\n"
                "    litellm_params:\n"
                f"      model: openai/{MODEL}\n"
                f"      api_base: http://127.0.0.1:{up_port}/v1\n"
                "      api_key: none\n"
                "litellm_settings:\n  telemetry: false\n"
                f"general_settings:\n  master_key: {LITELLM_KEY}\n"
            )
            env = dict(
                os.environ,
                LITELLM_LOG="ERROR",
                LITELLM_TELEMETRY="False",
                LITELLM_LOCAL_MODEL_COST_MAP="True",  # no price-map download (offline)
            )
            procs.append(
                start(
                    [
                        a.litellm,
                        "--config",
                        str(ll_cfg),
                        "--port",
                        str(ll_port),
                        "--num_workers",
                        "1",
                    ],
                    env=env,
                )
            )
            wait_http(ll_port, "/health/liveliness", timeout=300)
            targets.append(("litellm", ll_port, LITELLM_KEY))

        for name, port, k in targets:
            asyncio.run(closed_loop(port, k, 8, 2.0))  # warm-up
            fixed = asyncio.run(open_loop(port, k, a.rate, a.seconds))
            maxed = asyncio.run(closed_loop(port, k, a.concurrency, a.seconds))
            results[name] = {"open": fixed, "closed": maxed}
            print(
                f"{name:8} @{a.rate:.0f}/s p50 {fixed['p50_ms']:.2f} ms  p99 "
                f"{fixed['p99_ms']:.2f} ms  err {fixed['errors']:.0f} | max "
                f"{maxed['rps']:.0f} req/s (p50 {maxed['p50_ms']:.2f} ms) err "
                f"{maxed['errors']:.0f}",
                flush=True,
            )
        overhead = gateway_overhead(gw_port)
    finally:
        for p in reversed(procs):
            stop(p)

    d = results["direct"]["open"]
    load = os.getloadavg()
    print(
        f"\nload average during the run: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
        f"on {os.cpu_count()} cores; journal fsync: {'strict' if a.fsync else 'background'}"
    )
    print(
        f"| target | p50 @ {a.rate:.0f}/s | p99 @ {a.rate:.0f}/s | added p50 | added p99 "
        f"| max req/s ({a.concurrency} conns) | vs direct |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, r in results.items():
        o, c = r["open"], r["closed"]
        print(
            f"| {name} | {o['p50_ms']:.2f} ms | {o['p99_ms']:.2f} ms | "
            f"{o['p50_ms'] - d['p50_ms']:+.2f} ms | {o['p99_ms'] - d['p99_ms']:+.2f} ms | "
            f"{c['rps']:.0f} | {c['rps'] / results['direct']['closed']['rps']:.2f}× |"
        )
    print(
        f"\ntime inside the gateway (its overhead histogram, all runs): p50 {overhead['p50']}, "
        f"p99 {overhead['p99']}"
    )
    if "litellm" in results:
        ratio = results["gateway"]["closed"]["rps"] / results["litellm"]["closed"]["rps"]
        print(f"\ngateway / litellm max throughput: {ratio:.2f}×")
    if a.json:
        a.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
