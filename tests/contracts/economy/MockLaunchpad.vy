# pragma version ~=0.4.3
"""
@title MockLaunchpad
@notice Test-only double of the ILaunchpad views: graduation and creator set by anyone.
"""

is_graduated: public(HashMap[address, bool])
creator_of: public(HashMap[address, address])


@external
def set_graduated(token: address, graduated: bool):
    self.is_graduated[token] = graduated


@external
def set_creator(token: address, creator: address):
    self.creator_of[token] = creator
