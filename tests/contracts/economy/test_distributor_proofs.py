"""The contract verifies proofs from the Python tree (fomo.economics.merkle).

A batch of thousands of random leaves runs through the distributor's own leaf/proof module
(`contracts/economy/reward_leaf.vy`, via a harness that loops in one call), and hypothesis
drives the RewardDistributor itself end to end.
"""

from __future__ import annotations

import random
from typing import Any

import boa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fomo.economics.merkle import MerkleTree

from .helpers import HERE, fund, publish

N_LEAVES = 2048
BATCH = 256


@pytest.fixture(scope="module")
def harness() -> Any:
    return boa.load(str(HERE / "MerkleBatchHarness.vy"))  # compiled once, one module


@pytest.fixture(autouse=True)
def _isolate(isolate: None) -> None:
    pass


def test_thousands_of_random_leaves_verify_on_chain(harness: Any) -> None:
    rng = random.Random(20261121)
    tokens = ["0x" + rng.randbytes(20).hex() for _ in range(4)]
    leaves = [
        ("0x" + rng.randbytes(20).hex(), tokens[i % 4], rng.randrange(2**256))
        for i in range(N_LEAVES)
    ]
    tree = MerkleTree(leaves)
    root = tree.root()
    valid = 0
    for start in range(0, N_LEAVES, BATCH):
        batch = [(a, t, v, tree.proof((a, t, v))) for a, t, v in leaves[start : start + BATCH]]
        valid += harness.count_valid(root, batch)
    assert valid == N_LEAVES
    # and the same proofs fail for any other amount, token or root
    sample = rng.sample(leaves, 64)
    forged = [(a, t, (v + 1) % 2**256, tree.proof((a, t, v))) for a, t, v in sample]
    forged += [
        (a, tokens[(tokens.index(t) + 1) % 4], v, tree.proof((a, t, v))) for a, t, v in sample
    ]
    assert harness.count_valid(root, forged) == 0
    honest = [(a, t, v, tree.proof((a, t, v))) for a, t, v in sample]
    assert harness.count_valid(b"\x01" * 32, honest) == 0


@settings(max_examples=25)
@given(
    amounts=st.lists(st.integers(min_value=1, max_value=10**27), min_size=1, max_size=40),
    seed=st.integers(min_value=0, max_value=2**32),
    data=st.data(),
)
def test_distributor_pays_any_leaf_of_a_python_tree(
    distributor: Any, publisher: Any, flock: Any, amounts: list[int], seed: int, data: Any
) -> None:
    with boa.env.anchor():
        rng = random.Random(seed)
        leaves = [("0x" + rng.randbytes(20).hex(), flock.address, a) for a in amounts]
        tree = MerkleTree(leaves)
        fund(distributor, flock, sum(amounts))
        publish(distributor, publisher, tree, 1)
        picks = data.draw(st.lists(st.sampled_from(leaves), min_size=1, max_size=5, unique=True))
        for account, token, amount in picks:
            proof = tree.proof((account, token, amount))
            assert distributor.verify_claim(account, token, amount, proof) == amount
            assert distributor.claim(account, token, amount, proof) == amount
            assert flock.balanceOf(account) == amount
