"""PNG charts of the demo report (matplotlib, Agg backend, no display needed).

Charts are for reading; the exact figures are in ``report.json``. Converting base units to
floats happens here only, for plotting; the annotated changes are computed from the integers.

Every value axis starts at zero: an auto-zoomed axis turns a 0.0001 % burn into what looks like
a crash. So that such a small change is still visible, each panel states it in words (absolute
and relative, from the first point to the last).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fomo.economics.exact import floor_to_places

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

DECIMALS = {"FLOCK": 18, "USDC": 6}


def _decimals(sym: str) -> int:
    return DECIMALS.get(sym, 18)


def _units(value: str | int, sym: str) -> float:
    return float(int(value) / 10 ** _decimals(sym))


def _plain(base_units: int, sym: str, places: int = 6) -> str:
    """An exact token amount (floored toward zero to ``places`` decimals), with its sign."""
    sign = "-" if base_units < 0 else "+"
    return sign + floor_to_places(Fraction(abs(base_units), 10 ** _decimals(sym)), places)


def change_note(first: int, last: int, sym: str) -> str:
    """``change: -1.000000 FLOCK (-0.0001 %)`` from two integer amounts (exact, no floats)."""
    delta = last - first
    if first == 0:
        return f"change: {_plain(delta, sym)} {sym}"
    pct = floor_to_places(Fraction(abs(delta) * 100, abs(first)), 6)
    return f"change: {_plain(delta, sym)} {sym} ({'-' if delta < 0 else '+'}{pct} %)"


def _from_zero(ax: Axes, values: list[float], note: str) -> None:
    """Pin the value axis at zero and write the change in the panel, so the scale is honest."""
    top = max(values, default=0.0)
    ax.set_ylim(bottom=0.0, top=top * 1.08 if top > 0 else 1.0)
    ax.ticklabel_format(axis="y", useOffset=False, style="plain")
    ax.text(
        0.01,
        0.04,
        f"axis starts at 0 · {note}",
        transform=ax.transAxes,
        fontsize=8,
        bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none"},
    )


def _symbols(timeline: list[dict[str, Any]]) -> list[str]:
    # a token that never existed (a failed launch's MT) has nothing to plot
    return sorted({s for t in timeline for s, v in t["supply"].items() if int(v)})


def _token_panels(
    report: dict[str, Any], series: str, title: str, note: Callable[[str, list[int]], str]
) -> Figure:
    """One linear panel per token of a timeline ``series`` (``supply``, ``burned``) from zero,
    titled ``title`` (``{sym}`` is the token) and annotated by ``note(sym, raw values)``."""
    import matplotlib.pyplot as plt

    timeline = report["timeline"]
    labels = [t["label"] for t in timeline]
    symbols = _symbols(timeline)
    fig, axes = plt.subplots(
        max(len(symbols), 1), 1, figsize=(8, 2.2 * max(len(symbols), 1)), squeeze=False
    )
    for ax, sym in zip(axes[:, 0], symbols, strict=False):
        raw = [int(t[series].get(sym, 0)) for t in timeline]
        values = [_units(v, sym) for v in raw]
        ax.plot(labels, values, marker="o")
        ax.set_title(title.format(sym=sym))
        _from_zero(ax, values, note(sym, raw))
        ax.tick_params(axis="x", labelrotation=30, labelsize=7)
    fig.tight_layout()
    return fig


def supply_figure(report: dict[str, Any]) -> Figure:
    """Total supply over time, one panel per token (FLOCK and MT live on very different scales)."""
    return _token_panels(
        report, "supply", "{sym} total supply", lambda sym, raw: change_note(raw[0], raw[-1], sym)
    )


def burns_figure(report: dict[str, Any]) -> Figure:
    """Cumulative buyback burns, one linear panel per token, each stating the total burned."""

    def note(sym: str, raw: list[int]) -> str:
        supply0 = int(report["timeline"][0]["supply"].get(sym, 0))
        burned = raw[-1] - raw[0]
        share = (
            f" = {floor_to_places(Fraction(burned * 100, supply0), 6)} % of supply"
            if supply0
            else ""
        )
        return f"burned over the run: {_plain(burned, sym)[1:]} {sym}{share}"

    return _token_panels(report, "burned", "{sym} burned by buybacks (cumulative)", note)


def rewards_figure(report: dict[str, Any]) -> Figure:
    """Cumulative rewards per account, one panel per reward token."""
    import matplotlib.pyplot as plt

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
    return fig


def write_charts(report: dict[str, Any], out_dir: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for name, build in (
        ("supply.png", supply_figure),
        ("burns.png", burns_figure),
        ("rewards.png", rewards_figure),
    ):
        fig = build(report)
        paths.append(out_dir / name)
        fig.savefig(paths[-1], dpi=100)
        plt.close(fig)
    return paths
