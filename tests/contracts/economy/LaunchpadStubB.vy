# pragma version ~=0.4.3
"""
@title LaunchpadStubB
@notice Test double of the two ILaunchpad views the RevenueRouter reads; anyone may set them.
"""

is_graduated: public(HashMap[address, bool])
creator_of: public(HashMap[address, address])


@external
def set_launch(token: address, creator: address, graduated: bool):
    self.creator_of[token] = creator
    self.is_graduated[token] = graduated
