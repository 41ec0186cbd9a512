"""The demo's supply and burn charts keep an honest scale: the value axis starts at zero and each
panel states the change, so a 0.0001 % burn does not look like a crash."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

from fomo.demo.charts import change_note, write_charts

WAD = 10**18
FLOCK0 = 1_000_000_000 * WAD  # a billion FLOCK
MT0 = 1_000_000 * WAD


def _report() -> dict[str, Any]:
    """Three snapshots in which one millionth of a percent of each supply is burned."""
    burned_flock = [0, FLOCK0 // 10**8, FLOCK0 // 10**8 + 7]
    burned_mt = [0, 0, MT0 // 10**8]
    return {
        "timeline": [
            {
                "label": label,
                "supply": {"FLOCK": str(FLOCK0 - bf), "ALPHA": str(MT0 - bm), "DEAD": "0"},
                "burned": {"FLOCK": str(bf), "ALPHA": str(bm)},
            }
            for label, bf, bm in zip(
                ["setup", "2026-11-01", "2026-11-02"], burned_flock, burned_mt, strict=True
            )
        ],
        "rewards": {"0x" + "ab" * 20: {"ALPHA": {"cumulative": str(3 * WAD)}}},
    }


@pytest.fixture
def figures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """Every panel write_charts drew, by title (figures kept open to inspect their axes)."""
    plt.close("all")
    monkeypatch.setattr(plt, "close", lambda *_a, **_k: None)
    paths = write_charts(_report(), tmp_path)
    assert [p.name for p in paths] == ["supply.png", "burns.png", "rewards.png"]
    assert all(p.stat().st_size > 0 for p in paths)
    panels = {ax.get_title(): ax for n in plt.get_fignums() for ax in plt.figure(n).axes}
    yield panels
    monkeypatch.undo()
    plt.close("all")


def _texts(ax: Any) -> str:
    return " | ".join(t.get_text() for t in ax.texts)


def test_supply_panels_start_at_zero_and_state_the_change(figures: dict[str, Any]) -> None:
    flock = figures["FLOCK total supply"]
    assert flock.get_ylim()[0] == 0  # not auto-zoomed onto the 0.000001 % dip
    assert flock.get_ylim()[1] >= 1_000_000_000
    assert "axis starts at 0" in _texts(flock)
    assert "change: -10.000000 FLOCK (-0.000001 %)" in _texts(flock)
    alpha = figures["ALPHA total supply"]
    assert alpha.get_ylim()[0] == 0
    assert "change: -0.010000 ALPHA (-0.000001 %)" in _texts(alpha)
    assert "DEAD total supply" not in figures  # a token that never existed is not drawn


def test_burn_panels_are_linear_from_zero_and_state_the_total(figures: dict[str, Any]) -> None:
    burns = [ax for title, ax in figures.items() if "burn" in title.lower()]
    assert burns
    for ax in burns:
        assert ax.get_yscale() == "linear"
        assert ax.get_ylim()[0] == 0
    flock = figures["FLOCK burned by buybacks (cumulative)"]
    assert "burned over the run: 10.000000 FLOCK = 0.000001 % of supply" in _texts(flock)


def test_change_note_is_exact() -> None:
    assert change_note(3 * WAD, 3 * WAD, "FLOCK") == "change: +0.000000 FLOCK (+0.000000 %)"
    assert change_note(0, 5 * 10**6, "USDC") == "change: +5.000000 USDC"
    assert change_note(4 * WAD, WAD, "MT") == "change: -3.000000 MT (-75.000000 %)"
