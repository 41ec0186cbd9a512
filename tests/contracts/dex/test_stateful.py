"""Stateful invariants of one pool driven through the Router: liquidity in/out, swaps both ways
(exact in and exact out), donations with skim/sync, and time travel.

Invariants checked after every step:
- reserves + pending donations == the pair's balances (reserves == balances after every call
  that updates them);
- LP supply == the sum of every holder's LP balance (incl. the locked MINIMUM_LIQUIDITY);
- k / supply² (the value of one LP share) never decreases: no action, rounding included, lets
  anyone take out more than their share, and swaps never decrease k;
- per token, what left the pool never exceeds what entered it, and the difference is exactly
  the pair's balance (nothing lost, nothing created);
- price accumulators never decrease and equal the time-weighted spot price computed here;
- the Router never holds tokens.
"""

from __future__ import annotations

from functools import cache
from math import isqrt
from typing import Any

import boa
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from fomo.chain.sources import contract_path

from .conftest import named_address
from .reference import Q112, get_amount_in, get_amount_out, quote

MAX = 2**256 - 1
DEAD = "0x000000000000000000000000000000000000dEaD"
LPS = [named_address(f"lp{i}") for i in range(3)]
TRADER = named_address("trader")
DONOR = named_address("donor")


@cache
def _deployers() -> tuple[Any, Any, Any, Any]:
    return (
        boa.load_partial(str(contract_path("tokens/DevToken.vy"))),
        boa.load_partial(str(contract_path("dex/Pair.vy"))),
        boa.load_partial(str(contract_path("dex/Factory.vy"))),
        boa.load_partial(str(contract_path("dex/Router.vy"))),
    )


amounts = st.integers(min_value=10**6, max_value=10**24)


class DexMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._anchor = boa.env.anchor()
        self._anchor.__enter__()
        token_d, pair_d, factory_d, router_d = _deployers()
        admin = named_address("admin")
        with boa.env.prank(admin):
            a = token_d.deploy("Token A", "TKA", 18, True, 10**30)
            b = token_d.deploy("Token B", "TKB", 6, True, 10**30)
            self.factory = factory_d.deploy(pair_d.deploy_as_blueprint().address, admin)
        self.router = router_d.deploy(self.factory.address)
        self.pair = pair_d.at(self.factory.createPair(a, b))
        self.tokens = [token_d.at(self.pair.token0()), token_d.at(self.pair.token1())]
        for who in [*LPS, TRADER]:
            with boa.env.prank(who):
                for t in self.tokens:
                    t.approve(self.router.address, MAX)
                self.pair.approve(self.router.address, MAX)
        self.pending = [0, 0]  # donations not yet adopted by the reserves
        self.total_in = [0, 0]
        self.total_out = [0, 0]
        self.share_value: tuple[int, int] | None = None  # (k, supply²) at the last check
        self.cum = [0, 0]  # expected price accumulators
        self.seen_cum = [0, 0]
        self.last_ts = 0

    def teardown(self) -> None:
        self._anchor.__exit__(None, None, None)

    # ---------------------------------------------------------------- helpers

    def _deadline(self) -> int:
        return int(boa.env.evm.patch.timestamp) + 60

    def _reserves(self) -> tuple[int, int]:
        r0, r1, _ = self.pair.getReserves()
        return int(r0), int(r1)

    def _before_update(self) -> tuple[int, int, int]:
        r0, r1 = self._reserves()
        return r0, r1, int(boa.env.evm.patch.timestamp) % 2**32

    def _after_update(self, before: tuple[int, int, int]) -> None:
        r0, r1, now = before
        elapsed = (now - self.last_ts) % 2**32
        if elapsed > 0 and r0 and r1:
            self.cum[0] += (r1 * Q112 // r0) * elapsed
            self.cum[1] += (r0 * Q112 // r1) * elapsed
        self.last_ts = now
        # the update adopted any donation into the reserves
        self.total_in = [a + p for a, p in zip(self.total_in, self.pending, strict=True)]
        self.pending = [0, 0]

    def _fund(self, who: str, i: int, amount: int) -> None:
        self.tokens[i].faucet(who, amount)

    # ---------------------------------------------------------------- rules

    @rule(lp=st.sampled_from(LPS), amount0=amounts, amount1=amounts)
    def add_liquidity(self, lp: str, amount0: int, amount1: int) -> None:
        self._fund(lp, 0, amount0)
        self._fund(lp, 1, amount1)
        r0, r1 = self._reserves()
        supply = int(self.pair.totalSupply())
        use0, use1 = amount0, amount1
        if r0 or r1:
            opt1 = quote(amount0, r0, r1)
            if opt1 <= amount1:
                use1 = opt1
            else:
                use0 = quote(amount1, r1, r0)
        # the pair credits whatever sits above its reserves, donations included
        in0, in1 = use0 + self.pending[0], use1 + self.pending[1]
        if supply == 0:
            expected = isqrt(in0 * in1) - 1000
        else:
            expected = min(in0 * supply // r0, in1 * supply // r1)
        before = self._before_update()
        if expected <= 0:
            with boa.env.prank(lp), boa.reverts("INSUFFICIENT_LIQUIDITY_MINTED"):
                self.router.addLiquidity(*self.tokens, amount0, amount1, 0, 0, lp, self._deadline())
            return
        with boa.env.prank(lp):
            got0, got1, liquidity = self.router.addLiquidity(
                *self.tokens, amount0, amount1, 0, 0, lp, self._deadline()
            )
        assert (got0, got1, liquidity) == (use0, use1, expected)
        self.total_in[0] += use0
        self.total_in[1] += use1
        self._after_update(before)

    @rule(lp=st.sampled_from(LPS), frac=st.fractions(min_value=0, max_value=1))
    def remove_liquidity(self, lp: str, frac: Any) -> None:
        liquidity = int(self.pair.balanceOf(lp) * frac)
        if liquidity == 0:
            return
        supply = int(self.pair.totalSupply())
        bal = [int(t.balanceOf(self.pair.address)) for t in self.tokens]
        expected = [liquidity * b // supply for b in bal]  # floor: never more than the share
        before = self._before_update()
        if 0 in expected:
            with boa.env.prank(lp), boa.reverts("INSUFFICIENT_LIQUIDITY_BURNED"):
                self.router.removeLiquidity(*self.tokens, liquidity, 0, 0, lp, self._deadline())
            return
        with boa.env.prank(lp):
            out = self.router.removeLiquidity(*self.tokens, liquidity, 0, 0, lp, self._deadline())
        assert list(out) == expected
        self.total_out[0] += expected[0]
        self.total_out[1] += expected[1]
        self._after_update(before)

    @rule(zero_for_one=st.booleans(), amount=amounts)
    def swap_exact_in(self, zero_for_one: bool, amount: int) -> None:
        i, o = (0, 1) if zero_for_one else (1, 0)
        r = self._reserves()
        if r[0] == 0:
            return
        out = get_amount_out(amount, r[i], r[o])
        self._fund(TRADER, i, amount)
        path = [self.tokens[i], self.tokens[o]]
        before = self._before_update()
        if out == 0:
            with boa.env.prank(TRADER), boa.reverts("INSUFFICIENT_OUTPUT_AMOUNT"):
                self.router.swapExactTokensForTokens(amount, 0, path, TRADER, self._deadline())
            return
        with boa.env.prank(TRADER):
            got = self.router.swapExactTokensForTokens(amount, out, path, TRADER, self._deadline())
        assert list(got) == [amount, out]
        self.total_in[i] += amount
        self.total_out[o] += out
        r_after = self._reserves()
        assert r_after[0] * r_after[1] >= r[0] * r[1]  # k never decreases across a swap
        self._after_update(before)

    @rule(zero_for_one=st.booleans(), frac=st.fractions(min_value=0, max_value=1))
    def swap_exact_out(self, zero_for_one: bool, frac: Any) -> None:
        i, o = (0, 1) if zero_for_one else (1, 0)
        r = self._reserves()
        if r[0] == 0:
            return
        want = int(r[o] * frac)
        path = [self.tokens[i], self.tokens[o]]
        if want == 0 or want >= r[o]:
            reason = "INSUFFICIENT_OUTPUT_AMOUNT" if want == 0 else "INSUFFICIENT_LIQUIDITY"
            with boa.env.prank(TRADER), boa.reverts(reason):
                self.router.swapTokensForExactTokens(want, MAX, path, TRADER, self._deadline())
            return
        cost = get_amount_in(want, r[i], r[o])
        if cost > 10**30:
            return  # beyond one faucet call; the math is covered by the differential tests
        self._fund(TRADER, i, cost)
        before = self._before_update()
        with boa.env.prank(TRADER):
            got = self.router.swapTokensForExactTokens(want, cost, path, TRADER, self._deadline())
        assert list(got) == [cost, want]
        self.total_in[i] += cost
        self.total_out[o] += want
        r_after = self._reserves()
        assert r_after[0] * r_after[1] >= r[0] * r[1]
        self._after_update(before)

    @rule(i=st.sampled_from([0, 1]), amount=amounts)
    def donate(self, i: int, amount: int) -> None:
        self.tokens[i].faucet(self.pair.address, amount)
        self.pending[i] += amount

    @rule()
    def skim(self) -> None:
        before = [int(t.balanceOf(DONOR)) for t in self.tokens]
        self.pair.skim(DONOR)
        got = [int(t.balanceOf(DONOR)) - b for t, b in zip(self.tokens, before, strict=True)]
        assert got == self.pending
        self.total_in = [a + p for a, p in zip(self.total_in, self.pending, strict=True)]
        self.total_out = [a + g for a, g in zip(self.total_out, got, strict=True)]
        self.pending = [0, 0]

    @rule()
    def sync(self) -> None:
        if self.pair.totalSupply() == 0:
            with boa.reverts("NO_LIQUIDITY"):
                self.pair.sync()
            return
        before = self._before_update()
        self.pair.sync()
        self._after_update(before)

    @rule(seconds=st.integers(min_value=1, max_value=30 * 86400))
    def time_travel(self, seconds: int) -> None:
        boa.env.time_travel(seconds=seconds)

    # ---------------------------------------------------------------- invariants

    @invariant()
    def reserves_match_balances(self) -> None:
        r = self._reserves()
        for i, t in enumerate(self.tokens):
            assert int(t.balanceOf(self.pair.address)) == r[i] + self.pending[i]

    @invariant()
    def lp_supply_is_sum_of_balances(self) -> None:
        holders = [*LPS, DEAD]
        assert self.pair.totalSupply() == sum(self.pair.balanceOf(h) for h in holders)

    @invariant()
    def share_value_never_decreases(self) -> None:
        supply = int(self.pair.totalSupply())
        if supply == 0:
            return
        r0, r1 = self._reserves()
        now = (r0 * r1, supply * supply)
        if self.share_value is not None:
            k_old, s2_old = self.share_value
            assert now[0] * s2_old >= k_old * now[1]
        self.share_value = now

    @invariant()
    def conservation(self) -> None:
        for i, t in enumerate(self.tokens):
            assert self.total_out[i] <= self.total_in[i] + self.pending[i]
            assert int(t.balanceOf(self.pair.address)) == (
                self.total_in[i] + self.pending[i] - self.total_out[i]
            )

    @invariant()
    def accumulators_match_time_weighted_spot(self) -> None:
        p0, p1 = int(self.pair.price0CumulativeLast()), int(self.pair.price1CumulativeLast())
        assert p0 >= self.seen_cum[0] and p1 >= self.seen_cum[1]  # monotone
        self.seen_cum = [p0, p1]
        assert [p0, p1] == self.cum

    @invariant()
    def router_holds_nothing(self) -> None:
        for t in self.tokens:
            assert t.balanceOf(self.router.address) == 0
        assert self.pair.balanceOf(self.router.address) == 0


DexMachine.TestCase.settings = settings(max_examples=25, stateful_step_count=30, deadline=None)
TestDex = DexMachine.TestCase
