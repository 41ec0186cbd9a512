# pragma version ~=0.4.3
"""
@title FundReceiver (test double)
@notice An honest stand-in for the RewardDistributor's `fund`: it pulls the tokens from the
        caller exactly as the real distributor does and records how much each pool received.
        It distributes nothing; the launch tests only check what graduation hands over.
"""

from ethereum.ercs import IERC20
from contracts.interfaces import IRewardDistributor

implements: IRewardDistributor

funded: public(HashMap[address, HashMap[address, uint256]])  # pool -> token -> amount


event Funded:
    token: indexed(address)
    pool: indexed(address)
    funder: address
    amount: uint256


@external
def fund(token: address, amount: uint256, pool: address):
    assert extcall IERC20(token).transferFrom(msg.sender, self, amount, default_return_value=True), "transfer failed"
    self.funded[pool][token] += amount
    log Funded(token=token, pool=pool, funder=msg.sender, amount=amount)
