"""``fomo demo``: the whole franchise loop on a fresh devnet, with a balanced report."""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from fomo.chain.errors import ChainActionError
from fomo.cli.chainkit import fmt_units, settings


def demo(
    days: Annotated[int, typer.Option("--days", min=1, max=30, help="Simulated days.")] = 7,
    fast: Annotated[bool, typer.Option("--fast", help="Less API traffic per day (CI).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print report.json, no tables.")] = False,
    rpc: Annotated[
        str | None,
        typer.Option("--rpc", help="Use this running dev chain instead of starting anvil."),
    ] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", help="Where the run writes (default: <data_dir>/demo/<time>)."),
    ] = None,
    artifacts: Annotated[
        Path | None,
        typer.Option(
            "--artifacts", help="Compiled-artifact cache (default: <data_dir>/artifacts)."
        ),
    ] = None,
) -> None:
    """Drive launches, buys, graduations, staking, API traffic, epochs and claims on a devnet,
    then print the report with its conservation checks (exit 1 if any fails)."""
    from fomo.demo.charts import write_charts
    from fomo.demo.report import build_report
    from fomo.demo.scenario import DemoConfig, Scenario

    err = Console(stderr=True, highlight=False)
    s = settings()
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    cfg = DemoConfig(
        data_dir=(data_dir or s.data_dir / "demo" / stamp).resolve(),
        artifacts_dir=(artifacts or s.data_dir / "artifacts").resolve(),
        days=days,
        fast=fast,
        rpc=rpc,
    )
    t0 = time.monotonic()
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=as_json,
    )
    with progress:
        task = progress.add_task("starting", total=Scenario.total_steps(days))

        def step(label: str) -> None:
            progress.update(task, description=label, advance=1)

        scenario = Scenario(cfg, step)
        try:
            run = scenario.execute()
            step("reading the report back from the chain")
            report = build_report(run, scenario.factory)
        except ChainActionError as exc:
            err.print(f"[red]error:[/] {exc.sentence}")
            raise typer.Exit(1) from None
        except (RuntimeError, OSError) as exc:  # anvil would not start, RPC gone, …
            err.print(f"[red]error:[/] {exc} (run directory: {cfg.data_dir})")
            raise typer.Exit(1) from None
        finally:
            scenario.close()
        progress.update(task, description="done", completed=Scenario.total_steps(days))
    report["elapsed_seconds"] = round(time.monotonic() - t0, 1)
    charts = write_charts(report, cfg.data_dir)
    report["charts"] = [str(p) for p in charts]
    (cfg.data_dir / "report.json").write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    if as_json:
        sys.stdout.write(json.dumps(report, sort_keys=True) + "\n")
    else:
        print_report(report, Console(highlight=False))
    if not report["ok"]:
        raise typer.Exit(1)


def _tok(v: str | int, decimals: int = 18, places: int = 4) -> str:
    return fmt_units(int(v), decimals, places)


def print_report(r: dict[str, Any], c: Console) -> None:
    t = Table(title="Launches")
    for col in (
        "launch",
        "status",
        "issuer",
        "raised FLOCK",
        "purchases",
        "anti-sniper fee",
        "how",
    ):
        t.add_column(col)
    for sym, ln in r["launches"].items():
        how = ""
        if "auto_graduated_by" in ln:
            how = f"filled to max by {ln['auto_graduated_by']['buyer']} → auto-graduated"
        elif "graduated_by" in ln:
            how = f"min reached; graduated by {ln['graduated_by']['who']} after the window"
        elif ln["status"] == "Failed":
            how = "below min; redeemed: " + ", ".join(
                f"{k} {_tok(v)}" for k, v in ln.get("redeemed", {}).items()
            )
        t.add_row(
            sym,
            ln["status"],
            ln["issuer"],
            _tok(ln["raised"]),
            str(ln["purchases"]),
            _tok(ln["fees"]["anti_sniper"]),
            how,
        )
    c.print(t)
    t = Table(title="Model Tokens (MT)")
    for col in (
        "MT",
        "minted",
        "burned",
        "supply",
        "circulating",
        "staked",
        "DEX FLOCK/MT",
        "USD/MT",
    ):
        t.add_column(col, justify="right")
    for sym, m in r["mt"].items():
        t.add_row(
            sym,
            _tok(m["minted"]),
            _tok(m["burned"], places=8),
            _tok(m["total_supply"]),
            _tok(m["circulating"]),
            _tok(m["staked"]),
            m.get("dex_price_flock_per_mt", "-")[:12],
            m.get("dex_price_usd_per_mt", "-")[:12],
        )
    c.print(t)
    rev = r["revenue"]
    t = Table(title="API usage (nano-USD) and revenue split (USDC)")
    for col in ("deployment", "requests", "gross $", "paid $", "compute $"):
        t.add_column(col, justify="right")
    for dep, u in rev["usage"].items():
        t.add_row(
            dep,
            str(u["requests"]),
            _tok(u["gross_nano_usd"], 9, 6),
            _tok(u["paid_nano_usd"], 9, 6),
            _tok(u["compute_cost_nano_usd"], 9, 6),
        )
    c.print(t)
    t = Table()
    for col in ("MT", "settled", "FLOCK buyback", "treasury", "MT buyback", "issuer"):
        t.add_column(col, justify="right")
    for sym, p in rev["per_token"].items():
        t.add_row(
            sym,
            *(
                _tok(p[k], 6, 6)
                for k in (
                    "usdc_amount",
                    "flock_buyback",
                    "treasury_amount",
                    "mt_buyback",
                    "issuer_amount",
                )
            ),
        )
    c.print(t)
    c.print(
        "burned by buybacks: "
        + (", ".join(f"{k} {_tok(v, 18, 8)}" for k, v in rev["burned"].items()) or "nothing")
        + f" · USDC waiting in the buyback reserve: {_tok(rev['buyback_reserve_usdc'], 6, 6)}"
        + f" · issuer shares not yet withdrawn: {_tok(rev.get('issuer_owed_usdc', '0'), 6, 6)}"
    )
    t = Table(title="Where every FLOCK and USDC is (all holders from the Transfer logs)")
    t.add_column("holder")
    t.add_column("FLOCK", justify="right")
    t.add_column("USDC", justify="right")
    fl, us = r["tokens"]["FLOCK"], r["tokens"]["USDC"]
    for holder in sorted(set(fl["holders"]) | set(us["holders"])):
        t.add_row(
            holder,
            _tok(fl["holders"].get(holder, 0), 18, 6),
            _tok(us["holders"].get(holder, 0), 6, 6),
        )
    t.add_row(
        "[bold]total supply[/]", _tok(fl["total_supply"], 18, 6), _tok(us["total_supply"], 6, 6)
    )
    c.print(t)
    t = Table(title="Rewards per account (cumulative / claimed)")
    tokens = sorted({tok for per in r["rewards"].values() for tok in per})
    t.add_column("account")
    for tok in tokens:
        t.add_column(tok, justify="right")
    for acct, per in sorted(r["rewards"].items()):
        t.add_row(
            acct,
            *(
                f"{_tok(per[tok]['cumulative'])} / {_tok(per[tok]['claimed'])}"
                if tok in per
                else "-"
                for tok in tokens
            ),
        )
    c.print(t)
    for name, ex in r.get("explain", {}).items():
        c.print(f"[bold]why {name} earned this (last epoch)[/]")
        for reason in ex["reasons"]:
            c.print(f"  • {reason}")
        for sym, mt in ex["mts"].items():
            shares = ", ".join(
                f"{k} {mt[k][:10]}" for k in ("usage_share", "stake_share", "multiplier") if k in mt
            )
            c.print(f"  {sym}: {shares}")
            for reason in mt["reasons"]:
                c.print(f"    • {reason}")
    t = Table(title="Conservation checks")
    t.add_column("")
    t.add_column("check")
    t.add_column("numbers (base units)")
    for ch in r["checks"]:
        mark = "[green]PASS[/]" if ch["result"] == "PASS" else "[red]FAIL[/]"
        nums = " · ".join(f"{k}={v}" for k, v in ch["numbers"].items())
        t.add_row(mark, ch["name"], nums + (f" ({ch['detail']})" if ch["detail"] else ""))
    c.print(t)
    for sk in r["skipped"]:
        c.print(f"[yellow]skipped:[/] {sk['step']}: {sk['reason']}")
    for n in r["notes"]:
        c.print(f"[dim]note: {n}[/]")
    passed = sum(1 for ch in r["checks"] if ch["result"] == "PASS")
    c.print(
        f"{passed}/{len(r['checks'])} checks passed · report {r['data_dir']}/report.json · "
        f"charts {', '.join(Path(p).name for p in r.get('charts', []))} · "
        f"{r.get('elapsed_seconds', '?')} s"
    )
