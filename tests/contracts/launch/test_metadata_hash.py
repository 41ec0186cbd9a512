"""The metadata commitment: `set_metadata` records the sha256 of the launch's metadata
document once, by the creator only, and emits `MetadataSet(token indexed, contentHash)`."""

from __future__ import annotations

import hashlib

import boa
from eth_utils import keccak

from tests.contracts.launch.helpers import SALE, Stack, events

DOC_HASH = hashlib.sha256(b'{"description":"hello"}').digest()


def test_creator_sets_metadata_once(stack: Stack) -> None:
    lp = stack.launchpad
    mt = stack.create()
    assert lp.metadata_hash(mt.address) == b"\x00" * 32
    with boa.env.prank(stack.creator):
        lp.set_metadata(mt.address, DOC_HASH)
    topic0 = int.from_bytes(keccak(text="MetadataSet(address,bytes32)"), "big")
    assert topic0 in {topics[0] for _a, topics, _d in lp._computation.get_log_entries()}
    (ev,) = events(lp, "MetadataSet")
    assert (ev.token, ev.contentHash) == (mt.address, DOC_HASH)
    assert lp.metadata_hash(mt.address) == DOC_HASH
    with boa.env.prank(stack.creator), boa.reverts("metadata already set"):
        lp.set_metadata(mt.address, b"\x01" * 32)


def test_metadata_refusals(stack: Stack) -> None:
    lp = stack.launchpad
    mt = stack.create()
    with boa.env.prank(stack.users[0]), boa.reverts("not creator"):
        lp.set_metadata(mt.address, DOC_HASH)
    with boa.env.prank(stack.creator), boa.reverts("empty hash"):
        lp.set_metadata(mt.address, b"\x00" * 32)
    with boa.env.prank(stack.creator), boa.reverts("unknown token"):
        lp.set_metadata(stack.users[0], DOC_HASH)
    # Allowed at any status (here: after the sale failed), still once.
    boa.env.time_travel(seconds=SALE)
    with boa.env.prank(stack.creator):
        lp.set_metadata(mt.address, DOC_HASH)
