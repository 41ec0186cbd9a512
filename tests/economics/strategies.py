"""Hypothesis strategies shared by the economics tests."""

from __future__ import annotations

from hypothesis import strategies as st

from fomo.economics.day import DayInput, DeploymentInput, ParticipantInput

ACCOUNTS = ["a", "b", "c", "d", "e"]
WEI = st.integers(0, 10**24)


@st.composite
def days(draw: st.DrawFn) -> DayInput:
    gm = {
        a: draw(st.sampled_from([0, 10**20, 10**22, 5 * 10**23, 10**24, 10**25])) for a in ACCOUNTS
    }
    deployments = []
    for k in range(draw(st.integers(0, 4))):
        accounts = draw(st.lists(st.sampled_from(ACCOUNTS), unique=True, max_size=5))
        participants = tuple(
            ParticipantInput(
                account=a,
                gross_spend=draw(st.one_of(st.just(0), st.integers(0, 10**12))),
                stake=draw(st.one_of(st.just(0), WEI)),
                effective_gmflock=gm[a],
            )
            for a in accounts
        )
        deployments.append(
            DeploymentInput(
                token=f"MT{k}",
                issuer=f"issuer{k}",
                age_days=draw(st.fractions(min_value=0, max_value=400, max_denominator=24)),
                paid_revenue=draw(st.one_of(st.just(0), st.integers(0, 10**12))),
                reserved_flock_released=draw(WEI),
                mt_reward_released=draw(WEI),
                participants=participants,
                alpha=draw(st.one_of(st.none(), st.fractions(min_value=0, max_value=1))),
            )
        )
    return DayInput(
        tuple(deployments),
        global_emission=draw(st.one_of(st.none(), st.integers(0, 10**26))),
        issuer_bonus_bps=draw(st.one_of(st.none(), st.integers(0, 5_000))),
    )
