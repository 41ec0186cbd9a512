"""The engine against a real devnet (anvil + the deployed suite, web3): the root is proposed
by `Web3ChainPort`, `fomo epoch verify` matches the pending then the live root, and a proof from
the data file claims on-chain after the dispute window."""

from __future__ import annotations

import json
import random
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account
from sqlalchemy import text
from typer.testing import CliRunner
from web3 import Web3

from fomo.chain.anvil import Anvil, AnvilNotFoundError, find_anvil
from fomo.chain.client import ChainClient
from fomo.chain.deploy import DeployOptions, deploy_suite
from fomo.chain.dev_accounts import dev_accounts
from fomo.cli.main import app as cli
from fomo.config import ANVIL_MNEMONIC
from fomo.db.migrate import upgrade
from fomo.db.models_gateway import UsageRecord
from fomo.db.session import make_engine, make_session_factory
from fomo.economics.epoch_claims import claims_for
from fomo.epochs import engine as eng
from fomo.epochs.chainport import Web3ChainPort
from tests.epochs.test_gather_run import DAY, T0, seed


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def devnet(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Any]:
    try:
        binary = find_anvil()
    except AnvilNotFoundError as exc:
        pytest.skip(f"anvil binary absent: {exc}")
    tmp = tmp_path_factory.mktemp("epoch-anvil")
    accounts = dev_accounts(ANVIL_MNEMONIC, 6)
    with Anvil(port=_port(), binary=binary, log_file=tmp / "anvil.log", accounts=6) as node:
        w3 = Web3(Web3.HTTPProvider(node.url))
        manifest = deploy_suite(
            w3, accounts[0].private_key, dev=True,
            artifacts_dir=Path(request.config.cache.mkdir("fomo-chain-artifacts")),
            manifest_path=tmp / "deployment.json",
            options=DeployOptions(dev_accounts=[a.address for a in accounts]),
        )  # fmt: skip
        client = ChainClient(
            w3, manifest=manifest, account=Account.from_key(accounts[0].private_key)
        )
        yield node, client, tmp, manifest, accounts


def funded_emission_and_seeded_usage(
    client: ChainClient, tmp_path: Path
) -> tuple[Web3ChainPort, str, Any]:
    """Fund the distributor with two days of FLOCK emission and seed a migrated SQLite database
    with usage (no net revenue to settle: these MTs are not graduated on this chain, so
    compute = paid; FLOCK emission leaves only). Returns the chain port, FLOCK's address and the
    session factory."""
    port = Web3ChainPort(client)
    flock_addr = port.flock_token()
    flock = client.contract("FLOCK")
    dist = client.contract("RewardDistributor")
    me = client.address
    client.send(flock.functions.faucet(me, 10**23))
    client.send(flock.functions.approve(dist.address, 10**23))
    client.send(dist.functions.fund(flock.address, 10**23, "0x" + "00" * 20))
    url = f"sqlite:///{tmp_path / 'fomo.db'}"
    upgrade(url)
    factory = make_session_factory(make_engine(url))
    with factory() as s, s.begin():
        seed(s, random.Random(9), flock=flock_addr)
        for u in s.query(UsageRecord):
            u.compute_cost_nano_usd = u.paid_nano_usd
        s.execute(text("DELETE FROM reward_fundings"))
    return port, flock_addr, factory


def test_propose_verify_and_claim_on_anvil(devnet: Any, tmp_path: Path) -> None:
    node, client, tmp, _, _ = devnet
    port, flock_addr, factory = funded_emission_and_seeded_usage(client, tmp_path)
    flock = client.contract("FLOCK")
    dist = client.contract("RewardDistributor")
    data_dir = tmp_path / "data"
    runs = eng.catch_up(factory, data_dir, first=DAY, now=T0 + 2 * 86_400, flock_token=flock_addr,
                        chain=port)  # fmt: skip
    assert [r.status for r in runs] == ["proposed", "proposed"]
    pending = port.pending_root()
    assert pending[0] == runs[1].root and pending[1] == DAY + 1

    r = CliRunner()
    env = {"FOMO_RPC_URL": node.url, "FOMO_DATA_DIR": str(tmp)}
    out = r.invoke(cli, ["epoch", "verify", str(runs[1].path), "--json"], env=env)
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["chain"]["matches_pending"] is True
    out = r.invoke(cli, ["epoch", "verify", str(runs[0].path), "--json"], env=env)
    assert out.exit_code == 3  # a superseded day's root is on chain neither live nor pending

    client.rpc("evm_increaseTime", [int(dist.functions.dispute_window().call())])
    client.rpc("evm_mine", [])
    assert port.live_root()[0] == runs[1].root
    out = r.invoke(cli, ["epoch", "verify", str(runs[1].path), "--json"], env=env)
    assert json.loads(out.stdout)["chain"]["matches_live"] is True

    data = runs[1].path.read_bytes()
    account, token, amount = json.loads(data)["tree"]["leaves"][0]
    _, items = claims_for(data, account)
    item = next(i for i in items if i.token == token)
    before = int(flock.functions.balanceOf(Web3.to_checksum_address(account)).call())
    port.claim(account, token, item.cumulative, item.proof)
    after = int(flock.functions.balanceOf(Web3.to_checksum_address(account)).call())
    assert after - before == int(amount) and port.claimed(account, token) == int(amount)


WAD = 10**18


def test_devnet_day_settles_revenue_and_claims(devnet: Any, tmp_path: Path) -> None:
    """Launch → graduate → stake on the chain; the indexer fills the database; a day of usage
    (Alice and Bob 50/50, only Alice staked) is settled through PaymentVault → RevenueRouter and
    its root claimed: Bob gets Global FLOCK but no MT Reward."""
    from tests.indexer.conftest import Chain, Db, make_indexer

    node, client, devnet_dir, manifest, accounts = devnet
    chain = Chain(node.url, manifest, accounts)
    creator, alice, bob = accounts[3], accounts[4], accounts[5]
    token = chain.create_launch(creator, "EPO", first_buy=20_000 * WAD)
    chain.travel(100 * 60)
    chain.buy(alice, token, 60_000 * WAD)
    chain.buy(bob, token, 45_000 * WAD)
    chain.travel(7 * 86_400)
    chain.call_lp(bob, "graduate", token)
    chain.call_lp(alice, "claim", token)
    chain.stake(alice, token, 10_000 * WAD)
    port = Web3ChainPort(client)
    flock = client.contract("FLOCK")
    dist = client.contract("RewardDistributor")
    client.send(flock.functions.faucet(client.address, 10**23))
    client.send(flock.functions.approve(dist.address, 10**23))
    client.send(dist.functions.fund(flock.address, 10**23, "0x" + "00" * 20))
    # Alice prepays 10 USDC of credits in the PaymentVault
    a = chain.client(alice)
    usdc, vault = a.contract("USDC"), a.contract("PaymentVault")
    a.send(usdc.functions.faucet(alice.address, 10 * 10**6))
    a.send(usdc.functions.approve(vault.address, 10 * 10**6))
    a.send(vault.functions.deposit(alice.address, 10 * 10**6))
    day = chain.now() // 86_400 + 1  # the first whole day with Alice's stake
    chain.travel((day + 1) * 86_400 - chain.now() + 60)
    chain.mine()

    url = f"sqlite:///{tmp_path / 'fomo.db'}"
    upgrade(url)
    factory = make_session_factory(make_engine(url))
    assert make_indexer(chain, Db(url, factory)).sync()[-1].action == "idle"
    with factory() as s, s.begin():
        for i, who in enumerate((alice, bob)):
            s.add(
                UsageRecord(
                    request_id=f"dev{i}", created_at=datetime.fromtimestamp(day * 86_400, UTC),
                    day=day, account=who.address.lower(), endpoint="chat", model_id="m",
                    base_model="b", deployment=token, gross_nano_usd=5 * 10**8,
                    paid_nano_usd=5 * 10**8, compute_cost_nano_usd=10**8, status=200,
                )
            )  # fmt: skip
    with factory() as s:
        first = eng.first_day(s.connection())
    assert first is not None and first <= day
    runs = eng.catch_up(factory, tmp_path / "data", first=first, now=chain.now(),
                        flock_token=port.flock_token(), chain=port)  # fmt: skip
    assert runs[-1].epoch == day and runs[-1].status == "proposed"
    router = client.contract("RevenueRouter")
    tok = Web3.to_checksum_address(token)
    assert router.functions.settled(tok, day).call() is True
    assert vault.functions.is_settled(day).call() is True
    # net = 1 USD paid − 0.2 USD compute = 0.8 USDC; 30% waits as MT buyback reserve
    assert int(router.functions.buyback_reserve(tok).call()) == 240_000
    with factory() as s:
        from fomo.db.models import Settlement

        row = s.query(Settlement).filter_by(epoch=day, token=token).one()
        assert (row.status, row.usdc_amount) == ("settled", 800_000)
    again = eng.run_day(factory, tmp_path / "data", day, flock_token=port.flock_token(), chain=port)
    assert again.reused

    # the issuer's 10% (0.08 USDC) is credited, not pushed; the issuer withdraws it with the CLI
    assert int(router.functions.issuer_revenue(creator.address, tok).call()) == 80_000
    cold = Web3.to_checksum_address("0x" + "c0" * 20)
    env = {"FOMO_RPC_URL": node.url, "FOMO_DATA_DIR": str(devnet_dir)}
    args = ["rewards", "issuer-withdraw", token, "--dev-account", "3", "--to", cold]
    out = CliRunner().invoke(cli, [*args, "--yes", "--json"], env=env)
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["amount"] == "80000"
    assert int(usdc.functions.balanceOf(cold).call()) == 80_000
    assert int(router.functions.issuer_revenue(creator.address, tok).call()) == 0
    out = CliRunner().invoke(cli, [*args, "--yes"], env=env)
    assert out.exit_code == 1 and "no issuer revenue to withdraw" in out.output
    assert "Traceback" not in out.output

    client.rpc("evm_increaseTime", [int(dist.functions.dispute_window().call())])
    client.rpc("evm_mine", [])
    data = runs[-1].path.read_bytes()
    mt = chain.token(token)
    for who in (alice, bob):
        acct = Web3.to_checksum_address(who.address)
        _, items = claims_for(data, who.address.lower())
        for item in items:
            erc20 = mt if item.token == token else flock
            before = int(erc20.functions.balanceOf(acct).call())
            port.claim(who.address.lower(), item.token, item.cumulative, item.proof)
            assert int(erc20.functions.balanceOf(acct).call()) - before == item.cumulative
        got = {i.token for i in items}
        assert port.flock_token() in got
        assert (token in got) == (who is alice)  # Bob has no stake: no MT Reward

    # Revenue paid with operator-granted (fiat) credits never reached the vault: the vault
    # records only its unsettled deposits and the settler pays the rest in. (Before, the vault
    # refused the whole day with "exceeds deposits" and the day never settled.)
    chain.travel(86_400)
    chain.mine()
    later = day + 1
    free = int(vault.functions.total_deposited().call()) - int(
        vault.functions.total_settled().call()
    )
    usdc_c = client.contract("USDC")
    loose = int(usdc_c.functions.balanceOf(router.address).call()) - int(
        router.functions.total_reserved().call()
    )
    amount = free + 1_234_567
    tx = port.settle(later, {token: amount})[token]
    assert tx is not None
    assert int(vault.functions.settled(later).call()) == free
    assert router.functions.settled(tok, later).call() is True
    (settled,) = router.events.Settled().process_receipt(client.w3.eth.get_transaction_receipt(tx))
    assert settled["args"]["pulled"] == amount - free - loose  # from the settler, exactly
    assert int(usdc_c.functions.allowance(client.address, router.address).call()) == 0

    # More than the settler holds: one sentence naming what is missing, nothing pulled.
    from fomo.chain.errors import ChainActionError

    with pytest.raises(ChainActionError, match="beyond the PaymentVault's deposits"):
        port.settle(1_000, {token: 10**30})
    assert router.functions.settled(tok, 1_000).call() is False
