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
     Storage: a schedule is three packed words instead of seven slots, because the
     Launchpad creates two schedules inside the graduating buy and every fresh slot costs
     22.1k gas (docs/launch-lifecycle.md#gas). `schedules(sid)` still returns the full
     `Schedule` with uint256 fields, so readers see the same ABI.
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


# Bounds of the packed fields, enforced by `create_schedule` (a value above one reverts,
# it is never truncated):
#   amount, released  < 2**128   (1e38; any real token supply is far below)
#   start             < 2**64    (unix seconds: ~5.8e11 years)
#   cliff, duration   <= MAX_DURATION < 2**48
MAX_AMOUNT: public(constant(uint256)) = 2**128 - 1
MAX_START: public(constant(uint256)) = 2**64 - 1
ADDRESS_MASK: constant(uint256) = 2**160 - 1


struct Packed:
    # bits   0..159 token,       160..223 start
    token_start: uint256
    # bits   0..159 beneficiary, 160..207 cliff, 208..255 duration
    beneficiary_times: uint256
    # bits   0..127 amount,      128..255 released
    amounts: uint256


_packed: HashMap[uint256, Packed]
schedule_count: public(uint256)


@deploy
def __init__():
    pass


@internal
@pure
def _pack(s: Schedule) -> Packed:
    return Packed(
        token_start=convert(s.token, uint256) | (s.start << 160),
        beneficiary_times=convert(s.beneficiary, uint256) | (s.cliff << 160) | (s.duration << 208),
        amounts=s.amount | (s.released << 128),
    )


@internal
@pure
def _unpack(p: Packed) -> Schedule:
    return Schedule(
        token=convert(convert(p.token_start & ADDRESS_MASK, uint160), address),
        beneficiary=convert(convert(p.beneficiary_times & ADDRESS_MASK, uint160), address),
        amount=p.amounts & MAX_AMOUNT,
        released=p.amounts >> 128,
        start=(p.token_start >> 160) & MAX_START,
        cliff=(p.beneficiary_times >> 160) & (2**48 - 1),
        duration=p.beneficiary_times >> 208,
    )


@internal
@view
def _schedule(sid: uint256) -> Schedule:
    return self._unpack(self._packed[sid])


@external
@view
def schedules(sid: uint256) -> Schedule:
    """
    @notice Schedule `sid` as stored (all fields zero if there is none).
    @param sid Schedule id.
    @return (token, beneficiary, amount, released, start, cliff, duration).
    """
    return self._schedule(sid)


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
    assert amount <= MAX_AMOUNT, "amount too large"
    assert start <= MAX_START, "start too late"
    sid: uint256 = self.schedule_count + 1
    self.schedule_count = sid
    self._packed[sid] = self._pack(
        Schedule(
            token=token,
            beneficiary=beneficiary,
            amount=amount,
            released=0,
            start=start,
            cliff=cliff,
            duration=duration,
        )
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
    return self._vested(self._schedule(sid), t)


@external
@view
def releasable(sid: uint256) -> uint256:
    """
    @notice Amount of schedule `sid` that `release` would pay now.
    @param sid Schedule id.
    """
    s: Schedule = self._schedule(sid)
    return self._vested(s, block.timestamp) - s.released


@external
def release(sid: uint256) -> uint256:
    """
    @notice Pay the releasable amount of schedule `sid` to its beneficiary. Anyone may call.
    @param sid Schedule id.
    @return The amount paid.
    """
    s: Schedule = self._schedule(sid)
    assert s.token != empty(address), "no schedule"
    amount: uint256 = self._vested(s, block.timestamp) - s.released
    assert amount > 0, "nothing to release"
    released: uint256 = s.released + amount
    # released <= amount < 2**128, so it fits its half of the word.
    self._packed[sid].amounts = s.amount | (released << 128)
    assert extcall IERC20(s.token).transfer(s.beneficiary, amount, default_return_value=True), "transfer failed"
    log Released(id=sid, token=s.token, beneficiary=s.beneficiary, amount=amount, total_released=released)
    return amount
