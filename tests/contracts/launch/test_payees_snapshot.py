"""Item: an admin change of treasury, RewardDistributor or Vesting during a sale must not
redirect that launch's money (fees, Reserved FLOCK, MT Reward pool, vested MT); launches
created after the change use the new addresses."""

from __future__ import annotations

from typing import Any

import boa

from fomo.economics.curve import INCENTIVE_RESERVE, WAD
from tests.contracts.launch.helpers import Stack, events, grant_funder

ISSUER_AND_TREASURY_MT = 200_000 * WAD


def _new_payees(stack: Stack) -> tuple[Any, Any, Any]:
    from fomo.chain.sources import contract_path

    treasury2 = boa.env.generate_address("treasury2")
    vesting2 = boa.load(str(contract_path("economy/Vesting.vy")))
    distributor2 = boa.load(
        str(contract_path("economy/RewardDistributor.vy")), stack.admin, treasury2
    )
    grant_funder(distributor2, stack.launchpad, stack.admin)
    return treasury2, distributor2, vesting2


def _change_payees(stack: Stack, treasury: Any, distributor: Any, vesting: Any) -> None:
    lp = stack.launchpad
    with boa.env.prank(stack.admin):
        lp.set_fee_config(treasury, 150, 50, 32_768 * WAD, 9900, 2500)
        lp.set_reward_distributor(distributor.address)
        lp.set_vesting(vesting.address)


def test_admin_change_mid_sale_does_not_touch_that_launch(stack: Stack) -> None:
    lp = stack.launchpad
    mt = stack.create()
    boa.env.time_travel(seconds=2 * 3600)
    stack.buy(mt, stack.users[0], 50_000 * WAD)
    treasury2, distributor2, vesting2 = _new_payees(stack)
    _change_payees(stack, treasury2, distributor2, vesting2)
    assert (lp.fee_recipient(), lp.reward_distributor(), lp.vesting()) == (
        treasury2,
        distributor2.address,
        vesting2.address,
    )
    assert tuple(lp.payees_of(mt.address)) == (
        stack.treasury,
        stack.distributor.address,
        stack.vesting.address,
    )
    old_treasury_before = stack.flock.balanceOf(stack.treasury)
    stack.buy(mt, stack.users[1], 2_000_000 * WAD)  # pays fees, then graduates
    bought = events(lp, "Purchased")[0]
    grad = events(lp, "Graduated")[0]
    # Fees and the protocol share went to the launch's own treasury, none to the new one.
    assert stack.flock.balanceOf(stack.treasury) - old_treasury_before == (
        bought.protocolFee + bought.antiSniperFee + grad.protocolFlock
    )
    assert stack.flock.balanceOf(treasury2) == 0
    # Reserved FLOCK and the MT Reward pool: the launch's distributor only.
    assert mt.balanceOf(stack.distributor.address) == INCENTIVE_RESERVE
    assert stack.flock.balanceOf(stack.distributor.address) == grad.reservedFlock
    assert mt.balanceOf(distributor2.address) == 0
    assert stack.flock.balanceOf(distributor2.address) == 0
    # Vested MT: the launch's vesting contract; the treasury schedule is the old treasury's.
    assert mt.balanceOf(stack.vesting.address) == ISSUER_AND_TREASURY_MT
    assert mt.balanceOf(vesting2.address) == 0
    beneficiaries = {stack.vesting.schedules(i).beneficiary for i in (1, 2)}
    assert beneficiaries == {stack.creator, stack.treasury}


def test_launch_created_after_the_change_uses_the_new_payees(stack: Stack) -> None:
    lp = stack.launchpad
    treasury2, distributor2, vesting2 = _new_payees(stack)
    _change_payees(stack, treasury2, distributor2, vesting2)
    mt = stack.create()
    assert stack.flock.balanceOf(treasury2) == 32_768 * WAD  # launch fee
    assert tuple(lp.payees_of(mt.address)) == (treasury2, distributor2.address, vesting2.address)
    stack.fill_to_max(mt, stack.users[0])
    assert mt.balanceOf(distributor2.address) == INCENTIVE_RESERVE
    assert mt.balanceOf(vesting2.address) == ISSUER_AND_TREASURY_MT
    assert mt.balanceOf(stack.distributor.address) == 0
    assert mt.balanceOf(stack.vesting.address) == 0


def test_payees_versions_are_appended_only_on_change(stack: Stack) -> None:
    lp = stack.launchpad
    assert lp.payees_id() == 0
    with boa.env.prank(stack.admin):
        lp.set_fee_config(stack.treasury, 100, 50, 0, 9900, 2500)  # same recipient
    assert lp.payees_id() == 0
    with boa.env.prank(stack.admin):
        lp.set_vesting(stack.users[3])
    assert lp.payees_id() == 1
    assert tuple(lp.payees(0)) == (stack.treasury, stack.distributor.address, stack.vesting.address)
    assert lp.payees(1).vesting == stack.users[3]
    with boa.reverts("unknown token"):
        lp.payees_of(stack.users[0])
    with boa.env.prank(stack.users[0]), boa.reverts():
        lp.set_reward_distributor(stack.users[0])
