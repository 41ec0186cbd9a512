"""A hostile reward token that re-enters `claim` from its `transfer` gets nothing.

Re-claiming the same leaf would fail anyway (the claimed amount is written before the
transfer); any other leaf, even a valid one, is refused by the re-entrancy lock.
"""

from __future__ import annotations

from typing import Any

import boa
import pytest
from eth_abi import encode
from eth_utils import function_signature_to_4byte_selector

from fomo.economics.merkle import MerkleTree

from .helpers import deployer, publish

ALICE = "0x" + "a1" * 20
BOB = "0x" + "b0" * 20


@pytest.fixture(autouse=True)
def _isolate(isolate: None) -> None:
    pass


def _claim_calldata(account: str, token: str, amount: int, proof: list[bytes]) -> bytes:
    selector = function_signature_to_4byte_selector("claim(address,address,uint256,bytes32[])")
    return selector + encode(
        ["address", "address", "uint256", "bytes32[]"], [account, token, amount, proof]
    )


def test_reentrant_claim_fails_and_pays_once(distributor: Any, publisher: Any) -> None:
    hostile = deployer("ReentrantToken.vy").deploy()
    funder = boa.env.generate_address()
    hostile.mint(funder, 1_000)
    hostile.approve(distributor.address, 1_000, sender=funder)
    distributor.fund(hostile.address, 1_000, "0x" + "00" * 20, sender=funder)
    tree = MerkleTree([(ALICE, hostile.address, 100), (BOB, hostile.address, 200)])
    publish(distributor, publisher, tree, 1)

    for account in (ALICE, BOB):  # the same leaf again, and another account's leaf
        with boa.env.anchor():
            leaf, proof = tree.proof_for(account, hostile.address)
            hostile.arm(distributor.address, _claim_calldata(*leaf, proof))
            a_leaf, a_proof = tree.proof_for(ALICE, hostile.address)
            assert distributor.claim(*a_leaf, a_proof) == 100
            assert hostile.reentry_attempted()
            assert not hostile.reentry_succeeded()
            assert hostile.balanceOf(ALICE) == 100
            assert hostile.balanceOf(BOB) == 0
            assert distributor.claimed_total(hostile.address) == 100
            assert hostile.balanceOf(distributor.address) == 900
