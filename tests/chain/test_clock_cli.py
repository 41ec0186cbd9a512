"""A chain clock dated before a launch's sale start (what a restarted anvil used to do, issue 12
item 9) must not crash any launch command: reads clamp, a buy quote says why it cannot quote."""

from __future__ import annotations

import pytest

from fomo.chain.client import ChainClient
from fomo.chain.dev_accounts import DevAccount
from tests.chain.conftest import CliFn, Deployment

pytestmark = pytest.mark.anvil

MODEL = "qwen3-30b-a3b-instruct"
TWO_WEEKS = 14 * 86_400


def test_launch_commands_survive_a_clock_before_the_sale_start(
    cli: CliFn,
    deployment: Deployment,
    accounts: list[DevAccount],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    created = cli(
        "launch",
        "create",
        MODEL,
        "Clock model",
        "QWENCLOCK",
        "--json",
        "--yes",
        key=accounts[1].private_key,
    ).json
    token = created["token"]
    sale_start = int(cli("launch", "show", token, "--json").json["sale_start"])
    monkeypatch.setattr(ChainClient, "timestamp", lambda self: sale_start - TWO_WEEKS)

    shown = cli("launch", "show", token, "--json")
    assert shown.json["tax_bps_now"] is not None  # the start tax, not a ValueError
    listed = cli("launch", "list", "--json").json["launches"]
    assert any(entry["token"] == token for entry in listed)

    quoted = cli("launch", "quote", token, "1000", "--json", ok=False)
    assert quoted.exit_code != 0
    assert "before this launch's sale start" in quoted.json["error"]
