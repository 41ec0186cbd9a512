"""RewardDistributor claims, funding accounting and retirement."""

from __future__ import annotations

from typing import Any

import boa
import pytest
from eth_utils import to_checksum_address

from fomo.economics.merkle import MerkleTree

from .helpers import ZERO32, ZERO_ADDRESS, events, fund, publish

ALICE = to_checksum_address("0x" + "a1" * 20)
BOB = to_checksum_address("0x" + "b0" * 20)
POOL = to_checksum_address("0x" + "70" * 20)


@pytest.fixture(autouse=True)
def _isolate(isolate: None) -> None:
    pass


def test_fund_pulls_tokens_and_logs(distributor: Any, flock: Any) -> None:
    funder = boa.env.generate_address()
    flock.faucet(funder, 500, sender=funder)
    flock.approve(distributor.address, 500, sender=funder)
    distributor.fund(flock.address, 300, POOL, sender=funder)
    (event,) = events(distributor, "Funded")
    assert (event.token, event.pool, event.funder, event.amount) == (
        flock.address,
        POOL,
        funder,
        300,
    )
    assert flock.balanceOf(funder) == 200
    assert distributor.funded(flock.address) == 300
    assert distributor.held(flock.address) == 300
    assert distributor.available(flock.address) == 300


def test_fund_reverts(distributor: Any, flock: Any) -> None:
    funder = boa.env.generate_address()
    with boa.reverts("zero amount"):
        distributor.fund(flock.address, 0, ZERO_ADDRESS, sender=funder)
    flock.faucet(funder, 10, sender=funder)
    with boa.reverts():  # no allowance: the token's own revert
        distributor.fund(flock.address, 10, ZERO_ADDRESS, sender=funder)


def _funder(distributor: Any, admin: Any) -> Any:
    """An account holding the FUNDER role (the Launchpad's seat in a deployment)."""
    funder = boa.env.generate_address()
    distributor.grant_role(distributor.FUNDER_ROLE(), funder, sender=admin)
    return funder


def test_fund_transferred_credits_what_arrived(distributor: Any, flock: Any, admin: Any) -> None:
    funder = _funder(distributor, admin)
    flock.faucet(distributor.address, 300, sender=funder)  # "minted straight to it"
    with boa.reverts("not received"):
        distributor.fund_transferred(flock.address, 301, POOL, sender=funder)
    distributor.fund_transferred(flock.address, 300, POOL, sender=funder)
    (event,) = events(distributor, "Funded")
    assert (event.token, event.pool, event.funder, event.amount) == (
        flock.address,
        POOL,
        funder,
        300,
    )
    assert distributor.funded(flock.address) == distributor.available(flock.address) == 300
    # What is credited is owed: it cannot be credited a second time.
    with boa.reverts("not received"):
        distributor.fund_transferred(flock.address, 1, POOL, sender=funder)
    with boa.reverts("zero amount"):
        distributor.fund_transferred(flock.address, 0, POOL, sender=funder)


def test_fund_transferred_is_for_funders_only(distributor: Any, flock: Any) -> None:
    """A plain transfer (a donation) is held but owed to nobody; only a FUNDER may credit
    tokens to a pool without `fund`'s pull."""
    donor = boa.env.generate_address()
    flock.faucet(distributor.address, 500, sender=donor)
    with boa.reverts("missing role"):
        distributor.fund_transferred(flock.address, 500, POOL, sender=donor)
    assert distributor.funded(flock.address) == distributor.available(flock.address) == 0
    assert distributor.held(flock.address) == 500


def test_fund_transferred_counts_claims_and_retirements(
    distributor: Any, publisher: Any, flock: Any, admin: Any
) -> None:
    """Once a token has funding, what is still owed (funded - retired - claimed) must stay
    covered: only the balance beyond it can be credited."""
    fund(distributor, flock, 1_000)
    tree = MerkleTree([(ALICE, flock.address, 100)])
    publish(distributor, publisher, tree, 1)
    distributor.claim(
        *tree.proof_for(ALICE, flock.address)[0], tree.proof_for(ALICE, flock.address)[1]
    )
    distributor.retire(flock.address, 200, POOL, False, sender=admin)
    assert distributor.available(flock.address) == distributor.held(flock.address) == 700
    funder = _funder(distributor, admin)
    flock.faucet(distributor.address, 50, sender=funder)
    with boa.reverts("not received"):
        distributor.fund_transferred(flock.address, 51, POOL, sender=funder)
    distributor.fund_transferred(flock.address, 50, POOL, sender=funder)
    assert distributor.funded(flock.address) == 1_050
    assert distributor.available(flock.address) == distributor.held(flock.address) == 750


def test_claim_pays_cumulative_difference(distributor: Any, publisher: Any, flock: Any) -> None:
    fund(distributor, flock, 1_000)
    t1 = MerkleTree([(ALICE, flock.address, 100), (BOB, flock.address, 50)])
    publish(distributor, publisher, t1, 1)
    relayer = boa.env.generate_address()
    leaf, proof = t1.proof_for(ALICE, flock.address)
    assert distributor.verify_claim(*leaf, proof) == 100
    assert distributor.claim(*leaf, proof, sender=relayer) == 100
    (event,) = events(distributor, "Claimed")
    assert (event.account, event.token, event.amount, event.cumulative_amount) == (
        ALICE,
        flock.address,
        100,
        100,
    )
    assert (event.epoch, event.caller) == (1, relayer)
    assert flock.balanceOf(ALICE) == 100
    assert flock.balanceOf(relayer) == 0
    assert distributor.claimed(ALICE, flock.address) == 100
    assert distributor.claimed_total(flock.address) == 100
    assert distributor.available(flock.address) == 900
    assert distributor.verify_claim(*leaf, proof) == 0
    with boa.reverts("nothing to claim"):
        distributor.claim(*leaf, proof)

    t2 = MerkleTree([(ALICE, flock.address, 130), (BOB, flock.address, 80)])
    publish(distributor, publisher, t2, 2)
    with boa.reverts("invalid proof"):  # the old leaf is not in the new root
        distributor.claim(*leaf, proof)
    leaf2, proof2 = t2.proof_for(ALICE, flock.address)
    assert distributor.claim(*leaf2, proof2) == 30
    bob_leaf, bob_proof = t2.proof_for(BOB, flock.address)
    assert distributor.claim(*bob_leaf, bob_proof) == 80  # skipped epoch 1: gets all of it
    assert flock.balanceOf(ALICE) == 130
    assert distributor.claimed_total(flock.address) == 210
    assert distributor.held(flock.address) == 790


def test_claim_rejects_wrong_leaf(distributor: Any, publisher: Any, flock: Any, mt: Any) -> None:
    fund(distributor, flock, 1_000)
    tree = MerkleTree([(ALICE, flock.address, 100), (BOB, flock.address, 50)])
    publish(distributor, publisher, tree, 1)
    _, proof = tree.proof_for(ALICE, flock.address)
    for args in (
        (ALICE, flock.address, 101),
        (BOB, flock.address, 100),
        (ALICE, mt.address, 100),
    ):
        assert distributor.verify_claim(*args, proof) == 0
        with boa.reverts("invalid proof"):
            distributor.claim(*args, proof)
    with boa.reverts("invalid proof"):
        distributor.claim(ALICE, flock.address, 100, [])


def test_claims_never_exceed_funding(distributor: Any, publisher: Any, flock: Any) -> None:
    fund(distributor, flock, 120)
    # someone sends tokens directly: held, but not funding, so not claimable
    flock.faucet(distributor.address, 1_000, sender=publisher)
    tree = MerkleTree([(ALICE, flock.address, 100), (BOB, flock.address, 50)])
    publish(distributor, publisher, tree, 1)
    assert (
        distributor.claim(
            *tree.proof_for(ALICE, flock.address)[0], tree.proof_for(ALICE, flock.address)[1]
        )
        == 100
    )
    leaf, proof = tree.proof_for(BOB, flock.address)
    with boa.reverts("underfunded"):
        distributor.claim(*leaf, proof)
    fund(distributor, flock, 30)
    assert distributor.claim(*leaf, proof) == 50
    assert distributor.available(flock.address) == 0
    assert distributor.held(flock.address) == 1_000


def test_funding_is_per_token(distributor: Any, publisher: Any, flock: Any, mt: Any) -> None:
    fund(distributor, flock, 1_000)
    tree = MerkleTree([(ALICE, mt.address, 10), (ALICE, flock.address, 10)])
    publish(distributor, publisher, tree, 1)
    leaf, proof = tree.proof_for(ALICE, mt.address)
    with boa.reverts("underfunded"):
        distributor.claim(*leaf, proof)
    fund(distributor, mt, 10, POOL)
    assert distributor.claim(*leaf, proof) == 10
    assert mt.balanceOf(ALICE) == 10


def test_retire_burns_or_returns_to_treasury(
    distributor: Any, admin: Any, publisher: Any, treasury: Any, flock: Any, mt: Any
) -> None:
    fund(distributor, mt, 1_000, POOL)
    fund(distributor, flock, 1_000, POOL)
    supply = mt.totalSupply()
    distributor.retire(mt.address, 400, POOL, True, sender=admin)
    (event,) = events(distributor, "Retired")
    assert (event.token, event.pool, event.amount, event.burned, event.to) == (
        mt.address,
        POOL,
        400,
        True,
        ZERO_ADDRESS,
    )
    assert mt.totalSupply() == supply - 400
    assert distributor.available(mt.address) == 600
    distributor.retire(flock.address, 250, POOL, False, sender=admin)
    assert flock.balanceOf(treasury) == 250
    assert distributor.available(flock.address) == 750
    with boa.reverts("exceeds available"):
        distributor.retire(flock.address, 751, POOL, False, sender=admin)
    with boa.reverts("zero amount"):
        distributor.retire(flock.address, 0, POOL, False, sender=admin)
    with boa.reverts("not admin"):
        distributor.retire(flock.address, 1, POOL, False, sender=publisher)
    # retired funding is no longer claimable
    tree = MerkleTree([(ALICE, mt.address, 601)])
    publish(distributor, publisher, tree, 1)
    with boa.reverts("underfunded"):
        distributor.claim(*tree.proof_for(ALICE, mt.address)[0], [])


def test_verify_claim_without_root(distributor: Any) -> None:
    assert distributor.verify_claim(ALICE, ZERO_ADDRESS, 1, []) == 0
    assert distributor.live_root() == (ZERO32, 0, ZERO32)
