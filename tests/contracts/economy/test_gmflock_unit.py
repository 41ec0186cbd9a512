"""GmFlock.vy: create, increase, extend, withdraw, effective balance, reverts, events."""

from __future__ import annotations

from typing import Any

import boa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fomo.chain.sources import contract_path
from fomo.economics.gmflock import effective_balance as offchain_effective_balance

DAY = 86400
YEAR = 365 * DAY


@pytest.fixture(scope="module")
def flock(make_token: Any) -> Any:
    return make_token("FLOCK")


@pytest.fixture(scope="module")
def gm(flock: Any) -> Any:
    return boa.load(str(contract_path("economy/GmFlock.vy")), flock)


@pytest.fixture(scope="module", autouse=True)
def funded(gm: Any, flock: Any, alice: Any, bob: Any) -> None:
    for who in (alice, bob):
        flock.faucet(who, 10**27)
        with boa.env.prank(who):
            flock.approve(gm, 2**256 - 1)


def now() -> int:
    return int(boa.env.evm.patch.timestamp)


def day_floor(t: int) -> int:
    return t // DAY * DAY


def last_event(contract: Any, name: str) -> Any:
    return next(e for e in reversed(contract.get_logs()) if type(e).__name__ == name)


def test_metadata_and_no_transfer(gm: Any, flock: Any) -> None:
    assert gm.name() == "gmFLOCK"
    assert gm.symbol() == "gmFLOCK"
    assert gm.decimals() == 18
    assert gm.FLOCK() == flock.address
    names = {f["name"] for f in gm.abi if f["type"] == "function"}
    assert not names & {"transfer", "transferFrom", "approve", "allowance"}


def test_constructor_rejects_zero() -> None:
    with boa.reverts("zero address"):
        boa.load(str(contract_path("economy/GmFlock.vy")), "0x" + "00" * 20)


def test_create_lock_rounds_to_day_and_emits(gm: Any, flock: Any, alice: Any) -> None:
    requested = now() + 100 * DAY + 12345
    before = flock.balanceOf(alice)
    with boa.env.prank(alice):
        gm.create_lock(10**21, requested)
    e = last_event(gm, "LockCreated")
    end = day_floor(requested)
    assert (e.account, e.amount, e.unlock_time) == (alice, 10**21, end)
    assert (e.total_locked, e.timestamp) == (10**21, now())
    assert gm.locked(alice) == (10**21, end)
    assert gm.total_locked() == 10**21
    assert flock.balanceOf(alice) == before - 10**21
    assert flock.balanceOf(gm) == 10**21


def test_create_lock_bounds(gm: Any, alice: Any) -> None:
    t = now()
    with boa.env.prank(alice), boa.reverts("zero amount"):
        gm.create_lock(0, t + 100 * DAY)
    # The rounded unlock must be at least 30 days away: t + 30 days rounds below it
    # unless t is exactly on a day boundary.
    min_ok = day_floor(t + 30 * DAY - 1) + DAY
    with boa.env.prank(alice), boa.reverts("lock too short"):
        gm.create_lock(1, min_ok - 1)
    with boa.env.prank(alice), boa.reverts("lock too long"):
        gm.create_lock(1, day_floor(t + YEAR) + DAY)
    with boa.env.anchor(), boa.env.prank(alice):
        gm.create_lock(1, min_ok)
        assert gm.locked(alice)[1] - now() >= 30 * DAY
    with boa.env.prank(alice):
        gm.create_lock(1, t + YEAR)  # rounds down, within bounds
    assert gm.locked(alice)[1] == day_floor(t + YEAR)
    with boa.env.prank(alice), boa.reverts("lock exists"):
        gm.create_lock(1, t + 100 * DAY)


def test_increase_amount(gm: Any, flock: Any, alice: Any) -> None:
    with boa.env.prank(alice), boa.reverts("no lock"):
        gm.increase_amount(5)
    with boa.env.prank(alice):
        gm.create_lock(100, now() + 60 * DAY)
    end = gm.locked(alice)[1]
    with boa.env.prank(alice), boa.reverts("zero amount"):
        gm.increase_amount(0)
    with boa.env.prank(alice):
        gm.increase_amount(50)
    e = last_event(gm, "AmountIncreased")
    assert (e.account, e.added, e.new_amount, e.unlock_time) == (alice, 50, 150, end)
    assert (e.total_locked, e.timestamp) == (150, now())
    assert gm.locked(alice) == (150, end)
    assert flock.balanceOf(gm) == 150
    boa.env.time_travel(seconds=end - now())
    with boa.env.prank(alice), boa.reverts("lock expired"):
        gm.increase_amount(1)


def test_extend_lock(gm: Any, alice: Any) -> None:
    with boa.env.prank(alice), boa.reverts("no lock"):
        gm.extend_lock(now() + 100 * DAY)
    with boa.env.prank(alice):
        gm.create_lock(100, now() + 60 * DAY)
    end = gm.locked(alice)[1]
    with boa.env.prank(alice), boa.reverts("can only extend"):
        gm.extend_lock(end + DAY - 1)  # same day after rounding
    with boa.env.prank(alice), boa.reverts("lock too long"):
        gm.extend_lock(day_floor(now() + YEAR) + DAY)
    with boa.env.prank(alice):
        gm.extend_lock(end + 10 * DAY)
    e = last_event(gm, "LockExtended")
    assert (e.account, e.amount, e.previous_unlock_time) == (alice, 100, end)
    assert (e.new_unlock_time, e.timestamp) == (end + 10 * DAY, now())
    assert gm.locked(alice) == (100, end + 10 * DAY)
    # Once less than 30 days remain, an extension must reach 30 days out again.
    boa.env.time_travel(seconds=gm.locked(alice)[1] - now() - 5 * DAY)
    with boa.env.prank(alice), boa.reverts("lock too short"):
        gm.extend_lock(gm.locked(alice)[1] + DAY)
    boa.env.time_travel(seconds=5 * DAY)
    with boa.env.prank(alice), boa.reverts("lock expired"):
        gm.extend_lock(now() + 100 * DAY)


def test_withdraw_only_after_expiry(gm: Any, flock: Any, alice: Any) -> None:
    with boa.env.prank(alice), boa.reverts("no lock"):
        gm.withdraw()
    with boa.env.prank(alice):
        gm.create_lock(777, now() + 40 * DAY)
    end = gm.locked(alice)[1]
    boa.env.time_travel(seconds=end - now() - 1)
    with boa.env.prank(alice), boa.reverts("lock not expired"):
        gm.withdraw()
    boa.env.time_travel(seconds=1)
    before = flock.balanceOf(alice)
    with boa.env.prank(alice):
        gm.withdraw()
    e = last_event(gm, "Withdrawn")
    assert (e.account, e.amount, e.total_locked, e.timestamp) == (alice, 777, 0, now())
    assert flock.balanceOf(alice) == before + 777
    assert gm.locked(alice) == (0, 0)
    assert gm.total_locked() == 0
    # A fresh lock is possible after withdrawing.
    with boa.env.prank(alice):
        gm.create_lock(1, now() + 31 * DAY)


def test_expired_lock_must_be_withdrawn_before_new(gm: Any, alice: Any) -> None:
    with boa.env.prank(alice):
        gm.create_lock(5, now() + 31 * DAY)
    boa.env.time_travel(seconds=40 * DAY)
    with boa.env.prank(alice), boa.reverts("lock exists"):
        gm.create_lock(5, now() + 31 * DAY)


def test_effective_balance_spec_example(gm: Any, alice: Any, bob: Any) -> None:
    """100 locked with a year left weighs the same as 200 with six months left."""
    with boa.env.prank(alice):
        gm.create_lock(100 * 10**18, now() + YEAR)
    with boa.env.prank(bob):
        gm.create_lock(200 * 10**18, now() + 200 * DAY)
    a_end = gm.locked(alice)[1]
    b_end = gm.locked(bob)[1]
    a = gm.effective_balance(alice, a_end - YEAR)
    b = gm.effective_balance(bob, b_end - YEAR // 2)
    assert a == b == 100 * 10**18
    assert gm.balanceOf(alice) == gm.effective_balance(alice, now())
    assert gm.effective_balance(alice, a_end) == 0
    assert gm.effective_balance(alice, a_end + 1) == 0
    # Before the lock existed the weight is capped at the amount.
    assert gm.effective_balance(alice, 0) == 100 * 10**18


@settings(max_examples=40)
@given(
    amount=st.integers(min_value=1, max_value=10**27),
    days=st.integers(min_value=31, max_value=365),
    offsets=st.lists(st.integers(min_value=0, max_value=400 * DAY), min_size=1, max_size=6),
)
def test_effective_balance_linear_floored(
    gm: Any, alice: Any, amount: int, days: int, offsets: list[int]
) -> None:
    start = now()
    with boa.env.prank(alice):
        gm.create_lock(amount, start + days * DAY)
    end = gm.locked(alice)[1]
    previous = amount
    for off in sorted(offsets):
        t = start + off
        got = gm.effective_balance(alice, t)
        want = amount * (end - t) // YEAR if t < end else 0
        assert got == want
        # The reward engine's off-chain formula agrees to the wei.
        assert got == offchain_effective_balance(amount, end - t)
        assert got <= amount
        assert got <= previous
        previous = got
