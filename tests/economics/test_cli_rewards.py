"""`fomo rewards day` end to end: the seed examples, exact output, and readable input errors."""

from __future__ import annotations

import json
from fractions import Fraction
from math import floor
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from fomo.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "rewards-day.json"
SEEDS = ROOT / "examples" / "rewards-day-seeds.json"


def _run(*args: str) -> Any:
    return CliRunner().invoke(app, ["rewards", "day", *args])


def _json(path: Path) -> dict[str, Any]:
    result = _run("--input", str(path), "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _tenth(value: str) -> str:
    tenths = floor(Fraction(value) * 10 + Fraction(1, 2))
    return f"{tenths // 10}.{tenths % 10}"


def _by_account(dep: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["account"]: p for p in dep["participants"]}


def test_alice_bob_example() -> None:
    out = _json(EXAMPLE)
    dep = out["deployments"][0]
    people = _by_account(dep)
    assert people["alice"]["global_flock"] == "52.631578947368421052"  # floor(100 · 10/19)
    assert people["bob"]["global_flock"] == "47.368421052631578947"  # floor(100 · 9/19)
    assert out["emission_dust"] == "0.000000000000000001"
    assert people["bob"]["reserved_flock"] == "0.000000000000000000"
    assert people["bob"]["mt_reward"] == "0.000000000000000000"
    assert people["alice"]["reserved_flock"] == dep["reserved_flock_released"]
    assert people["alice"]["mt_reward"] == dep["mt_reward_released"]
    assert people["alice"]["alpha"] == "0.900000000000000000"


EXPECTED = {
    "SEED-A09-SOLE-STAKER": ("52.6", "47.4"),
    "SEED-A09-STAKE10": ("50.9", "49.1"),
    "SEED-A05-SOLE-STAKER": ("66.7", "33.3"),
    "SEED-A05-STAKE10": ("56.8", "43.2"),
    "SEED-A09-BOB-GM2X": ("35.7", "64.3"),
    "SEED-A05-BOB-GM2X": ("50.0", "50.0"),
}


def test_every_seed_example_through_the_cli() -> None:
    out = _json(SEEDS)
    seen = {}
    for dep in out["deployments"]:
        assert dep["emission"] == "100.000000000000000000"
        people = _by_account(dep)
        bob = people.get("bob") or people["bob-with-gmflock"]
        seen[dep["token"]] = (_tenth(people["alice"]["global_flock"]), _tenth(bob["global_flock"]))
        # Bob never stakes: nothing from the staker-gated pools, whatever his gmFLOCK.
        assert Fraction(bob["reserved_flock"]) == 0 and Fraction(bob["mt_reward"]) == 0
        assert Fraction(bob["incentive_score"]) == 0
        assert people["alice"]["mt_reward"] == "1000.000000000000000000"
        if "GM2X" in dep["token"]:
            assert bob["multiplier"] == "2.000000000000000000"
    assert seen == EXPECTED


def test_table_shows_the_example() -> None:
    result = _run("--input", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    assert "52.631578947368421052" in result.stdout
    assert "47.368421052631578947" in result.stdout
    assert "QWENALICE" in result.stdout


def _write(tmp_path: Path, data: Any) -> Path:
    p = tmp_path / "day.json"
    p.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return p


def _base() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


def _set(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    node: Any = data
    for key in path[:-1]:
        node = node[key]
    if value is _DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


_DELETE = object()
P0 = ("deployments", 0, "participants", 0)


@pytest.mark.parametrize(
    ("path", "value", "expect"),
    [
        ((*P0, "gross_spend_usd"), "-5", "deployments[0].participants[0].gross_spend_usd"),
        ((*P0, "gross_spend_usd"), "abc", "deployments[0].participants[0].gross_spend_usd"),
        ((*P0, "gross_spend_usd"), "0.0000000001", "at most 9 decimal places"),
        ((*P0, "stake"), "1e-19", "deployments[0].participants[0].stake"),
        ((*P0, "stake"), None, "deployments[0].participants[0].stake"),
        ((*P0, "account"), "", "deployments[0].participants[0].account"),
        ((*P0, "stak"), "1", "deployments[0].participants[0].stak: is not a known field"),
        (("deployments", 0, "paid_revenue_usd"), _DELETE, "paid_revenue_usd: is required"),
        (("deployments", 0, "alpha"), "1.5", "alpha must lie in [0, 1]"),
        ((*P0, "multiplier"), "3", "multiplier must lie in [1, 2]"),
        (("issuer_bonus_bps",), 20_000, "issuer_bonus_bps"),
        (("params",), {"alpha_start": "1.2"}, "params.alpha_start"),
        (("params",), {"discount_tiers": [[1000, 3500]]}, "30% hard cap"),
        (("params",), {"no_such_param": 1}, "params.no_such_param: is not a known field"),
        (("deployments", 0, "participants", 1, "account"), "alice", "account listed twice"),
    ],
)
def test_bad_input_names_the_field(
    tmp_path: Path, path: tuple[Any, ...], value: Any, expect: str
) -> None:
    result = _run("--input", str(_write(tmp_path, _set(_base(), path, value))))
    assert result.exit_code == 2
    assert expect in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("content", "expect"),
    [("{not json", "is not valid JSON"), ("[1, 2]", "must be a JSON object"), ("NaN", "JSON")],
)
def test_bad_files(tmp_path: Path, content: str, expect: str) -> None:
    result = _run("--input", str(_write(tmp_path, content)))
    assert result.exit_code == 2
    assert expect in result.stderr
    assert "Traceback" not in result.output


def test_missing_file(tmp_path: Path) -> None:
    result = _run("--input", str(tmp_path / "nope.json"))
    assert result.exit_code == 2
    assert "cannot read" in result.stderr


def test_json_numbers_are_read_as_exact_decimals(tmp_path: Path) -> None:
    data = _base()
    data["global_emission"] = 0.3  # json.dumps writes 0.3; the CLI must read exactly 0.3
    out = json.loads(_run("--input", str(_write(tmp_path, data)), "--json").stdout)
    assert out["global_emission"] == "0.300000000000000000"


def test_huge_amounts_are_exact(tmp_path: Path) -> None:
    data = _base()
    data["global_emission"] = "123456789012345678901234567.123456789012345678"
    out = json.loads(_run("--input", str(_write(tmp_path, data)), "--json").stdout)
    assert out["global_emission"] == "123456789012345678901234567.123456789012345678"
