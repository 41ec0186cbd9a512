"""The engine against a real devnet (anvil + the deployed suite, web3): the root is proposed
by `Web3ChainPort`, `fomo epoch verify` matches the pending then the live root, and a proof from
the data file claims on-chain after the dispute window."""

from __future__ import annotations

import json
import random
import socket
from collections.abc import Iterator
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
from fomo.cli.main import app as cli
from fomo.config import ANVIL_MNEMONIC
from fomo.db.migrate import upgrade
from fomo.db.models_gateway import UsageRecord
from fomo.db.session import make_engine, make_session_factory
from fomo.epochs import engine as eng
from fomo.epochs.chainport import Web3ChainPort
from fomo.epochs.claims import claims_for
from fomo.runtime.context import dev_accounts
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
    accounts = dev_accounts(ANVIL_MNEMONIC, 3)
    with Anvil(port=_port(), binary=binary, log_file=tmp / "anvil.log", accounts=3) as node:
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
        yield node, client, tmp


def test_propose_verify_and_claim_on_anvil(devnet: Any, tmp_path: Path) -> None:
    node, client, tmp = devnet
    port = Web3ChainPort(client)
    flock_addr = port.flock_token()
    flock = client.contract("FLOCK")
    dist = client.contract("RewardDistributor")
    me = client.address
    # fund the global emission of two days
    client.send(flock.functions.faucet(me, 10**23))
    client.send(flock.functions.approve(dist.address, 10**23))
    client.send(dist.functions.fund(flock.address, 10**23, "0x" + "00" * 20))
    url = f"sqlite:///{tmp_path / 'fomo.db'}"
    upgrade(url)
    factory = make_session_factory(make_engine(url))
    with factory() as s, s.begin():
        seed(s, random.Random(9), flock=flock_addr)
        # no net revenue to settle (these MTs are not graduated on this chain): compute = paid
        for u in s.query(UsageRecord):
            u.compute_cost_nano_usd = u.paid_nano_usd
        s.execute(text("DELETE FROM reward_fundings"))  # FLOCK emission leaves only
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
