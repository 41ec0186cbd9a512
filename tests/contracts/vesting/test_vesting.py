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


# -- packed storage (three words per schedule) ---------------------------------------------

MAX_AMOUNT, MAX_START, MAX_DURATION = 2**128 - 1, 2**64 - 1, 10 * 365 * DAY


def _bounded(lo: int, hi: int) -> st.SearchStrategy[int]:
    """Integers in [lo, hi], with both ends and their neighbours drawn often."""
    edges = [v for v in (lo, lo + 1, hi - 1, hi) if lo <= v <= hi]
    return st.one_of(st.sampled_from(edges), st.integers(lo, hi))


@st.composite
def _schedules(draw: st.DrawFn) -> tuple[str, int, int, int, int]:
    who = draw(_bounded(1, 2**160 - 1))
    duration = draw(_bounded(1, MAX_DURATION))
    cliff = draw(_bounded(0, duration))
    return (
        "0x" + who.to_bytes(20, "big").hex(),
        draw(_bounded(1, MAX_AMOUNT)),
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
    """The largest amount, fully released: `released` uses all 128 upper bits and `amount`
    the lower 128, and neither spills into the other."""
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
