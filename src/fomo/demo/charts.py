"""PNG charts of the demo report (matplotlib, Agg backend, no display needed).

Charts are for reading; the exact figures are in ``report.json``. Converting base units to
floats happens here only, for plotting.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

DECIMALS = {"FLOCK": 18, "USDC": 6}


def _units(value: str | int, sym: str) -> float:
    return float(int(value) / 10 ** DECIMALS.get(sym, 18))


def write_charts(report: dict[str, Any], out_dir: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    timeline = report["timeline"]
    labels = [t["label"] for t in timeline]
    # a token that never existed (a failed launch's MT) has nothing to plot
    symbols = sorted({s for t in timeline for s, v in t["supply"].items() if int(v)})
    paths: list[Path] = []

    # supply over time, one panel per token (FLOCK and MT live on very different scales)
    fig, axes = plt.subplots(len(symbols), 1, figsize=(8, 2.2 * len(symbols)), squeeze=False)
    for ax, sym in zip(axes[:, 0], symbols, strict=True):
        ax.plot(labels, [_units(t["supply"][sym], sym) for t in timeline], marker="o")
        ax.set_title(f"{sym} total supply")
        ax.ticklabel_format(axis="y", useOffset=False, style="plain")
        ax.tick_params(axis="x", labelrotation=30, labelsize=7)
    fig.tight_layout()
    paths.append(out_dir / "supply.png")
    fig.savefig(paths[-1], dpi=100)
    plt.close(fig)

    # cumulative burns by the revenue buybacks
    fig, ax = plt.subplots(figsize=(8, 4))
    for sym in symbols:
        ax.plot(
            labels, [_units(t["burned"].get(sym, 0), sym) for t in timeline], marker="o", label=sym
        )
    ax.set_title("Cumulative buyback burns (tokens)")
    ax.set_yscale("symlog", linthresh=1e-6)
    ax.legend()
    ax.tick_params(axis="x", labelrotation=30, labelsize=7)
    fig.tight_layout()
    paths.append(out_dir / "burns.png")
    fig.savefig(paths[-1], dpi=100)
    plt.close(fig)

    # rewards per account (cumulative, per reward token)
    rewards: dict[str, dict[str, dict[str, str]]] = report["rewards"]
    tokens = sorted({t for per in rewards.values() for t in per})
    accounts = sorted(rewards)
    fig, axes = plt.subplots(
        max(len(tokens), 1), 1, figsize=(8, 2.5 * max(len(tokens), 1)), squeeze=False
    )
    for ax, tok in zip(axes[:, 0], tokens or ["(none)"], strict=True):
        values = [_units(rewards[a].get(tok, {}).get("cumulative", 0), tok) for a in accounts]
        ax.barh(accounts, values)
        ax.set_title(f"Cumulative rewards in {tok}")
    fig.tight_layout()
    paths.append(out_dir / "rewards.png")
    fig.savefig(paths[-1], dpi=100)
    plt.close(fig)
    return paths
