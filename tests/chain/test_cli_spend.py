"""Spending commands check the balance and simulate before any approval, approve exactly what
they use, and a second claim says it was already claimed (issue 12, items 13 and 14).

Real anvil, the real deployed suite, the real CLI; each test uses a fresh account so that the
transaction count proves that nothing was sent.
"""

from __future__ import annotations

import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount

from fomo.chain.dev_accounts import DevAccount
from tests.chain.conftest import CliFn, Deployment

pytestmark = pytest.mark.anvil

WAD = 10**18
MODEL = "qwen3-30b-a3b-instruct"


def _fresh(deployment: Deployment, cli: CliFn, funder: DevAccount, flock: int) -> LocalAccount:
    """A new account with gas money and ``flock`` whole FLOCK (from the dev faucet)."""
    acct: LocalAccount = Account.create()
    deployment.w3.provider.make_request(  # type: ignore[arg-type]
        "anvil_setBalance", [acct.address, hex(10**20)]
    )
    left = flock
    while left > 0:
        part = min(left, 1_000_000)
        cli("faucet", "--flock", str(part), "--usdc", "0", "--to", acct.address,
            key=funder.private_key)  # fmt: skip
        left -= part
    return acct


def _key(acct: LocalAccount) -> str:
    return "0x" + acct.key.hex().removeprefix("0x")


def _launch(cli: CliFn, creator: DevAccount, symbol: str) -> str:
    res = cli("launch", "create", MODEL, f"{symbol} model", symbol, "--json", "--yes",
              key=creator.private_key)  # fmt: skip
    return str(res.json["token"])


def test_buy_over_balance_sends_no_approval(
    cli: CliFn, deployment: Deployment, accounts: list[DevAccount]
) -> None:
    token = _launch(cli, accounts[1], "OVERBUY")
    buyer = _fresh(deployment, cli, accounts[0], 1000)
    flock = deployment.contract("FLOCK")
    lp = deployment.contract("Launchpad")
    res = cli("launch", "buy", token, "5000", "--json", "--yes", key=_key(buyer), ok=False)
    assert res.exit_code == 1
    assert res.json["error"] == (
        f"Not enough FLOCK: this buy needs 5,000 FLOCK but {buyer.address} holds 1,000 FLOCK."
    )
    assert deployment.w3.eth.get_transaction_count(buyer.address) == 0  # no approval sent
    assert flock.functions.allowance(buyer.address, lp.address).call() == 0
    # Human mode: the same single sentence on stderr.
    res = cli("launch", "buy", token, "5000", "--yes", key=_key(buyer), ok=False)
    assert res.exit_code == 1 and "Traceback" not in res.stderr
    assert "Not enough FLOCK" in res.stderr and "needs 5,000 FLOCK" in res.stderr


def test_stake_and_lock_over_balance_send_nothing(
    cli: CliFn, deployment: Deployment, accounts: list[DevAccount]
) -> None:
    token = _launch(cli, accounts[1], "OVSTK")
    user = _fresh(deployment, cli, accounts[0], 10)
    res = cli("stake", "stake", token, "1000", "--json", "--yes", key=_key(user), ok=False)
    assert res.json["error"] == (
        f"Not enough OVSTK: this stake needs 1,000 OVSTK but {user.address} holds 0 OVSTK."
    )
    res = cli("gm", "lock", "11", "--days", "60", "--json", "--yes", key=_key(user), ok=False)
    assert "Not enough FLOCK" in res.json["error"] and "holds 10 FLOCK" in res.json["error"]
    assert deployment.w3.eth.get_transaction_count(user.address) == 0


def test_failing_action_is_simulated_before_the_approval(
    cli: CliFn, deployment: Deployment, accounts: list[DevAccount]
) -> None:
    """A second `gm lock` reverts ("lock exists"): the sentence comes before any approval."""
    user = _fresh(deployment, cli, accounts[0], 1000)
    gm = deployment.contract("GmFlock")
    flock = deployment.contract("FLOCK")
    cli("gm", "lock", "100", "--days", "60", "--json", "--yes", key=_key(user))
    # exact approval: the lock pulled all of it, nothing is left standing
    assert flock.functions.allowance(user.address, gm.address).call() == 0
    sent = deployment.w3.eth.get_transaction_count(user.address)
    assert sent == 2  # one approval of exactly 100 FLOCK, one lock
    res = cli("gm", "lock", "100", "--days", "60", "--json", "--yes", key=_key(user), ok=False)
    assert res.exit_code == 1 and res.json["reason"] == "lock exists"
    assert deployment.w3.eth.get_transaction_count(user.address) == sent
    assert flock.functions.allowance(user.address, gm.address).call() == 0


def test_second_claim_says_already_claimed(
    cli: CliFn, deployment: Deployment, accounts: list[DevAccount]
) -> None:
    token = _launch(cli, accounts[1], "TWICE")
    deployment.travel(100 * 60)
    buyer = _fresh(deployment, cli, accounts[0], 600_000)
    lp = deployment.contract("Launchpad")
    bought = cli("launch", "buy", token, "600000", "--json", "--yes", key=_key(buyer)).json
    assert bought["graduated"] is True
    # exact approval: the partial fill used what it was approved for, nothing stands
    assert deployment.contract("FLOCK").functions.allowance(buyer.address, lp.address).call() == 0
    cli("launch", "claim", token, "--json", "--yes", key=_key(buyer))
    again = cli("launch", "claim", token, "--json", "--yes", key=_key(buyer), ok=False)
    assert again.exit_code == 1
    assert again.json["error"] == (
        "You already claimed your MT from this launch; there is nothing left to claim."
    )
    # someone who never bought still gets the plain sentence
    other = cli("launch", "claim", token, "--json", "--yes", key=accounts[4].private_key, ok=False)
    assert other.json["error"] == "You have no MT allocation to claim in this launch."


def test_create_over_balance_sends_nothing(
    cli: CliFn, deployment: Deployment, accounts: list[DevAccount]
) -> None:
    issuer = _fresh(deployment, cli, accounts[0], 1000)
    res = cli("launch", "create", MODEL, "Poor model", "POOR", "--first-buy", "500",
              "--json", "--yes", key=_key(issuer), ok=False)  # fmt: skip
    assert res.exit_code == 1
    assert res.json["error"] == (
        "Not enough FLOCK: this launch (fee and first buy) needs 33,268 FLOCK but "
        f"{issuer.address} holds 1,000 FLOCK."
    )
    assert deployment.w3.eth.get_transaction_count(issuer.address) == 0
