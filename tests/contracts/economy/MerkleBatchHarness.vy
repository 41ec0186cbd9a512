# pragma version ~=0.4.3
"""
@title MerkleBatchHarness
@notice Test-only: runs the RewardDistributor's own leaf/proof module over many proofs per call.
"""

from contracts.economy import reward_leaf


struct Claim:
    account: address
    token: address
    amount: uint256
    proof: DynArray[bytes32, reward_leaf.MAX_PROOF_LENGTH]


@view
@external
def count_valid(root: bytes32, claims: DynArray[Claim, 256]) -> uint256:
    valid: uint256 = 0
    for c: Claim in claims:
        if reward_leaf._verify(root, c.account, c.token, c.amount, c.proof):
            valid += 1
    return valid
