"""fomo.economics.merkle: OpenZeppelin StandardMerkleTree compatibility, proofs, serialization."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fomo.economics import merkle
from fomo.economics.merkle import Leaf, MerkleTree, build_nodes, keccak256, leaf_hash, verify

A1 = "0x" + "11" * 20
A2 = "0x" + "22" * 20
TOKEN = "0x" + "aa" * 20
TOKEN2 = "0x" + "bb" * 20


def _addr(rng: random.Random) -> str:
    return "0x" + rng.randbytes(20).hex()


def test_keccak_is_ethereum_keccak() -> None:
    # keccak256("") — the Ethereum constant, not NIST SHA3-256 (a7ffc6f8...)
    assert keccak256(b"").hex() == (
        "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    )


def test_fast_hasher_matches_public_keccak() -> None:
    h = merkle._fast_hasher()
    rng = random.Random(7)
    for size in (0, 1, 31, 32, 63, 64, 96, 135, 136, 137, 300):
        for _ in range(5):
            data = rng.randbytes(size)
            assert h(data) == keccak256(data)


def test_openzeppelin_readme_vector() -> None:
    # @openzeppelin/merkle-tree README: StandardMerkleTree.of([[0x11.., 5e18], [0x22.., 2.5e18]],
    # ["address", "uint256"]) dumps tree [d4de.., eb02.., b92c..]. Same layout and node hash as
    # ours; only the leaf encoding differs, so this pins the tree shape and the double leaf hash.
    def oz_leaf(account: str, amount: int) -> bytes:
        return keccak256(keccak256(bytes(12) + bytes.fromhex(account[2:]) + amount.to_bytes(32)))

    hashes = sorted([oz_leaf(A1, 5 * 10**18), oz_leaf(A2, 25 * 10**17)])
    assert [node.hex() for node in build_nodes(hashes)] == [
        "d4dee0beab2d53f2cc83e567171bd2820e49898130a22622b10ead383e90bd77",
        "eb02c421cfa48976e66dfb29120745909ea3a0f843456c263cf8f1253483e283",
        "b92c48e9d7abe27fd8dfd6b5dfdbfb1c9a463f80c712b66f3a5180a090cccafc",
    ]


def test_leaf_encoding_is_abi_encode_double_hashed() -> None:
    encoded = merkle.encode_leaf(A1, TOKEN, 5)
    assert encoded == (
        bytes(12)
        + bytes.fromhex("11" * 20)
        + bytes(12)
        + bytes.fromhex("aa" * 20)
        + (5).to_bytes(32)
    )
    assert leaf_hash(A1, TOKEN, 5) == keccak256(keccak256(encoded))
    assert leaf_hash(A1.upper().replace("0X", "0x"), TOKEN, 5) == leaf_hash(A1, TOKEN, 5)


def test_single_leaf_root_is_the_leaf() -> None:
    tree = MerkleTree([(A1, TOKEN, 10)])
    assert tree.root() == leaf_hash(A1, TOKEN, 10)
    assert tree.proof((A1, TOKEN, 10)) == []
    assert verify(tree.root(), (A1, TOKEN, 10), [])


@pytest.mark.parametrize("n", [2, 3, 4, 5, 7, 8, 9, 16, 17, 33, 100])
def test_every_proof_verifies_and_wrong_amount_fails(n: int) -> None:
    rng = random.Random(n)
    leaves = [(_addr(rng), TOKEN if i % 2 else TOKEN2, rng.randrange(1, 10**24)) for i in range(n)]
    tree = MerkleTree(leaves)
    depth_bound = (n - 1).bit_length()
    for account, token, amount in leaves:
        proof = tree.proof((account, token, amount))
        assert len(proof) <= depth_bound
        assert verify(tree.root(), (account, token, amount), proof)
        assert not verify(tree.root(), (account, token, amount + 1), proof)
        assert not verify(tree.root(), (account, token2_of(token), amount), proof)


def token2_of(token: str) -> str:
    return TOKEN2 if token == TOKEN else TOKEN


def test_root_independent_of_input_order() -> None:
    rng = random.Random(1)
    leaves = [(_addr(rng), TOKEN, rng.randrange(10**20)) for _ in range(50)]
    shuffled = leaves[:]
    rng.shuffle(shuffled)
    assert MerkleTree(leaves).root() == MerkleTree(shuffled).root()
    assert MerkleTree(leaves).to_json() == MerkleTree(shuffled).to_json()


def test_changing_any_amount_changes_the_root() -> None:
    leaves = [(A1, TOKEN, 1), (A2, TOKEN, 2)]
    assert MerkleTree(leaves).root() != MerkleTree([(A1, TOKEN, 1), (A2, TOKEN, 3)]).root()


@pytest.mark.parametrize(
    ("leaves", "error"),
    [
        ([], ValueError),
        ([(A1, TOKEN, 1), (A1, TOKEN, 2)], ValueError),
        ([(A1, TOKEN, 1), (A1.upper().replace("0X", "0x"), TOKEN, 1)], ValueError),
        ([("0x1234", TOKEN, 1)], ValueError),
        ([("0x" + "zz" * 20, TOKEN, 1)], ValueError),
        ([(A1, TOKEN, -1)], ValueError),
        ([(A1, TOKEN, 2**256)], ValueError),
        ([(A1, TOKEN, 1.5)], TypeError),
        ([(A1, TOKEN, True)], TypeError),
    ],
)
def test_rejects_bad_leaves(leaves: list[tuple[str, str, object]], error: type[Exception]) -> None:
    with pytest.raises(error):
        MerkleTree(leaves)  # type: ignore[arg-type]


def test_same_account_different_tokens_are_distinct_leaves() -> None:
    tree = MerkleTree([(A1, TOKEN, 1), (A1, TOKEN2, 1)])
    assert len(tree) == 2
    assert tree.get(A1, TOKEN2) == Leaf(A1, TOKEN2, 1)
    assert tree.totals() == {TOKEN: 1, TOKEN2: 1}


def test_proof_lookup_errors() -> None:
    tree = MerkleTree([(A1, TOKEN, 1), (A2, TOKEN, 2)])
    with pytest.raises(KeyError):
        tree.proof((A1, TOKEN2, 1))
    with pytest.raises(ValueError, match="differs"):
        tree.proof((A1, TOKEN, 5))
    leaf, proof = tree.proof_for(A2.upper().replace("0X", "0x"), TOKEN)
    assert leaf == Leaf(A2, TOKEN, 2)
    assert verify(tree.root(), leaf, proof)


def test_bytes_addresses_accepted() -> None:
    t1 = MerkleTree([(bytes.fromhex("11" * 20), bytes.fromhex("aa" * 20), 3)])
    assert t1.root() == MerkleTree([(A1, TOKEN, 3)]).root()


def test_json_round_trip_and_openzeppelin_shape() -> None:
    rng = random.Random(3)
    tree = MerkleTree([(_addr(rng), TOKEN, rng.randrange(10**30)) for _ in range(37)])
    text = tree.to_json()
    data = json.loads(text)
    assert data["format"] == "standard-v1"
    assert data["leafEncoding"] == ["address", "address", "uint256"]
    assert data["tree"][0] == tree.root_hex()
    assert len(data["tree"]) == 2 * 37 - 1
    for item in data["values"]:
        account, token, amount = item["value"]
        assert isinstance(amount, str)
        assert (
            data["tree"][item["treeIndex"]] == "0x" + leaf_hash(account, token, int(amount)).hex()
        )
    assert json.loads(json.dumps(data)) == tree.to_dict()
    again = MerkleTree.from_json(text)
    assert again.root() == tree.root()
    assert again.to_json() == text
    slim = MerkleTree.from_json(tree.to_json(include_tree=False))
    assert slim.root() == tree.root()


def test_from_dict_rejects_tampering() -> None:
    tree = MerkleTree([(A1, TOKEN, 1), (A2, TOKEN, 2)])
    data = tree.to_dict()
    forged = json.loads(json.dumps(data))
    forged["tree"][0] = "0x" + "00" * 32
    with pytest.raises(ValueError, match="does not match"):
        MerkleTree.from_dict(forged)
    swapped = json.loads(json.dumps(data))
    swapped["values"][0]["treeIndex"], swapped["values"][1]["treeIndex"] = (
        swapped["values"][1]["treeIndex"],
        swapped["values"][0]["treeIndex"],
    )
    with pytest.raises(ValueError, match="tree index"):
        MerkleTree.from_dict(swapped)
    with pytest.raises(ValueError, match="format"):
        MerkleTree.from_dict({**data, "format": "simple-v1"})
    with pytest.raises(ValueError, match="encoding"):
        MerkleTree.from_dict({**data, "leafEncoding": ["address", "uint256"]})


leaf_sets = st.dictionaries(
    keys=st.tuples(st.binary(min_size=20, max_size=20), st.sampled_from([TOKEN, TOKEN2])),
    values=st.integers(min_value=0, max_value=2**256 - 1),
    min_size=1,
    max_size=60,
)


@given(leaf_sets)
def test_property_all_proofs_verify_against_recomputed_root(
    entries: dict[tuple[bytes, str], int],
) -> None:
    leaves = [("0x" + acct.hex(), token, amount) for (acct, token), amount in entries.items()]
    tree = MerkleTree(leaves)
    for leaf in leaves:
        proof = tree.proof(leaf)
        assert merkle.process_proof(leaf_hash(*leaf), proof) == tree.root()
    assert MerkleTree.from_json(tree.to_json()).root() == tree.root()
    assert sum(tree.totals().values()) == sum(entries.values())
