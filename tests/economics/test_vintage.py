"""The 180-day vintage release with roll-over and expiry (SPEC §8.3)."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fomo.economics.day import DayInput, DeploymentInput, ParticipantInput, compute_day
from fomo.economics.params import DEFAULT_PARAMS
from fomo.economics.vintage import (
    PoolKind,
    cumulative_release,
    cumulative_weight,
    daily_release,
    run_schedule,
    settle_day,
    weight,
)

N = 180
TOTAL = N * (N + 1) // 2  # 16,290


def test_weights() -> None:
    assert [weight(d, N) for d in (0, 1, 179, 180, -1)] == [180, 179, 1, 0, 0]
    assert cumulative_weight(179, N) == TOTAL == sum(weight(d, N) for d in range(N))
    assert cumulative_weight(500, N) == TOTAL
    assert all(cumulative_weight(d, N) == sum(weight(i, N) for i in range(d + 1)) for d in range(N))


def test_daily_release_of_a_divisible_pool() -> None:
    pool = TOTAL * 10**18
    assert daily_release(pool, 0) == 180 * 10**18
    assert daily_release(pool, 179) == 10**18
    assert daily_release(pool, 180) == 0
    assert daily_release(pool, -1) == 0


@settings(max_examples=100)
@given(st.integers(0, 10**27), st.integers(1, 400))
def test_releases_sum_exactly_to_the_pool(pool: int, days: int) -> None:
    p = DEFAULT_PARAMS.with_overrides({"vintage_days": days}) if days != N else DEFAULT_PARAMS
    releases = [daily_release(pool, d, p) for d in range(days)]
    assert sum(releases) == pool == cumulative_release(pool, days - 1, p)
    assert all(r >= 0 for r in releases)
    # Front-loaded: never more released later than earlier, up to one unit of flooring.
    assert all(b <= a + 1 for a, b in itertools.pairwise(releases))


@settings(max_examples=50)
@given(st.integers(0, 10**24), st.lists(st.booleans(), min_size=N, max_size=N), st.data())
def test_roll_over_and_expiry_conserve_the_pool(
    pool: int, eligible: list[bool], data: st.DataObject
) -> None:
    def pay(day: int, available: int) -> int:
        if not eligible[day]:
            return 0  # nobody eligible: the whole day rolls over
        return available - data.draw(st.integers(0, min(available, 3)))  # floor dust stays

    schedule = run_schedule(pool, pay)
    paid = sum(d.paid for d in schedule)
    expired = schedule[-1].expired
    assert paid + expired == pool
    assert all(d.expired == 0 for d in schedule[:-1])
    assert schedule[-1].carried_out == 0
    for prev, cur in itertools.pairwise(schedule):
        assert cur.carried_in == prev.carried_out
    if not any(eligible):
        assert expired == pool


def test_settle_day_refuses_overpayment_and_expires_on_the_last_day() -> None:
    pool = TOTAL
    with pytest.raises(ValueError):
        settle_day(pool, 0, 0, 181)
    last = settle_day(pool, 179, carried_in=5, paid=0)
    assert (last.available, last.carried_out, last.expired) == (6, 0, 6)
    assert PoolKind.MT_REWARD.value == "burn"
    assert PoolKind.RESERVED_FLOCK.value == "return_to_treasury"


@settings(max_examples=8)
@given(st.integers(0, 10**24), st.lists(st.integers(0, 3), min_size=N, max_size=N))
def test_a_whole_vintage_through_compute_day_pays_or_expires_every_wei(
    pool: int, activity: list[int]
) -> None:
    """Day by day: release + roll-over is offered to compute_day; what it leaves rolls over."""
    carry = 0
    paid_to_users = 0
    expired = 0
    for d in range(N):
        available = daily_release(pool, d) + carry
        # activity: 0 nobody, 1 usage without stake, 2 staker without usage, 3 eligible users
        participants = {
            0: (),
            1: (ParticipantInput("u", 10, 0),),
            2: (ParticipantInput("s", 0, 5),),
            3: (ParticipantInput("u", 10, 1), ParticipantInput("v", 7, 3)),
        }[activity[d]]
        dep = DeploymentInput(
            "MT",
            "iss",
            Fraction(d),
            1,
            reserved_flock_released=available,
            participants=participants,
        )
        result = compute_day(DayInput((dep,), global_emission=0)).deployments[0]
        paid = result.reserved_flock_paid
        assert paid == sum(p.reserved_flock for p in result.participants)
        if activity[d] != 3:
            assert paid == 0
        day = settle_day(pool, d, carry, paid)
        assert day.carried_out + day.expired == result.reserved_flock_rolled_over
        paid_to_users += paid
        carry = day.carried_out
        expired += day.expired
    assert paid_to_users + expired == pool
