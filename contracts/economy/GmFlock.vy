# pragma version ~=0.4.3
"""
@title GmFlock
@license AGPL-3.0-only
@notice Lock FLOCK for 30 to 365 days to get gmFLOCK, a non-transferable, time-decaying weight.
@dev One lock per account. Effective balance at time t (SPEC §5):
         amount * remaining(t) / 365 days, floored; 0 once the lock has expired.
     Unlock times are rounded DOWN to a whole UTC day (a multiple of 86400), the epoch grid of
     the reward engine, so every lock expires exactly on an epoch boundary. The 30 to 365 day
     bounds apply to the rounded unlock time, so the effective balance never exceeds the
     amount and a lock is never shorter than 30 days.

     Invariant: FLOCK.balanceOf(self) >= total_locked == sum of all lock amounts.

     There is deliberately no transfer, approve or allowance: gmFLOCK cannot move. `name`,
     `symbol`, `decimals` and `balanceOf` exist so wallets can display it. There is no on-chain
     total effective supply: the reward engine only needs each account's own effective balance,
     which it reconstructs from the events.
"""

from ethereum.ercs import IERC20

event LockCreated:
    account: indexed(address)
    amount: uint256
    unlock_time: uint256
    total_locked: uint256
    timestamp: uint256

event AmountIncreased:
    account: indexed(address)
    added: uint256
    new_amount: uint256
    unlock_time: uint256
    total_locked: uint256
    timestamp: uint256

event LockExtended:
    account: indexed(address)
    amount: uint256
    previous_unlock_time: uint256
    new_unlock_time: uint256
    timestamp: uint256

event Withdrawn:
    account: indexed(address)
    amount: uint256
    total_locked: uint256
    timestamp: uint256

struct Lock:
    amount: uint256
    unlock_time: uint256

DAY: public(constant(uint256)) = 86400
MIN_LOCK: public(constant(uint256)) = 30 * DAY
MAX_LOCK: public(constant(uint256)) = 365 * DAY

name: public(constant(String[16])) = "gmFLOCK"
symbol: public(constant(String[8])) = "gmFLOCK"
decimals: public(constant(uint8)) = 18

FLOCK: public(immutable(address))

locks: public(HashMap[address, Lock])
total_locked: public(uint256)


@deploy
def __init__(flock: address):
    """
    @param flock The FLOCK token (18 decimals).
    """
    assert flock != empty(address), "zero address"
    FLOCK = flock


@internal
@view
def _round_and_check(unlock_time: uint256) -> uint256:
    end: uint256 = unlock_time // DAY * DAY
    assert end >= block.timestamp + MIN_LOCK, "lock too short"
    assert end <= block.timestamp + MAX_LOCK, "lock too long"
    return end


@internal
@view
def _effective(lk: Lock, t: uint256) -> uint256:
    if t >= lk.unlock_time:
        return 0
    # Capped so a query for a time before the lock existed never exceeds the amount.
    remaining: uint256 = min(lk.unlock_time - t, MAX_LOCK)
    return lk.amount * remaining // MAX_LOCK


@external
@nonreentrant
def create_lock(amount: uint256, unlock_time: uint256):
    """
    @notice Lock `amount` FLOCK until `unlock_time` rounded down to a whole UTC day.
    @dev The rounded unlock must be 30 to 365 days from now. Approve FLOCK first. An
         expired lock must be withdrawn before a new one is created.
    @param amount FLOCK in base units.
    @param unlock_time Requested unlock timestamp.
    """
    assert amount > 0, "zero amount"
    assert self.locks[msg.sender].amount == 0, "lock exists"
    end: uint256 = self._round_and_check(unlock_time)
    self.locks[msg.sender] = Lock(amount=amount, unlock_time=end)
    total: uint256 = self.total_locked + amount
    self.total_locked = total
    assert extcall IERC20(FLOCK).transferFrom(
        msg.sender, self, amount, default_return_value=True
    ), "transfer failed"
    log LockCreated(
        account=msg.sender,
        amount=amount,
        unlock_time=end,
        total_locked=total,
        timestamp=block.timestamp,
    )


@external
@nonreentrant
def increase_amount(amount: uint256):
    """
    @notice Add `amount` FLOCK to the caller's live lock; the unlock time is unchanged.
    @param amount FLOCK in base units.
    """
    assert amount > 0, "zero amount"
    lk: Lock = self.locks[msg.sender]
    assert lk.amount > 0, "no lock"
    assert block.timestamp < lk.unlock_time, "lock expired"
    lk.amount += amount
    self.locks[msg.sender] = lk
    total: uint256 = self.total_locked + amount
    self.total_locked = total
    assert extcall IERC20(FLOCK).transferFrom(
        msg.sender, self, amount, default_return_value=True
    ), "transfer failed"
    log AmountIncreased(
        account=msg.sender,
        added=amount,
        new_amount=lk.amount,
        unlock_time=lk.unlock_time,
        total_locked=total,
        timestamp=block.timestamp,
    )


@external
def extend_lock(new_unlock_time: uint256):
    """
    @notice Move the caller's live lock's unlock time later.
    @dev `new_unlock_time` is rounded down to a whole UTC day; the result must be later than
         the current unlock time and 30 to 365 days from now.
    @param new_unlock_time Requested new unlock timestamp.
    """
    lk: Lock = self.locks[msg.sender]
    assert lk.amount > 0, "no lock"
    assert block.timestamp < lk.unlock_time, "lock expired"
    end: uint256 = self._round_and_check(new_unlock_time)
    assert end > lk.unlock_time, "can only extend"
    self.locks[msg.sender].unlock_time = end
    log LockExtended(
        account=msg.sender,
        amount=lk.amount,
        previous_unlock_time=lk.unlock_time,
        new_unlock_time=end,
        timestamp=block.timestamp,
    )


@external
@nonreentrant
def withdraw():
    """
    @notice Withdraw all of the caller's FLOCK once the lock has expired.
    """
    lk: Lock = self.locks[msg.sender]
    assert lk.amount > 0, "no lock"
    assert block.timestamp >= lk.unlock_time, "lock not expired"
    self.locks[msg.sender] = empty(Lock)
    total: uint256 = self.total_locked - lk.amount
    self.total_locked = total
    assert extcall IERC20(FLOCK).transfer(
        msg.sender, lk.amount, default_return_value=True
    ), "transfer failed"
    log Withdrawn(
        account=msg.sender, amount=lk.amount, total_locked=total, timestamp=block.timestamp
    )


@external
@view
def effective_balance(account: address, timestamp: uint256) -> uint256:
    """
    @notice gmFLOCK weight of `account`'s CURRENT lock evaluated at `timestamp`.
    @dev amount * remaining / 365 days, floored, 0 at or after expiry. History is not kept:
         for past epochs the reward engine replays the lock events.
    @param account The locker.
    @param timestamp Time at which to evaluate.
    """
    return self._effective(self.locks[account], timestamp)


@external
@view
def balanceOf(account: address) -> uint256:
    """
    @notice Current gmFLOCK weight of `account` (for wallets); not transferable.
    @param account The locker.
    """
    return self._effective(self.locks[account], block.timestamp)


@external
@view
def locked(account: address) -> (uint256, uint256):
    """
    @notice `account`'s lock as (amount, unlock_time); (0, 0) when there is none.
    @param account The locker.
    """
    lk: Lock = self.locks[account]
    return lk.amount, lk.unlock_time
