"""Stateful invariants over create / buy / time travel / graduate / claim / redeem across
several launches and users (hypothesis RuleBasedStateMachine against a plain Python model).

Invariants: the launchpad's FLOCK equals the principal still owed; on failure nobody takes
out more than they put in; a launch never mints more than 1,000,000 MT; claims plus the MT
still held for buyers equal the allocations; the DEX opens at the curve's final price."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import boa
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from fomo.economics import curve
from fomo.economics.curve import TOTAL_SUPPLY, WAD
from tests.contracts.launch.helpers import FAILED, FAR, GRADUATED, GRADUATING, LIVE, Stack

PARAMS = curve.LaunchParams(max_raise=500_000 * WAD, min_raise=100_000 * WAD)
CURVE = curve.Curve.for_launch(PARAMS)
FEES = curve.FeeConfig()
N_USERS = 3


@dataclass
class Model:
    mt: Any
    start: int
    raised: int = 0
    sold: int = 0
    graduated: bool = False
    paid: dict[int, int] = field(default_factory=dict)  # gross FLOCK taken per user
    principal: dict[int, int] = field(default_factory=dict)
    allocation: dict[int, int] = field(default_factory=dict)
    claimed: dict[int, int] = field(default_factory=dict)
    redeemed: dict[int, int] = field(default_factory=dict)


class LaunchMachine(RuleBasedStateMachine):
    stack: Stack

    def __init__(self) -> None:
        super().__init__()
        self._anchor = boa.env.anchor()
        self._anchor.__enter__()
        self.launches: list[Model] = []
        self.users = self.stack.users[:N_USERS]
        self.lp = self.stack.launchpad

    def teardown(self) -> None:
        self._anchor.__exit__(None, None, None)

    def _status(self, m: Model) -> int:
        return int(self.lp.status(m.mt.address))

    @initialize(
        first=st.sampled_from([0, 1_000 * WAD, 150_000 * WAD]),
        wait=st.sampled_from([0, 2 * 3600]),
    )
    def first_launch(self, first: int, wait: int) -> None:
        self.create(first)
        boa.env.time_travel(seconds=wait)

    @precondition(lambda self: len(self.launches) < 3)
    @rule(first=st.sampled_from([0, 0, 5_000 * WAD]))
    def create(self, first: int) -> None:
        mt = self.stack.create(first_buy=first)
        m = Model(mt=mt, start=self.lp.launches(mt.address).sale_start)
        if first:
            ref = curve.quote_buy(
                CURVE, FEES, raised=0, sold=0, flock_in=first, tax=FEES.base_fee_bps
            )
            self._record(m, N_USERS, ref)
        self.launches.append(m)

    def _record(self, m: Model, who: int, ref: curve.BuyQuote) -> None:
        m.raised += ref.net
        m.sold += ref.mt_out
        m.paid[who] = m.paid.get(who, 0) + ref.gross_used
        m.principal[who] = m.principal.get(who, 0) + ref.net
        m.allocation[who] = m.allocation.get(who, 0) + ref.mt_out
        if ref.graduates:
            self._graduated(m)

    def _addr(self, who: int) -> Any:
        return self.stack.creator if who == N_USERS else self.users[who]

    @rule(
        i=st.integers(0, 2),
        who=st.integers(0, N_USERS - 1),
        gross=st.one_of(
            st.sampled_from([50_000, 120_000, 250_000, 600_000]).map(lambda x: x * WAD),
            st.integers(1, 10**21),
            st.integers(10**21, 400_000 * WAD),
        ),
    )
    def buy(self, i: int, who: int, gross: int) -> None:
        m = self.launches[i % len(self.launches)]
        user = self.users[who]
        if self._status(m) != LIVE:
            with boa.env.prank(user), boa.reverts("sale closed"):
                self.lp.buy(m.mt.address, gross, 0, FAR)
            return
        tax = curve.tax_bps(FEES, boa.env.evm.patch.timestamp - m.start)
        ref = curve.quote_buy(CURVE, FEES, raised=m.raised, sold=m.sold, flock_in=gross, tax=tax)
        if ref.net == 0:
            with boa.env.prank(user), boa.reverts("zero net"):
                self.lp.buy(m.mt.address, gross, 0, FAR)
            return
        with boa.env.prank(user):
            assert self.lp.buy(m.mt.address, gross, ref.mt_out, FAR) == ref.mt_out
        self._record(m, who, ref)

    @rule(seconds=st.sampled_from([60, 30 * 60, 2 * 3600, 2 * 86400, 4 * 86400]))
    def time_travel(self, seconds: int) -> None:
        boa.env.time_travel(seconds=seconds)

    def _graduated(self, m: Model) -> None:
        event("graduated at max" if m.raised == PARAMS.max_raise else "graduated below max")
        m.graduated = True
        pair = self.stack.pair_of(m.mt)
        flock_r = self.stack.flock.balanceOf(pair.address)
        mt_r = m.mt.balanceOf(pair.address)
        split = curve.graduation_split(PARAMS, CURVE, raised=m.raised, sold=m.sold)
        assert (flock_r, mt_r) == (split.lp_flock, split.lp_mt)
        final = CURVE.price(m.raised, m.sold)
        # lp_mt is floored (capped at L at the max): within one MT wei of the curve price
        assert Fraction(flock_r, mt_r) >= final > Fraction(flock_r, mt_r + 1) or (
            mt_r == PARAMS.lp_supply and abs(Fraction(flock_r, mt_r) - final) < Fraction(1, 10**18)
        )

    @rule(i=st.integers(0, 2))
    def graduate(self, i: int) -> None:
        m = self.launches[i % len(self.launches)]
        status = self._status(m)
        if status == GRADUATING:
            self.lp.graduate(m.mt.address)
            self._graduated(m)
            return
        reason = {LIVE: "sale live", FAILED: "below min", GRADUATED: "already graduated"}
        with boa.reverts(reason[status]):
            self.lp.graduate(m.mt.address)

    @rule(i=st.integers(0, 2), who=st.integers(0, N_USERS))
    def claim(self, i: int, who: int) -> None:
        m = self.launches[i % len(self.launches)]
        user = self._addr(who)
        owed = m.allocation.get(who, 0) - m.claimed.get(who, 0)
        with boa.env.prank(user):
            if not m.graduated:
                with boa.reverts("not graduated"):
                    self.lp.claim(m.mt.address)
            elif owed == 0:
                with boa.reverts("nothing to claim"):
                    self.lp.claim(m.mt.address)
            else:
                assert self.lp.claim(m.mt.address) == owed
                event("claimed")
                m.claimed[who] = m.claimed.get(who, 0) + owed

    @rule(i=st.integers(0, 2), who=st.integers(0, N_USERS))
    def redeem(self, i: int, who: int) -> None:
        m = self.launches[i % len(self.launches)]
        user = self._addr(who)
        status = self._status(m)
        owed = m.principal.get(who, 0) - m.redeemed.get(who, 0)
        with boa.env.prank(user):
            if status == LIVE:
                with boa.reverts("sale live"):
                    self.lp.redeem(m.mt.address)
            elif status != FAILED:
                with boa.reverts("launch succeeded"):
                    self.lp.redeem(m.mt.address)
            elif owed == 0:
                with boa.reverts("nothing to redeem"):
                    self.lp.redeem(m.mt.address)
            else:
                assert self.lp.redeem(m.mt.address) == owed
                event("redeemed")
                m.redeemed[who] = m.redeemed.get(who, 0) + owed

    @invariant()
    def flock_held_equals_principal_owed(self) -> None:
        owed = sum(m.raised - sum(m.redeemed.values()) for m in self.launches if not m.graduated)
        assert self.stack.flock.balanceOf(self.lp.address) == owed

    @invariant()
    def nobody_takes_out_more_than_they_put_in(self) -> None:
        for m in self.launches:
            for who, got in m.redeemed.items():
                assert got <= m.principal[who] <= m.paid[who]
            # the model bounds above hold by construction; the contract must agree with them
            for who, principal in m.principal.items():
                left = self.lp.principal_of(m.mt.address, self._addr(who))
                assert left == principal - m.redeemed.get(who, 0)
            assert m.sold <= PARAMS.sale_supply

    @invariant()
    def supply_and_claims(self) -> None:
        for m in self.launches:
            supply = m.mt.totalSupply()
            assert supply <= TOTAL_SUPPLY
            launch = self.lp.launches(m.mt.address)
            assert (launch.raised, launch.sold, launch.graduated) == (m.raised, m.sold, m.graduated)
            if m.graduated:
                held = m.mt.balanceOf(self.lp.address)
                assert sum(m.claimed.values()) + held == sum(m.allocation.values()) == m.sold
            else:
                assert supply == 0


def test_launch_state_machine(stack: Stack) -> None:
    LaunchMachine.stack = stack
    run_state_machine_as_test(
        LaunchMachine, settings=settings(max_examples=15, stateful_step_count=30)
    )
