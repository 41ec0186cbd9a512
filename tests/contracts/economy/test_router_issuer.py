"""RevenueRouter issuer share as a pull payment: credited at settle, withdrawn by the issuer.

A USDC-blacklisted issuer (``BlacklistUSDC.vy``, a double of Circle's blacklist) used to make
every later ``settle`` of its MT revert, because the share was pushed in the same transaction.
"""

from __future__ import annotations

from typing import Any

import boa
import pytest

from .helpers import ZERO_ADDRESS, deployer, events

USDC = 10**6


@pytest.fixture(autouse=True)
def _isolate(isolate: None) -> None:
    pass


@pytest.fixture
def blacklist_usdc() -> Any:
    return deployer("BlacklistUSDC.vy").deploy()


@pytest.fixture
def router_bl(
    admin: Any,
    blacklist_usdc: Any,
    flock: Any,
    dex: Any,
    launchpad: Any,
    treasury: Any,
    settler: Any,
) -> Any:
    """A RevenueRouter settling in the blacklisting USDC double."""
    with boa.env.prank(admin):
        rr = deployer("economy/RevenueRouter.vy").deploy(
            admin, blacklist_usdc.address, flock.address, dex.address,
            launchpad.address, treasury,
        )  # fmt: skip
        rr.grant_role(rr.SETTLER_ROLE(), settler)
    blacklist_usdc.faucet(settler, 10**9 * USDC, sender=settler)
    blacklist_usdc.approve(rr.address, 2**256 - 1, sender=settler)
    return rr


def test_blacklisted_issuer_does_not_block_settlement(
    router_bl: Any, blacklist_usdc: Any, settler: Any, mt: Any, issuer: Any
) -> None:
    rr, usdc = router_bl, blacklist_usdc
    rr.settle(mt.address, 1_000 * USDC, 1, sender=settler)
    usdc.blacklist(issuer)
    # with a push payment this settle reverted, and so did every later one for this MT
    rr.settle(mt.address, 2_000 * USDC, 2, sender=settler)
    rr.settle(mt.address, 500 * USDC, 3, sender=settler)
    assert rr.issuer_revenue(issuer, mt.address) == 350 * USDC
    assert rr.total_issuer_owed() == 350 * USDC
    assert usdc.balanceOf(issuer) == 0
    assert usdc.balanceOf(rr.address) == rr.total_reserved() + rr.total_issuer_owed()
    # the issuer cannot receive USDC, but can send its credit elsewhere
    with boa.reverts("Blacklistable: account is blacklisted"):
        rr.claim_issuer_revenue(mt.address, issuer, sender=issuer)
    elsewhere = boa.env.generate_address("issuer-cold-wallet")
    assert rr.claim_issuer_revenue(mt.address, elsewhere, sender=issuer) == 350 * USDC
    assert usdc.balanceOf(elsewhere) == 350 * USDC
    assert rr.issuer_revenue(issuer, mt.address) == 0
    assert rr.total_issuer_owed() == 0
    assert usdc.balanceOf(rr.address) == rr.total_reserved()


def test_settle_credits_the_issuer_with_an_event(
    revenue_router: Any, settler: Any, usdc: Any, mt: Any, mt2: Any, issuer: Any
) -> None:
    rr = revenue_router
    rr.settle(mt.address, 1_000_003, 7, sender=settler)
    (credited,) = events(rr, "IssuerCredited")
    assert (credited.issuer, credited.token, credited.epoch) == (issuer, mt.address, 7)
    assert (credited.amount, credited.owed) == (100_000, 100_000)
    rr.settle(mt.address, 2_000_000, 8, sender=settler)
    (credited,) = events(rr, "IssuerCredited")
    assert (credited.amount, credited.owed) == (200_000, 300_000)
    assert usdc.balanceOf(issuer) == 0
    # per issuer and MT: the same issuer's other MT has its own balance
    assert rr.issuer_revenue(issuer, mt2.address) == 0
    assert rr.issuer_revenue(issuer, mt.address) == 300_000


def test_claim_issuer_revenue(
    revenue_router: Any, settler: Any, usdc: Any, mt: Any, issuer: Any, issuer2: Any
) -> None:
    rr = revenue_router
    rr.settle(mt.address, 10 * USDC, 1, sender=settler)
    with boa.reverts("nothing to claim"):  # only the MT's issuer has a credit
        rr.claim_issuer_revenue(mt.address, issuer2, sender=issuer2)
    with boa.reverts("zero address"):
        rr.claim_issuer_revenue(mt.address, ZERO_ADDRESS, sender=issuer)
    assert rr.claim_issuer_revenue(mt.address, issuer, sender=issuer) == USDC
    (claimed,) = events(rr, "IssuerRevenueClaimed")
    assert (claimed.issuer, claimed.token, claimed.recipient, claimed.amount) == (
        issuer,
        mt.address,
        issuer,
        USDC,
    )
    assert usdc.balanceOf(issuer) == USDC
    with boa.reverts("nothing to claim"):
        rr.claim_issuer_revenue(mt.address, issuer, sender=issuer)


def test_loose_usdc_never_includes_issuer_credits(
    revenue_router: Any, settler: Any, usdc: Any, mt: Any, issuer: Any
) -> None:
    """A settle uses USDC beyond reserves *and* unclaimed credits, never the credits."""
    rr = revenue_router
    rr.settle(mt.address, 1_000, 1, sender=settler)  # 600 reserved, 100 owed
    usdc.faucet(rr.address, 50, sender=settler)  # 50 loose
    before = usdc.balanceOf(settler)
    rr.settle(mt.address, 1_000, 2, sender=settler)
    assert events(rr, "Settled")[0].pulled == 950
    assert usdc.balanceOf(settler) == before - 950
    assert usdc.balanceOf(rr.address) == rr.total_reserved() + rr.total_issuer_owed()
    assert rr.claim_issuer_revenue(mt.address, issuer, sender=issuer) == 200
