# pragma version ~=0.4.3
"""
@title ReentrantToken
@notice Test-only hostile ERC-20: every transfer/transferFrom first calls back into a configured
        target (e.g. Staking.withdraw) and records whether that re-entrant call succeeded.
        `execute` lets the token contract act as a user of other contracts.
"""

balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])
totalSupply: public(uint256)

hook_target: public(address)
hook_data: public(Bytes[256])
hook_attempts: public(uint256)
hook_successes: public(uint256)


@internal
def _hook():
    if self.hook_target != empty(address):
        self.hook_attempts += 1
        ok: bool = raw_call(self.hook_target, self.hook_data, revert_on_failure=False)
        if ok:
            self.hook_successes += 1


@external
def set_hook(target: address, data: Bytes[256]):
    self.hook_target = target
    self.hook_data = data


@external
def execute(target: address, data: Bytes[256]):
    raw_call(target, data)


@external
def mint(receiver: address, amount: uint256):
    self.balanceOf[receiver] += amount
    self.totalSupply += amount


@external
def approve(spender: address, amount: uint256) -> bool:
    self.allowance[msg.sender][spender] = amount
    return True


@external
def transfer(receiver: address, amount: uint256) -> bool:
    self._hook()
    self.balanceOf[msg.sender] -= amount
    self.balanceOf[receiver] += amount
    return True


@external
def transferFrom(owner: address, receiver: address, amount: uint256) -> bool:
    self._hook()
    self.allowance[owner][msg.sender] -= amount
    self.balanceOf[owner] -= amount
    self.balanceOf[receiver] += amount
    return True
