# pragma version ~=0.4.3
"""
@title reward_leaf
@license AGPL-3.0-only
@notice The RewardDistributor's Merkle leaf and proof check, as a stateless module so tests
        can run the exact same code over thousands of proofs in one call.
@dev leaf = keccak256(keccak256(abi.encode(account, token, cumulative_amount))), nodes are
     sorted-pair keccak256: OpenZeppelin's StandardMerkleTree with leaf encoding
     ["address", "address", "uint256"], mirrored by `fomo.economics.merkle`.
"""

from snekmate.utils import merkle_proof_verification as merkle

# 2**32 leaves is far beyond any epoch; the bound keeps calldata and gas finite.
MAX_PROOF_LENGTH: constant(uint256) = 32


@pure
@internal
def _leaf(account: address, token: address, cumulative_amount: uint256) -> bytes32:
    return keccak256(keccak256(abi_encode(account, token, cumulative_amount)))


@pure
@internal
def _verify(
    root: bytes32,
    account: address,
    token: address,
    cumulative_amount: uint256,
    proof: DynArray[bytes32, MAX_PROOF_LENGTH],
) -> bool:
    return merkle._verify(proof, root, self._leaf(account, token, cumulative_amount))
