"""RewardDistributor claims, funding accounting and retirement."""

from __future__ import annotations

from typing import Any

import boa
import pytest
from eth_utils import to_checksum_address

from fomo.economics.merkle import MerkleTree

from ._fixtures_b import *  # noqa: F403
from ._fixtures_b import ZERO32, ZERO_ADDRESS, events, fund, publish

ALICE = to_checksum_address("0x" + "a1" * 20)
BOB = to_checksum_address("0x" + "b0" * 20)
POOL = to_checksum_address("0x" + "70" * 20)


@pytest.fixture(autouse=True)
def _isolate(b_isolate: None) -> None:
    pass


def test_fund_pulls_tokens_and_logs(distributor: Any, flock_b: Any) -> None:
    funder = boa.env.generate_address()
    flock_b.faucet(funder, 500, sender=funder)
    flock_b.approve(distributor.address, 500, sender=funder)
    distributor.fund(flock_b.address, 300, POOL, sender=funder)
    (event,) = events(distributor, "Funded")
    assert (event.token, event.pool, event.funder, event.amount) == (
        flock_b.address,
        POOL,
        funder,
        300,
    )
    assert flock_b.balanceOf(funder) == 200
    assert distributor.funded(flock_b.address) == 300
    assert distributor.held(flock_b.address) == 300
    assert distributor.available(flock_b.address) == 300


def test_fund_reverts(distributor: Any, flock_b: Any) -> None:
    funder = boa.env.generate_address()
    with boa.reverts("zero amount"):
        distributor.fund(flock_b.address, 0, ZERO_ADDRESS, sender=funder)
    flock_b.faucet(funder, 10, sender=funder)
    with boa.reverts():  # no allowance: the token's own revert
        distributor.fund(flock_b.address, 10, ZERO_ADDRESS, sender=funder)


def test_claim_pays_cumulative_difference(distributor: Any, publisher: Any, flock_b: Any) -> None:
    fund(distributor, flock_b, 1_000)
    t1 = MerkleTree([(ALICE, flock_b.address, 100), (BOB, flock_b.address, 50)])
    publish(distributor, publisher, t1, 1)
    relayer = boa.env.generate_address()
    leaf, proof = t1.proof_for(ALICE, flock_b.address)
    assert distributor.verify_claim(*leaf, proof) == 100
    assert distributor.claim(*leaf, proof, sender=relayer) == 100
    (event,) = events(distributor, "Claimed")
    assert (event.account, event.token, event.amount, event.cumulative_amount) == (
        ALICE,
        flock_b.address,
        100,
        100,
    )
    assert (event.epoch, event.caller) == (1, relayer)
    assert flock_b.balanceOf(ALICE) == 100
    assert flock_b.balanceOf(relayer) == 0
    assert distributor.claimed(ALICE, flock_b.address) == 100
    assert distributor.claimed_total(flock_b.address) == 100
    assert distributor.available(flock_b.address) == 900
    assert distributor.verify_claim(*leaf, proof) == 0
    with boa.reverts("nothing to claim"):
        distributor.claim(*leaf, proof)

    t2 = MerkleTree([(ALICE, flock_b.address, 130), (BOB, flock_b.address, 80)])
    publish(distributor, publisher, t2, 2)
    with boa.reverts("invalid proof"):  # the old leaf is not in the new root
        distributor.claim(*leaf, proof)
    leaf2, proof2 = t2.proof_for(ALICE, flock_b.address)
    assert distributor.claim(*leaf2, proof2) == 30
    bob_leaf, bob_proof = t2.proof_for(BOB, flock_b.address)
    assert distributor.claim(*bob_leaf, bob_proof) == 80  # skipped epoch 1: gets all of it
    assert flock_b.balanceOf(ALICE) == 130
    assert distributor.claimed_total(flock_b.address) == 210
    assert distributor.held(flock_b.address) == 790


def test_claim_rejects_wrong_leaf(
    distributor: Any, publisher: Any, flock_b: Any, mt_b: Any
) -> None:
    fund(distributor, flock_b, 1_000)
    tree = MerkleTree([(ALICE, flock_b.address, 100), (BOB, flock_b.address, 50)])
    publish(distributor, publisher, tree, 1)
    _, proof = tree.proof_for(ALICE, flock_b.address)
    for args in (
        (ALICE, flock_b.address, 101),
        (BOB, flock_b.address, 100),
        (ALICE, mt_b.address, 100),
    ):
        assert distributor.verify_claim(*args, proof) == 0
        with boa.reverts("invalid proof"):
            distributor.claim(*args, proof)
    with boa.reverts("invalid proof"):
        distributor.claim(ALICE, flock_b.address, 100, [])


def test_claims_never_exceed_funding(distributor: Any, publisher: Any, flock_b: Any) -> None:
    fund(distributor, flock_b, 120)
    # someone sends tokens directly: held, but not funding, so not claimable
    flock_b.faucet(distributor.address, 1_000, sender=publisher)
    tree = MerkleTree([(ALICE, flock_b.address, 100), (BOB, flock_b.address, 50)])
    publish(distributor, publisher, tree, 1)
    assert (
        distributor.claim(
            *tree.proof_for(ALICE, flock_b.address)[0], tree.proof_for(ALICE, flock_b.address)[1]
        )
        == 100
    )
    leaf, proof = tree.proof_for(BOB, flock_b.address)
    with boa.reverts("underfunded"):
        distributor.claim(*leaf, proof)
    fund(distributor, flock_b, 30)
    assert distributor.claim(*leaf, proof) == 50
    assert distributor.available(flock_b.address) == 0
    assert distributor.held(flock_b.address) == 1_000


def test_funding_is_per_token(distributor: Any, publisher: Any, flock_b: Any, mt_b: Any) -> None:
    fund(distributor, flock_b, 1_000)
    tree = MerkleTree([(ALICE, mt_b.address, 10), (ALICE, flock_b.address, 10)])
    publish(distributor, publisher, tree, 1)
    leaf, proof = tree.proof_for(ALICE, mt_b.address)
    with boa.reverts("underfunded"):
        distributor.claim(*leaf, proof)
    fund(distributor, mt_b, 10, POOL)
    assert distributor.claim(*leaf, proof) == 10
    assert mt_b.balanceOf(ALICE) == 10


def test_retire_burns_or_returns_to_treasury(
    distributor: Any, b_admin: Any, publisher: Any, treasury_b: Any, flock_b: Any, mt_b: Any
) -> None:
    fund(distributor, mt_b, 1_000, POOL)
    fund(distributor, flock_b, 1_000, POOL)
    supply = mt_b.totalSupply()
    distributor.retire(mt_b.address, 400, POOL, True, sender=b_admin)
    (event,) = events(distributor, "Retired")
    assert (event.token, event.pool, event.amount, event.burned, event.to) == (
        mt_b.address,
        POOL,
        400,
        True,
        ZERO_ADDRESS,
    )
    assert mt_b.totalSupply() == supply - 400
    assert distributor.available(mt_b.address) == 600
    distributor.retire(flock_b.address, 250, POOL, False, sender=b_admin)
    assert flock_b.balanceOf(treasury_b) == 250
    assert distributor.available(flock_b.address) == 750
    with boa.reverts("exceeds available"):
        distributor.retire(flock_b.address, 751, POOL, False, sender=b_admin)
    with boa.reverts("zero amount"):
        distributor.retire(flock_b.address, 0, POOL, False, sender=b_admin)
    with boa.reverts("not admin"):
        distributor.retire(flock_b.address, 1, POOL, False, sender=publisher)
    # retired funding is no longer claimable
    tree = MerkleTree([(ALICE, mt_b.address, 601)])
    publish(distributor, publisher, tree, 1)
    with boa.reverts("underfunded"):
        distributor.claim(*tree.proof_for(ALICE, mt_b.address)[0], [])


def test_verify_claim_without_root(distributor: Any) -> None:
    assert distributor.verify_claim(ALICE, ZERO_ADDRESS, 1, []) == 0
    assert distributor.live_root() == (ZERO32, 0, ZERO32)
