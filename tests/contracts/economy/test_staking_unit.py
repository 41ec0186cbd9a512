"""Staking.vy: stake, request_unstake, withdraw, admin parameters, events and reverts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boa
import pytest

from fomo.chain.sources import contract_path

from .helpers import ZERO_ADDRESS

DAY = 86400
MOCK_LAUNCHPAD = Path(__file__).resolve().parent / "MockLaunchpad.vy"


@pytest.fixture(scope="module")
def mt(make_token: Any) -> Any:
    return make_token("MTA")


@pytest.fixture(scope="module")
def mt2(make_token: Any) -> Any:
    return make_token("MTB")


@pytest.fixture(scope="module")
def staking(admin: Any) -> Any:
    return boa.load(str(contract_path("economy/Staking.vy")), admin, ZERO_ADDRESS)


@pytest.fixture(scope="module")
def funded(staking: Any, mt: Any, mt2: Any, alice: Any, bob: Any) -> None:
    for token in (mt, mt2):
        for who in (alice, bob):
            token.faucet(who, 10**24)
            with boa.env.prank(who):
                token.approve(staking, 2**256 - 1)


def _stake(staking: Any, token: Any, who: Any, amount: int) -> Any:
    with boa.env.prank(who):
        staking.stake(token, amount)
    return staking.get_logs()


@pytest.mark.usefixtures("funded")
def test_stake_moves_tokens_and_emits(staking: Any, mt: Any, alice: Any) -> None:
    before = mt.balanceOf(alice)
    logs = _stake(staking, mt, alice, 1000)
    assert mt.balanceOf(alice) == before - 1000
    assert mt.balanceOf(staking) == 1000
    assert staking.active_stake(mt, alice) == 1000
    assert staking.total_active(mt) == 1000
    ev = [e for e in logs if type(e).__name__ == "Staked"]
    assert len(ev) == 1
    e = ev[0]
    assert (e.token, e.account, e.amount) == (mt.address, alice, 1000)
    assert (e.new_active_balance, e.new_total_active) == (1000, 1000)
    assert e.timestamp == boa.env.evm.patch.timestamp


@pytest.mark.usefixtures("funded")
def test_stakes_accumulate_per_token_and_account(
    staking: Any, mt: Any, mt2: Any, alice: Any, bob: Any
) -> None:
    _stake(staking, mt, alice, 100)
    _stake(staking, mt, bob, 250)
    logs = _stake(staking, mt, alice, 50)
    _stake(staking, mt2, alice, 7)
    e = next(e for e in logs if type(e).__name__ == "Staked")
    assert (e.new_active_balance, e.new_total_active) == (150, 400)
    assert staking.active_stake(mt, alice) == 150
    assert staking.active_stake(mt, bob) == 250
    assert staking.total_active(mt) == 400
    assert staking.active_stake(mt2, alice) == 7
    assert staking.total_active(mt2) == 7


@pytest.mark.usefixtures("funded")
def test_stake_zero_reverts(staking: Any, mt: Any, alice: Any) -> None:
    with boa.env.prank(alice), boa.reverts("zero amount"):
        staking.stake(mt, 0)


def test_stake_without_allowance_reverts(staking: Any, mt: Any, carol: Any) -> None:
    mt.faucet(carol, 100)
    with boa.env.prank(carol), boa.reverts():
        staking.stake(mt, 100)
    assert staking.total_active(mt) == 0


@pytest.mark.usefixtures("funded")
def test_request_unstake_leaves_active_immediately(staking: Any, mt: Any, alice: Any) -> None:
    _stake(staking, mt, alice, 1000)
    with boa.env.prank(alice):
        staking.request_unstake(mt, 400)
    now = boa.env.evm.patch.timestamp
    e = next(e for e in staking.get_logs() if type(e).__name__ == "UnstakeRequested")
    assert (e.token, e.account, e.amount) == (mt.address, alice, 400)
    assert (e.new_active_balance, e.new_total_active) == (600, 600)
    assert (e.cooling_amount, e.unlock_time, e.timestamp) == (400, now + 7 * DAY, now)
    assert staking.active_stake(mt, alice) == 600
    assert staking.total_active(mt) == 600
    assert staking.total_cooling(mt) == 400
    assert staking.pending_unstake(mt, alice) == (400, now + 7 * DAY)
    assert staking.withdrawable(mt, alice) == 0
    # Tokens stay in the contract during the cooldown.
    assert mt.balanceOf(staking) == 1000


@pytest.mark.usefixtures("funded")
def test_request_unstake_reverts(staking: Any, mt: Any, alice: Any, bob: Any) -> None:
    _stake(staking, mt, alice, 10)
    with boa.env.prank(alice), boa.reverts("zero amount"):
        staking.request_unstake(mt, 0)
    with boa.env.prank(alice), boa.reverts("insufficient stake"):
        staking.request_unstake(mt, 11)
    with boa.env.prank(bob), boa.reverts("insufficient stake"):
        staking.request_unstake(mt, 1)


@pytest.mark.usefixtures("funded")
def test_withdraw_after_cooldown(staking: Any, mt: Any, alice: Any) -> None:
    _stake(staking, mt, alice, 1000)
    with boa.env.prank(alice):
        staking.request_unstake(mt, 1000)
    before = mt.balanceOf(alice)
    boa.env.time_travel(seconds=7 * DAY - 1)
    with boa.env.prank(alice), boa.reverts("cooldown active"):
        staking.withdraw(mt)
    boa.env.time_travel(seconds=1)
    assert staking.withdrawable(mt, alice) == 1000
    with boa.env.prank(alice):
        staking.withdraw(mt)
    e = next(e for e in staking.get_logs() if type(e).__name__ == "Withdrawn")
    assert (e.token, e.account, e.amount) == (mt.address, alice, 1000)
    assert e.timestamp == boa.env.evm.patch.timestamp
    assert mt.balanceOf(alice) == before + 1000
    assert mt.balanceOf(staking) == 0
    assert staking.total_cooling(mt) == 0
    assert staking.pending_unstake(mt, alice) == (0, 0)
    with boa.env.prank(alice), boa.reverts("nothing to withdraw"):
        staking.withdraw(mt)


@pytest.mark.usefixtures("funded")
def test_withdraw_nothing_reverts(staking: Any, mt: Any, alice: Any) -> None:
    with boa.env.prank(alice), boa.reverts("nothing to withdraw"):
        staking.withdraw(mt)


@pytest.mark.usefixtures("funded")
def test_second_request_restarts_cooldown_for_bucket(staking: Any, mt: Any, alice: Any) -> None:
    _stake(staking, mt, alice, 1000)
    with boa.env.prank(alice):
        staking.request_unstake(mt, 100)
    boa.env.time_travel(seconds=5 * DAY)
    with boa.env.prank(alice):
        staking.request_unstake(mt, 200)
    now = boa.env.evm.patch.timestamp
    assert staking.pending_unstake(mt, alice) == (300, now + 7 * DAY)
    boa.env.time_travel(seconds=3 * DAY)  # first request's original unlock has passed
    with boa.env.prank(alice), boa.reverts("cooldown active"):
        staking.withdraw(mt)
    boa.env.time_travel(seconds=4 * DAY)
    with boa.env.prank(alice):
        staking.withdraw(mt)
    assert staking.active_stake(mt, alice) == 700
    assert mt.balanceOf(staking) == 700


@pytest.mark.usefixtures("funded")
def test_withdraw_only_own_token_bucket(staking: Any, mt: Any, mt2: Any, alice: Any) -> None:
    _stake(staking, mt, alice, 10)
    _stake(staking, mt2, alice, 10)
    with boa.env.prank(alice):
        staking.request_unstake(mt, 10)
    boa.env.time_travel(seconds=8 * DAY)
    with boa.env.prank(alice), boa.reverts("nothing to withdraw"):
        staking.withdraw(mt2)
    with boa.env.prank(alice):
        staking.withdraw(mt)
    assert mt2.balanceOf(staking) == 10


def test_cooldown_parameter_bounds(staking: Any, admin: Any, alice: Any) -> None:
    assert staking.cooldown_period() == 7 * DAY
    assert staking.MIN_COOLDOWN() == DAY
    assert staking.MAX_COOLDOWN() == 30 * DAY
    with boa.env.prank(alice), boa.reverts("not admin"):
        staking.set_cooldown_period(2 * DAY)
    with boa.env.prank(admin), boa.reverts("cooldown too short"):
        staking.set_cooldown_period(DAY - 1)
    with boa.env.prank(admin), boa.reverts("cooldown too long"):
        staking.set_cooldown_period(30 * DAY + 1)
    with boa.env.prank(admin):
        staking.set_cooldown_period(DAY)
    e = staking.get_logs()[0]
    assert (e.previous_period, e.new_period) == (7 * DAY, DAY)
    with boa.env.prank(admin):
        staking.set_cooldown_period(30 * DAY)
    assert staking.cooldown_period() == 30 * DAY


@pytest.mark.usefixtures("funded")
def test_cooldown_change_does_not_touch_pending(
    staking: Any, mt: Any, admin: Any, alice: Any
) -> None:
    _stake(staking, mt, alice, 10)
    with boa.env.prank(alice):
        staking.request_unstake(mt, 10)
    unlock = staking.pending_unstake(mt, alice)[1]
    with boa.env.prank(admin):
        staking.set_cooldown_period(DAY)
    assert staking.pending_unstake(mt, alice)[1] == unlock
    boa.env.time_travel(seconds=2 * DAY)
    with boa.env.prank(alice), boa.reverts("cooldown active"):
        staking.withdraw(mt)


@pytest.mark.usefixtures("funded")
def test_launchpad_gating(staking: Any, mt: Any, mt2: Any, admin: Any, alice: Any) -> None:
    launchpad = boa.load(str(MOCK_LAUNCHPAD))
    with boa.env.prank(alice), boa.reverts("not admin"):
        staking.set_launchpad(launchpad)
    with boa.env.prank(admin), boa.reverts("not a contract"):
        staking.set_launchpad(alice)
    with boa.env.prank(admin):
        staking.set_launchpad(launchpad)
    e = staking.get_logs()[0]
    assert (e.previous_launchpad, e.new_launchpad) == (ZERO_ADDRESS, launchpad.address)
    launchpad.set_graduated(mt, True)
    _stake(staking, mt, alice, 5)
    with boa.env.prank(alice), boa.reverts("not graduated"):
        staking.stake(mt2, 5)
    # Unstaking never depends on the launchpad.
    launchpad.set_graduated(mt, False)
    with boa.env.prank(alice):
        staking.request_unstake(mt, 5)
    with boa.env.prank(admin):
        staking.set_launchpad(ZERO_ADDRESS)
    _stake(staking, mt2, alice, 5)
    assert staking.total_active(mt2) == 5


def test_constructor_with_launchpad(admin: Any) -> None:
    launchpad = boa.load(str(MOCK_LAUNCHPAD))
    s = boa.load(str(contract_path("economy/Staking.vy")), admin, launchpad)
    assert s.launchpad() == launchpad.address
    assert s.admin() == admin
    with boa.reverts("not a contract"):
        boa.load(str(contract_path("economy/Staking.vy")), admin, admin)
