"""The launchpad's events keep the exact signatures existing indexers decode (DefiLlama's FLock
adapter): the topic0 actually emitted is keccak256 of these strings, character for character."""

from __future__ import annotations

from typing import Any

import boa
from eth_utils import keccak

from fomo.economics.curve import WAD
from tests.contracts.launch.helpers import FAR, Stack

SIGNATURES = {
    "LaunchCreated": (
        "LaunchCreated(address,address,bytes32,uint256,uint256,uint256,uint64,uint64,"
        "string,string,bool)"
    ),
    "Purchased": "Purchased(address,address,uint256,uint256,uint256,uint256,uint256,uint256)",
    "FeeConfigUpdated": "FeeConfigUpdated(address,uint16,uint16,uint256,uint16,uint16)",
}


def _emitted_topic0s(contract: Any) -> set[int]:
    """topic0 of every raw log the last call emitted from ``contract``."""
    me = bytes.fromhex(contract.address[2:])
    entries = contract._computation.get_log_entries()
    return {topics[0] for address, topics, _data in entries if address == me}


def _topic0(signature: str) -> int:
    return int.from_bytes(keccak(text=signature), "big")


def test_topic0_of_the_three_ecosystem_events_match_exactly(stack: Stack) -> None:
    lp = stack.launchpad
    with boa.env.prank(stack.admin):
        lp.set_fee_config(stack.treasury, 150, 50, 32_768 * WAD, 9900, 2500)
    assert _topic0(SIGNATURES["FeeConfigUpdated"]) in _emitted_topic0s(lp)
    mt = stack.create()
    assert _topic0(SIGNATURES["LaunchCreated"]) in _emitted_topic0s(lp)
    with boa.env.prank(stack.users[0]):
        lp.buy(mt.address, 1_000 * WAD, 0, FAR)
    assert _topic0(SIGNATURES["Purchased"]) in _emitted_topic0s(lp)


def test_abi_declares_the_named_parameters_in_order(stack: Stack) -> None:
    """Names too (indexers read arguments by name), and which ones are indexed."""
    events = {e["name"]: e for e in stack.launchpad.abi if e.get("type") == "event"}
    created = [(i["name"], i["type"], i["indexed"]) for i in events["LaunchCreated"]["inputs"]]
    assert created == [
        ("token", "address", True),
        ("creator", "address", True),
        ("modelTypeId", "bytes32", True),
        ("targetRaiseMin", "uint256", False),
        ("targetRaiseMax", "uint256", False),
        ("targetSale", "uint256", False),
        ("saleStart", "uint64", False),
        ("saleEnd", "uint64", False),
        ("mtName", "string", False),
        ("mtSymbol", "string", False),
        ("isBundled", "bool", False),
    ]
    fees = [(i["name"], i["type"]) for i in events["FeeConfigUpdated"]["inputs"]]
    assert fees == [
        ("feeRecipient", "address"),
        ("baseFeeBps", "uint16"),
        ("creatorFeeBps", "uint16"),
        ("launchCreationFee", "uint256"),
        ("antiSniperTaxStartValue", "uint16"),
        ("maxBundleBps", "uint16"),
    ]
    bought = [i["name"] for i in events["Purchased"]["inputs"] if not i["indexed"]]
    assert bought == [
        "flockIn",
        "netUsed",
        "mtAllocated",
        "protocolFee",
        "creatorFee",
        "antiSniperFee",
    ]
