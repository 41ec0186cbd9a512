"""``POST /rpc``: the same-origin JSON-RPC proxy, against a real anvil."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account
from fastapi.testclient import TestClient

from fomo.api.app import create_app
from fomo.api.routes_rpc import MAX_BODY_BYTES
from fomo.chain.anvil import Anvil
from fomo.chain.dev_accounts import dev_accounts
from fomo.config import ANVIL_MNEMONIC, Settings
from tests.support import free_port


@pytest.fixture(scope="module")
def node(anvil_binary: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Anvil]:
    log = tmp_path_factory.mktemp("anvil-rpc") / "anvil.log"
    with Anvil(port=free_port(), binary=anvil_binary, log_file=log, accounts=3) as anvil:
        yield anvil


@pytest.fixture
def client(node: Anvil, tmp_path: Path) -> TestClient:
    settings = Settings(data_dir=tmp_path, anvil_port=node.port, web_dir=tmp_path / "no-build")
    return TestClient(create_app(settings))


def call(client: TestClient, method: str, params: Any = (), id_: int = 1) -> Any:
    body = {"jsonrpc": "2.0", "id": id_, "method": method, "params": list(params)}
    response = client.post("/rpc", json=body)
    assert response.status_code == 200
    return response.json()


def test_reads_reach_the_chain(client: TestClient, node: Anvil) -> None:
    assert call(client, "eth_chainId")["result"] == hex(31337)
    assert call(client, "net_version")["result"] == "31337"
    assert int(call(client, "eth_blockNumber")["result"], 16) == int(
        node.rpc("eth_blockNumber"), 16
    )
    holder = dev_accounts(ANVIL_MNEMONIC, 1)[0].address
    assert int(call(client, "eth_getBalance", [holder, "latest"])["result"], 16) > 0


def test_a_signed_transaction_is_broadcast_and_mined(client: TestClient) -> None:
    sender, receiver = dev_accounts(ANVIL_MNEMONIC, 2)
    nonce = int(call(client, "eth_getTransactionCount", [sender.address, "pending"])["result"], 16)
    tx = {
        "to": receiver.address,
        "value": 12345,
        "gas": 21_000,
        "gasPrice": int(call(client, "eth_gasPrice")["result"], 16),
        "nonce": nonce,
        "chainId": 31337,
    }
    raw = Account.sign_transaction(tx, sender.private_key).raw_transaction
    tx_hash = call(client, "eth_sendRawTransaction", ["0x" + raw.hex()])["result"]
    receipt = call(client, "eth_getTransactionReceipt", [tx_hash])["result"]
    assert receipt["status"] == "0x1"


@pytest.mark.parametrize(
    "method",
    ["anvil_mine", "evm_increaseTime", "anvil_setBalance", "eth_sendTransaction", "eth_accounts"],
)
def test_node_control_and_unlocked_signing_are_refused(
    client: TestClient, node: Anvil, method: str
) -> None:
    before = node.rpc("eth_blockNumber")
    answer = call(client, method, [], id_=7)
    assert answer["id"] == 7
    assert answer["error"]["code"] == -32601
    assert method in answer["error"]["message"] and "not available" in answer["error"]["message"]
    assert node.rpc("eth_blockNumber") == before  # nothing reached the node


def test_batches_are_filtered_item_by_item(client: TestClient) -> None:
    batch = [
        {"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []},
        {"jsonrpc": "2.0", "id": 2, "method": "anvil_mine", "params": []},
        {"jsonrpc": "2.0", "id": "three", "method": "eth_blockNumber", "params": []},
        {"id": 4, "method": "eth_chainId"},
    ]
    answers = client.post("/rpc", json=batch).json()
    assert [a["id"] for a in answers] == [1, 2, "three", 4]
    assert answers[0]["result"] == hex(31337)
    assert answers[1]["error"]["code"] == -32601
    assert answers[2]["result"].startswith("0x")
    assert answers[3]["error"]["code"] == -32600


def test_malformed_oversized_and_empty_requests_get_one_error(client: TestClient) -> None:
    bad = client.post("/rpc", content=b"{not json", headers={"content-type": "application/json"})
    assert bad.status_code == 200 and bad.json()["error"]["code"] == -32700
    huge = b'{"jsonrpc":"2.0","id":1,"method":"eth_call","params":["' + b"0" * MAX_BODY_BYTES
    too_big = client.post("/rpc", content=huge + b'"]}')
    assert too_big.status_code == 413 and "bytes" in too_big.json()["error"]["message"]
    assert client.post("/rpc", json=[]).json()["error"]["code"] == -32600
    many = [{"jsonrpc": "2.0", "id": i, "method": "eth_chainId"} for i in range(101)]
    assert "at most" in client.post("/rpc", json=many).json()["error"]["message"]
    assert client.get("/rpc").status_code == 405


def test_a_dead_node_is_a_json_rpc_error(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, anvil_port=free_port(), web_dir=tmp_path)
    r = TestClient(create_app(settings)).post(
        "/rpc", json={"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}
    )
    assert r.status_code == 502 and r.json()["error"]["message"] == "the chain node did not answer"
