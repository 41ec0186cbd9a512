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
     Storage: a record of three packed words holds one schedule, or the two twin schedules
     of `create_schedule_pair` (the Launchpad's issuer and treasury MT, created inside the
     graduating buy, where every fresh slot costs 22.1k gas: docs/launch-lifecycle.md#gas);
     released amounts get their own word at the first release. `schedules(sid)` still
     returns the full `Schedule` with uint256 fields, so readers see the same ABI.
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


# Bounds of the packed fields, enforced at creation (a value above one reverts, it is never
# truncated):
#   amount, released  < 2**128   (1e38; any real token supply is far below)
#   start             < 2**64    (unix seconds: ~5.8e11 years)
#   cliff, duration   <= MAX_DURATION < 2**32
MAX_AMOUNT: public(constant(uint256)) = 2**128 - 1
MAX_START: public(constant(uint256)) = 2**64 - 1
ADDRESS_MASK: constant(uint256) = 2**160 - 1
AMOUNT_LOW_BITS: constant(uint256) = 96


# One record holds one schedule, or two twin schedules (`create_schedule_pair`: same token,
# amount and timing, two beneficiaries, consecutive ids). Three words hold everything but the
# released amounts, which are 0 at creation and live in `_released` (written at the first
# release, never at creation). 3 x 160 address bits leave 3 x 96 bits for start (64), cliff
# and duration (32 each) and amount (128): no field of 96 bits or fewer can hold the amount,
# so it is split, its top 32 bits in the first word and its low 96 in the third (bits
# 224..255 of the second word are unused).
struct Packed:
    # bits   0..159 token,              160..223 start,    224..255 amount >> 96
    token_start: uint256
    # bits   0..159 (first) beneficiary, 160..191 cliff,   192..223 duration
    beneficiary_times: uint256
    # bits   0..159 second beneficiary (empty for a single schedule), 160..255 amount % 2**96
    second_amount: uint256


# record id (= the id of its first schedule) -> the record; a pair's second id is record id + 1
_records: HashMap[uint256, Packed]
# record id -> released of its first schedule (bits 0..127) and of its second (128..255)
_released: HashMap[uint256, uint256]
schedule_count: public(uint256)


@deploy
def __init__():
    pass


@internal
@view
def _schedule(sid: uint256) -> (Schedule, uint256, bool):
    # (schedule, its record id, whether it is the second of a pair); all zero if none.
    rid: uint256 = sid
    p: Packed = self._records[sid]
    second: bool = False
    if p.token_start == 0 and sid > 1:
        # Not a record of its own: the second schedule of the pair at sid - 1, if that is one.
        p = self._records[sid - 1]
        second = p.second_amount & ADDRESS_MASK != 0
        rid = sid - 1
    if p.token_start == 0 or (rid != sid and not second):
        return empty(Schedule), 0, False
    beneficiary: uint256 = p.beneficiary_times
    released: uint256 = self._released[rid]
    if second:
        beneficiary = p.second_amount
        released = released >> 128
    return (
        Schedule(
            token=convert(convert(p.token_start & ADDRESS_MASK, uint160), address),
            beneficiary=convert(convert(beneficiary & ADDRESS_MASK, uint160), address),
            amount=((p.token_start >> 224) << AMOUNT_LOW_BITS) | (p.second_amount >> 160),
            released=released & MAX_AMOUNT,
            start=(p.token_start >> 160) & MAX_START,
            cliff=(p.beneficiary_times >> 160) & (2**32 - 1),
            duration=(p.beneficiary_times >> 192) & (2**32 - 1),
        ),
        rid,
        second,
    )


@internal
@view
def _find(sid: uint256) -> Schedule:
    s: Schedule = empty(Schedule)
    rid: uint256 = 0
    second: bool = False
    s, rid, second = self._schedule(sid)
    return s


@external
@view
def schedules(sid: uint256) -> Schedule:
    """
    @notice Schedule `sid` as stored (all fields zero if there is none).
    @param sid Schedule id.
    @return (token, beneficiary, amount, released, start, cliff, duration).
    """
    return self._find(sid)


@internal
@view
def _vested(s: Schedule, t: uint256) -> uint256:
    if t < s.start + s.cliff:
        return 0
    if t >= s.start + s.duration:
        return s.amount
    return s.amount * (t - s.start) // s.duration


@internal
@pure
def _check(token: address, beneficiary: address, amount: uint256, start: uint256, cliff: uint256, duration: uint256):
    assert token != empty(address), "zero token"
    assert beneficiary != empty(address), "zero beneficiary"
    assert amount > 0, "zero amount"
    assert duration > 0, "zero duration"
    assert duration <= MAX_DURATION, "duration too long"
    assert cliff <= duration, "cliff after end"
    assert amount <= MAX_AMOUNT, "amount too large"
    assert start <= MAX_START, "start too late"


@internal
def _create(
    token: address,
    first: address,
    second: address,
    amount: uint256,
    start: uint256,
    cliff: uint256,
    duration: uint256,
) -> uint256:
    # Store one record (bounds already checked) and pull what it vests; returns its first id.
    sid: uint256 = self.schedule_count + 1
    count: uint256 = sid
    total: uint256 = amount
    if second != empty(address):
        count = sid + 1
        total = 2 * amount  # < 2**129: no overflow
    self.schedule_count = count
    self._records[sid] = Packed(
        token_start=convert(token, uint256) | (start << 160) | ((amount >> AMOUNT_LOW_BITS) << 224),
        beneficiary_times=convert(first, uint256) | (cliff << 160) | (duration << 192),
        second_amount=convert(second, uint256) | ((amount & (2**AMOUNT_LOW_BITS - 1)) << 160),
    )
    assert extcall IERC20(token).transferFrom(msg.sender, self, total, default_return_value=True), "transfer failed"
    for i: uint256 in range(2):
        who: address = first
        if i == 1:
            who = second
            if who == empty(address):
                break
        log ScheduleCreated(
            id=sid + i,
            token=token,
            beneficiary=who,
            funder=msg.sender,
            amount=amount,
            start=start,
            cliff=cliff,
            duration=duration,
        )
    return sid


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
    self._check(token, beneficiary, amount, start, cliff, duration)
    return self._create(token, beneficiary, empty(address), amount, start, cliff, duration)


@external
def create_schedule_pair(
    token: address,
    first: address,
    second: address,
    amount: uint256,
    start: uint256,
    cliff: uint256,
    duration: uint256,
) -> (uint256, uint256):
    """
    @notice Create two schedules with the same token, amount and timing for two beneficiaries
            (the issuer's and the treasury's MT at graduation), and pull `2 * amount` of `token`
            from the caller (approve first). Each behaves exactly like a `create_schedule` one.
    @dev One record for both: 3 storage words instead of 6 (docs/launch-lifecycle.md#gas).
    @param token The vested ERC-20.
    @param first Beneficiary of the first schedule.
    @param second Beneficiary of the second schedule (may equal `first`).
    @param amount Amount vested by each schedule (base units).
    @param start Unix time vesting starts (the linear part is measured from here).
    @param cliff Seconds after `start` before anything is releasable (<= duration).
    @param duration Seconds after `start` when everything is releasable.
    @return The two new schedule ids (consecutive).
    """
    self._check(token, first, amount, start, cliff, duration)
    assert second != empty(address), "zero beneficiary"
    sid: uint256 = self._create(token, first, second, amount, start, cliff, duration)
    return sid, sid + 1


@external
@view
def vested(sid: uint256, t: uint256) -> uint256:
    """
    @notice Amount of schedule `sid` vested at time `t` (released or not).
    @param sid Schedule id.
    @param t Unix time.
    """
    return self._vested(self._find(sid), t)


@external
@view
def releasable(sid: uint256) -> uint256:
    """
    @notice Amount of schedule `sid` that `release` would pay now.
    @param sid Schedule id.
    """
    s: Schedule = self._find(sid)
    return self._vested(s, block.timestamp) - s.released


@external
def release(sid: uint256) -> uint256:
    """
    @notice Pay the releasable amount of schedule `sid` to its beneficiary. Anyone may call.
    @param sid Schedule id.
    @return The amount paid.
    """
    s: Schedule = empty(Schedule)
    rid: uint256 = 0
    second: bool = False
    s, rid, second = self._schedule(sid)
    assert s.token != empty(address), "no schedule"
    amount: uint256 = self._vested(s, block.timestamp) - s.released
    assert amount > 0, "nothing to release"
    released: uint256 = s.released + amount
    # released <= amount < 2**128, so it fits its half of the word.
    both: uint256 = self._released[rid]
    if second:
        self._released[rid] = (both & MAX_AMOUNT) | (released << 128)
    else:
        self._released[rid] = (both >> 128 << 128) | released
    assert extcall IERC20(s.token).transfer(s.beneficiary, amount, default_return_value=True), "transfer failed"
    log Released(id=sid, token=s.token, beneficiary=s.beneficiary, amount=amount, total_released=released)
    return amount
