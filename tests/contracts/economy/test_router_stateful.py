"""Stateful invariants of the RevenueRouter against a Python model.

Random settles (including repeated (token, epoch) pairs), outsiders moving the pools up and
down (small nudges and dumps of up to half a reserve, so the spot often sits far from the
TWAP between executions), time passing, pokes and keeper buybacks. Checked: every settle
splits exactly into its four parts; issuers claim their credits (to themselves or elsewhere);
the router's USDC == reserves + unclaimed issuer credits, both matching the model; buyback
shares in == reserves + USDC spent; a buyback never spends more than its reserve (or
`max_usdc`), burns exactly what the DEX paid out, never moves any hop's spot price by more
than the impact bound, and never gets less than the TWAP reference minus the bound (both
recomputed independently in Python).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import boa
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from tests.contracts.dex.reference import get_amount_out

from .helpers import pair_of, reserves_for, spot_within, twap_price

USDC = 10**6


class RouterMachine(RuleBasedStateMachine):
    env: dict[str, Any]

    def __init__(self) -> None:
        super().__init__()
        self._anchor = boa.env.anchor()
        self._anchor.__enter__()

    def teardown(self) -> None:
        self._anchor.__exit__(None, None, None)

    @initialize()
    def setup(self) -> None:
        e = self.env
        self.rr, self.dex = e["rr"], e["dex"]
        self.usdc, self.flock = e["usdc"], e["flock"]
        self.mts = [e["mt"], e["mt2"]]
        self.settler, self.keeper = e["settler"], e["keeper"]
        self.issuers = [e["issuer"], e["issuer2"]]  # of mts[0], mts[1]
        self.owed = [0, 0]  # unclaimed issuer credit per MT
        self.reserve: dict[str, int] = {t.address: 0 for t in [self.flock, *self.mts]}
        self.settled: set[tuple[str, int]] = set()
        self.shares_in = 0  # buyback shares credited by settles
        self.spent = 0  # USDC the keeper's buybacks spent
        self.trader = boa.env.generate_address("trader")
        # start from a running system: observations taken, a window passed, revenue in
        for token in [self.flock, *self.mts]:
            self.rr.poke(token.address)
        boa.env.time_travel(seconds=self.rr.twap_window())
        for token in self.mts:
            self._settle(token, 20_000 * USDC, 99)

    def _route(self, token: Any) -> tuple[list[Any], list[Any]]:
        """(pairs, input token per hop) of a buyback of `token`."""
        pairs = [pair_of(self.dex, self.usdc, self.flock)]
        ins = [self.usdc]
        if token is not self.flock:
            pairs.append(pair_of(self.dex, self.flock, token))
            ins.append(self.flock)
        return pairs, ins

    @rule(mt=st.integers(0, 1), amount=st.integers(1, 60_000 * USDC), epoch=st.integers(0, 4))
    def settle(self, mt: int, amount: int, epoch: int) -> None:
        self._settle(self.mts[mt], amount, epoch)

    def _settle(self, token: Any, amount: int, epoch: int) -> None:
        if (token.address, epoch) in self.settled:
            with boa.reverts("already settled"):
                self.rr.settle(token.address, amount, epoch, sender=self.settler)
            return
        self.rr.settle(token.address, amount, epoch, sender=self.settler)
        (ev,) = [e for e in self.rr.get_logs(strict=False) if type(e).__name__ == "Settled"]
        parts = (ev.flock_buyback, ev.treasury_amount, ev.mt_buyback, ev.issuer_amount)
        assert sum(parts) == amount
        assert ev.flock_buyback == ev.mt_buyback == amount * 3 // 10
        assert ev.issuer_amount == amount // 10
        self.settled.add((token.address, epoch))
        self.reserve[self.flock.address] += ev.flock_buyback
        self.reserve[token.address] += ev.mt_buyback
        self.shares_in += ev.flock_buyback + ev.mt_buyback
        self.owed[self.mts.index(token)] += ev.issuer_amount

    @rule(
        pool=st.integers(0, 2),
        buy=st.booleans(),
        size=st.integers(1, 300) | st.integers(300, 5_000),
    )
    def trade(self, pool: int, buy: bool, size: int) -> None:
        """An outsider trades up to half of a pool's input reserve, either way."""
        a, b = (self.usdc, self.flock) if pool == 0 else (self.flock, self.mts[pool - 1])
        t_in, t_out = (a, b) if buy else (b, a)
        r_in, _ = reserves_for(pair_of(self.dex, a, b), t_in)
        amount = r_in * size // 10_000 + 1
        t_in.faucet(self.trader, amount, sender=self.trader)
        t_in.approve(self.dex.address, amount, sender=self.trader)
        self.dex.swapExactTokensForTokens(
            amount, 0, [t_in.address, t_out.address], self.trader, 2**64, sender=self.trader
        )

    @rule(mt=st.integers(0, 1), to_self=st.booleans())
    def claim_issuer(self, mt: int, to_self: bool) -> None:
        issuer, token = self.issuers[mt], self.mts[mt]
        to = issuer if to_self else boa.env.generate_address()
        if self.owed[mt] == 0:
            with boa.reverts("nothing to claim"):
                self.rr.claim_issuer_revenue(token.address, to, sender=issuer)
            return
        before = self.usdc.balanceOf(to)
        paid = self.rr.claim_issuer_revenue(token.address, to, sender=issuer)
        assert paid == self.owed[mt]
        assert self.usdc.balanceOf(to) == before + paid
        self.owed[mt] = 0

    @rule(seconds=st.sampled_from([12, 600, 1800, 3600]))
    def wait(self, seconds: int) -> None:
        boa.env.time_travel(seconds=seconds)

    @rule(which=st.integers(0, 2))
    def poke(self, which: int) -> None:
        token = [self.flock, *self.mts][which]
        self.rr.poke(token.address)

    @rule(which=st.integers(0, 2), max_usdc=st.integers(0, 40_000 * USDC) | st.just(2**256 - 1))
    def buyback(self, which: int, max_usdc: int) -> None:
        token = [self.flock, *self.mts][which]
        reserve = self.reserve[token.address]
        if reserve == 0:
            with boa.reverts("empty reserve"):
                self.rr.execute_buyback(token.address, max_usdc, sender=self.keeper)
            return
        if max_usdc == 0:
            with boa.reverts("zero amount"):
                self.rr.execute_buyback(token.address, max_usdc, sender=self.keeper)
            return
        pairs, ins = self._route(token)
        try:
            prices = [twap_price(self.rr, p, t) for p, t in zip(pairs, ins, strict=True)]
        except AssertionError:
            event("buyback: twap not ready")
            with boa.reverts("twap not ready"):
                self.rr.execute_buyback(token.address, max_usdc, sender=self.keeper)
            return
        hops = [reserves_for(p, t) for p, t in zip(pairs, ins, strict=True)]
        supply = token.totalSupply()
        bound = self.rr.impact_bound_bps()
        try:
            spent, burned = self.rr.execute_buyback(token.address, max_usdc, sender=self.keeper)
        except boa.BoaError as err:
            assert "impact bound" in str(err)
            event("buyback: impact bound")
            return
        event("buyback: executed" + (" in part" if spent < min(reserve, max_usdc) else ""))
        assert 0 < spent <= min(reserve, max_usdc)
        out = spent
        for r_in, r_out in hops:
            out = get_amount_out(out, r_in, r_out, zero_ok=True)
        assert burned == out
        assert token.totalSupply() == supply - burned
        for p, t, before in zip(pairs, ins, hops, strict=True):
            assert spot_within(before, reserves_for(p, t), bound), "spot moved beyond the bound"
        ref = Fraction(spent)
        for price in prices:
            ref *= Fraction(997, 1000) * Fraction(price, 2**112)
        assert burned >= ref * Fraction(10_000 - bound, 10_000)
        self.reserve[token.address] -= spent
        self.spent += spent

    @invariant()
    def reserves_match(self) -> None:
        if not hasattr(self, "rr"):
            return
        total = sum(self.reserve.values())
        for addr, amount in self.reserve.items():
            assert self.rr.buyback_reserve(addr) == amount
        assert self.rr.total_reserved() == total
        for mt, issuer in enumerate(self.issuers):
            assert self.rr.issuer_revenue(issuer, self.mts[mt].address) == self.owed[mt]
        assert self.rr.total_issuer_owed() == sum(self.owed)
        # the router holds exactly the reserves plus the issuers' unclaimed credits
        assert self.usdc.balanceOf(self.rr.address) == total + sum(self.owed)
        assert self.shares_in == total + self.spent  # nothing lost, nothing made up
        for token in [self.flock, *self.mts]:
            assert token.balanceOf(self.rr.address) == 0  # everything bought was burned


def test_router_state_machine(
    revenue_router: Any,
    dex: Any,
    usdc: Any,
    flock: Any,
    mt: Any,
    mt2: Any,
    settler: Any,
    keeper: Any,
    issuer: Any,
    issuer2: Any,
) -> None:
    RouterMachine.env = {
        "rr": revenue_router,
        "dex": dex,
        "usdc": usdc,
        "flock": flock,
        "mt": mt,
        "mt2": mt2,
        "settler": settler,
        "keeper": keeper,
        "issuer": issuer,
        "issuer2": issuer2,
    }
    run_state_machine_as_test(
        RouterMachine,
        settings=settings(max_examples=20, stateful_step_count=25, deadline=None),
    )
