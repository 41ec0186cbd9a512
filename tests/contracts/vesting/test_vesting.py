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
