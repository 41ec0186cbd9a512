"""The deployed suite and its manifest: addresses with code, ABI hashes, model types, dev
funding, reuse on restart (the `fomo up` hook), and dev faucets refused off dev chains."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner
from web3 import Web3

from fomo.chain.anvil import Anvil
from fomo.chain.artifacts import abi_hash, available_suite, load_artifacts
from fomo.chain.deploy import (
    DEFAULT_MODEL_TYPES,
    DEV_EMISSION_RUNWAY_DAYS,
    DeployError,
    DeployOptions,
    deploy_suite,
    ensure_deployed,
    is_deployed,
    missing_contracts,
)
from fomo.chain.dev_accounts import DevAccount
from fomo.chain.manifest import load_manifest
from fomo.cli.main import app
from fomo.config import Settings
from fomo.economics.params import DEFAULT_PARAMS
from tests.chain.conftest import CliFn, Deployment, free_port

pytestmark = pytest.mark.anvil

WAD = 10**18


def test_manifest_describes_the_chain(deployment: Deployment, artifacts_cache: Path) -> None:
    m = load_manifest(deployment.manifest_path)
    assert m is not None
    assert m.chain_id == 31337 and m.dev
    assert m.block >= 1
    expected = {
        "FLOCK",
        "USDC",
        "ModelTokenBlueprint",
        "PairBlueprint",
        "Factory",
        "Router",
        "Vesting",
        "RewardDistributor",
        "Launchpad",
        "Staking",
        "GmFlock",
    }
    assert expected <= set(m.contracts)
    assert missing_contracts(deployment.w3, m) == []
    artifacts = load_artifacts(artifacts_cache)
    for entry in m.contracts.values():
        assert entry.abi_hash == artifacts[entry.artifact].abi_hash
        assert abi_hash(m.abis[entry.artifact]) == entry.abi_hash
    lp = deployment.contract("Launchpad")
    assert lp.functions.FACTORY().call() == m.address("Factory")
    assert lp.functions.reward_distributor().call() == m.address("RewardDistributor")
    dist = deployment.contract("RewardDistributor")
    publisher = Web3.keccak(text="PUBLISHER")
    assert dist.functions.has_role(publisher, m.deployer).call()
    # Graduation credits its pools with `fund_transferred`: the launchpad is a FUNDER.
    funder = Web3.keccak(text="FUNDER")
    assert dist.functions.has_role(funder, m.address("Launchpad")).call()
    assert not dist.functions.has_role(funder, m.deployer).call()
    # Revenue contracts are deployed once their sources exist, wired to each other.
    available = available_suite()
    for name, roles in (
        ("RevenueRouter", ("SETTLER", "KEEPER")),
        ("PaymentVault", ("SETTLER", "OPERATOR")),
    ):
        if name not in available:
            continue
        assert name in m.contracts, m.skipped
        c = deployment.contract(name)
        for role in roles:
            assert c.functions.has_role(Web3.keccak(text=role), m.deployer).call()
    if {"RevenueRouter", "PaymentVault"} <= set(m.contracts):
        vault = deployment.contract("PaymentVault")
        assert vault.functions.router().call() == m.address("RevenueRouter")


def test_model_types_and_dev_funding(
    cli: CliFn, deployment: Deployment, accounts: list[DevAccount]
) -> None:
    rows = cli("launch", "models", "--json").json["model_types"]
    assert [r["base_model"] for r in rows] == list(DEFAULT_MODEL_TYPES)
    for r in rows:
        assert r["min_raise"] == str(100_000 * WAD) and r["max_raise"] == str(500_000 * WAD)
        assert (r["lp_bps"], r["reserved_bps"], r["protocol_bps"]) == (7000, 2000, 1000)
    usdc = deployment.contract("USDC")
    assert usdc.functions.decimals().call() == 6
    # accounts[0] is the deployer; funded accounts start with the documented amounts.
    assert usdc.functions.balanceOf(accounts[1].address).call() == 100_000 * 10**6
    assert deployment.contract("FLOCK").functions.FAUCET_ENABLED().call()


def test_faucet_on_dev_chain(cli: CliFn, deployment: Deployment) -> None:
    receiver = "0x" + "ab" * 20
    data = cli(
        "faucet",
        "--flock",
        "1234.5",
        "--usdc",
        "7",
        "--to",
        receiver,
        "--json",
        "--dev-account",
        "3",
    ).json
    flock, usdc = deployment.contract("FLOCK"), deployment.contract("USDC")
    checksummed = Web3.to_checksum_address(receiver)
    assert flock.functions.balanceOf(checksummed).call() == 1234 * WAD + WAD // 2
    assert usdc.functions.balanceOf(checksummed).call() == 7 * 10**6
    assert data["minted"] == {"FLOCK": str(1234 * WAD + WAD // 2), "USDC": str(7 * 10**6)}


class _Ctx(SimpleNamespace):
    """The fields of fomo.context.RuntimeContext that the deploy hook reads."""


def test_restart_reuses_the_manifest(
    deployment: Deployment, accounts: list[DevAccount], tmp_path: Path, artifacts_cache: Path
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "deployment.json").write_text(deployment.manifest_path.read_text())
    settings = Settings(data_dir=data_dir, rpc_url=deployment.url)
    ctx = _Ctx(
        settings=settings, rpc_url=deployment.url, chain_id=31337, accounts=accounts[:2], notes=[]
    )
    block = deployment.w3.eth.block_number
    reused = ensure_deployed(ctx)  # type: ignore[arg-type]
    assert reused is not None
    assert (
        reused.to_json()["contracts"]
        == json.loads(deployment.manifest_path.read_text())["contracts"]
    )
    assert deployment.w3.eth.block_number == block  # nothing was sent
    assert ctx.notes == []


def test_stale_manifest_is_detected(deployment: Deployment, tmp_path: Path) -> None:
    m = load_manifest(deployment.manifest_path)
    assert m is not None and is_deployed(deployment.w3, m)
    raw = json.loads(deployment.manifest_path.read_text())
    raw["contracts"]["Launchpad"]["address"] = "0x" + "77" * 20
    stale = tmp_path / "deployment.json"
    stale.write_text(json.dumps(raw))
    m2 = load_manifest(stale)
    assert m2 is not None
    assert missing_contracts(deployment.w3, m2) == ["Launchpad"]
    assert not is_deployed(deployment.w3, m2)


@pytest.fixture(scope="module")
def public_node(anvil_binary: Path) -> object:
    anvil = Anvil(port=free_port(), chain_id=4242, binary=anvil_binary)
    with anvil:
        yield anvil


def test_dev_faucets_refused_on_non_dev_chain(
    public_node: Anvil, accounts: list[DevAccount], artifacts_cache: Path, tmp_path: Path
) -> None:
    w3 = Web3(Web3.HTTPProvider(public_node.url))
    with pytest.raises(DeployError, match="chain id 4242"):
        deploy_suite(w3, accounts[0].private_key, dev=True, artifacts_dir=artifacts_cache)
    assert w3.eth.block_number == 0  # refused before sending anything

    runner = CliRunner()
    env = {
        "FOMO_DATA_DIR": str(tmp_path),
        "FOMO_CHAIN_ID": "4242",
        "FOMO_PRIVATE_KEY": accounts[0].private_key,
    }
    res = runner.invoke(
        app, ["chain", "deploy", "--rpc", public_node.url, "--dev", "--yes", "--json"], env=env
    )
    assert res.exit_code == 1
    body = json.loads(res.stdout)
    assert body["ok"] is False and "Refusing to deploy dev tokens" in body["error"]
    assert "Traceback" not in res.stdout + res.stderr

    # A non-dev deployment gets tokens without faucets, and `fomo faucet` refuses.
    res = runner.invoke(
        app,
        [
            "chain",
            "deploy",
            "--rpc",
            public_node.url,
            "--yes",
            "--json",
            "--cache",
            str(artifacts_cache),
        ],
        env=env,
    )
    assert res.exit_code == 0, res.stdout + res.stderr
    manifest = load_manifest(tmp_path / "deployment.json")
    assert manifest is not None and not manifest.dev and manifest.chain_id == 4242
    flock = w3.eth.contract(address=manifest.address("FLOCK"), abi=manifest.abi("DevToken"))
    assert flock.functions.FAUCET_ENABLED().call() is False
    res = runner.invoke(app, ["faucet", "--rpc", public_node.url, "--json"], env=env)
    assert res.exit_code == 1
    assert "only on a dev chain" in json.loads(res.stdout)["error"]


def test_deploy_refuses_to_overwrite_a_live_manifest(deployment: Deployment) -> None:
    runner = CliRunner()
    res = runner.invoke(
        app,
        ["chain", "deploy", "--rpc", deployment.url, "--dev", "--yes", "--json"],
        env={"FOMO_DATA_DIR": str(deployment.data_dir), "FOMO_PRIVATE_KEY": ""},
    )
    assert res.exit_code == 1
    assert "still deployed" in json.loads(res.stdout)["error"]


def test_artifacts_command_writes_abi_and_bytecode(tmp_path: Path, artifacts_cache: Path) -> None:
    res = CliRunner().invoke(
        app,
        [
            "chain",
            "artifacts",
            "--out",
            str(tmp_path / "out"),
            "--cache",
            str(artifacts_cache),
            "--json",
        ],
    )
    assert res.exit_code == 0, res.stdout
    launchpad = json.loads((tmp_path / "out" / "Launchpad.json").read_text())
    assert launchpad["bytecode"].startswith("0x") and len(launchpad["bytecode"]) > 1000
    assert any(item.get("name") == "buy" for item in launchpad["abi"])
    pair = json.loads((tmp_path / "out" / "Pair.json").read_text())
    # ERC-5202 blueprint: the deployed code starts with the 0xFE71 preamble.
    assert "fe7100" in pair["blueprint_bytecode"]


def test_non_dev_needs_both_token_addresses(
    public_node: Anvil, accounts: list[DevAccount], artifacts_cache: Path
) -> None:
    w3 = Web3(Web3.HTTPProvider(public_node.url))
    with pytest.raises(DeployError, match="both"):
        deploy_suite(
            w3,
            accounts[0].private_key,
            dev=False,
            artifacts_dir=artifacts_cache,
            options=DeployOptions(flock="0x" + "11" * 20),
        )


def test_hook_redeploys_when_the_chain_lost_the_contracts(
    anvil_binary: Path,
    deployment: Deployment,
    accounts: list[DevAccount],
    tmp_path: Path,
    artifacts_cache: Path,
) -> None:
    # A fresh chain (as after deleting anvil's state) with the old manifest still on disk.
    data_dir = tmp_path / "data"
    (data_dir / "artifacts").mkdir(parents=True)
    for cached in artifacts_cache.glob("artifacts-*.json"):
        (data_dir / "artifacts" / cached.name).write_bytes(cached.read_bytes())
    (data_dir / "deployment.json").write_text(deployment.manifest_path.read_text())
    with Anvil(port=free_port(), binary=anvil_binary) as fresh:
        settings = Settings(data_dir=data_dir, rpc_url=fresh.url, dev_accounts=2)
        ctx = _Ctx(
            settings=settings, rpc_url=fresh.url, chain_id=31337, accounts=accounts[:2], notes=[]
        )
        manifest = ensure_deployed(ctx)  # type: ignore[arg-type]
        assert manifest is not None
        assert any("redeployed" in note for note in ctx.notes)
        assert list(data_dir.glob("deployment.stale-*.json"))
        w3 = Web3(Web3.HTTPProvider(fresh.url))
        saved = load_manifest(data_dir / "deployment.json")
        assert saved is not None and is_deployed(w3, saved)
        assert saved.dev_accounts == [a.address for a in accounts[:2]]
        flock = w3.eth.contract(address=saved.address("FLOCK"), abi=saved.abi("DevToken"))
        assert flock.functions.balanceOf(accounts[1].address).call() == 1_000_000 * WAD
        # `fomo up` funds a runway of the global emission so a fresh devnet's epochs can publish.
        dist = w3.eth.contract(
            address=saved.address("RewardDistributor"), abi=saved.abi("RewardDistributor")
        )
        runway = DEV_EMISSION_RUNWAY_DAYS * DEFAULT_PARAMS.daily_emission
        assert dist.functions.funded(saved.address("FLOCK")).call() == runway
        assert flock.functions.balanceOf(saved.address("RewardDistributor")).call() == runway


def test_cli_dev_deploy_funds_the_emission_runway(
    anvil_binary: Path, artifacts_cache: Path, tmp_path: Path
) -> None:
    """`fomo chain deploy --dev` funds what `fomo up` funds, so `fomo up` reusing its manifest
    publishes rewards too (issue 12 item 10)."""
    with Anvil(port=free_port(), binary=anvil_binary) as node:
        res = CliRunner().invoke(
            app,
            ["chain", "deploy", "--rpc", node.url, "--dev", "--yes", "--json",
             "--cache", str(artifacts_cache), "--dev-accounts", "1"],
            env={"FOMO_DATA_DIR": str(tmp_path), "FOMO_PRIVATE_KEY": ""},
        )  # fmt: skip
        assert res.exit_code == 0, res.stdout + res.stderr
        saved = load_manifest(tmp_path / "deployment.json")
        assert saved is not None
        w3 = Web3(Web3.HTTPProvider(node.url))
        dist = w3.eth.contract(
            address=saved.address("RewardDistributor"), abi=saved.abi("RewardDistributor")
        )
        runway = DEV_EMISSION_RUNWAY_DAYS * DEFAULT_PARAMS.daily_emission
        assert dist.functions.funded(saved.address("FLOCK")).call() == runway
