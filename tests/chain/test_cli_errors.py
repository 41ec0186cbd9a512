"""Failures are one plain sentence and exit code 1, never a traceback; confirmations work."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from fomo.chain.dev_accounts import DevAccount
from fomo.chain.errors import explain_revert, reason_from_message
from fomo.cli.chainkit import fmt_units, parse_amount
from fomo.cli.main import app
from fomo.economics.units import usd_text
from tests.chain.conftest import CliFn, Deployment

pytestmark = pytest.mark.anvil

WAD = 10**18


def test_amount_parsing_is_exact() -> None:
    assert parse_amount("1000", 18) == 1000 * WAD
    assert parse_amount("0.000000000000000001", 18) == 1
    assert parse_amount("1_000.25", 6) == 1_000_250_000
    # 29 significant digits: a Decimal context (28 digits) would round the last one.
    assert parse_amount("12345678901.123456789012345678", 18) == 12345678901123456789012345678
    for bad in ("0", "-1", "abc", "1.0000001"):
        with pytest.raises(Exception):  # noqa: B017 - ChainActionError with a sentence
            parse_amount(bad, 6)
    assert fmt_units(1234 * WAD + WAD // 2, 18) == "1,234.5"
    assert fmt_units(1, 18) == "0"
    assert usd_text(1_500_000_001) == "$1.500000001"
    assert usd_text(-5) == "-$0.000000005"


def test_revert_sentences() -> None:
    assert reason_from_message("execution reverted: sale closed") == "sale closed"
    assert reason_from_message("execution reverted") is None
    assert "still live" in explain_revert("sale live")
    assert "graduated" in explain_revert("not graduated", "Staking")
    assert explain_revert("something new") == (
        "The contract rejected the transaction: something new."
    )


def test_errors_are_sentences(cli: CliFn, accounts: list[DevAccount]) -> None:
    key = accounts[2].private_key
    res = cli("launch", "buy", "NOSUCH", "10", "--json", "--yes", key=key, ok=False)
    assert res.exit_code == 1 and res.json == {
        "ok": False,
        "error": "No launch has the ticker 'NOSUCH'.",
        "reason": None,
    }
    res = cli("launch", "create", "not-a-model", "X", "X", "--json", "--yes", key=key, ok=False)
    assert "Unknown model type" in res.json["error"]
    res = cli("stake", "stake", "0x" + "12" * 20, "abc", "--json", "--yes", key=key, ok=False)
    assert "not a number" in res.json["error"]
    res = cli("gm", "withdraw", "--json", "--yes", ok=False)
    assert "No signing key" in res.json["error"]
    # Human mode: the sentence on stderr, no traceback.
    res = cli("gm", "withdraw", "--yes", key=accounts[3].private_key, ok=False)
    assert res.exit_code == 1
    assert "error:" in res.stderr and "no gmFLOCK lock" in res.stderr
    assert "Traceback" not in res.stdout + res.stderr


def test_unreachable_rpc_is_a_sentence(tmp_path, deployment: Deployment) -> None:
    res = CliRunner().invoke(
        app,
        ["launch", "list", "--json", "--rpc", "http://127.0.0.1:9"],
        env={"FOMO_DATA_DIR": str(deployment.data_dir)},
    )
    assert res.exit_code == 1
    assert "does not answer" in res.stdout


def test_declining_the_confirmation_sends_nothing(
    cli: CliFn, deployment: Deployment, accounts: list[DevAccount]
) -> None:
    who = accounts[4]
    block = deployment.w3.eth.block_number
    runner = CliRunner()
    res = runner.invoke(
        app,
        ["gm", "lock", "100", "--days", "30"],
        input="n\n",
        env={
            "FOMO_RPC_URL": deployment.url,
            "FOMO_DATA_DIR": str(deployment.data_dir),
            "FOMO_PRIVATE_KEY": who.private_key,
        },
    )
    assert res.exit_code == 1
    assert "Cancelled" in res.stderr
    assert deployment.w3.eth.block_number == block


def test_keystore_and_env_keys(tmp_path, accounts: list[DevAccount], monkeypatch) -> None:
    import json as _json

    from eth_account import Account

    from fomo.chain.client import MissingKeyError, load_key

    who = accounts[1]
    path = tmp_path / "key.json"
    path.write_text(
        _json.dumps(Account.encrypt(who.private_key, "pw", kdf="pbkdf2", iterations=1000))
    )
    monkeypatch.delenv("FOMO_PRIVATE_KEY", raising=False)
    monkeypatch.setenv("FOMO_KEYSTORE_PASSWORD", "pw")
    assert load_key(keystore=path).address == who.address
    monkeypatch.setenv("FOMO_KEYSTORE_PASSWORD", "wrong")
    with pytest.raises(MissingKeyError, match="password is wrong"):
        load_key(keystore=path)
    monkeypatch.setenv("FOMO_PRIVATE_KEY", accounts[2].private_key)
    assert load_key().address == accounts[2].address
    with pytest.raises(MissingKeyError, match="not a valid"):
        load_key("0x1234")


def test_advance_moves_chain_time(cli: CliFn, deployment: Deployment) -> None:
    before = deployment.now()
    data = cli("chain", "advance", "--hours", "2", "--json").json
    assert data["timestamp"] >= before + 2 * 3600
    assert deployment.now() == data["timestamp"]
    assert cli("chain", "advance", "--json", ok=False).json["error"].startswith("Give --days")
