"""``/api/devnet/*``: dev accounts and time travel, only on the embedded anvil devnet."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fomo.api.app import create_app
from fomo.chain.anvil import Anvil
from fomo.config import Settings
from tests.support import free_port


@pytest.fixture(scope="module")
def node(anvil_binary: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Anvil]:
    log = tmp_path_factory.mktemp("anvil-devnet") / "anvil.log"
    with Anvil(port=free_port(), binary=anvil_binary, log_file=log, accounts=5) as anvil:
        yield anvil


def devnet_client(node: Anvil, tmp_path: Path) -> TestClient:
    return TestClient(create_app(Settings(data_dir=tmp_path, anvil_port=node.port)))


def chain_time(node: Anvil) -> int:
    return int(node.rpc("eth_getBlockByNumber", ["latest", False])["timestamp"], 16)


def test_accounts_are_anvils_funded_dev_accounts(node: Anvil, tmp_path: Path) -> None:
    body = devnet_client(node, tmp_path).get("/api/devnet/accounts").json()
    accounts = body["accounts"]
    assert [a["index"] for a in accounts] == [0, 1, 2, 3, 4]
    # The same addresses anvil itself derives and funds from its public mnemonic.
    assert [a["address"].lower() for a in accounts] == [a.lower() for a in node.rpc("eth_accounts")]
    assert accounts[0]["address"] == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    assert accounts[0]["private_key"] == (
        "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
    )


def test_advance_moves_the_chain_clock(node: Anvil, tmp_path: Path) -> None:
    client = devnet_client(node, tmp_path)
    before = chain_time(node)
    r = client.post("/api/devnet/advance", json={"seconds": 3 * 86_400})
    assert r.status_code == 200
    assert r.json()["chain_time"] == chain_time(node) >= before + 3 * 86_400


@pytest.mark.parametrize(
    "body",
    [
        {"seconds": 0},
        {"seconds": -5},
        {"seconds": 366 * 86_400 + 1},
        {"seconds": "soon"},
        {"seconds": 1.5},
        {"seconds": True},
        {},
        [],
        None,
    ],
)
def test_advance_refuses_bad_input_with_a_sentence(
    node: Anvil, tmp_path: Path, body: object
) -> None:
    before = chain_time(node)
    r = devnet_client(node, tmp_path).post("/api/devnet/advance", json=body)
    assert r.status_code == 422
    assert r.json()["detail"].startswith("seconds must be a whole number from 1 to 31622400")
    assert chain_time(node) == before


def test_not_a_devnet_means_404(node: Anvil, tmp_path: Path) -> None:
    # The same anvil, reached as an external RPC: not the platform's own devnet.
    external = Settings(data_dir=tmp_path, rpc_url=node.url)
    client = TestClient(create_app(external))
    assert client.get("/api/info").json()["devnet"] is False
    assert devnet_client(node, tmp_path).get("/api/info").json()["devnet"] is True
    before = chain_time(node)
    assert client.get("/api/devnet/accounts").status_code == 404
    assert client.post("/api/devnet/advance", json={"seconds": 60}).status_code == 404
    assert chain_time(node) == before
    # And a non-dev chain id (a real network's) is never a devnet either.
    real = Settings(data_dir=tmp_path, chain_id=8453, anvil_port=node.port)
    assert TestClient(create_app(real)).get("/api/devnet/accounts").status_code == 404
