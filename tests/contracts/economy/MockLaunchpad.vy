# pragma version ~=0.4.3
"""
@title MockLaunchpad
@notice Test-only double of the two ILaunchpad views Staking and the RevenueRouter read
        (graduation and creator); anyone may set them, one at a time or both at once.
"""

is_graduated: public(HashMap[address, bool])
creator_of: public(HashMap[address, address])


@external
def set_graduated(token: address, graduated: bool):
    """
    @notice Mark `token` graduated (or not).
    """
    self.is_graduated[token] = graduated


@external
def set_creator(token: address, creator: address):
    """
    @notice Record `creator` as the issuer of `token`.
    """
    self.creator_of[token] = creator


@external
def set_launch(token: address, creator: address, graduated: bool):
    """
    @notice Set both views of `token` at once.
    """
    self.creator_of[token] = creator
    self.is_graduated[token] = graduated
