"""`fomo keys limit` and `fomo credits limit`: as the owner through a running gateway (SIWE) and
as the operator on the database; the gateway enforces what they set; bad input is one sentence."""

from __future__ import annotations

import json

import httpx
import pytest
from eth_account import Account
from typer.testing import CliRunner

from fomo.cli.main import app

from .conftest import GatewayHandle

runner = CliRunner()


def _chat(gw: GatewayHandle, key: str) -> httpx.Response:
    return httpx.post(
        gw.url + "/v1/completions",
        json={"model": "deepseek-v3.2", "prompt": "cli limit", "max_tokens": 3},
        headers={"authorization": f"Bearer {key}"},
        timeout=30,
    )


def test_owner_sets_and_reads_limits_through_the_gateway(gateway: GatewayHandle) -> None:
    wallet = Account.create()
    pk = "0x" + wallet.key.hex().removeprefix("0x")
    owner = ["--private-key", pk, "--gateway", gateway.url]
    account, key = wallet.address.lower(), None
    gateway.store.grant(account, 10**9, "cli limits")
    info, key = gateway.store.create_key(account, "cli")

    out = runner.invoke(app, ["keys", "limit", str(info.id), "0.5", "--reset", "daily", *owner])
    assert out.exit_code == 0, out.output
    assert out.output.startswith(f"key {info.id}: limit 0.50 USD, daily; 0.50 USD left")
    out = runner.invoke(app, ["keys", "limit", str(info.id), "--json", *owner])
    shown = json.loads(out.output)
    assert (shown["limit_nano_usd"], shown["limit_reset"]) == ("500000000", "daily")

    out = runner.invoke(app, ["credits", "limit", "0", "--reset", "weekly", *owner])
    assert out.exit_code == 0, out.output
    assert out.output.startswith(f"account {account}: limit 0.00 USD, weekly")
    r = _chat(gateway, key)
    assert r.status_code == 402 and "weekly spend limit of 0.00 USD" in r.text
    out = runner.invoke(app, ["credits", "limit", "--remove", *owner])
    assert out.output.strip() == f"account {account}: no spend limit"
    assert _chat(gateway, key).status_code == 200


def test_operator_sets_limits_on_the_database(gateway: GatewayHandle) -> None:
    account, key = gateway.new_account(credits_usd=1)
    (info,) = gateway.store.list_keys(account)
    db = ["--database-url", gateway.db_url]
    assert _chat(gateway, key).status_code == 200
    gateway.flush()
    out = runner.invoke(app, ["keys", "limit", str(info.id), "0.000000001", "--operator", *db])
    assert out.exit_code == 0, out.output
    assert "lifetime (never resets); 0.00 USD left" in out.output  # it already spent more
    gateway.sync()
    r = _chat(gateway, key)
    assert r.status_code == 402 and f"API key {info.id}'s lifetime spend limit" in r.text
    out = runner.invoke(app, ["keys", "limit", str(info.id), "--remove", "--operator", *db])
    assert out.output.strip() == f"key {info.id}: no spend limit"
    out = runner.invoke(
        app, ["credits", "limit", "2", "--reset", "monthly", "--account", account, "--json", *db]
    )
    got = json.loads(out.output)
    assert got["limit"] == "2.00" and got["limit_reset"] == "monthly"
    assert int(got["limit_remaining_nano_usd"]) < 2 * 10**9  # this month's spend counted
    gateway.sync()
    assert _chat(gateway, key).status_code == 200
    out = runner.invoke(app, ["keys", "limit", "999999", "1", "--operator", *db])
    assert out.exit_code == 1 and "There is no API key 999999." in out.output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["keys", "limit", "1", "abc", "--operator"], "is not a decimal USD amount"),
        (["keys", "limit", "1", "1.0000000001", "--operator"], "more than 9 decimal places"),
        (["keys", "limit", "1", "-5", "--operator"], "negative"),
        (["keys", "limit", "1", "5", "--reset", "hourly", "--operator"], "not one of daily"),
        (["keys", "limit", "1", "5", "--remove", "--operator"], "either --remove or a limit"),
        (["credits", "limit", "5", "--account", "0x12"], "not a wallet address"),
    ],
)
def test_bad_input_is_one_sentence(gateway: GatewayHandle, args: list[str], words: str) -> None:
    out = runner.invoke(app, [*args, "--database-url", gateway.db_url])
    assert out.exit_code == 2, out.output
    assert words in out.output and "Traceback" not in out.output
    assert len(out.output.strip().splitlines()) == 1
