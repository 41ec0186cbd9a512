# pragma version ~=0.4.3
"""
@title ReentrantToken
@notice Test-only hostile ERC-20: after moving the balance, `transfer` and `transferFrom` call
        back into a configured target (e.g. Staking.withdraw, RewardDistributor.claim) and count
        whether that re-entrant call succeeded. `set_hook` re-enters on every transfer, `arm` on
        the next one only. `execute` lets the token contract act as a user of other contracts.
"""

balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])
totalSupply: public(uint256)

hook_target: public(address)
hook_data: public(Bytes[2048])
hook_once: public(bool)
hook_attempts: public(uint256)
hook_successes: public(uint256)


@internal
def _hook():
    target: address = self.hook_target
    if target == empty(address):
        return
    if self.hook_once:
        self.hook_target = empty(address)  # disarmed before the call: it cannot loop
    self.hook_attempts += 1
    ok: bool = raw_call(target, self.hook_data, revert_on_failure=False)
    if ok:
        self.hook_successes += 1


@external
def set_hook(target: address, data: Bytes[2048]):
    """
    @notice Call `target` with `data` from every later transfer.
    """
    self.hook_target = target
    self.hook_data = data
    self.hook_once = False


@external
def arm(target: address, data: Bytes[2048]):
    """
    @notice Call `target` with `data` from the next transfer only.
    """
    self.hook_target = target
    self.hook_data = data
    self.hook_once = True


@view
@external
def reentry_attempted() -> bool:
    """
    @notice True once any hook call was made.
    """
    return self.hook_attempts > 0


@view
@external
def reentry_succeeded() -> bool:
    """
    @notice True if any hook call succeeded (a guarded target never lets one).
    """
    return self.hook_successes > 0


@external
def execute(target: address, data: Bytes[2048]):
    """
    @notice Call `target` as this token contract (it acts as a user of other contracts).
    """
    raw_call(target, data)


@external
def mint(receiver: address, amount: uint256):
    """
    @notice Mint `amount` to `receiver` (anyone may).
    """
    self.balanceOf[receiver] += amount
    self.totalSupply += amount


@external
def approve(spender: address, amount: uint256) -> bool:
    """
    @notice Standard ERC-20 approve.
    """
    self.allowance[msg.sender][spender] = amount
    return True


@external
def transfer(receiver: address, amount: uint256) -> bool:
    """
    @notice Move the balance, then re-enter through the hook.
    """
    self.balanceOf[msg.sender] -= amount
    self.balanceOf[receiver] += amount
    self._hook()
    return True


@external
def transferFrom(owner: address, receiver: address, amount: uint256) -> bool:
    """
    @notice Move the balance (spending the allowance), then re-enter through the hook.
    """
    self.allowance[owner][msg.sender] -= amount
    self.balanceOf[owner] -= amount
    self.balanceOf[receiver] += amount
    self._hook()
    return True
