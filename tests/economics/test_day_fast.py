"""The integer fast path gives exactly compute_day's payouts and the same data file bytes."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from fomo.economics.day import DayInput, DeploymentInput, ParticipantInput, compute_day
from fomo.economics.day_fast import compute_day_fast
from fomo.economics.epoch import assemble, verify_bytes
from fomo.economics.epoch_input import EpochInput, MTState
from fomo.economics.units import FLOCK_UNIT

ACCOUNTS = ["0x" + f"{i:040x}" for i in range(1, 9)]
TOKENS = ["0x" + f"{0xA0 + i:02x}" * 20 for i in range(3)]
FLOCK = "0x" + "f1" * 20

amounts = st.one_of(st.just(0), st.integers(1, 10**6), st.integers(1, 10**27))
gm = st.one_of(st.just(0), st.integers(1, 10**21), st.integers(10**21, 10**25))


@st.composite
def days(draw: st.DrawFn) -> DayInput:
    gms = {a: draw(gm) for a in ACCOUNTS}
    deps = []
    for t in TOKENS[: draw(st.integers(1, 3))]:
        people = draw(st.lists(st.sampled_from(ACCOUNTS), unique=True, max_size=8))
        deps.append(
            DeploymentInput(
                token=t,
                issuer=ACCOUNTS[0],
                age_days=Fraction(draw(st.integers(0, 400)), draw(st.sampled_from([1, 3]))),
                paid_revenue=draw(amounts),
                reserved_flock_released=draw(amounts),
                mt_reward_released=draw(amounts),
                participants=tuple(
                    ParticipantInput(
                        a,
                        draw(amounts),
                        # perfect squares of shares happen: 1, 4, 9 … and 0
                        draw(st.one_of(amounts, st.sampled_from([1, 4, 9, 16]))),
                        gms[a],
                    )
                    for a in people
                ),
            )
        )
    return DayInput(tuple(deps), global_emission=draw(amounts))


@settings(max_examples=150)
@given(days())
def test_fast_payouts_equal_compute_day(day: DayInput) -> None:
    slow = compute_day(day)
    fast, payouts = compute_day_fast(day)
    assert payouts == slow.payouts()
    for a, b in zip(slow.deployments, fast.deployments, strict=True):
        for f in ("emission", "issuer_bonus", "global_paid", "global_dust", "reserved_flock_paid",
                  "reserved_flock_rolled_over", "mt_reward_paid", "mt_reward_rolled_over",
                  "alpha", "age_factor", "score", "emission_share"):  # fmt: skip
            assert getattr(a, f) == getattr(b, f), f
    assert (slow.emission_paid, slow.emission_dust) == (fast.emission_paid, fast.emission_dust)


def three_mts(**changes: Any) -> EpochInput:
    """Three MTs of different ages, gmFLOCK multipliers, partial stakes, stakers without usage."""
    inp = EpochInput(
        epoch=20_000,
        flock_token=FLOCK,
        deployments=tuple(
            MTState(t, ACCOUNTS[0], 20_000 - 7 * k, 10**9 * (k + 1), 0, 10**24, 10**24)
            for k, t in enumerate(TOKENS)
        ),
        spend={
            (a, t): 10**6 * (i + 1) * (k + 2)
            for i, a in enumerate(ACCOUNTS)
            for k, t in enumerate(TOKENS)
            if (i + k) % 3
        },
        stake={(a, TOKENS[i % 3]): 10**20 * (i + 1) for i, a in enumerate(ACCOUNTS) if i % 4},
        gmflock={ACCOUNTS[1]: 5 * 10**21, ACCOUNTS[2]: 10**25},
        previous={},
        capacity={FLOCK: 10**30, **{t: 10**30 for t in TOKENS}},
    )
    return replace(inp, **changes)


def test_fast_epoch_file_is_byte_identical() -> None:
    inp = three_mts(previous={(ACCOUNTS[3], FLOCK): 12345}, global_emission=50_000 * FLOCK_UNIT)
    slow, fast = assemble(inp), assemble(inp, fast=True)
    assert fast.data == slow.data and fast.root == slow.root
    assert verify_bytes(slow.data, fast=True).root == slow.root
