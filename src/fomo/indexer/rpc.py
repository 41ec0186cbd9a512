"""The indexer's view of the chain: block headers and ``eth_getLogs`` over web3.py.

Every method is one read; failures (node down, timeout, HTTP error, node-side error) surface as
:class:`RpcUnavailable` so the indexer can back off and retry the whole batch. Nothing here
writes anywhere, which is what makes a retried batch free of duplicates and gaps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from web3 import Web3
from web3.types import FilterParams, RPCEndpoint


class RpcUnavailable(RuntimeError):
    """The RPC did not answer (or answered with an error); retry later."""


@dataclass(frozen=True)
class BlockHeader:
    number: int
    hash: str
    parent_hash: str
    timestamp: int


@dataclass(frozen=True)
class RawLog:
    address: str
    topics: tuple[str, ...]
    data: str
    block_number: int
    block_hash: str
    tx_hash: str
    log_index: int


def _hex(value: Any) -> str:
    if isinstance(value, bytes | bytearray):
        return "0x" + bytes(value).hex()
    text = str(value).lower()
    return text if text.startswith("0x") else "0x" + text


class ChainReader:
    """Reads blocks and logs from one JSON-RPC endpoint."""

    def __init__(self, rpc_url: str, *, timeout: float = 10.0) -> None:
        self.rpc_url = rpc_url
        self.w3 = Web3(Web3.HTTPProvider(rpc_url, request_kwargs={"timeout": timeout}))

    def _guard(self, what: str, fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except Exception as exc:  # the node's failure modes are many; all mean "not now"
            raise RpcUnavailable(f"{what} failed on {self.rpc_url}: {exc}") from exc

    def chain_id(self) -> int:
        return int(self._guard("eth_chainId", lambda: self.w3.eth.chain_id))

    def head(self) -> int:
        """Latest block number."""
        return int(self._guard("eth_blockNumber", lambda: self.w3.eth.block_number))

    def header(self, number: int) -> BlockHeader | None:
        """Header of block ``number`` on the node's current chain; ``None`` if it has none."""

        def fetch() -> Any:
            return self.w3.provider.make_request(
                RPCEndpoint("eth_getBlockByNumber"), [hex(number), False]
            )

        response = self._guard("eth_getBlockByNumber", fetch)
        if "error" in response:
            raise RpcUnavailable(f"eth_getBlockByNumber: {response['error']}")
        block = response.get("result")
        if block is None:
            return None
        return BlockHeader(
            number=int(block["number"], 16),
            hash=_hex(block["hash"]),
            parent_hash=_hex(block["parentHash"]),
            timestamp=int(block["timestamp"], 16),
        )

    def logs(self, from_block: int, to_block: int, addresses: Sequence[str]) -> list[RawLog]:
        """Logs of ``addresses`` in ``[from_block, to_block]``, in chain order."""
        if not addresses:
            return []
        params: FilterParams = {
            "fromBlock": from_block,
            "toBlock": to_block,
            "address": [Web3.to_checksum_address(a) for a in addresses],
        }
        entries = self._guard("eth_getLogs", self.w3.eth.get_logs, params)
        out = []
        for entry in entries:
            if entry.get("removed"):
                continue
            out.append(
                RawLog(
                    address=str(entry["address"]).lower(),
                    topics=tuple(_hex(t) for t in entry["topics"]),
                    data=_hex(entry["data"]),
                    block_number=int(entry["blockNumber"]),
                    block_hash=_hex(entry["blockHash"]),
                    tx_hash=_hex(entry["transactionHash"]),
                    log_index=int(entry["logIndex"]),
                )
            )
        out.sort(key=lambda lg: (lg.block_number, lg.log_index))
        return out
