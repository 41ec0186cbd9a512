# pragma version ~=0.4.3
"""
@title BlacklistUSDC
@notice Test-only double of USDC's blacklist: a 6-decimal ERC-20 whose transfers to or from a
        blacklisted address revert, as Circle's USDC does. Anyone may mint and blacklist.
"""

balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])
totalSupply: public(uint256)
decimals: public(constant(uint8)) = 6
blacklisted: public(HashMap[address, bool])


@external
def faucet(to: address, amount: uint256):
    self.balanceOf[to] += amount
    self.totalSupply += amount


@external
def blacklist(account: address):
    self.blacklisted[account] = True


@external
def approve(spender: address, amount: uint256) -> bool:
    self.allowance[msg.sender][spender] = amount
    return True


@internal
def _move(owner: address, to: address, amount: uint256):
    assert not self.blacklisted[owner] and not self.blacklisted[to], "Blacklistable: account is blacklisted"
    self.balanceOf[owner] -= amount
    self.balanceOf[to] += amount


@external
def transfer(to: address, amount: uint256) -> bool:
    self._move(msg.sender, to, amount)
    return True


@external
def transferFrom(owner: address, to: address, amount: uint256) -> bool:
    if self.allowance[owner][msg.sender] != max_value(uint256):
        self.allowance[owner][msg.sender] -= amount
    self._move(owner, to, amount)
    return True
