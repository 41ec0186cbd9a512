"""`fomo rewards claim` a second time says it was already claimed (issue 12, item 14): a real
devnet, a root proposed by the engine and gone live, the CLI claiming twice."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from fomo.cli.main import app
from fomo.epochs import engine as eng
from tests.epochs.test_anvil import devnet, funded_emission_and_seeded_usage  # noqa: F401
from tests.epochs.test_gather_run import DAY, T0

pytestmark = pytest.mark.anvil


def test_second_rewards_claim_says_already_claimed(devnet: Any, tmp_path: Path) -> None:  # noqa: F811
    node, client, tmp, _, accounts = devnet
    port, flock_addr, factory = funded_emission_and_seeded_usage(client, tmp_path)
    dist = client.contract("RewardDistributor")
    data_dir = tmp_path / "data"
    runs = eng.catch_up(factory, data_dir, first=DAY, now=T0 + 2 * 86_400, flock_token=flock_addr,
                        chain=port)  # fmt: skip
    client.rpc("evm_increaseTime", [int(dist.functions.dispute_window().call())])
    client.rpc("evm_mine", [])
    account = json.loads(runs[-1].path.read_bytes())["tree"]["leaves"][0][0]

    env = {
        "FOMO_RPC_URL": node.url,
        "FOMO_DATA_DIR": str(data_dir),
        "FOMO_PRIVATE_KEY": accounts[0].private_key,
    }
    args = ["rewards", "claim", account, "--manifest", str(tmp / "deployment.json"), "--yes"]
    first = CliRunner().invoke(app, [*args, "--json"], env=env)
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["claims"]
    again = CliRunner().invoke(app, [*args, "--json"], env=env)
    assert again.exit_code == 1
    body = json.loads(again.stdout)
    assert body["ok"] is False and body["error"].startswith(
        f"Already claimed: everything the live root (epoch {DAY + 1}) gives {account}"
    )
    human = CliRunner().invoke(app, args, env=env)
    assert human.exit_code == 1 and "Traceback" not in human.output
    assert "error: Already claimed" in human.stderr
