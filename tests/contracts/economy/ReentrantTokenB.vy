# pragma version ~=0.4.3
"""
@title ReentrantTokenB
@notice Test-only hostile ERC-20: on `transfer` it calls back into `hook_target` with the armed
        calldata once, and records whether that re-entrant call succeeded.
"""

balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])
totalSupply: public(uint256)

hook_target: public(address)
hook_data: public(Bytes[2048])
armed: public(bool)
reentry_attempted: public(bool)
reentry_succeeded: public(bool)


@external
def mint(to: address, amount: uint256):
    self.balanceOf[to] += amount
    self.totalSupply += amount


@external
def arm(target: address, data: Bytes[2048]):
    self.hook_target = target
    self.hook_data = data
    self.armed = True


@external
def approve(spender: address, amount: uint256) -> bool:
    self.allowance[msg.sender][spender] = amount
    return True


@external
def transferFrom(owner: address, to: address, amount: uint256) -> bool:
    self.allowance[owner][msg.sender] -= amount
    self.balanceOf[owner] -= amount
    self.balanceOf[to] += amount
    return True


@external
def transfer(to: address, amount: uint256) -> bool:
    self.balanceOf[msg.sender] -= amount
    self.balanceOf[to] += amount
    if self.armed:
        self.armed = False
        self.reentry_attempted = True
        ok: bool = raw_call(self.hook_target, self.hook_data, revert_on_failure=False)
        self.reentry_succeeded = ok
    return True
