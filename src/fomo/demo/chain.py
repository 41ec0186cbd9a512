"""Chain helpers for the demo: actors, time travel, event sums (no business logic)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from eth_account import Account
from web3 import Web3
from web3.contract import Contract

from fomo.chain.client import ChainClient
from fomo.chain.dev_accounts import DevAccount
from fomo.chain.manifest import Manifest

TRANSFER_TOPIC = "0x" + bytes(Web3.keccak(text="Transfer(address,address,uint256)")).hex()
ZERO = "0x" + "00" * 20


@dataclass
class Actor:
    """A named dev account with its own signing client."""

    name: str
    account: DevAccount
    client: ChainClient

    @property
    def address(self) -> str:
        return self.account.address

    @property
    def lower(self) -> str:
        return self.account.address.lower()


def make_actor(w3: Web3, manifest: Manifest, name: str, account: DevAccount) -> Actor:
    client = ChainClient(w3, manifest=manifest, account=Account.from_key(account.private_key))
    return Actor(name, account, client)


def rpc(w3: Web3, method: str, params: list[Any] | None = None) -> Any:
    response = w3.provider.make_request(method, params or [])  # type: ignore[arg-type]
    if "error" in response:
        raise RuntimeError(f"{method} failed: {response['error']}")
    return response.get("result")


def now(w3: Web3) -> int:
    return int(w3.eth.get_block("latest")["timestamp"])


def travel_to(w3: Web3, timestamp: int) -> None:
    """Mine one block at ``timestamp`` (dev chains only; never backwards)."""
    if timestamp <= now(w3):
        rpc(w3, "evm_mine")
        return
    rpc(w3, "evm_setNextBlockTimestamp", [hex(timestamp)])
    rpc(w3, "evm_mine")


def checksum(address: str) -> str:
    return str(Web3.to_checksum_address(address))


def events(contract: Contract, name: str, from_block: int) -> list[dict[str, Any]]:
    """Every ``name`` event of ``contract`` since ``from_block``, args as a plain dict."""
    event = getattr(contract.events, name)
    return [dict(log["args"]) for log in event.get_logs(from_block=from_block)]


@dataclass
class TransferTotals:
    """What a token's Transfer logs say: holders, minted (from 0) and burned (to 0)."""

    holders: set[str]
    minted: int
    burned: int


def transfer_totals(w3: Web3, token: str, from_block: int) -> TransferTotals:
    logs = w3.eth.get_logs(
        {
            "address": Web3.to_checksum_address(token),
            "fromBlock": from_block,
            "toBlock": "latest",
            "topics": [TRANSFER_TOPIC],  # type: ignore[list-item]
        }
    )
    holders: set[str] = set()
    minted = burned = 0
    for lg in logs:
        topics = lg["topics"]
        src = "0x" + bytes(topics[1])[-20:].hex()
        dst = "0x" + bytes(topics[2])[-20:].hex()
        value = int.from_bytes(bytes(lg["data"]), "big")
        if src == ZERO:
            minted += value
        else:
            holders.add(src)
        if dst == ZERO:
            burned += value
        else:
            holders.add(dst)
    return TransferTotals(holders, minted, burned)


def balances(token: Contract, holders: Iterable[str]) -> dict[str, int]:
    return {h: int(token.functions.balanceOf(checksum(h)).call()) for h in sorted(holders)}
