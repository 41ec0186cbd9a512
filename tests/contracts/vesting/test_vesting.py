"""Vesting: cliff, then linear from start; release never exceeds the amount, is monotone and
complete at the end; anyone may release but only the beneficiary is paid."""

from __future__ import annotations

from typing import Any

import boa
from hypothesis import given, settings
from hypothesis import strategies as st

# The off-chain home of the rule: these tests hold it and the contract equal to the wei.
from fomo.economics.vesting import vested

DAY = 86_400
CLIFF, DURATION = 90 * DAY, 365 * DAY


def _create(vesting: Any, token: Any, owner: Any, who: Any, amount: int, start: int) -> int:
    with boa.env.prank(owner):
        return int(vesting.create_schedule(token.address, who, amount, start, CLIFF, DURATION))


def test_schedule_pulls_tokens_and_releases_on_the_formula(
    vesting: Any, token: Any, owner: Any
) -> None:
    who = boa.env.generate_address("beneficiary")
    now = boa.env.evm.patch.timestamp
    amount = 100_000 * 10**18
    sid = _create(vesting, token, owner, who, amount, now)
    assert sid == 1 and vesting.schedule_count() == 1
    assert token.balanceOf(vesting.address) == amount
    assert vesting.releasable(sid) == 0
    with boa.reverts("nothing to release"):
        vesting.release(sid)
    boa.env.time_travel(seconds=CLIFF - 1)
    assert vesting.releasable(sid) == 0
    boa.env.time_travel(seconds=1)
    at_cliff = amount * CLIFF // DURATION
    assert vesting.releasable(sid) == at_cliff
    keeper = boa.env.generate_address("keeper")
    with boa.env.prank(keeper):
        assert vesting.release(sid) == at_cliff
    assert token.balanceOf(who) == at_cliff and token.balanceOf(keeper) == 0
    boa.env.time_travel(seconds=DURATION)
    vesting.release(sid)
    assert token.balanceOf(who) == amount
    assert vesting.schedules(sid).released == amount
    assert token.balanceOf(vesting.address) == 0


def test_create_schedule_bounds(vesting: Any, token: Any, owner: Any) -> None:
    who = boa.env.generate_address("b")
    zero = "0x" + "00" * 20
    cases = [
        ((zero, who, 1, 0, 0, 1), "zero token"),
        ((token.address, zero, 1, 0, 0, 1), "zero beneficiary"),
        ((token.address, who, 0, 0, 0, 1), "zero amount"),
        ((token.address, who, 1, 0, 0, 0), "zero duration"),
        ((token.address, who, 1, 0, 2, 1), "cliff after end"),
        ((token.address, who, 1, 0, 0, 10 * 365 * DAY + 1), "duration too long"),
    ]
    for args, reason in cases:
        with boa.env.prank(owner), boa.reverts(reason):
            vesting.create_schedule(*args)
    with boa.reverts("no schedule"):
        vesting.release(7)


@settings(max_examples=25)
@given(
    amount=st.integers(1, 10**30),
    steps=st.lists(st.integers(0, 120 * DAY), min_size=1, max_size=8),
)
def test_release_property(
    vesting: Any, token: Any, owner: Any, amount: int, steps: list[int]
) -> None:
    with boa.env.anchor():
        who = boa.env.generate_address("prop")
        start = boa.env.evm.patch.timestamp + 1000
        sid = _create(vesting, token, owner, who, amount, start)
        released = 0
        for step in steps:
            boa.env.time_travel(seconds=step)
            t = boa.env.evm.patch.timestamp
            expected = vested(amount, start, CLIFF, DURATION, t)
            assert vesting.vested(sid, t) == expected
            assert vesting.releasable(sid) == expected - released
            if expected > released:
                vesting.release(sid)
            total = vesting.schedules(sid).released
            assert released <= total <= amount  # monotone, never more than the amount
            released = total
            assert token.balanceOf(who) == released
        boa.env.time_travel(seconds=DURATION + 1000)
        if vesting.releasable(sid):
            vesting.release(sid)
        assert token.balanceOf(who) == amount == vesting.schedules(sid).released


# -- packed storage (three words per record) -----------------------------------------------

MAX_AMOUNT, MAX_START, MAX_DURATION = 2**128 - 1, 2**64 - 1, 10 * 365 * DAY
# The amount is split across two words at bit 96 (see `Packed` in Vesting.vy).
AMOUNT_SPLIT = 2**96


def _bounded(lo: int, hi: int, *inner: int) -> st.SearchStrategy[int]:
    """Integers in [lo, hi], with both ends, the `inner` edges and their neighbours drawn
    often."""
    edges = [v for e in (lo, hi, *inner) for v in (e - 1, e, e + 1) if lo <= v <= hi]
    return st.one_of(st.sampled_from(edges), st.integers(lo, hi))


def _address(draw: st.DrawFn) -> str:
    return "0x" + draw(_bounded(1, 2**160 - 1)).to_bytes(20, "big").hex()


@st.composite
def _schedules(draw: st.DrawFn) -> tuple[str, int, int, int, int]:
    who = _address(draw)
    duration = draw(_bounded(1, MAX_DURATION))
    cliff = draw(_bounded(0, duration))
    return (
        who,
        draw(_bounded(1, MAX_AMOUNT, AMOUNT_SPLIT)),
        draw(_bounded(0, MAX_START)),
        cliff,
        duration,
    )


@settings(max_examples=40, deadline=None)
@given(sched=_schedules())
def test_packed_fields_round_trip_at_their_bounds(
    vesting: Any, token: Any, owner: Any, sched: tuple[str, int, int, int, int]
) -> None:
    who, amount, start, cliff, duration = sched
    with boa.env.anchor():
        with boa.env.prank(owner):
            token.mint(owner, amount)
            sid = int(vesting.create_schedule(token.address, who, amount, start, cliff, duration))
        s = vesting.schedules(sid)
        assert s.token == token.address and str(s.beneficiary).lower() == who
        assert (s.amount, s.released, s.start, s.cliff, s.duration) == (
            amount,
            0,
            start,
            cliff,
            duration,
        )
        now = boa.env.evm.patch.timestamp
        for t in (start, start + cliff, start + duration, now):
            assert vesting.vested(sid, t) == vested(amount, start, cliff, duration, t)


@settings(max_examples=25, deadline=None)
@given(
    amount=_bounded(MAX_AMOUNT + 1, 2**256 - 1),
    start=_bounded(MAX_START + 1, 2**256 - 1),
)
def test_packed_bounds_revert(
    vesting: Any, token: Any, owner: Any, amount: int, start: int
) -> None:
    who = boa.env.generate_address("b")
    with boa.env.prank(owner), boa.reverts("amount too large"):
        vesting.create_schedule(token.address, who, amount, 0, 0, 1)
    with boa.env.prank(owner), boa.reverts("start too late"):
        vesting.create_schedule(token.address, who, 1, start, 0, 1)


def test_released_fills_its_half_word_without_touching_amount(
    vesting: Any, token: Any, owner: Any
) -> None:
    """The largest amount, fully released: `released` (its own word since twin schedules
    share a record) and the split `amount` both use all 128 bits and read back exactly."""
    who = "0x" + "ff" * 20
    now = boa.env.evm.patch.timestamp
    with boa.env.prank(owner):
        token.mint(owner, MAX_AMOUNT)
        sid = int(vesting.create_schedule(token.address, who, MAX_AMOUNT, now - 2, 0, 1))
    assert vesting.release(sid) == MAX_AMOUNT
    s = vesting.schedules(sid)
    assert (s.amount, s.released) == (MAX_AMOUNT, MAX_AMOUNT)
    assert str(s.beneficiary).lower() == who
    assert vesting.releasable(sid) == 0
    assert token.balanceOf(who) == MAX_AMOUNT


# -- twin schedules (`create_schedule_pair`: one record, two ids) -------------------------


def _create_pair(
    vesting: Any, token: Any, owner: Any, first: Any, second: Any, amount: int, start: int
) -> tuple[int, int]:
    with boa.env.prank(owner):
        a, b = vesting.create_schedule_pair(
            token.address, first, second, amount, start, CLIFF, DURATION
        )
    return int(a), int(b)


def test_pair_is_two_schedules_with_consecutive_ids(vesting: Any, token: Any, owner: Any) -> None:
    issuer, treasury = boa.env.generate_address("issuer"), boa.env.generate_address("treasury")
    now = boa.env.evm.patch.timestamp
    amount = 100_000 * 10**18
    before = token.balanceOf(owner)
    assert _create_pair(vesting, token, owner, issuer, treasury, amount, now) == (1, 2)
    created = [e for e in vesting.get_logs() if type(e).__name__ == "ScheduleCreated"]
    assert vesting.schedule_count() == 2
    assert before - token.balanceOf(owner) == token.balanceOf(vesting.address) == 2 * amount
    assert [(e.id, e.beneficiary, e.amount, e.funder) for e in created] == [
        (1, issuer, amount, owner),
        (2, treasury, amount, owner),
    ]
    for sid, who in ((1, issuer), (2, treasury)):
        s = vesting.schedules(sid)
        assert (s.token, s.beneficiary, s.amount, s.released) == (token.address, who, amount, 0)
        assert (s.start, s.cliff, s.duration) == (now, CLIFF, DURATION)
    assert vesting.schedules(3).token == "0x" + "00" * 20


def test_pair_members_release_independently(vesting: Any, token: Any, owner: Any) -> None:
    """Each member has its own half of the released word: the largest amount released in
    full by one leaves the other at 0, then both reach it."""
    first, second = "0x" + "ff" * 20, "0x" + "ee" * 20
    now = boa.env.evm.patch.timestamp
    with boa.env.prank(owner):
        token.mint(owner, 2 * MAX_AMOUNT)
        a, b = vesting.create_schedule_pair(token.address, first, second, MAX_AMOUNT, now, 0, 1)
    boa.env.time_travel(seconds=1)
    assert vesting.release(b) == MAX_AMOUNT
    assert (vesting.schedules(a).released, vesting.schedules(b).released) == (0, MAX_AMOUNT)
    assert (vesting.releasable(a), vesting.releasable(b)) == (MAX_AMOUNT, 0)
    with boa.reverts("nothing to release"):
        vesting.release(b)
    assert vesting.release(a) == MAX_AMOUNT
    assert (vesting.schedules(a).released, vesting.schedules(b).released) == (
        MAX_AMOUNT,
        MAX_AMOUNT,
    )
    assert token.balanceOf(first) == token.balanceOf(second) == MAX_AMOUNT
    assert token.balanceOf(vesting.address) == 0


def test_pair_release_follows_the_formula(vesting: Any, token: Any, owner: Any) -> None:
    first, second = boa.env.generate_address("p1"), boa.env.generate_address("p2")
    start = boa.env.evm.patch.timestamp
    amount = 3 * 10**18 + 7
    a, b = _create_pair(vesting, token, owner, first, second, amount, start)
    boa.env.time_travel(seconds=CLIFF + 5 * DAY)
    t = boa.env.evm.patch.timestamp
    part = vested(amount, start, CLIFF, DURATION, t)
    assert vesting.vested(a, t) == vesting.vested(b, t) == part > 0
    assert vesting.release(a) == part
    boa.env.time_travel(seconds=DURATION)
    assert vesting.release(b) == amount
    assert vesting.release(a) == amount - part
    assert token.balanceOf(first) == token.balanceOf(second) == amount


def test_singles_and_pairs_share_the_id_sequence(vesting: Any, token: Any, owner: Any) -> None:
    """A pair's second id has no record of its own; a single next to a pair (on either side)
    is never mistaken for one's second member."""
    who = [boa.env.generate_address(f"w{i}") for i in range(4)]
    now = boa.env.evm.patch.timestamp
    assert _create(vesting, token, owner, who[0], 10, now) == 1
    assert _create_pair(vesting, token, owner, who[1], who[2], 20, now) == (2, 3)
    assert _create(vesting, token, owner, who[3], 30, now) == 4
    expected = {1: (who[0], 10), 2: (who[1], 20), 3: (who[2], 20), 4: (who[3], 30)}
    for sid, (beneficiary, amount) in expected.items():
        s = vesting.schedules(sid)
        assert (s.beneficiary, s.amount) == (beneficiary, amount)
    zero = "0x" + "00" * 20
    for missing in (0, 5, 6):
        s = vesting.schedules(missing)
        assert (s.token, s.beneficiary, s.amount) == (zero, zero, 0)
        with boa.reverts("no schedule"):
            vesting.release(missing)
    boa.env.time_travel(seconds=DURATION)
    for sid, (beneficiary, amount) in expected.items():
        assert vesting.release(sid) == amount
        assert token.balanceOf(beneficiary) == amount


def test_pair_bounds(vesting: Any, token: Any, owner: Any) -> None:
    who = boa.env.generate_address("b")
    zero = "0x" + "00" * 20
    cases = [
        ((zero, who, who, 1, 0, 0, 1), "zero token"),
        ((token.address, zero, who, 1, 0, 0, 1), "zero beneficiary"),
        ((token.address, who, zero, 1, 0, 0, 1), "zero beneficiary"),
        ((token.address, who, who, 0, 0, 0, 1), "zero amount"),
        ((token.address, who, who, 1, 0, 0, 0), "zero duration"),
        ((token.address, who, who, 1, 0, 2, 1), "cliff after end"),
        ((token.address, who, who, 1, 0, 0, MAX_DURATION + 1), "duration too long"),
        ((token.address, who, who, MAX_AMOUNT + 1, 0, 0, 1), "amount too large"),
        ((token.address, who, who, 1, MAX_START + 1, 0, 1), "start too late"),
    ]
    for args, reason in cases:
        with boa.env.prank(owner), boa.reverts(reason):
            vesting.create_schedule_pair(*args)


@settings(max_examples=40, deadline=None)
@given(
    sched=_schedules(),
    second=st.builds(lambda n: "0x" + n.to_bytes(20, "big").hex(), st.integers(1, 2**160 - 1)),
)
def test_pair_fields_round_trip_at_their_bounds(
    vesting: Any, token: Any, owner: Any, sched: tuple[str, int, int, int, int], second: str
) -> None:
    first, amount, start, cliff, duration = sched
    with boa.env.anchor():
        with boa.env.prank(owner):
            token.mint(owner, 2 * amount)
            a, b = vesting.create_schedule_pair(
                token.address, first, second, amount, start, cliff, duration
            )
        for sid, who in ((a, first), (b, second)):
            s = vesting.schedules(sid)
            assert s.token == token.address and str(s.beneficiary).lower() == who
            assert (s.amount, s.released, s.start, s.cliff, s.duration) == (
                amount,
                0,
                start,
                cliff,
                duration,
            )
            for t in (start, start + cliff, start + duration):
                assert vesting.vested(sid, t) == vested(amount, start, cliff, duration, t)
