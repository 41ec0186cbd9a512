"""`fomo keys|credits|usage` against a running gateway and its database."""

from __future__ import annotations

import json

import httpx
from eth_account import Account
from typer.testing import CliRunner

from fomo.cli.main import app
from fomo.economics.units import usd_text

from .conftest import GatewayHandle

runner = CliRunner()


def test_keys_credits_usage_commands(gateway: GatewayHandle) -> None:
    wallet = Account.create()
    pk = "0x" + wallet.key.hex().removeprefix("0x")
    db = ["--database-url", gateway.db_url]

    out = runner.invoke(
        app, ["keys", "create", "--name", "cli", "--private-key", pk, "--gateway", gateway.url]
    )
    assert out.exit_code == 0, out.output
    created = json.loads(out.output)
    key = created["key"]
    assert created["account"] == wallet.address.lower()

    out = runner.invoke(app, ["credits", "grant", wallet.address, "0.20", *db])
    assert out.exit_code == 0 and "200000000 nano-USD" in out.output
    out = runner.invoke(app, ["credits", "grant", wallet.address, "0.05", "--json", *db])
    assert out.exit_code == 0 and json.loads(out.output)["amount_nano_usd"] == "50000000"
    out = runner.invoke(app, ["credits", "grant", wallet.address, "0.0000000001", *db])
    assert out.exit_code != 0  # finer than a nano-USD is refused, never rounded
    # ... also past 28 significant digits, where Decimal arithmetic would round it to whole nanos
    out = runner.invoke(
        app, ["credits", "grant", wallet.address, "1234567890123456789.0123456789", *db]
    )
    assert out.exit_code != 0

    r = httpx.post(
        gateway.url + "/v1/completions",
        json={"model": "deepseek-v3.2", "prompt": "cli", "max_tokens": 3},
        headers={"authorization": f"Bearer {key}"},
    )
    assert r.status_code == 200
    gateway.flush()
    paid_text = httpx.get(
        gateway.url + "/v1/account/usage", headers={"authorization": f"Bearer {key}"}
    ).json()["data"][0]["paid_nano_usd"]
    paid = int(paid_text)  # money is integer nano-USD as text

    out = runner.invoke(app, ["credits", "balance", wallet.address, *db])
    assert f"({250_000_000 - paid} nano-USD)" in out.output
    out = runner.invoke(app, ["credits", "balance", wallet.address, "--json", *db])
    assert json.loads(out.output)["balance_nano_usd"] == str(250_000_000 - paid)
    out = runner.invoke(app, ["usage", "show", wallet.address, "--json", *db])
    shown = json.loads(out.output)
    assert shown["usage"][0]["model"] == "deepseek-v3.2" and shown["discount_bps"] == {}
    assert shown["usage"][0]["paid_nano_usd"] == paid_text  # the same text as the API
    out = runner.invoke(app, ["usage", "show", wallet.address, *db])
    assert out.exit_code == 0 and usd_text(paid) in out.output, out.output

    out = runner.invoke(app, ["keys", "list", "--private-key", pk, "--gateway", gateway.url])
    assert out.exit_code == 0 and "active" in out.output and "cli" in out.output
    out = runner.invoke(
        app, ["keys", "list", "--json", "--private-key", pk, "--gateway", gateway.url]
    )
    (listed,) = json.loads(out.output)
    assert listed["name"] == "cli" and not listed["revoked"]
    out = runner.invoke(
        app,
        [
            "keys",
            "revoke",
            str(listed["id"]),
            "--json",
            "--private-key",
            pk,
            "--gateway",
            gateway.url,
        ],
    )
    assert out.exit_code == 0, out.output
    assert json.loads(out.output) == {"revoked": listed["id"]}
    r = httpx.post(
        gateway.url + "/v1/completions",
        json={"model": "deepseek-v3.2", "prompt": "cli", "max_tokens": 3},
        headers={"authorization": f"Bearer {key}"},
    )
    assert r.status_code == 401


def test_keys_create_as_dev_account(gateway: GatewayHandle) -> None:
    from fomo.chain.dev_accounts import dev_accounts
    from fomo.config import Settings

    expected = dev_accounts(Settings.load().anvil_mnemonic, 3)[2].address.lower()
    out = runner.invoke(
        app, ["keys", "create", "--dev-account", "2", "--gateway", gateway.url, "--name", "dev"]
    )
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["account"] == expected
