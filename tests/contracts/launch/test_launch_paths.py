"""create_launch, buy, graduate, claim, redeem and status: every path and every revert."""

from __future__ import annotations

import boa
import pytest

from fomo.economics.curve import (
    INCENTIVE_RESERVE,
    ISSUER_ALLOCATION,
    SALE_SUPPLY,
    TOTAL_SUPPLY,
    TREASURY_ALLOCATION,
    WAD,
)
from tests.contracts.launch.helpers import (
    DAY,
    FAILED,
    FAR,
    GRADUATED,
    GRADUATING,
    LIVE,
    MODEL_TYPE_ID,
    SALE,
    Stack,
    events,
)

LAUNCH_FEE = 32_768 * WAD


def test_create_pays_fee_deploys_unminted_token_and_opens_sale(stack: Stack) -> None:
    before = stack.flock.balanceOf(stack.treasury)
    mt = stack.create()
    (ev,) = events(stack.launchpad, "LaunchCreated")
    assert stack.flock.balanceOf(stack.treasury) - before == LAUNCH_FEE
    assert mt.totalSupply() == 0
    assert (mt.name(), mt.symbol(), mt.decimals()) == ("Qwen Alice", "QWENALICE", 18)
    assert mt.minter() == stack.launchpad.address
    assert stack.launchpad.status(mt.address) == LIVE
    assert stack.launchpad.creator_of(mt.address) == stack.creator
    assert not stack.launchpad.is_graduated(mt.address)
    assert ev.token == mt.address and ev.creator == stack.creator
    assert ev.modelTypeId == MODEL_TYPE_ID
    assert (ev.targetRaiseMin, ev.targetRaiseMax) == (100_000 * WAD, 500_000 * WAD)
    assert ev.targetSale == SALE_SUPPLY
    assert ev.saleEnd - ev.saleStart == SALE
    assert (ev.mtName, ev.mtSymbol, ev.isBundled) == ("Qwen Alice", "QWENALICE", False)
    assert stack.launchpad.launch_count() == 1
    assert stack.launchpad.launch_at(0) == mt.address


def test_create_reverts(stack: Stack) -> None:
    with boa.env.prank(stack.creator), boa.reverts("expired"):
        stack.launchpad.create_launch(MODEL_TYPE_ID, "A", "AB", 0, 0, 0)
    with boa.env.prank(stack.creator), boa.reverts("unknown model type"):
        stack.launchpad.create_launch(b"\x01" * 32, "A", "AB", 0, 0, FAR)
    with boa.env.prank(stack.admin):
        stack.launchpad.set_model_type_enabled(MODEL_TYPE_ID, False)
    with boa.env.prank(stack.creator), boa.reverts("model type disabled"):
        stack.launchpad.create_launch(MODEL_TYPE_ID, "A", "AB", 0, 0, FAR)
    poor = boa.env.generate_address("poor")
    with boa.env.prank(stack.admin):
        stack.launchpad.set_model_type_enabled(MODEL_TYPE_ID, True)
    with boa.env.prank(poor), boa.reverts():
        stack.launchpad.create_launch(MODEL_TYPE_ID, "A", "AB", 0, 0, FAR)


def test_bundled_first_buy_pays_base_fee_only(stack: Stack) -> None:
    gross = 100_000 * WAD
    quoted = stack.launchpad.quote_first_buy(MODEL_TYPE_ID, gross)
    creator_before = stack.flock.balanceOf(stack.creator)
    treasury_before = stack.flock.balanceOf(stack.treasury)
    mt = stack.create(first_buy=gross, min_mt_out=quoted[0])
    (ev,) = events(stack.launchpad, "Purchased")
    assert events(stack.launchpad, "LaunchCreated")[0].isBundled
    assert ev.antiSniperFee == 0
    assert ev.protocolFee == gross * 100 // 10_000 and ev.creatorFee == gross * 50 // 10_000
    assert ev.netUsed == gross - gross * 150 // 10_000 == quoted[1]
    assert ev.mtAllocated == quoted[0] == stack.launchpad.allocation_of(mt.address, stack.creator)
    # The creator paid gross + launch fee and got its own creator fee back.
    assert (
        creator_before - stack.flock.balanceOf(stack.creator) == gross + LAUNCH_FEE - ev.creatorFee
    )
    assert stack.flock.balanceOf(stack.treasury) - treasury_before == LAUNCH_FEE + ev.protocolFee
    assert stack.flock.balanceOf(stack.launchpad.address) == ev.netUsed


def test_bundled_first_buy_cap_and_slippage(stack: Stack) -> None:
    with boa.env.prank(stack.creator), boa.reverts("over bundle cap"):
        stack.launchpad.create_launch(MODEL_TYPE_ID, "A", "AB", 300_000 * WAD, 0, FAR)
    with boa.reverts("over bundle cap"):
        stack.launchpad.quote_first_buy(MODEL_TYPE_ID, 300_000 * WAD)
    mt_out = stack.launchpad.quote_first_buy(MODEL_TYPE_ID, 1_000 * WAD)[0]
    with boa.env.prank(stack.creator), boa.reverts("slippage"):
        stack.launchpad.create_launch(MODEL_TYPE_ID, "A", "AB", 1_000 * WAD, mt_out + 1, FAR)
    # A cap of 0 bps forbids any bundled buy.
    with boa.env.prank(stack.admin):
        stack.launchpad.set_fee_config(stack.treasury, 150, 50, LAUNCH_FEE, 9900, 0)
    with boa.env.prank(stack.creator), boa.reverts("over bundle cap"):
        stack.launchpad.create_launch(MODEL_TYPE_ID, "A", "AB", 1_000 * WAD, 0, FAR)


def test_tax_decays_100_bps_per_whole_minute_to_the_base_fee(stack: Stack) -> None:
    mt = stack.create()
    assert stack.launchpad.tax_bps(mt.address) == 9900
    boa.env.time_travel(seconds=59)
    assert stack.launchpad.tax_bps(mt.address) == 9900
    boa.env.time_travel(seconds=1)
    assert stack.launchpad.tax_bps(mt.address) == 9800
    boa.env.time_travel(seconds=96 * 60)
    assert stack.launchpad.tax_bps(mt.address) == 200
    boa.env.time_travel(seconds=60)
    assert stack.launchpad.tax_bps(mt.address) == 150
    boa.env.time_travel(seconds=DAY)
    assert stack.launchpad.tax_bps(mt.address) == 150


def test_buy_splits_fees_and_records_pledge(stack: Stack) -> None:
    mt = stack.create()
    user = stack.users[0]
    boa.env.time_travel(seconds=60 * 10)  # tax 8900 bps
    gross = 1_000 * WAD
    q = stack.launchpad.quote_buy(mt.address, gross)
    bal = stack.flock.balanceOf(user)
    creator_bal = stack.flock.balanceOf(stack.creator)
    out = stack.buy(mt, user, gross, min_mt_out=q[0])
    (ev,) = events(stack.launchpad, "Purchased")
    assert out == q[0] == ev.mtAllocated
    total_fee = -(-gross * 8900 // 10_000)
    assert ev.netUsed == gross - total_fee == q[1]
    assert ev.protocolFee + ev.creatorFee == -(-gross * 150 // 10_000)
    assert ev.antiSniperFee == total_fee - ev.protocolFee - ev.creatorFee
    assert (ev.protocolFee, ev.creatorFee, ev.antiSniperFee) == tuple(q[2:5])
    assert bal - stack.flock.balanceOf(user) == gross
    assert stack.flock.balanceOf(stack.creator) - creator_bal == ev.creatorFee
    assert stack.launchpad.principal_of(mt.address, user) == ev.netUsed
    assert stack.flock.balanceOf(stack.launchpad.address) == ev.netUsed
    assert mt.totalSupply() == 0  # nothing minted during the fundraise


def test_buy_reverts(stack: Stack) -> None:
    mt = stack.create()
    user = stack.users[0]
    with boa.env.prank(user), boa.reverts("expired"):
        stack.launchpad.buy(mt.address, WAD, 0, 0)
    with boa.env.prank(user), boa.reverts("unknown token"):
        stack.launchpad.buy(user, WAD, 0, FAR)
    with boa.env.prank(user), boa.reverts("zero amount"):
        stack.launchpad.buy(mt.address, 0, 0, FAR)
    with boa.env.prank(user), boa.reverts("zero net"):
        stack.launchpad.buy(mt.address, 1, 0, FAR)
    out = stack.launchpad.quote_buy(mt.address, 1_000 * WAD)[0]
    with boa.reverts("slippage"):
        stack.buy(mt, user, 1_000 * WAD, min_mt_out=out + 1)
    boa.env.time_travel(seconds=SALE)
    with boa.reverts("sale closed"):
        stack.buy(mt, user, 1_000 * WAD)
    with boa.reverts("sale closed"):
        stack.launchpad.quote_buy(mt.address, 1_000 * WAD)


def test_transfer_before_graduation_is_impossible(stack: Stack) -> None:
    mt = stack.create(first_buy=1_000 * WAD)
    assert stack.launchpad.allocation_of(mt.address, stack.creator) > 0
    with boa.env.prank(stack.creator), boa.reverts("erc20: transfer amount exceeds balance"):
        mt.transfer(stack.users[0], 1)
    with boa.env.prank(stack.creator), boa.reverts("not graduated"):
        stack.launchpad.claim(mt.address)


def test_partial_fill_refunds_and_graduates_automatically(stack: Stack) -> None:
    mt = stack.create(first_buy=10_000 * WAD)
    user = stack.users[1]
    boa.env.time_travel(seconds=2 * 3600)
    gross = 2_000_000 * WAD
    q = stack.launchpad.quote_buy(mt.address, gross)
    bal = stack.flock.balanceOf(user)
    stack.buy(mt, user, gross, min_mt_out=q[0])
    purchased = events(stack.launchpad, "Purchased")[0]
    assert purchased.netUsed == 500_000 * WAD - 10_000 * WAD * 9850 // 10_000
    assert purchased.flockIn == gross - q[5]
    assert bal - stack.flock.balanceOf(user) == gross - q[5]  # the refund was never taken
    assert stack.launchpad.status(mt.address) == GRADUATED
    launch = stack.launchpad.launches(mt.address)
    assert launch.sold == SALE_SUPPLY and launch.raised == 500_000 * WAD
    assert mt.totalSupply() == TOTAL_SUPPLY
    assert stack.flock.balanceOf(stack.launchpad.address) == 0
    with boa.reverts("sale closed"):
        stack.buy(mt, user, WAD)


def test_graduation_hands_everything_over(stack: Stack) -> None:
    mt = stack.create()
    stack.fill_to_max(mt, stack.users[0])
    logs = stack.launchpad.get_logs()
    (g,) = events(stack.launchpad, "Graduated")
    lp = stack.launchpad
    raised = 500_000 * WAD
    assert (g.raised, g.lpFlock, g.reservedFlock, g.protocolFlock) == (
        raised,
        raised * 7 // 10,
        raised * 2 // 10,
        raised // 10,
    )
    assert g.lpMt == 200_000 * WAD and g.soldMt == SALE_SUPPLY
    assert g.mintedMt == TOTAL_SUPPLY and g.unmintedMt == 0 and g.donatedFlock == 0
    dist = stack.distributor
    funded = {(e.token, e.pool): e.amount for e in logs if type(e).__name__ == "Funded"}
    assert funded == {
        (mt.address, mt.address): INCENTIVE_RESERVE,
        (stack.flock.address, mt.address): g.reservedFlock,
    }
    assert {e.funder for e in logs if type(e).__name__ == "Funded"} == {lp.address}
    # The MT Reward pool is minted straight to the distributor (no approval, no pull), and
    # the vesting pull leaves no allowance behind.
    mints = [
        (e.receiver, e.value)
        for e in logs
        if type(e).__name__ == "Transfer" and e.sender == "0x" + "00" * 20
    ]
    assert (dist.address, INCENTIVE_RESERVE) in mints
    assert (
        mt.allowance(lp.address, dist.address)
        == mt.allowance(lp.address, stack.vesting.address)
        == 0
    )
    assert dist.funded(mt.address) == mt.balanceOf(dist.address) == INCENTIVE_RESERVE
    assert dist.funded(stack.flock.address) == g.reservedFlock
    # Buyers' allocations stay with the launchpad until claimed; LP tokens are locked there.
    assert mt.balanceOf(lp.address) == SALE_SUPPLY
    pair = stack.pair_of(mt)
    assert pair.balanceOf(lp.address) == g.lpTokens == lp.launches(mt.address).lp_tokens > 0
    assert lp.launches(mt.address).pair == pair.address
    # Vesting: issuer and treasury, 100k each, cliff 90 d, 365 d from graduation.
    vest = stack.vesting
    for sid, who, amount in (
        (g.issuerVestingId, stack.creator, ISSUER_ALLOCATION),
        (g.treasuryVestingId, stack.treasury, TREASURY_ALLOCATION),
    ):
        s = vest.schedules(sid)
        assert (s.token, s.beneficiary, s.amount) == (mt.address, who, amount)
        assert (s.cliff, s.duration) == (90 * DAY, 365 * DAY)
        assert s.start == lp.launches(mt.address).sale_start + 2 * 3600
    assert mt.balanceOf(vest.address) == ISSUER_ALLOCATION + TREASURY_ALLOCATION
    # Twin schedules: one Vesting record, consecutive ids, one ScheduleCreated each.
    assert g.treasuryVestingId == g.issuerVestingId + 1
    created = [e for e in logs if type(e).__name__ == "ScheduleCreated"]
    assert [(e.id, e.beneficiary, e.funder) for e in created] == [
        (g.issuerVestingId, stack.creator, lp.address),
        (g.treasuryVestingId, stack.treasury, lp.address),
    ]
    assert mt.minting_closed()


def test_graduation_needs_the_funder_role_on_the_distributor(stack: Stack) -> None:
    """Graduation credits the pools it sends the distributor with `fund_transferred`: without
    the FUNDER role the graduating buy reverts as a whole (nothing is lost; the sale stays
    open) until the admin grants it."""
    dist = stack.distributor
    with boa.env.prank(stack.admin):
        dist.revoke_role(dist.FUNDER_ROLE(), stack.launchpad.address)
    mt = stack.create()
    boa.env.time_travel(seconds=2 * 3600)
    with boa.env.prank(stack.users[0]), boa.reverts("missing role"):
        stack.launchpad.buy(mt.address, 2_000_000 * WAD, 0, FAR)
    assert stack.launchpad.status(mt.address) == LIVE
    with boa.env.prank(stack.admin):
        dist.grant_role(dist.FUNDER_ROLE(), stack.launchpad.address)
    stack.buy(mt, stack.users[0], 2_000_000 * WAD)
    assert stack.launchpad.status(mt.address) == GRADUATED
    assert dist.funded(mt.address) == INCENTIVE_RESERVE


def test_manual_graduation_after_window_mints_only_what_is_used(stack: Stack) -> None:
    mt = stack.create()
    boa.env.time_travel(seconds=2 * 3600)
    stack.buy(mt, stack.users[0], 150_000 * WAD)
    with boa.reverts("sale live"):
        stack.launchpad.graduate(mt.address)
    boa.env.time_travel(seconds=SALE)
    assert stack.launchpad.status(mt.address) == GRADUATING
    with boa.env.prank(stack.users[3]):  # permissionless
        stack.launchpad.graduate(mt.address)
    (g,) = events(stack.launchpad, "Graduated")
    launch = stack.launchpad.launches(mt.address)
    assert g.soldMt == launch.sold < SALE_SUPPLY
    assert g.lpMt < 200_000 * WAD
    assert g.mintedMt == mt.totalSupply() == TOTAL_SUPPLY - g.unmintedMt
    assert g.unmintedMt == (SALE_SUPPLY - g.soldMt) + (200_000 * WAD - g.lpMt)
    assert stack.launchpad.status(mt.address) == GRADUATED
    with boa.reverts("already graduated"):
        stack.launchpad.graduate(mt.address)


def test_graduate_reverts_below_min_and_unknown(stack: Stack) -> None:
    mt = stack.create()
    stack.buy(mt, stack.users[0], 1_000 * WAD)
    boa.env.time_travel(seconds=SALE)
    assert stack.launchpad.status(mt.address) == FAILED
    with boa.reverts("below min"):
        stack.launchpad.graduate(mt.address)
    with boa.reverts("unknown token"):
        stack.launchpad.graduate(stack.users[0])


def test_claim_once(stack: Stack) -> None:
    mt = stack.create(first_buy=5_000 * WAD)
    alloc = stack.launchpad.allocation_of(mt.address, stack.creator)
    stack.fill_to_max(mt, stack.users[0])
    with boa.env.prank(stack.creator):
        assert stack.launchpad.claim(mt.address) == alloc
    (ev,) = events(stack.launchpad, "Claimed")
    assert (ev.buyer, ev.amount) == (stack.creator, alloc)
    assert mt.balanceOf(stack.creator) == alloc
    with boa.env.prank(stack.creator), boa.reverts("nothing to claim"):
        stack.launchpad.claim(mt.address)
    with boa.env.prank(stack.users[2]), boa.reverts("nothing to claim"):
        stack.launchpad.claim(mt.address)
    # Claimed MT is an ordinary token now: transferable and burnable.
    with boa.env.prank(stack.creator):
        mt.transfer(stack.users[2], 10)
        mt.burn(5)
    assert mt.totalSupply() == TOTAL_SUPPLY - 5


def test_redeem_returns_principal_only_once(stack: Stack) -> None:
    mt = stack.create()
    user = stack.users[0]
    boa.env.time_travel(seconds=30 * 60)
    bal = stack.flock.balanceOf(user)
    stack.buy(mt, user, 10_000 * WAD)
    principal = stack.launchpad.principal_of(mt.address, user)
    with boa.env.prank(user), boa.reverts("sale live"):
        stack.launchpad.redeem(mt.address)
    boa.env.time_travel(seconds=SALE)
    with boa.env.prank(user):
        assert stack.launchpad.redeem(mt.address) == principal
    (ev,) = events(stack.launchpad, "Redeemed")
    assert (ev.buyer, ev.amount) == (user, principal)
    assert bal - stack.flock.balanceOf(user) == 10_000 * WAD - principal  # fees are kept
    assert stack.launchpad.allocation_of(mt.address, user) == 0
    with boa.env.prank(user), boa.reverts("nothing to redeem"):
        stack.launchpad.redeem(mt.address)
    with boa.env.prank(user), boa.reverts("not graduated"):
        stack.launchpad.claim(mt.address)


def test_redeem_after_success_reverts(stack: Stack) -> None:
    mt = stack.create()
    boa.env.time_travel(seconds=2 * 3600)
    stack.buy(mt, stack.users[0], 150_000 * WAD)
    boa.env.time_travel(seconds=SALE)
    with boa.env.prank(stack.users[0]), boa.reverts("launch succeeded"):
        stack.launchpad.redeem(mt.address)  # Graduating
    stack.launchpad.graduate(mt.address)
    with boa.env.prank(stack.users[0]), boa.reverts("launch succeeded"):
        stack.launchpad.redeem(mt.address)  # Graduated
    with boa.reverts("unknown token"):
        stack.launchpad.redeem(stack.users[0])


def test_status_of_unknown_token_is_zero(stack: Stack) -> None:
    assert stack.launchpad.status(stack.users[0]) == 0
    assert stack.launchpad.creator_of(stack.users[0]) == "0x" + "00" * 20


@pytest.mark.parametrize("seconds", [0, 1])
def test_window_edge(stack: Stack, seconds: int) -> None:
    mt = stack.create()
    start = stack.launchpad.launches(mt.address).sale_start
    boa.env.timestamp = start + SALE - 1 + seconds
    assert stack.launchpad.status(mt.address) == (LIVE if seconds == 0 else FAILED)
