# pragma version ~=0.4.3
"""
@title Vesting
@license AGPL-3.0-only
@notice One contract, many token vesting schedules (SPEC §3 graduation step 2: issuer and
        treasury MT, 90-day cliff, linear to day 365 from graduation).
        Vested amount of a schedule at time t:
            t <  start + cliff      -> 0
            t >= start + duration   -> amount
            otherwise               -> amount * (t - start) // duration
        i.e. nothing before the cliff, then linear *from start* (at the cliff 90/365 of the
        amount unlocks at once). The floor favours the contract; the final step pays the rest.
        `releasable = vested - released`; `release` is permissionless and always pays the
        beneficiary, so a keeper can push tokens but never redirect them.
@dev Invariant: for every token, balanceOf(this) >= sum over its schedules of
     (amount - released); `released` never exceeds `amount` and never decreases.
"""

from ethereum.ercs import IERC20
from contracts.interfaces import IVesting

implements: IVesting

# Bounds keep a mistyped schedule from locking tokens for centuries.
MAX_DURATION: public(constant(uint256)) = 10 * 365 * 86400


struct Schedule:
    token: address
    beneficiary: address
    amount: uint256
    released: uint256
    start: uint256
    cliff: uint256
    duration: uint256


event ScheduleCreated:
    id: indexed(uint256)
    token: indexed(address)
    beneficiary: indexed(address)
    funder: address
    amount: uint256
    start: uint256
    cliff: uint256
    duration: uint256


event Released:
    id: indexed(uint256)
    token: indexed(address)
    beneficiary: indexed(address)
    amount: uint256
    total_released: uint256


schedules: public(HashMap[uint256, Schedule])
schedule_count: public(uint256)


@deploy
def __init__():
    pass


@internal
@view
def _vested(s: Schedule, t: uint256) -> uint256:
    if t < s.start + s.cliff:
        return 0
    if t >= s.start + s.duration:
        return s.amount
    return s.amount * (t - s.start) // s.duration


@external
def create_schedule(
    token: address,
    beneficiary: address,
    amount: uint256,
    start: uint256,
    cliff: uint256,
    duration: uint256,
) -> uint256:
    """
    @notice Create a schedule and pull `amount` of `token` from the caller (approve first).
    @param token The vested ERC-20.
    @param beneficiary Who receives the released tokens.
    @param amount Total amount vested (base units).
    @param start Unix time vesting starts (the linear part is measured from here).
    @param cliff Seconds after `start` before anything is releasable (<= duration).
    @param duration Seconds after `start` when everything is releasable.
    @return The new schedule id (ids start at 1).
    """
    assert token != empty(address), "zero token"
    assert beneficiary != empty(address), "zero beneficiary"
    assert amount > 0, "zero amount"
    assert duration > 0, "zero duration"
    assert duration <= MAX_DURATION, "duration too long"
    assert cliff <= duration, "cliff after end"
    sid: uint256 = self.schedule_count + 1
    self.schedule_count = sid
    self.schedules[sid] = Schedule(
        token=token,
        beneficiary=beneficiary,
        amount=amount,
        released=0,
        start=start,
        cliff=cliff,
        duration=duration,
    )
    assert extcall IERC20(token).transferFrom(msg.sender, self, amount, default_return_value=True), "transfer failed"
    log ScheduleCreated(
        id=sid,
        token=token,
        beneficiary=beneficiary,
        funder=msg.sender,
        amount=amount,
        start=start,
        cliff=cliff,
        duration=duration,
    )
    return sid


@external
@view
def vested(sid: uint256, t: uint256) -> uint256:
    """
    @notice Amount of schedule `sid` vested at time `t` (released or not).
    @param sid Schedule id.
    @param t Unix time.
    """
    return self._vested(self.schedules[sid], t)


@external
@view
def releasable(sid: uint256) -> uint256:
    """
    @notice Amount of schedule `sid` that `release` would pay now.
    @param sid Schedule id.
    """
    s: Schedule = self.schedules[sid]
    return self._vested(s, block.timestamp) - s.released


@external
def release(sid: uint256) -> uint256:
    """
    @notice Pay the releasable amount of schedule `sid` to its beneficiary. Anyone may call.
    @param sid Schedule id.
    @return The amount paid.
    """
    s: Schedule = self.schedules[sid]
    assert s.token != empty(address), "no schedule"
    amount: uint256 = self._vested(s, block.timestamp) - s.released
    assert amount > 0, "nothing to release"
    released: uint256 = s.released + amount
    self.schedules[sid].released = released
    assert extcall IERC20(s.token).transfer(s.beneficiary, amount, default_return_value=True), "transfer failed"
    log Released(id=sid, token=s.token, beneficiary=s.beneficiary, amount=amount, total_released=released)
    return amount
