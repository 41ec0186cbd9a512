"""The seeds' worked examples (SPEC §8, last paragraph), through the public functions.

Expected values are computed here independently: exact rationals where the example is rational,
and an 80-digit decimal evaluation (twice the engine's precision, own context) for √0.1.
"""

from __future__ import annotations

from decimal import Context
from fractions import Fraction
from math import floor

import pytest

from fomo.economics import rewards
from fomo.economics.day import DayInput, DeploymentInput, ParticipantInput, compute_day
from fomo.economics.gmflock import multiplier
from fomo.economics.units import FLOCK_UNIT, NANO_PER_USD

POOL = 100 * FLOCK_UNIT
SQRT_01 = Fraction(Context(prec=80).sqrt(Context(prec=80).divide(1, 10)))


def _day(alpha: str, alice_stake: int, others_stake: int, bob_gm: int) -> DayInput:
    participants = [
        ParticipantInput("alice", 50 * NANO_PER_USD, alice_stake),
        ParticipantInput("bob", 50 * NANO_PER_USD, 0, effective_gmflock=bob_gm),
    ]
    if others_stake:
        participants.append(ParticipantInput("carol", 0, others_stake))
    dep = DeploymentInput(
        token="QWENALICE",
        issuer="alice-rma",
        age_days=Fraction(0),
        paid_revenue=100 * NANO_PER_USD,
        reserved_flock_released=10 * FLOCK_UNIT,
        mt_reward_released=1_000 * FLOCK_UNIT,
        participants=tuple(participants),
        alpha=Fraction(alpha),
    )
    return DayInput((dep,), global_emission=POOL, issuer_bonus_bps=0)


GM_FULL = 1_000_000 * FLOCK_UNIT  # Gcap: the multiplier is exactly 2

CASES = [
    # alpha, alice stake, others' stake, bob gmFLOCK, Alice's exact share, printed (Alice, Bob)
    ("0.9", 1, 0, 0, Fraction(1, 2) / (Fraction(1, 2) + Fraction(45, 100)), ("52.6", "47.4")),
    (
        "0.9",
        1,
        9,
        0,
        (Fraction(9, 10) + Fraction(1, 10) * SQRT_01)
        / (Fraction(9, 10) + Fraction(1, 10) * SQRT_01 + Fraction(9, 10)),
        ("50.9", "49.1"),
    ),
    ("0.5", 1, 0, 0, Fraction(1, 2) / (Fraction(1, 2) + Fraction(1, 4)), ("66.7", "33.3")),
    (
        "0.5",
        1,
        9,
        0,
        (Fraction(1, 2) + Fraction(1, 2) * SQRT_01)
        / (Fraction(1, 2) + Fraction(1, 2) * SQRT_01 + Fraction(1, 2)),
        ("56.8", "43.2"),
    ),
    ("0.9", 1, 0, GM_FULL, Fraction(1, 2) / (Fraction(1, 2) + Fraction(9, 10)), ("35.7", "64.3")),
    ("0.5", 1, 0, GM_FULL, Fraction(1, 2), ("50.0", "50.0")),
]


def _fmt(x: Fraction) -> str:
    tenths = floor(x * 10 + Fraction(1, 2))  # round half up to the printed tenth
    return f"{tenths // 10}.{tenths % 10}"


@pytest.mark.parametrize(("alpha", "a_stake", "o_stake", "bob_gm", "share", "printed"), CASES)
def test_worked_example(
    alpha: str, a_stake: int, o_stake: int, bob_gm: int, share: Fraction, printed: tuple[str, str]
) -> None:
    result = compute_day(_day(alpha, a_stake, o_stake, bob_gm))
    dep = result.deployments[0]
    alice, bob = dep.participants[0], dep.participants[1]
    assert (
        _fmt(Fraction(alice.global_flock, FLOCK_UNIT)),
        _fmt(Fraction(bob.global_flock, FLOCK_UNIT)),
    ) == printed
    # Exact to the wei: floored shares of the pool, the dust (< 1 wei per participant) kept.
    assert alice.global_flock == floor(POOL * share)
    assert bob.global_flock == floor(POOL * (1 - share))
    assert alice.global_flock + bob.global_flock + dep.global_dust == POOL
    # Staker-gated pools: Bob (no stake) gets nothing, Alice (the only staker with usage) all.
    assert bob.reserved_flock == 0 and bob.mt_reward == 0
    assert alice.reserved_flock == 10 * FLOCK_UNIT and alice.mt_reward == 1_000 * FLOCK_UNIT
    assert dep.reserved_flock_rolled_over == 0 and dep.mt_reward_rolled_over == 0


def test_table_values_of_the_seeds_through_the_formulas() -> None:
    """The intermediate numbers the seeds print: factors 1.000/0.900, 0.932, 0.658, scores."""
    one, zero = Fraction(1), Fraction(0)
    assert rewards.global_staking_factor(Fraction(9, 10), one) == 1
    assert rewards.global_staking_factor(Fraction(9, 10), zero) == Fraction(9, 10)
    f = rewards.global_staking_factor(Fraction(9, 10), Fraction(1, 10))
    assert round(f, 3) == Fraction(932, 1000)
    f = rewards.global_staking_factor(Fraction(1, 2), Fraction(1, 10))
    assert round(f, 3) == Fraction(658, 1000)
    half = Fraction(1, 2)
    assert rewards.global_score(half, zero, Fraction(9, 10), multiplier(GM_FULL)) == Fraction(9, 10)
    assert rewards.global_score(half, zero, half, multiplier(GM_FULL)) == half
    # gmFLOCK does not turn a zero incentive score into a positive one.
    assert rewards.incentive_score(half, zero, multiplier(GM_FULL)) == 0
    assert rewards.incentive_score(half, one, Fraction(1)) == half


def test_alpha_schedule_gives_the_seed_alphas() -> None:
    assert rewards.alpha(0) == Fraction(9, 10)
    assert rewards.alpha(180) == Fraction(1, 2)
    assert rewards.alpha(1000) == Fraction(1, 2)
    assert rewards.alpha(90) == Fraction(7, 10)
