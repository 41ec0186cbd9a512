"""The upstream pool's pure core: weighted choice, health, and the breaker on a clock we move."""

from __future__ import annotations

from collections import Counter

import pytest

from fomo.gateway.upstream_pool import (
    Attempt,
    Breaker,
    BreakerState,
    Replica,
    UpstreamPool,
)


def pool(*weights: int, failures: int = 3, cooldown_s: float = 10.0) -> UpstreamPool:
    return UpstreamPool.of(
        [Replica(f"http://r{i}/v1", weight=w, name=f"r{i}") for i, w in enumerate(weights)],
        failures,
        cooldown_s,
    )


def picks(p: UpstreamPool, n: int, now: float = 0.0) -> list[int]:
    out = []
    for _ in range(n):
        a = p.acquire(now)
        assert a is not None
        p.on_success(a)
        out.append(a.index)
    return out


# --- selection ----------------------------------------------------------------------------------


def test_weights_give_exact_shares_in_every_cycle() -> None:
    p = pool(3, 1, 2)
    seq = picks(p, 600)
    for start in range(0, 600, 6):  # each cycle of sum(weights) picks has the exact split
        assert Counter(seq[start : start + 6]) == {0: 3, 1: 1, 2: 2}


def test_smooth_interleaving_not_bursts() -> None:
    # nginx's smooth round-robin spreads 5:1:1 as a a b a c a a, never five a's in a row
    assert picks(pool(5, 1, 1), 7) == [0, 0, 1, 0, 2, 0, 0]


def test_failover_never_hands_out_a_tried_replica() -> None:
    p = pool(1, 1, 1)
    tried: list[int] = []
    while (a := p.acquire(0.0, tried)) is not None:
        assert a.index not in tried
        tried.append(a.index)
        p.on_failure(a, 0.0)
    assert sorted(tried) == [0, 1, 2]


def test_unhealthy_replica_is_skipped_until_its_check_passes() -> None:
    p = pool(1, 1)
    p.on_health(1, False)
    assert set(picks(p, 10)) == {0}
    p.on_health(1, True)
    assert Counter(picks(p, 10)) == {0: 5, 1: 5}


def test_health_is_ignored_when_no_replica_passes() -> None:
    # a wrong health path must not take the model down: all failing = health ignored
    p = pool(1, 1)
    p.on_health(0, False)
    p.on_health(1, False)
    assert Counter(picks(p, 4)) == {0: 2, 1: 2}
    assert all(v.available for v in p.views(0.0))


def test_unhealthy_replica_is_still_a_failover_target_only_if_nothing_healthy_is_left() -> None:
    p = pool(1, 1)
    p.on_health(1, False)
    first = p.acquire(0.0)
    assert first is not None and first.index == 0
    # replica 0 failed; the unhealthy one is the last resort rather than an error
    second = p.acquire(0.0, [0])
    assert second is not None and second.index == 1


# --- the breaker --------------------------------------------------------------------------------


def test_breaker_opens_after_the_configured_consecutive_failures() -> None:
    b = Breaker(failures=3, cooldown_s=10.0)
    for _ in range(2):
        b.on_failure(1.0, trial=False)
    assert b.state_at(1.0) is BreakerState.CLOSED and b.admits(1.0)
    b.on_success(trial=False)  # a success resets the count: failures must be consecutive
    for _ in range(2):
        b.on_failure(2.0, trial=False)
    assert b.admits(2.0)
    b.on_failure(2.0, trial=False)
    assert b.state_at(2.0) is BreakerState.OPEN
    assert not b.admits(2.0) and not b.admits(11.99)
    assert b.retry_after(5.0) == pytest.approx(7.0)


def test_breaker_half_opens_after_cooldown_with_one_trial_at_a_time() -> None:
    b = Breaker(failures=1, cooldown_s=10.0)
    b.on_failure(0.0, trial=False)
    assert b.state_at(10.0) is BreakerState.HALF_OPEN
    assert b.admits(10.0)
    assert b.on_attempt(10.0) is True  # the trial
    assert not b.admits(10.5)  # a second request waits for the trial's verdict
    b.on_abandon(trial=True)  # the client left before the replica answered: no verdict
    assert b.admits(10.5) and b.state_at(10.5) is BreakerState.HALF_OPEN


def test_trial_success_closes_the_breaker() -> None:
    b = Breaker(failures=1, cooldown_s=10.0)
    b.on_failure(0.0, trial=False)
    trial = b.on_attempt(10.0)
    b.on_success(trial)
    assert b.state_at(10.0) is BreakerState.CLOSED
    assert b.on_attempt(10.0) is False and b.admits(10.0)


def test_trial_failure_reopens_for_a_whole_new_cooldown() -> None:
    b = Breaker(failures=3, cooldown_s=10.0)
    for _ in range(3):
        b.on_failure(0.0, trial=False)
    trial = b.on_attempt(12.0)
    assert trial
    b.on_failure(12.5, trial)
    assert b.state_at(12.5) is BreakerState.OPEN
    assert not b.admits(22.4) and b.admits(22.5)
    assert b.opened_count == 2


def test_late_outcomes_of_attempts_begun_before_opening_do_not_move_the_breaker() -> None:
    b = Breaker(failures=1, cooldown_s=10.0)
    b.on_failure(0.0, trial=False)  # opens
    b.on_failure(5.0, trial=False)  # a slow request started earlier: cooldown not restarted
    assert b.admits(10.0)
    b.on_success(trial=False)  # a slow success does not close it either: the trial decides
    assert b.state_at(5.0) is BreakerState.OPEN


def test_pool_breaker_cycle_on_a_moving_clock() -> None:
    p = pool(1, 1, failures=2, cooldown_s=5.0)
    # replica 1 fails every time it is tried; the client is served by replica 0 throughout
    served: list[int] = []
    t = 0.0
    for _ in range(20):
        tried: list[int] = []
        while (a := p.acquire(t, tried)) is not None:
            tried.append(a.index)
            if a.index == 1:
                p.on_failure(a, t)
                continue
            p.on_success(a)
            served.append(a.index)
            break
        t += 0.1
    assert served == [0] * 20
    view = {v.name: v for v in p.views(t)}
    assert view["r1"].breaker is BreakerState.OPEN and not view["r1"].available
    assert view["r1"].attempts == 2  # opened after its 2nd failure, then never tried again
    # after the cooldown exactly one request probes it; it recovered, so the breaker closes
    t += 5.0
    a = p.acquire(t, [0])
    assert a == Attempt(1, trial=True)
    assert p.acquire(t, [0]) is None  # the trial is in flight: no second probe
    p.on_success(a)
    assert {v.name: v.breaker for v in p.views(t)}["r1"] is BreakerState.CLOSED
    assert Counter(picks(p, 10, t)) == {0: 5, 1: 5}


def test_all_breakers_open_gives_no_replica_and_says_when_to_retry() -> None:
    p = pool(1, 1, failures=1, cooldown_s=30.0)
    for i in (0, 1):
        a = p.acquire(float(i), [1 - i])
        assert a is not None and a.index == i
        p.on_failure(a, float(i))
    assert p.acquire(2.0) is None
    assert p.retry_after(2.0) == pytest.approx(28.0)
