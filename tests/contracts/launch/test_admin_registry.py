"""Admin: two-step transfer, bounded fee config, model-type registry; non-admins refused."""

from __future__ import annotations

import boa
import pytest
from eth_utils import keccak

from fomo.chain.sources import contract_path
from fomo.economics.curve import WAD
from tests.contracts.launch.helpers import BASE_MODEL, MODEL_TYPE_ID, TIER, Stack, events

FEE = 32_768 * WAD


def test_defaults(stack: Stack) -> None:
    lp = stack.launchpad
    assert lp.admin() == stack.admin
    assert lp.fee_recipient() == stack.treasury
    assert (lp.base_fee_bps(), lp.creator_fee_bps(), lp.launch_creation_fee()) == (150, 50, FEE)
    assert (lp.anti_sniper_tax_start(), lp.max_bundle_bps()) == (9900, 2500)
    mt = lp.model_types(MODEL_TYPE_ID)
    assert (mt.base_model, mt.pricing_tier, mt.enabled) == (BASE_MODEL, TIER, True)
    assert (mt.min_raise, mt.max_raise) == (lp.DEFAULT_MIN_RAISE(), lp.DEFAULT_MAX_RAISE())
    assert (mt.lp_bps, mt.reserved_bps, mt.protocol_bps) == (7000, 2000, 1000)
    assert lp.model_type_count() == 1 and lp.model_type_at(0) == MODEL_TYPE_ID


def test_set_fee_config_emits_event_and_applies_to_new_launches_only(stack: Stack) -> None:
    lp = stack.launchpad
    old = stack.create()
    new_recipient = stack.users[2]
    with boa.env.prank(stack.admin):
        lp.set_fee_config(new_recipient, 1000, 400, 0, 5000, 1000)
    (ev,) = events(lp, "FeeConfigUpdated")
    assert (ev.feeRecipient, ev.baseFeeBps, ev.creatorFeeBps) == (new_recipient, 1000, 400)
    assert (ev.launchCreationFee, ev.antiSniperTaxStartValue, ev.maxBundleBps) == (0, 5000, 1000)
    new = stack.create()
    assert lp.tax_bps(old.address) == 9900
    assert lp.tax_bps(new.address) == 5000
    launch = lp.launches(new.address)
    assert (launch.base_fee_bps, launch.creator_fee_bps) == (1000, 400)


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        ((1001, 50, FEE, 9900, 2500), "base fee too high"),
        ((150, 151, FEE, 9900, 2500), "creator fee above base"),
        ((150, 50, FEE, 9901, 2500), "tax start too high"),
        ((150, 50, FEE, 149, 2500), "tax start below base"),
        ((150, 50, 1_000_001 * WAD, 9900, 2500), "launch fee too high"),
        ((150, 50, FEE, 9900, 2501), "bundle cap too high"),
    ],
)
def test_fee_config_bounds(stack: Stack, args: tuple[int, ...], reason: str) -> None:
    with boa.env.prank(stack.admin), boa.reverts(reason):
        stack.launchpad.set_fee_config(stack.treasury, *args)


def test_fee_config_zero_recipient(stack: Stack) -> None:
    with boa.env.prank(stack.admin), boa.reverts("zero address"):
        stack.launchpad.set_fee_config("0x" + "00" * 20, 150, 50, FEE, 9900, 2500)


def test_non_admin_setters_revert(stack: Stack) -> None:
    lp = stack.launchpad
    other = stack.users[0]
    calls = [
        lambda: lp.set_fee_config(other, 150, 50, FEE, 9900, 2500),
        lambda: lp.register_model_type(
            keccak(text="x"), "x", TIER, 100_000 * WAD, 500_000 * WAD, 7000, 2000, 1000
        ),
        lambda: lp.set_model_type_enabled(MODEL_TYPE_ID, False),
        lambda: lp.set_reward_distributor(other),
        lambda: lp.set_vesting(other),
        lambda: lp.transfer_admin(other),
    ]
    for call in calls:
        with boa.env.prank(other), boa.reverts("not admin"):
            call()


def test_two_step_admin_transfer(stack: Stack) -> None:
    lp = stack.launchpad
    new_admin = stack.users[1]
    with boa.env.prank(stack.admin):
        lp.transfer_admin(new_admin)
    assert lp.admin() == stack.admin and lp.pending_admin() == new_admin
    with boa.env.prank(stack.users[2]), boa.reverts("not pending admin"):
        lp.accept_admin()
    with boa.env.prank(new_admin):
        lp.accept_admin()
    assert lp.admin() == new_admin
    with boa.env.prank(stack.admin), boa.reverts("not admin"):
        lp.set_vesting(stack.users[0])


def test_register_model_type(stack: Stack) -> None:
    name = "deepseek-v3.2"
    mid = stack.register(name, 200_000 * WAD, 1_000_000 * WAD, 8000, 1000, 1000)
    (ev,) = events(stack.launchpad, "ModelTypeRegistered")
    assert (ev.modelTypeId, ev.baseModel, ev.minRaise, ev.lpBps) == (mid, name, 200_000 * WAD, 8000)
    assert stack.launchpad.model_type_count() == 2
    with boa.env.prank(stack.admin), boa.reverts("model type exists"):
        stack.launchpad.register_model_type(
            mid, name, TIER, 200_000 * WAD, 1_000_000 * WAD, 8000, 1000, 1000
        )
    mt = stack.create(model_type_id=mid)
    assert stack.launchpad.launches(mt.address).max_raise == 1_000_000 * WAD


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        ((100_000, 500_000, 5000, 4000, 1000), "lp share too low"),
        ((100_000, 500_000, 7000, 2000, 999), "shares must sum to 10000"),
        ((999, 500_000, 7000, 2000, 1000), "min raise too low"),
        ((600_000, 500_000, 7000, 2000, 1000), "min above max"),
        ((100_000, 100_000_001, 7000, 2000, 1000), "max raise too high"),
    ],
)
def test_model_type_bounds(stack: Stack, args: tuple[int, ...], reason: str) -> None:
    lo, hi, *bps = args
    with boa.env.prank(stack.admin), boa.reverts(reason):
        stack.launchpad.register_model_type(keccak(text="m"), "m", TIER, lo * WAD, hi * WAD, *bps)


def test_model_type_id_must_be_hash_of_name(stack: Stack) -> None:
    with boa.env.prank(stack.admin), boa.reverts("id mismatch"):
        stack.launchpad.register_model_type(
            keccak(text="a"), "b", TIER, 100_000 * WAD, 500_000 * WAD, 7000, 2000, 1000
        )


def test_disable_model_type(stack: Stack) -> None:
    live = stack.create()
    with boa.env.prank(stack.admin):
        stack.launchpad.set_model_type_enabled(MODEL_TYPE_ID, False)
        with boa.reverts("unknown model type"):
            stack.launchpad.set_model_type_enabled(keccak(text="nope"), False)
    with boa.reverts("model type disabled"):
        stack.create()
    # A live launch is unaffected.
    stack.buy(live, stack.users[0], 1_000 * WAD)


def test_set_destinations(stack: Stack) -> None:
    distributor2 = boa.load(
        str(contract_path("economy/RewardDistributor.vy")), stack.admin, stack.treasury
    )
    with boa.env.prank(stack.admin):
        # Graduation credits the pools with `fund_transferred`, which needs the FUNDER role:
        # a distributor that has not granted it would make every graduation revert.
        with boa.reverts("launchpad not funder"):
            stack.launchpad.set_reward_distributor(distributor2.address)
        distributor2.grant_role(distributor2.FUNDER_ROLE(), stack.launchpad.address)
        stack.launchpad.set_reward_distributor(distributor2.address)
        stack.launchpad.set_vesting(stack.users[1])
        with boa.reverts("zero address"):
            stack.launchpad.set_vesting("0x" + "00" * 20)
        with boa.reverts("zero address"):
            stack.launchpad.set_reward_distributor("0x" + "00" * 20)
    assert stack.launchpad.reward_distributor() == distributor2.address
    assert stack.launchpad.vesting() == stack.users[1]
