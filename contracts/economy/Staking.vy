# pragma version ~=0.4.3
"""
@title Staking
@license AGPL-3.0-only
@notice Stake a deployment's Model Token (MT); one contract serves every MT, keyed by token.
@dev Invariant, per token: token.balanceOf(self) >= total_active[token] + total_cooling[token]
     (equality unless someone transfers tokens in directly).

     Unstaking is two-step: `request_unstake` moves stake out of the active balance at once
     (stake in cooldown earns and discounts nothing) into one cooling bucket per
     (token, account); `withdraw` pays the bucket out once its unlock time has passed. A new
     request adds to the bucket and restarts its cooldown, so the whole bucket unlocks
     together.

     Every change to an active balance emits the new balance, the new total and the block
     timestamp, so an indexer can integrate time-weighted stake exactly from events alone.

     Only plain ERC-20 tokens are supported (no fee-on-transfer or rebasing). When a
     launchpad is set, only MTs it reports as graduated can be staked.
"""

from ethereum.ercs import IERC20

from contracts.auth import roles
from contracts.interfaces import ILaunchpad

initializes: roles
exports: roles.__interface__

struct Cooldown:
    amount: uint256
    unlock_time: uint256

event Staked:
    token: indexed(address)
    account: indexed(address)
    amount: uint256
    new_active_balance: uint256
    new_total_active: uint256
    timestamp: uint256

event UnstakeRequested:
    token: indexed(address)
    account: indexed(address)
    amount: uint256
    new_active_balance: uint256
    new_total_active: uint256
    cooling_amount: uint256
    unlock_time: uint256
    timestamp: uint256

event Withdrawn:
    token: indexed(address)
    account: indexed(address)
    amount: uint256
    timestamp: uint256

event CooldownPeriodUpdated:
    previous_period: uint256
    new_period: uint256

event LaunchpadUpdated:
    previous_launchpad: indexed(address)
    new_launchpad: indexed(address)

DAY: constant(uint256) = 86400
MIN_COOLDOWN: public(constant(uint256)) = 1 * DAY
MAX_COOLDOWN: public(constant(uint256)) = 30 * DAY
DEFAULT_COOLDOWN: public(constant(uint256)) = 7 * DAY

cooldown_period: public(uint256)
launchpad: public(address)

active_stake: public(HashMap[address, HashMap[address, uint256]])
total_active: public(HashMap[address, uint256])
cooldowns: public(HashMap[address, HashMap[address, Cooldown]])
total_cooling: public(HashMap[address, uint256])


@deploy
def __init__(admin: address, launchpad: address):
    """
    @param admin The admin (parameters, launchpad address).
    @param launchpad Launchpad that gates staking to graduated MTs; empty(address) for none.
    """
    roles.__init__(admin)
    self.cooldown_period = DEFAULT_COOLDOWN
    log CooldownPeriodUpdated(previous_period=0, new_period=DEFAULT_COOLDOWN)
    self._set_launchpad(launchpad)


@internal
def _set_launchpad(launchpad: address):
    # A mistyped EOA would make every is_graduated call revert and block all staking.
    assert launchpad == empty(address) or launchpad.is_contract, "not a contract"
    log LaunchpadUpdated(previous_launchpad=self.launchpad, new_launchpad=launchpad)
    self.launchpad = launchpad


@external
@nonreentrant
def stake(token: address, amount: uint256):
    """
    @notice Stake `amount` of MT `token`; it counts as active stake from this block on.
    @dev Pulls the tokens with transferFrom: approve this contract first.
    @param token The MT to stake.
    @param amount Amount in base units.
    """
    assert amount > 0, "zero amount"
    lp: address = self.launchpad
    if lp != empty(address):
        assert staticcall ILaunchpad(lp).is_graduated(token), "not graduated"
    new_balance: uint256 = self.active_stake[token][msg.sender] + amount
    new_total: uint256 = self.total_active[token] + amount
    self.active_stake[token][msg.sender] = new_balance
    self.total_active[token] = new_total
    assert extcall IERC20(token).transferFrom(
        msg.sender, self, amount, default_return_value=True
    ), "transfer failed"
    log Staked(
        token=token,
        account=msg.sender,
        amount=amount,
        new_active_balance=new_balance,
        new_total_active=new_total,
        timestamp=block.timestamp,
    )


@external
@nonreentrant
def request_unstake(token: address, amount: uint256):
    """
    @notice Move `amount` from active stake into cooldown; withdrawable after the cooldown.
    @dev Adds to any amount already cooling and restarts the cooldown for the whole bucket.
    @param token The MT.
    @param amount Amount in base units, at most the caller's active stake.
    """
    assert amount > 0, "zero amount"
    active: uint256 = self.active_stake[token][msg.sender]
    assert amount <= active, "insufficient stake"
    new_balance: uint256 = active - amount
    new_total: uint256 = self.total_active[token] - amount
    self.active_stake[token][msg.sender] = new_balance
    self.total_active[token] = new_total

    cooling: uint256 = self.cooldowns[token][msg.sender].amount + amount
    unlock: uint256 = block.timestamp + self.cooldown_period
    self.cooldowns[token][msg.sender] = Cooldown(amount=cooling, unlock_time=unlock)
    self.total_cooling[token] += amount
    log UnstakeRequested(
        token=token,
        account=msg.sender,
        amount=amount,
        new_active_balance=new_balance,
        new_total_active=new_total,
        cooling_amount=cooling,
        unlock_time=unlock,
        timestamp=block.timestamp,
    )


@external
@nonreentrant
def withdraw(token: address):
    """
    @notice Withdraw the caller's whole cooling bucket for `token` once its cooldown is over.
    @param token The MT.
    """
    cd: Cooldown = self.cooldowns[token][msg.sender]
    assert cd.amount > 0, "nothing to withdraw"
    assert block.timestamp >= cd.unlock_time, "cooldown active"
    self.cooldowns[token][msg.sender] = empty(Cooldown)
    self.total_cooling[token] -= cd.amount
    assert extcall IERC20(token).transfer(
        msg.sender, cd.amount, default_return_value=True
    ), "transfer failed"
    log Withdrawn(token=token, account=msg.sender, amount=cd.amount, timestamp=block.timestamp)


@external
@view
def pending_unstake(token: address, account: address) -> (uint256, uint256):
    """
    @notice Amount in cooldown and the time it unlocks (0, 0 when nothing is cooling).
    @param token The MT.
    @param account The staker.
    """
    cd: Cooldown = self.cooldowns[token][account]
    return cd.amount, cd.unlock_time


@external
@view
def withdrawable(token: address, account: address) -> uint256:
    """
    @notice Amount `account` could withdraw now.
    @param token The MT.
    @param account The staker.
    """
    cd: Cooldown = self.cooldowns[token][account]
    if block.timestamp >= cd.unlock_time:
        return cd.amount
    return 0


@external
def set_cooldown_period(period: uint256):
    """
    @notice Set the cooldown for future unstake requests (pending ones keep their unlock time).
    @dev Admin only; hard bounds 1 to 30 days.
    @param period Cooldown in seconds.
    """
    roles._check_admin()
    assert period >= MIN_COOLDOWN, "cooldown too short"
    assert period <= MAX_COOLDOWN, "cooldown too long"
    log CooldownPeriodUpdated(previous_period=self.cooldown_period, new_period=period)
    self.cooldown_period = period


@external
def set_launchpad(launchpad: address):
    """
    @notice Set the launchpad that gates staking to graduated MTs; empty(address) disables it.
    @dev Admin only; must be a contract (or zero). Existing stakes are unaffected.
    @param launchpad The launchpad address.
    """
    roles._check_admin()
    self._set_launchpad(launchpad)
