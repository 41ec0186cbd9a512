"""The day-level calculator: pool conservation, staker gating, spend splitting (SPEC §8)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fomo.economics.day import (
    FLOCK,
    DayInput,
    DayResult,
    DeploymentInput,
    ParticipantInput,
    compute_day,
)
from fomo.economics.units import FLOCK_UNIT
from tests.economics.strategies import days


def _check_conservation(day: DayInput, r: DayResult) -> None:
    assert r.emission_paid + r.emission_dust == r.global_emission
    assert r.emission_dust >= 0
    assert sum(d.emission for d in r.deployments) == r.emission_allocated <= r.global_emission
    # Floor dust of the MT split is < 1 wei per deployment with revenue.
    with_revenue = sum(1 for d in day.deployments if d.paid_revenue > 0)
    if with_revenue:
        assert r.global_emission - r.emission_allocated < with_revenue
    else:
        assert r.emission_allocated == 0
    for d_in, d in zip(day.deployments, r.deployments, strict=True):
        assert d.issuer_bonus + d.users_emission == d.emission
        assert d.global_paid + d.global_dust == d.users_emission
        ps = d.participants
        assert sum(p.global_flock for p in ps) == d.global_paid
        assert sum(p.reserved_flock for p in ps) == d.reserved_flock_paid
        assert sum(p.mt_reward for p in ps) == d.mt_reward_paid
        assert d.reserved_flock_paid + d.reserved_flock_rolled_over == d_in.reserved_flock_released
        assert d.mt_reward_paid + d.mt_reward_rolled_over == d_in.mt_reward_released
        for p in ps:
            assert min(p.global_flock, p.reserved_flock, p.mt_reward) >= 0
            assert 1 <= p.multiplier <= 2
        if d_in.paid_revenue == 0:
            assert d.emission == 0  # no usage, no share
        eligible = sum(1 for p in ps if p.incentive_score > 0)
        if eligible:
            assert d.reserved_flock_rolled_over < eligible
            assert d.mt_reward_rolled_over < eligible
        else:  # nobody eligible: everything rolls over
            assert d.reserved_flock_paid == 0 and d.mt_reward_paid == 0


@settings(max_examples=100)
@given(days())
def test_every_pool_is_conserved(day: DayInput) -> None:
    r = compute_day(day)
    _check_conservation(day, r)
    payouts = r.payouts()
    assert sum(v for (_, asset), v in payouts.items() if asset == FLOCK) == r.emission_paid + sum(
        d.reserved_flock_paid for d in r.deployments
    )


@settings(max_examples=100)
@given(days())
def test_zero_stake_or_zero_usage_means_zero_incentive(day: DayInput) -> None:
    r = compute_day(day)
    for d_in, d in zip(day.deployments, r.deployments, strict=True):
        for p_in, p in zip(d_in.participants, d.participants, strict=True):
            if p_in.stake == 0 or p_in.gross_spend == 0:
                assert p.incentive_score == 0
                assert p.reserved_flock == 0 and p.mt_reward == 0
            if p_in.gross_spend == 0:
                assert p.global_score == 0 and p.global_flock == 0


def _user_total(
    user_spend: list[int], others: list[list[int]], emission: int
) -> tuple[int, Fraction]:
    """The user's total Global FLOCK and usage-weighted emission share across the MTs."""
    deployments = []
    for k, (mine, theirs) in enumerate(zip(user_spend, others, strict=True)):
        ps = [ParticipantInput("user", mine, 0)] + [
            ParticipantInput(f"other{j}", s, 0) for j, s in enumerate(theirs)
        ]
        deployments.append(
            DeploymentInput(
                token=f"MT{k}",
                issuer="issuer",
                age_days=Fraction(30),
                paid_revenue=mine + sum(theirs),
                participants=tuple(ps),
            )
        )
    r = compute_day(DayInput(tuple(deployments), global_emission=emission))
    total = sum(d.participants[0].global_flock for d in r.deployments)
    weighted = sum(
        (d.emission_share * d.participants[0].usage_share for d in r.deployments), Fraction(0)
    )
    return total, weighted


@settings(max_examples=100)
@given(
    st.lists(st.lists(st.integers(1, 10**9), min_size=1, max_size=3), min_size=2, max_size=4),
    st.integers(1, 10**9),
    st.data(),
    st.integers(10**18, 10**26),
)
def test_splitting_spend_across_mts_never_raises_the_total_share(
    others: list[list[int]], spend: int, data: st.DataObject, emission: int
) -> None:
    n = len(others)
    cuts = sorted(data.draw(st.lists(st.integers(0, spend), min_size=n - 1, max_size=n - 1)))
    split = [b - a for a, b in zip([0, *cuts], [*cuts, spend], strict=True)]
    concentrated = [spend] + [0] * (n - 1)
    split_total, split_weighted = _user_total(split, others, emission)
    conc_total, conc_weighted = _user_total(concentrated, others, emission)
    # The usage-weighted share is exactly spend / all spend however it is spread.
    all_spend = spend + sum(map(sum, others))
    assert split_weighted == conc_weighted == Fraction(spend, all_spend)
    # Paid FLOCK: only floor rounding (< 2 wei) separates the two.
    assert split_total <= conc_total + 2


def test_defaults_apply_and_issuer_gets_the_bonus() -> None:
    dep = DeploymentInput(
        token="MT",
        issuer="iss",
        age_days=Fraction(0),
        paid_revenue=10**9,
        participants=(ParticipantInput("u", 10**9, 0),),
    )
    r = compute_day(DayInput((dep,)))
    assert r.global_emission == 50_000 * FLOCK_UNIT
    d = r.deployments[0]
    assert d.issuer_bonus == 5_000 * FLOCK_UNIT
    assert d.participants[0].global_flock == 45_000 * FLOCK_UNIT
    assert r.payouts() == {("iss", FLOCK): 5_000 * FLOCK_UNIT, ("u", FLOCK): 45_000 * FLOCK_UNIT}


def test_emission_follows_revenue_and_age() -> None:
    def dep(token: str, revenue: int, age: int) -> DeploymentInput:
        return DeploymentInput(
            token, "iss", Fraction(age), revenue, participants=(ParticipantInput("u", 1, 0),)
        )

    r = compute_day(
        DayInput((dep("NEW", 100, 0), dep("OLD", 100, 10_000), dep("IDLE", 0, 0)), 3 * 10**18)
    )
    new, old, idle = r.deployments
    # Same revenue: the new deployment (age factor 2) gets twice the old one's (factor ≈ 1).
    assert abs(Fraction(new.emission, old.emission) - 2) < Fraction(1, 10**15)
    assert idle.emission == 0 and idle.emission_share == 0


def test_mt_with_revenue_but_no_usage_keeps_the_user_part_as_dust() -> None:
    d = DeploymentInput("MT", "iss", Fraction(0), 100, reserved_flock_released=7)
    r = compute_day(DayInput((d,), 1_000, 1_000))
    dep = r.deployments[0]
    assert (dep.issuer_bonus, dep.global_paid, dep.global_dust) == (100, 0, 900)
    assert dep.reserved_flock_rolled_over == 7
    assert r.emission_dust == 900


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (DayInput((), global_emission=-1), "global_emission"),
        (DayInput((), issuer_bonus_bps=5_001), "issuer_bonus_bps"),
        (
            DayInput(
                (
                    DeploymentInput("X", "i", Fraction(0), 1),
                    DeploymentInput("X", "i", Fraction(0), 1),
                )
            ),
            "token listed twice",
        ),
        (DayInput((DeploymentInput("X", "i", Fraction(-1), 1),)), "age_days"),
        (DayInput((DeploymentInput("X", "i", Fraction(0), -1),)), "paid_revenue"),
        (
            DayInput(
                (
                    DeploymentInput(
                        "X", "i", Fraction(0), 1, participants=(ParticipantInput("u", 1, -1),)
                    ),
                )
            ),
            "stake",
        ),
        (
            DayInput(
                (
                    DeploymentInput(
                        "X", "i", Fraction(0), 1, participants=(ParticipantInput("u", 1, 0, 5),)
                    ),
                    DeploymentInput(
                        "Y", "i", Fraction(0), 1, participants=(ParticipantInput("u", 1, 0, 6),)
                    ),
                )
            ),
            "gmFLOCK is global",
        ),
    ],
)
def test_invalid_days_are_refused(day: DayInput, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        compute_day(day)
