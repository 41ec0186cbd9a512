"""Gateway fleet A/B benchmark (not a test): FOMO's gateway at 1 and 2 workers, with the
in-process and the shared (Redis + PostgreSQL) credit ledger, against the LiteLLM proxy at the
same number of workers, all in front of the same development upstream, in ALTERNATING rounds.

Every target is started once and stays up; then each round measures every target in turn
(A B C … then … C B A in the next round, so no target always runs first or last), and the
table quotes medians over the rounds — the machine's drift (other work on shared cores) hits
every target alike instead of whichever ran during a busy minute. Per round and target:

* latency: an open-loop run at ``--rate`` req/s (latency from the scheduled send time, no
  coordinated omission); "added" = target − direct upstream *in the same round*;
* throughput: a closed-loop run with ``--concurrency`` keep-alive connections.

Targets (exact configuration printed by the run and kept in docs/benchmarks.md):

* ``direct``            the dev upstream itself (`fomo dev-upstream`, one uvicorn process);
* ``fomo memory 1w``    `fomo serve-gateway --workers 1`, in-process credit book, PostgreSQL;
* ``fomo redis 1w/2w``  the same with ``redis_url``: the shared Redis ledger (+ PostgreSQL);
* ``litellm 1w/2w``     LiteLLM proxy, master key only, no database: no spend tracking;
* ``litellm+db 1w/2w``  LiteLLM with its PostgreSQL database: virtual key, spend logs (the
  like-for-like setting) — only where its prisma client can be generated (see ``--litellm``).

LiteLLM is never installed into the project environment::

    uv venv /tmp/litellm-venv && uv pip install --python /tmp/litellm-venv 'litellm[proxy]'
    uv run python bench/gateway_fleet_ab.py --litellm /tmp/litellm-venv/bin/litellm

Everything (targets, upstream, PostgreSQL, Redis and the load generator, one asyncio process
that needs a core of its own at full speed) shares this machine's cores: at 2 cores, 2 gateway
workers compete with the load generator and the upstream, so the 1 → 2 worker step shows how
far the cores go, not how far the gateway would go with cores to spare.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fomo.chain.anvil import free_port
from gatewaykit import (
    LITELLM_MASTER_KEY,
    POSTGRES,
    Run,
    account_address,
    clear_redis_prefix,
    closed_loop,
    funded_key,
    litellm_virtual_key,
    load_average,
    median,
    migrate,
    open_loop,
    prisma_problem,
    scratch_postgres,
    start_dev_upstream,
    start_gateway,
    start_litellm,
    stop,
    wait_http,
    write_litellm_config,
    write_toml,
)


@dataclass
class Target:
    name: str
    workers: int
    config: str
    """What this target is, exactly (for the table's notes and the docs)."""
    port: int = 0
    key: str | None = None
    proc: subprocess.Popen[bytes] | None = None
    rounds: list[tuple[Run, Run]] = field(default_factory=list)
    skipped: str | None = None


def fomo_target(
    name: str,
    workers: int,
    redis: str | None,
    db: str,
    up_port: int,
    tmp: Path,
    prefix: str,
    src: Path | None = None,
) -> Target:
    data = tmp / name.replace(" ", "-")
    data.mkdir()
    settings: dict[str, Any] = {
        "database_url": db,
        "journal_dir": str(data / "gateway-journal"),
        "default_upstream": f"http://127.0.0.1:{up_port}/v1",
    }
    if redis:
        settings |= {"redis_url": redis, "ledger_prefix": prefix}
    write_toml(data / "gateway.toml", settings)
    shown = ", ".join(f"{k}={v}" for k, v in settings.items() if k != "database_url")
    ledger = "shared Redis ledger" if redis else "in-process credit book"
    t = Target(
        name,
        workers,
        f"`fomo serve-gateway --workers {workers}`; {ledger}; PostgreSQL (usage batched every "
        f"200 ms); journal fsync in the background (defaults); key with no rate limit; {shown}",
    )
    t.key = funded_key(db, account_address(f"{prefix}/{name}"))
    t.port = free_port()
    log = tmp / f"{data.name}.log"
    t.proc = start_gateway(data / "gateway.toml", t.port, workers, log, data, src)
    if src:
        t.config += f"; the `fomo` package of {src} (PYTHONPATH)"
    return t


def litellm_target(
    name: str, workers: int, litellm: str, up_port: int, tmp: Path, db: str | None
) -> Target:
    cfg = tmp / f"{name.replace(' ', '-').replace('+', '-')}.yaml"
    write_litellm_config(cfg, up_port, db)
    spend = (
        "its PostgreSQL database, a virtual key, spend logs on (defaults with a database)"
        if db
        else "master key only, no database: no virtual keys, no spend tracking"
    )
    t = Target(name, workers, f"LiteLLM proxy `--num_workers {workers}`; {spend}")
    t.port = free_port()
    t.proc = start_litellm(litellm, cfg, t.port, workers, tmp / f"{cfg.stem}.log", db)
    t.key = LITELLM_MASTER_KEY
    return t


def measure(t: Target, a: argparse.Namespace) -> None:
    lat = asyncio.run(open_loop(t.port, t.key, a.rate, a.seconds))
    thr = asyncio.run(closed_loop(t.port, t.key, a.concurrency, a.seconds))
    t.rounds.append((lat, thr))
    flag = " (saturated)" if lat.saturated else ""
    print(
        f"  {t.name:18} p50 {lat.pct_ms(0.5):7.2f} ms  p99 {lat.pct_ms(0.99):7.2f} ms{flag}"
        f"  err {lat.errors + thr.errors:3d} | {thr.rps:7.0f} req/s",
        flush=True,
    )


def report(targets: list[Target], a: argparse.Namespace, started: float) -> dict[str, Any]:
    live = [t for t in targets if t.rounds]
    direct = next(t for t in live if t.name == "direct")
    n = len(direct.rounds)

    def per_round(t: Target, f: Any) -> list[float]:
        return [f(t.rounds[i], direct.rounds[i]) for i in range(min(n, len(t.rounds)))]

    rows: dict[str, dict[str, Any]] = {}
    for t in live:
        rows[t.name] = {
            "workers": t.workers,
            "rps": median([thr.rps for _, thr in t.rounds]),
            "x_direct": median(per_round(t, lambda r, d: r[1].rps / d[1].rps)),
            "p50": median([lat.pct_ms(0.5) for lat, _ in t.rounds]),
            "p99": median([lat.pct_ms(0.99) for lat, _ in t.rounds]),
            "add50": median(per_round(t, lambda r, d: r[0].pct_ms(0.5) - d[0].pct_ms(0.5))),
            "add99": median(per_round(t, lambda r, d: r[0].pct_ms(0.99) - d[0].pct_ms(0.99))),
            "inside50": median([median(lat.overhead_ms) for lat, _ in t.rounds if lat.overhead_ms]),
            "saturated": sum(lat.saturated for lat, _ in t.rounds),
            "errors": sum(lat.errors + thr.errors for lat, thr in t.rounds),
            "rps_rounds": [round(thr.rps, 1) for _, thr in t.rounds],
        }
    minutes = (time.perf_counter() - started) / 60
    print(
        f"\n{n} alternating rounds × {len(live)} targets, {a.seconds:g} s open loop at "
        f"{a.rate:g} req/s + {a.seconds:g} s closed loop at {a.concurrency} connections each; "
        f"{minutes:.1f} min; load average at the end {load_average()} on {os.cpu_count()} cores"
    )
    print(
        f"\n| target | workers | req/s @ {a.concurrency} conns | × direct | p50 @ {a.rate:g}/s "
        f"| p99 @ {a.rate:g}/s | added p50 | added p99 | in-gateway p50 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in rows.items():
        sat = f" ({r['saturated']}/{n} rounds saturated)" if r["saturated"] else ""
        inside = f"{r['inside50']:.2f} ms" if r["inside50"] == r["inside50"] else "–"
        print(
            f"| {name} | {r['workers']} | {r['rps']:.0f} | {r['x_direct']:.2f}× | "
            f"{r['p50']:.2f} ms{sat} | {r['p99']:.2f} ms | {r['add50']:+.2f} ms | "
            f"{r['add99']:+.2f} ms | {inside} |"
        )
    for t in targets:
        if t.skipped:
            print(f"| {t.name} | {t.workers} | not measured: {t.skipped} |||||||")

    def ratio(x: str, y: str) -> float | None:
        tx = next((t for t in live if t.name == x), None)
        ty = next((t for t in live if t.name == y), None)
        if tx is None or ty is None:
            return None
        k = min(len(tx.rounds), len(ty.rounds))
        return float(median([tx.rounds[i][1].rps / ty.rounds[i][1].rps for i in range(k)]))

    print("\nGoals (medians of per-round figures):")
    goals: dict[str, Any] = {}
    if "fomo memory 1w" in rows and "fomo redis 1w" in rows:
        tm, tr = (next(t for t in live if t.name == x) for x in ("fomo memory 1w", "fomo redis 1w"))
        k = min(len(tm.rounds), len(tr.rounds))
        cost = median([tr.rounds[i][0].pct_ms(0.5) - tm.rounds[i][0].pct_ms(0.5) for i in range(k)])
        inside = rows["fomo redis 1w"]["inside50"] - rows["fomo memory 1w"]["inside50"]
        goals["ledger_cost_p50_ms"] = cost
        goals["ledger_cost_inside_p50_ms"] = inside
        print(
            f"* shared ledger over the in-process book, 1 worker: {cost:+.2f} ms p50 end to end "
            f"({inside:+.2f} ms in the gateway's own time) — goal ≤ 0.5 ms: "
            f"{'met' if cost <= 0.5 else 'NOT met'}"
        )
    for x, y, label in (
        ("fomo redis 2w", "fomo redis 1w", "FOMO shared ledger, 2 workers / 1 worker"),
        ("litellm 2w", "litellm 1w", "LiteLLM (no DB), 2 workers / 1 worker"),
        ("litellm+db 2w", "litellm+db 1w", "LiteLLM with DB, 2 workers / 1 worker"),
    ):
        v = ratio(x, y)
        if v is not None:
            goals[f"{x} / {y}"] = v
            print(f"* {label}: {v:.2f}× throughput")
    for w in (1, 2):
        for ll, setting in ((f"litellm+db {w}w", "spend tracking ON"),
                            (f"litellm {w}w", "spend tracking OFF")):  # fmt: skip
            v = ratio(f"fomo redis {w}w", ll)
            skipped = next((t.skipped for t in targets if t.name == ll and t.skipped), None)
            if v is not None:
                goals[f"fomo redis {w}w / {ll}"] = v
                met = "met" if v >= 5 else "NOT met"
                verdict = f" — goal ≥ 5×: {met}" if "ON" in setting else ""
                print(f"* FOMO shared ledger / LiteLLM {setting}, {w} worker(s): {v:.1f}×{verdict}")
            elif skipped:
                print(f"* FOMO / LiteLLM {setting}, {w} worker(s): not measured ({skipped})")
    print("\nConfiguration of each target:")
    for t in targets:
        print(f"* {t.name}: {t.config}")
    return {"rows": rows, "goals": goals, "args": {k: str(v) for k, v in vars(a).items()}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=3.0, help="each run (open, then closed)")
    ap.add_argument(
        "--rate",
        type=float,
        default=25.0,
        help="open-loop requests per second (LiteLLM must keep up)",
    )
    ap.add_argument("--concurrency", type=int, default=32, help="closed-loop connections")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts")
    ap.add_argument("--postgres", default=POSTGRES, help="server for a scratch database")
    ap.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    ap.add_argument("--litellm", default=None, help="the litellm CLI in its own venv")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    ap.add_argument(
        "--compare-src",
        type=Path,
        default=None,
        help="also run `fomo redis 1w` from this source tree (e.g. `git archive <commit> src`), "
        "as target `fomo redis 1w (compare)`: a before/after in the same alternating rounds",
    )
    a = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="fomo-fleet-ab-"))
    prefix = f"fomo:bench-ab-{uuid.uuid4().hex[:8]}"
    print(f"work dir (logs): {tmp}; Redis prefix {prefix}", flush=True)
    targets: list[Target] = []
    upstream = None
    started = time.perf_counter()
    with scratch_postgres(a.postgres, "ab") as db, scratch_postgres(a.postgres, "ab_ll") as ll_db:
        try:
            upstream, up_port = start_dev_upstream(tmp / "upstream.log")
            targets.append(Target("direct", 1, "`fomo dev-upstream` (one uvicorn process)"))
            targets[0].port = up_port
            migrate(db)
            fomo = [("fomo memory 1w", 1, None)] + [
                (f"fomo redis {w}w", w, a.redis) for w in a.workers
            ]
            for name, w, redis in fomo:
                targets.append(fomo_target(name, w, redis, db, up_port, tmp, prefix))
            if a.compare_src:
                name, cmp_prefix = "fomo redis 1w (compare)", f"{prefix}-cmp"
                targets.append(
                    fomo_target(name, 1, a.redis, db, up_port, tmp, cmp_prefix, a.compare_src)
                )
            if a.litellm:
                for w in a.workers:
                    name = f"litellm {w}w"
                    targets.append(litellm_target(name, w, a.litellm, up_port, tmp, None))
                problem = prisma_problem(a.litellm)
                ll_url = ll_db.replace("postgresql+psycopg://", "postgresql://")
                for w in a.workers:
                    if problem:
                        t = Target(f"litellm+db {w}w", w, "LiteLLM with its database")
                        t.skipped = problem
                        targets.append(t)
                    else:
                        targets.append(
                            litellm_target(f"litellm+db {w}w", w, a.litellm, up_port, tmp, ll_url)
                        )
            for t in targets:
                if t.proc is None:
                    continue
                health = "/healthz" if t.name.startswith("fomo") else "/health/liveliness"
                try:
                    wait_http(t.port, health, timeout=300, proc=t.proc)
                    if t.name.startswith("litellm+db"):
                        t.key = litellm_virtual_key(t.port)
                except Exception as exc:  # a target that cannot start is reported, not fatal
                    t.skipped = f"did not start ({exc}); see its log in {tmp}"
                    stop(t.proc)
                    t.proc = None
            live = [t for t in targets if not t.skipped]
            print(f"warming up {len(live)} targets …", flush=True)
            for t in live:
                asyncio.run(closed_loop(t.port, t.key, 8, 1.0))
            for r in range(a.rounds):
                order = live if r % 2 == 0 else live[::-1]
                print(f"round {r + 1}/{a.rounds} (load average {load_average()})", flush=True)
                for t in order:
                    measure(t, a)
        finally:
            for t in targets:
                if t.proc is not None:
                    stop(t.proc)
            if upstream is not None:
                stop(upstream)
            clear_redis_prefix(a.redis, prefix)
            clear_redis_prefix(a.redis, f"{prefix}-cmp")
    out = report(targets, a, started)
    if a.json:
        a.json.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
