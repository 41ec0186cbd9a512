"""Merkle tree over cumulative reward claims ``(account, token, cumulative_amount)``.

The tree is byte-for-byte the OpenZeppelin ``StandardMerkleTree`` (``@openzeppelin/merkle-tree``,
format ``standard-v1``) with leaf encoding ``["address", "address", "uint256"]``, so anyone can
recompute a published root with that library, and the RewardDistributor verifies proofs with
snekmate's ``merkle_proof_verification`` (sorted-pair keccak256):

* leaf   = ``keccak256(keccak256(abi.encode(account, token, cumulative_amount)))`` — the double
  hash makes a leaf preimage (96 bytes, then 32) impossible to confuse with an inner node (64);
* node   = ``keccak256(min(a, b) ‖ max(a, b))`` (sorted pair, so proofs carry no left/right bits);
* order  = leaves sorted ascending by hash, placed right-to-left at the end of a flat array of
  ``2n − 1`` nodes; node ``i`` has children ``2i + 1`` and ``2i + 2``; the root is node 0.
  The order depends only on the set of leaves, never on input order, so re-running an epoch on
  the same inputs gives the same root.

Addresses are kept as lower-case ``0x`` hex strings (checksumming costs a keccak per address and
adds nothing to a hash of raw bytes). Each ``(account, token)`` appears at most once.

Pure: no I/O, no clock. Hashing is the hot path (three keccak calls per leaf), so it goes
straight to pycryptodome's keccak core, reusing one sponge state per tree build.
"""

from __future__ import annotations

import gc
import importlib
import json
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any, NamedTuple

from Crypto.Hash import keccak as _keccak

FORMAT = "standard-v1"
LEAF_ENCODING = ("address", "address", "uint256")
_MAX_UINT256 = (1 << 256) - 1
_PAD12 = bytes(12)


class Leaf(NamedTuple):
    """One cumulative claim: ``account`` may claim up to ``amount`` base units of ``token``."""

    account: str
    token: str
    amount: int


def keccak256(data: bytes) -> bytes:
    """Ethereum keccak256 (the original Keccak padding, not NIST SHA3-256)."""
    return bytes(_keccak.new(digest_bits=256, data=data).digest())


def _fast_hasher() -> Callable[[bytes], bytes]:
    """A keccak256 function bound to one reusable sponge state (not thread-safe by design:
    each tree build makes its own). Falls back to the public API if pycryptodome's raw
    interface ever moves; both give identical digests (checked in the tests)."""
    try:
        # private pycryptodome API, hence typed Any and guarded by the self-check below
        lib: Any = importlib.import_module("Crypto.Hash.keccak")._raw_keccak_lib
        api: Any = importlib.import_module("Crypto.Util._raw_api")
        c_size_t, c_ubyte = api.c_size_t, api.c_ubyte

        state = api.VoidPointer()
        if lib.keccak_init(state.address_of(), c_size_t(64), c_ubyte(24)):
            raise RuntimeError("keccak_init failed")
        owner = api.SmartPointer(state.get(), lib.keccak_destroy)
        raw = owner.get()
        out = api.create_string_buffer(32)
        reset, absorb, digest = lib.keccak_reset, lib.keccak_absorb, lib.keccak_digest

        def fast(data: bytes) -> bytes:
            reset(raw)
            absorb(raw, data, len(data))
            digest(raw, out, 32, 1)
            return bytes(out)

        fast.__dict__["_owner"] = owner  # keeps the sponge alive as long as the function
        if fast(b"") != keccak256(b""):
            raise RuntimeError("raw keccak disagrees")
        return fast
    except Exception:  # pragma: no cover - only if pycryptodome internals change
        return keccak256


def _address_bytes(value: str | bytes) -> bytes:
    if isinstance(value, str):
        if len(value) == 42 and value[0] == "0" and value[1] in "xX":
            try:
                return bytes.fromhex(value[2:])
            except ValueError:
                pass
        raise ValueError(f"not a 0x-prefixed 20-byte hex address: {value!r}")
    if isinstance(value, bytes | bytearray) and len(value) == 20:
        return bytes(value)
    raise ValueError(f"not a 20-byte address: {value!r}")


def _check_amount(amount: int) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"amount must be an int, got {type(amount).__name__}")
    if not 0 <= amount <= _MAX_UINT256:
        raise ValueError(f"amount out of uint256 range: {amount}")
    return amount


def encode_leaf(account: str | bytes, token: str | bytes, amount: int) -> bytes:
    """``abi.encode(address account, address token, uint256 amount)`` — 96 bytes."""
    return (
        _PAD12
        + _address_bytes(account)
        + _PAD12
        + _address_bytes(token)
        + _check_amount(amount).to_bytes(32, "big")
    )


def leaf_hash(account: str | bytes, token: str | bytes, amount: int) -> bytes:
    """The leaf as the contract computes it: keccak256(keccak256(abi.encode(...)))."""
    return keccak256(keccak256(encode_leaf(account, token, amount)))


def hash_pair(a: bytes, b: bytes) -> bytes:
    """Inner node: keccak256 of the two children in ascending order."""
    return keccak256(a + b if a < b else b + a)


def process_proof(leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """The root implied by ``leaf`` and its sibling path ``proof``."""
    node = leaf
    for sibling in proof:
        node = hash_pair(node, sibling)
    return node


def verify(root: bytes, leaf: Leaf | tuple[str, str, int], proof: Sequence[bytes]) -> bool:
    """True iff ``proof`` proves ``leaf`` is in the tree with this ``root``."""
    return process_proof(leaf_hash(*leaf), proof) == root


def build_nodes(
    sorted_leaf_hashes: Sequence[bytes], hasher: Callable[[bytes], bytes] | None = None
) -> list[bytes]:
    """The flat node array (``2n − 1`` entries, root first) over leaf hashes already sorted
    ascending — OpenZeppelin's ``makeMerkleTree`` layout, whatever the leaf encoding."""
    n = len(sorted_leaf_hashes)
    if n == 0:
        raise ValueError("a Merkle tree needs at least one leaf")
    h = hasher or _fast_hasher()
    nodes: list[bytes] = [b""] * (n - 1)
    # Leaves fill the tail right-to-left: sorted leaf k sits at index 2n - 2 - k.
    nodes.extend(reversed(sorted_leaf_hashes))
    for i in range(n - 2, -1, -1):
        a = nodes[2 * i + 1]
        b = nodes[2 * i + 2]
        nodes[i] = h(a + b if a < b else b + a)
    return nodes


def _hex(b: bytes) -> str:
    return "0x" + b.hex()


def _unhex32(s: str) -> bytes:
    if not isinstance(s, str) or len(s) != 66 or not s.startswith("0x"):
        raise ValueError(f"not a 32-byte 0x hex string: {s!r}")
    return bytes.fromhex(s[2:])


class MerkleTree:
    """An immutable Merkle tree over a set of cumulative claims.

    ``MerkleTree(leaves)`` takes ``Leaf`` objects or ``(account, token, amount)`` tuples in any
    order. Raises ``ValueError`` on no leaves, a malformed address or amount, or a repeated
    ``(account, token)`` pair.

    Memory is kept flat for million-leaf epochs: nodes live in one ``bytes`` blob (32 bytes
    each) and leaves as parallel lists of 40-byte ``account ‖ token`` keys and amounts.
    """

    __slots__ = ("_amounts", "_index", "_keys", "_n", "_nodes")

    def __init__(self, leaves: Iterable[Leaf | tuple[str | bytes, str | bytes, int]]) -> None:
        gc_was_enabled = gc.isenabled()
        gc.disable()  # millions of short-lived tuples make the cyclic GC the bottleneck
        try:
            self._build(leaves)
        finally:
            if gc_was_enabled:
                gc.enable()

    def _build(self, leaves: Iterable[Leaf | tuple[str | bytes, str | bytes, int]]) -> None:
        h = _fast_hasher()
        addr = _address_bytes
        hashed: list[tuple[bytes, bytes, int]] = []
        append = hashed.append
        tokens: dict[str | bytes, bytes] = {}  # a few tokens repeat across all the leaves
        for account, token, amount in leaves:
            acct = addr(account)
            tok = tokens.get(token)
            if tok is None:
                tok = tokens[token] = addr(token)
            if type(amount) is not int or not 0 <= amount <= _MAX_UINT256:
                _check_amount(amount)
            enc = _PAD12 + acct + _PAD12 + tok + amount.to_bytes(32, "big")
            append((h(h(enc)), acct + tok, amount))
        n = len(hashed)
        if n == 0:
            raise ValueError("a Merkle tree needs at least one leaf")
        hashed.sort(key=itemgetter(0))
        keys = [item[1] for item in hashed]
        if len(set(keys)) != n:
            raise ValueError("duplicate (account, token) leaf")

        self._nodes = b"".join(build_nodes([item[0] for item in hashed], h))
        self._keys = keys
        self._amounts = [item[2] for item in hashed]
        self._n = n
        self._index: dict[bytes, int] | None = None

    # -- queries ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._n

    def _node(self, i: int) -> bytes:
        return self._nodes[32 * i : 32 * i + 32]

    def root(self) -> bytes:
        """The 32-byte root (what the publisher proposes)."""
        return self._node(0)

    def root_hex(self) -> str:
        return _hex(self._node(0))

    def _leaf(self, k: int) -> Leaf:
        key = self._keys[k]
        return Leaf("0x" + key[:20].hex(), "0x" + key[20:].hex(), self._amounts[k])

    def leaves(self) -> list[Leaf]:
        """All leaves in tree order (ascending leaf hash)."""
        return [self._leaf(k) for k in range(self._n)]

    def _sorted_position(self, account: str | bytes, token: str | bytes) -> int:
        if self._index is None:
            self._index = {key: k for k, key in enumerate(self._keys)}
        k = self._index.get(_address_bytes(account) + _address_bytes(token))
        if k is None:
            raise KeyError(f"no leaf for account {account!r} token {token!r}")
        return k

    def tree_index(self, account: str | bytes, token: str | bytes) -> int:
        """Position of the leaf of ``(account, token)`` in the flat node array."""
        return 2 * self._n - 2 - self._sorted_position(account, token)

    def get(self, account: str | bytes, token: str | bytes) -> Leaf:
        """The leaf of ``(account, token)``; ``KeyError`` if absent."""
        return self._leaf(self._sorted_position(account, token))

    def proof(self, leaf: Leaf | tuple[str | bytes, str | bytes, int]) -> list[bytes]:
        """Sibling path from ``leaf`` to the root. The leaf's amount must match the tree's."""
        account, token, amount = leaf
        k = self._sorted_position(account, token)
        if self._amounts[k] != amount:
            raise ValueError(f"leaf amount {amount} differs from the tree's {self._amounts[k]}")
        i = 2 * self._n - 2 - k
        path: list[bytes] = []
        while i > 0:
            path.append(self._node(i + 1 if i % 2 == 1 else i - 1))
            i = (i - 1) // 2
        return path

    def proof_for(self, account: str | bytes, token: str | bytes) -> tuple[Leaf, list[bytes]]:
        """The leaf and proof of ``(account, token)`` — what a claimer submits."""
        leaf = self.get(account, token)
        return leaf, self.proof(leaf)

    def totals(self) -> dict[str, int]:
        """Sum of cumulative amounts per token (what the root promises in total)."""
        sums: dict[bytes, int] = {}
        for key, amount in zip(self._keys, self._amounts, strict=True):
            tok = key[20:]
            sums[tok] = sums.get(tok, 0) + amount
        return {"0x" + tok.hex(): total for tok, total in sums.items()}

    # -- serialization (OpenZeppelin standard-v1 dump format) -----------------------------

    def to_dict(self, *, include_tree: bool = True) -> dict[str, Any]:
        """The OpenZeppelin ``StandardMerkleTree.dump()`` shape, which its ``load`` reads.
        Values are in tree order, amounts decimal strings, addresses lower case.
        ``include_tree=False`` omits the node array (``from_dict`` rebuilds it; OZ's loader
        needs it)."""
        return dict(json.loads(self.to_json(include_tree=include_tree)))

    def to_json(self, *, include_tree: bool = True) -> str:
        """Deterministic compact JSON of ``to_dict`` (same tree, same bytes). Written by
        hand because nothing in it needs escaping and ``json.dumps`` of a million small
        dicts is the slow part of an epoch export."""
        top = 2 * self._n - 2
        parts = ['{"format":"', FORMAT, '"']
        if include_tree:
            blob = self._nodes
            parts.append(',"tree":[')
            parts.append(",".join(f'"0x{blob[j : j + 32].hex()}"' for j in range(0, len(blob), 32)))
            parts.append("]")
        parts.append(',"values":[')
        parts.append(
            ",".join(
                f'{{"value":["0x{key[:20].hex()}","0x{key[20:].hex()}","{amount}"],'
                f'"treeIndex":{top - k}}}'
                for k, (key, amount) in enumerate(zip(self._keys, self._amounts, strict=True))
            )
        )
        parts.append('],"leafEncoding":["address","address","uint256"]}')
        return "".join(parts)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MerkleTree:
        """Rebuild from ``to_dict`` output (or an OZ dump), checking format, encoding and —
        when present — that every stored node and tree index matches the recomputed tree."""
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown Merkle tree format {data.get('format')!r}")
        if list(data.get("leafEncoding", [])) != list(LEAF_ENCODING):
            raise ValueError(f"unexpected leaf encoding {data.get('leafEncoding')!r}")
        values = data["values"]
        leaves: list[tuple[str, str, int]] = []
        for item in values:
            account, token, amount = item["value"]
            if isinstance(amount, bool) or not isinstance(amount, str | int):
                raise ValueError(f"bad amount {amount!r}")
            leaves.append((account, token, int(amount)))
        tree = cls(leaves)
        if "tree" in data:
            stored = b"".join(_unhex32(node) for node in data["tree"])
            if stored != tree._nodes:
                raise ValueError("stored tree does not match its values")
            for item, (account, token, _) in zip(values, leaves, strict=True):
                if item.get("treeIndex") != tree.tree_index(account, token):
                    raise ValueError("stored tree index does not match")
        return tree

    @classmethod
    def from_json(cls, text: str) -> MerkleTree:
        return cls.from_dict(json.loads(text))
