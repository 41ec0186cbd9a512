"""`fomo credits deposit` against a real `fomo up` (anvil, indexer, gateway): one permit
transaction, the indexer sees the deposit, the gateway credits it and the command shows the new
balance; a 402 names the command (issue 12, item 16)."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from fomo.cli.main import app
from tests.runtime.test_up import Up, compiled_artifacts, up_dir  # noqa: F401  (fixtures)
from tests.support import free_port

pytestmark = pytest.mark.anvil

USDC = 10**6


def _cli(env: dict[str, str], *args: str) -> tuple[int, dict[str, Any], str]:
    res = CliRunner().invoke(app, list(args), env=env)
    lines = [line for line in res.stdout.splitlines() if line.strip()]
    body = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    return res.exit_code, body, res.stderr


def test_deposit_is_credited_and_402_names_the_command(up_dir: Path) -> None:  # noqa: F811
    http_port, anvil_port = free_port(), free_port()
    up = Up(up_dir, http_port, anvil_port)
    try:
        ready = up.ready()
        env = {
            "FOMO_DATA_DIR": str(up_dir),
            "FOMO_HTTP_PORT": str(http_port),
            "FOMO_ANVIL_PORT": str(anvil_port),
            "FOMO_PRIVATE_KEY": "",
            "FOMO_DATABASE_URL": "",
            "FOMO_CONFIG": "",
        }
        me = ready["accounts"][2]["address"]
        usdc = ready["contracts"]["USDC"]
        vault = ready["contracts"]["PaymentVault"]
        rpc = httpx.Client(base_url=ready["rpc_url"], timeout=10)

        def call(method: str, params: list[Any]) -> Any:
            return rpc.post("", json={"jsonrpc": "2.0", "id": 1, "method": method,
                                      "params": params}).json()["result"]  # fmt: skip

        def nonce() -> int:
            return int(call("eth_getTransactionCount", [me, "latest"]), 16)

        # A key for a wallet with no credit: the 402 tells the user what to run.
        code, created, err = _cli(env, "keys", "create", "--dev-account", "2")
        assert code == 0, err
        r = httpx.post(
            f"http://127.0.0.1:{http_port}/v1/chat/completions",
            json={"model": "deepseek-v3.2", "messages": [{"role": "user", "content": "hi"}]},
            headers={"authorization": f"Bearer {created['key']}"},
            timeout=30,
        )
        assert r.status_code == 402
        assert "fomo credits deposit AMOUNT" in r.json()["error"]["message"]

        # More than the wallet holds: one sentence, nothing sent.
        sent = nonce()
        code, body, _ = _cli(
            env, "credits", "deposit", "10000000", "--dev-account", "2", "--json", "--yes"
        )
        assert code == 1 and body["ok"] is False
        assert body["error"].startswith("Not enough USDC: this deposit needs 10,000,000 USDC")
        assert nonce() == sent

        code, before, _ = _cli(env, "credits", "balance", me, "--json")
        assert code == 0
        code, body, err = _cli(
            env, "credits", "deposit", "25.5", "--dev-account", "2", "--json", "--yes",
            "--timeout", "60",
        )  # fmt: skip
        assert code == 0, (body, err)
        assert body["ok"] and body["permit"] is True and body["credited"] is True
        assert body["amount"] == str(25_500_000) and body["credit_nano_usd"] == str(25_500_000_000)
        assert int(body["balance_nano_usd"]) == int(before["balance_nano_usd"]) + 25_500_000_000
        assert nonce() == sent + 1  # one transaction: the permit rides in the deposit
        allowance = call("eth_call", [{"to": usdc, "data": "0xdd62ed3e"
                         + me[2:].lower().rjust(64, "0") + vault[2:].lower().rjust(64, "0")},
                         "latest"])  # fmt: skip
        assert int(allowance, 16) == 0  # nothing left standing
        code, after, _ = _cli(env, "credits", "balance", me, "--json")
        assert after["balance_nano_usd"] == body["balance_nano_usd"]

        # Human output shows the new balance.
        res = CliRunner().invoke(
            app, ["credits", "deposit", "1", "--dev-account", "2", "--yes"], env=env
        )
        assert res.exit_code == 0, res.output
        assert "credited by the gateway: balance $26.500000000" in res.stdout
    finally:
        up.finish(signal.SIGINT)
