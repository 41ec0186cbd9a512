"""RevenueRouter.settle: the 30/30/30/10 split, idempotency per (token, epoch), reverts."""

from __future__ import annotations

from typing import Any

import boa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .helpers import ZERO_ADDRESS, deployer, events


@pytest.fixture(autouse=True)
def _isolate(isolate: None) -> None:
    pass


def split(amount: int) -> tuple[int, int, int, int]:
    """(flock buyback, treasury, mt buyback, issuer) — independent restatement of SPEC §7."""
    flock = amount * 30 // 100
    mt = amount * 30 // 100
    issuer = amount * 10 // 100
    return flock, amount - flock - mt - issuer, mt, issuer


def test_constants_and_initial_state(revenue_router: Any, usdc: Any, flock: Any) -> None:
    rr = revenue_router
    assert rr.FLOCK_BUYBACK_BPS() + rr.TREASURY_BPS() + rr.MT_BUYBACK_BPS() + rr.ISSUER_BPS() == (
        10_000
    )
    assert rr.USDC() == usdc.address
    assert rr.FLOCK() == flock.address
    assert rr.impact_bound_bps() == 100
    assert rr.twap_window() == 1800
    assert rr.total_reserved() == 0


def test_settle_splits_exactly_and_logs(
    revenue_router: Any,
    settler: Any,
    usdc: Any,
    flock: Any,
    mt: Any,
    issuer: Any,
    treasury: Any,
) -> None:
    rr = revenue_router
    amount = 1_000_003  # 1.000003 USDC: 3 base units of dust
    before = usdc.balanceOf(settler)
    rr.settle(mt.address, amount, 7, sender=settler)
    (event,) = events(rr, "Settled")
    assert (event.token, event.epoch, event.usdc_amount) == (mt.address, 7, amount)
    assert (event.flock_buyback, event.mt_buyback, event.issuer_amount) == (
        300_000,
        300_000,
        100_000,
    )
    assert event.treasury_amount == 300_003  # dust to treasury
    assert (event.issuer, event.pulled) == (issuer, amount)
    assert usdc.balanceOf(settler) == before - amount
    assert usdc.balanceOf(treasury) == 300_003
    assert usdc.balanceOf(issuer) == 0  # credited, withdrawn with claim_issuer_revenue
    assert rr.issuer_revenue(issuer, mt.address) == 100_000
    assert rr.buyback_reserve(flock.address) == 300_000
    assert rr.buyback_reserve(mt.address) == 300_000
    assert rr.total_reserved() == 600_000
    assert usdc.balanceOf(rr.address) == 700_000
    assert rr.settled(mt.address, 7)


def test_settle_is_idempotent_per_token_and_epoch(
    revenue_router: Any, settler: Any, mt: Any, mt2: Any, flock: Any
) -> None:
    rr = revenue_router
    rr.settle(mt.address, 1_000, 1, sender=settler)
    with boa.reverts("already settled"):
        rr.settle(mt.address, 1_000, 1, sender=settler)
    with boa.reverts("already settled"):
        rr.settle(mt.address, 5, 1, sender=settler)
    rr.settle(mt.address, 1_000, 2, sender=settler)
    rr.settle(mt2.address, 1_000, 1, sender=settler)
    assert rr.buyback_reserve(flock.address) == 900
    assert rr.buyback_reserve(mt.address) == 600
    assert rr.buyback_reserve(mt2.address) == 300


def test_settle_reverts(
    revenue_router: Any,
    settler: Any,
    keeper: Any,
    admin: Any,
    usdc: Any,
    flock: Any,
    mt: Any,
    launchpad: Any,
) -> None:
    rr = revenue_router
    for who in (keeper, admin):
        with boa.reverts("missing role"):
            rr.settle(mt.address, 1, 1, sender=who)
    with boa.reverts("zero amount"):
        rr.settle(mt.address, 0, 1, sender=settler)
    for bad in (flock.address, usdc.address, ZERO_ADDRESS):
        with boa.reverts("bad token"):
            rr.settle(bad, 1, 1, sender=settler)
    unknown = boa.env.generate_address()
    with boa.reverts("not graduated"):
        rr.settle(unknown, 1, 1, sender=settler)
    launchpad.set_launch(unknown, ZERO_ADDRESS, True)
    with boa.reverts("no issuer"):
        rr.settle(unknown, 1, 1, sender=settler)
    usdc.approve(rr.address, 0, sender=settler)
    with boa.reverts():  # the token's own allowance revert
        rr.settle(mt.address, 10, 1, sender=settler)
    assert not rr.settled(mt.address, 1)


def test_settle_uses_usdc_already_sent_to_the_router_first(
    revenue_router: Any, settler: Any, usdc: Any, mt: Any, treasury: Any
) -> None:
    rr = revenue_router
    rr.settle(mt.address, 1_000, 1, sender=settler)  # 600 now reserved, 100 owed the issuer
    # e.g. the PaymentVault withdrew 700 of settled revenue straight to the router
    usdc.faucet(rr.address, 700, sender=settler)
    before = usdc.balanceOf(settler)
    rr.settle(mt.address, 1_000, 2, sender=settler)
    (event,) = events(rr, "Settled")
    assert event.pulled == 300
    assert usdc.balanceOf(settler) == before - 300
    assert rr.total_reserved() == 1_200
    # reserves and issuer credits are never spent by a settle
    assert usdc.balanceOf(rr.address) == 1_200 + rr.total_issuer_owed() == 1_400
    rr.settle(mt.address, 50, 3, sender=settler)
    assert events(rr, "Settled")[0].pulled == 50


def test_tiny_amounts_all_go_to_treasury(
    revenue_router: Any, settler: Any, usdc: Any, mt: Any, treasury: Any, issuer: Any
) -> None:
    revenue_router.settle(mt.address, 3, 1, sender=settler)
    assert usdc.balanceOf(treasury) == 3
    assert revenue_router.issuer_revenue(issuer, mt.address) == 0
    assert revenue_router.total_reserved() == 0


@settings(max_examples=30)
@given(amount=st.integers(min_value=1, max_value=10**24))
def test_property_split_sums_to_input(
    revenue_router: Any,
    settler: Any,
    usdc: Any,
    flock: Any,
    mt: Any,
    issuer: Any,
    treasury: Any,
    amount: int,
) -> None:
    with boa.env.anchor():
        rr = revenue_router
        t0 = usdc.balanceOf(treasury)
        rr.settle(mt.address, amount, 1, sender=settler)
        (event,) = events(rr, "Settled")
        parts = (event.flock_buyback, event.treasury_amount, event.mt_buyback, event.issuer_amount)
        assert sum(parts) == amount
        assert parts == split(amount)
        assert 0 <= event.treasury_amount - 3 * amount // 10 < 4  # dust is at most 3 units
        assert usdc.balanceOf(treasury) - t0 == event.treasury_amount
        assert rr.issuer_revenue(issuer, mt.address) == event.issuer_amount
        assert rr.total_reserved() == parts[0] + parts[2]
        assert usdc.balanceOf(rr.address) == rr.total_reserved() + rr.total_issuer_owed()


def test_parameter_setters(revenue_router: Any, admin: Any, settler: Any) -> None:
    rr = revenue_router
    with boa.reverts("not admin"):
        rr.set_impact_bound(200, sender=settler)
    for bad in (9, 1001):
        with boa.reverts("bound out of range"):
            rr.set_impact_bound(bad, sender=admin)
    rr.set_impact_bound(10, sender=admin)
    (event,) = events(rr, "ImpactBoundUpdated")
    assert (event.old_bps, event.new_bps) == (100, 10)
    rr.set_impact_bound(1000, sender=admin)
    assert rr.impact_bound_bps() == 1000
    with boa.reverts("not admin"):
        rr.set_twap_window(600, sender=settler)
    for bad in (299, 86401):
        with boa.reverts("window out of range"):
            rr.set_twap_window(bad, sender=admin)
    rr.set_twap_window(300, sender=admin)
    rr.set_twap_window(86400, sender=admin)
    assert rr.twap_window() == 86400
    new = boa.env.generate_address()
    with boa.reverts("not admin"):
        rr.set_treasury(new, sender=settler)
    with boa.reverts("zero address"):
        rr.set_treasury(ZERO_ADDRESS, sender=admin)
    rr.set_treasury(new, sender=admin)
    assert rr.treasury() == new


def test_constructor_checks(
    admin: Any, usdc: Any, flock: Any, dex: Any, launchpad: Any, treasury: Any
) -> None:
    rr = deployer("economy/RevenueRouter.vy")
    args = [
        admin,
        usdc.address,
        flock.address,
        dex.address,
        launchpad.address,
        treasury,
    ]
    for i, reason in ((1, "zero address"), (3, "zero address"), (5, "zero address")):
        bad = list(args)
        bad[i] = ZERO_ADDRESS
        with boa.reverts(reason):
            rr.deploy(*bad)
    same = list(args)
    same[2] = usdc.address
    with boa.reverts("same token"):
        rr.deploy(*same)
