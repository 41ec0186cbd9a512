"""A shortened `fomo demo` (2 simulated days, light traffic) on a fresh anvil, asserted from its
JSON report and, independently, from the files and the chain figures it points at.

One run per module (~45 s on 2 cores); every test reads the same report.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from fomo.cli.main import app
from fomo.economics.epoch import verify_bytes
from fomo.economics.epoch_file import EpochFile

pytestmark = [pytest.mark.anvil, pytest.mark.slow]

WAD = 10**18
TOTAL_MT = 1_000_000 * WAD


@pytest.fixture(scope="module")
def report(
    anvil_binary: Path, artifacts_cache: Path, tmp_path_factory: pytest.TempPathFactory
) -> Any:
    # anvil_binary: skips when absent (the demo finds the binary itself)
    data_dir = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(
        app,
        [
            "demo",
            "--days",
            "2",
            "--fast",
            "--json",
            "--data-dir",
            str(data_dir),
            "--artifacts",
            str(artifacts_cache),
        ],
    )
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith("{")]
    assert lines, f"no JSON report (exit {result.exit_code}): {result.output[-2000:]}"
    body = json.loads(lines[-1])
    body["_exit_code"] = result.exit_code
    body["_dir"] = data_dir
    return body


def test_every_conservation_check_passes(report: Any) -> None:
    failed = [c for c in report["checks"] if c["result"] != "PASS"]
    assert not failed, failed
    assert report["ok"] is True and report["_exit_code"] == 0
    names = " | ".join(c["name"] for c in report["checks"])
    for must in (
        "FLOCK: Σ balances",
        "USDC: Σ balances",
        "launchpad balance",
        "RewardDistributor FLOCK",
        "FLOCK: burns = total-supply decrease",
        "claims: every leaf",
        "owed to issuers = router balance",
        "usage: every answered request is metered once",
    ):
        assert must in names
    assert not report["skipped"], report["skipped"]


def test_report_files_written(report: Any) -> None:
    d: Path = report["_dir"]
    on_disk = json.loads((d / "report.json").read_text())
    assert on_disk["checks"] == report["checks"]
    for name in ("supply.png", "burns.png", "rewards.png"):
        assert (d / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_max_launch_graduates_automatically_with_full_supply(report: Any) -> None:
    alpha = report["launches"]["ALPHA"]
    assert alpha["status"] == "Graduated"
    assert alpha["auto_graduated_by"]["buyer"] == "erin"
    assert int(alpha["raised"]) == int(alpha["max_raise"])
    assert int(alpha["fees"]["anti_sniper"]) > 0  # the minute-1 sniper paid the tax
    # At max every MT is minted: 400k sale + 200k LP + 200k rewards + 2 × 100k vesting.
    assert int(alpha["graduation"]["mintedMt"]) == TOTAL_MT
    assert int(report["mt"]["ALPHA"]["minted"]) == TOTAL_MT


def test_min_launch_graduated_by_third_party(report: Any) -> None:
    beta = report["launches"]["BETA"]
    assert beta["status_after_window"] == "Graduating"
    assert beta["status"] == "Graduated" and beta["graduated_by"]["who"] == "heidi"
    assert int(beta["min_raise"]) <= int(beta["raised"]) < int(beta["max_raise"])
    g = beta["graduation"]
    assert int(g["mintedMt"]) + int(g["unmintedMt"]) == TOTAL_MT
    assert int(g["unmintedMt"]) > 0  # unsold sale MT and unused LP MT never minted


def test_failed_launch_refunds_principal_in_full(report: Any) -> None:
    gamma = report["launches"]["GAMMA"]
    assert gamma["status"] == "Failed"
    assert int(gamma["raised"]) < int(gamma["min_raise"])
    redeemed = sum(int(v) for v in gamma["redeemed"].values())
    assert redeemed == int(gamma["raised"]) == int(gamma["principal"]) > 0
    assert int(report["mt"]["GAMMA"]["total_supply"]) == 0


def test_revenue_flowed_and_was_burned(report: Any) -> None:
    rev = report["revenue"]
    assert int(rev["settled_usdc"]) > 0
    burned = rev["burned"]
    assert int(burned["FLOCK"]) > 0
    assert int(burned.get("ALPHA", 0)) > 0 or int(rev["buyback_reserve_usdc"]) > 0
    split = rev["split_usdc"]
    assert int(split["issuer_amount"]) > 0 and int(split["treasury_amount"]) > 0
    # the issuer share is credited, then pulled by the issuers themselves, every day
    pulled = [w for e in report["epochs"] for w in e["issuer_withdrawals"]]
    assert sum(int(w["usdc"]) for w in pulled) == int(split["issuer_amount"])
    assert {w["issuer"] for w in pulled} <= {"alice", "bob"}
    assert rev["issuer_owed_usdc"] == "0"
    # stakers got their discount on the deployment ids; the base model id has none
    usage = rev["usage"]
    for sym in ("ALPHA", "BETA"):
        assert int(usage[sym]["paid_nano_usd"]) < int(usage[sym]["gross_nano_usd"])
    base = usage["base models (no MT)"]
    assert base["paid_nano_usd"] == base["gross_nano_usd"]


def test_claims_paid_equal_claimable_and_roots_verify(report: Any) -> None:
    epochs = report["epochs"]
    assert len(epochs) == 2 and all(e.get("root") for e in epochs)
    for e in epochs:
        data = Path(e["file"]).read_bytes()
        assert verify_bytes(data).root == e["root"]  # anyone can recompute the root
    last = EpochFile.from_bytes(Path(epochs[-1]["file"]).read_bytes())
    leaves = dict(last.leaves)
    claimed = sum(int(c["amount"]) for e in epochs for c in e["claims"])
    assert claimed == sum(leaves.values()) > 0
    for per in report["rewards"].values():
        for v in per.values():
            assert v["claimed"] == v["cumulative"]
    # erin used the API but staked nothing: Global FLOCK only, no Reserved FLOCK / MT Reward
    assert set(report["rewards"]["erin"]) == {"FLOCK"}


def test_explainer_says_why(report: Any) -> None:
    """The epoch explainer on the demo's accounts: erin has usage but no stake (Global FLOCK
    only); carol's gmFLOCK lock lifts her multiplier above 1."""
    erin = report["explain"]["erin"]["mts"]["ALPHA"]
    assert erin["stake_share"] == "0" and erin["multiplier"] == "1"
    assert erin["reserved_flock"] == "0" and erin["mt_reward"] == "0"
    assert erin["reasons"]
    carol = report["explain"]["carol"]["mts"]["ALPHA"]
    assert float(carol["multiplier"]) > 1 and float(carol["stake_share"]) > 0
