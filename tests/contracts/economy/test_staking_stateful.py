"""Staking.vy stateful invariants.

- token balance held == total active + total cooling, per token (no funds lost or created);
- per-account active stakes sum to the total;
- withdrawal before the unlock time always reverts, after it always pays the whole bucket;
- an indexer that sees ONLY the events reconstructs every balance and the exact time-weighted
  stake (integral of active stake over time) that a model tracking the calls computes.
"""

from __future__ import annotations

import boa
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from fomo.chain.sources import contract_path

from .helpers import FAUCET_CAP, ZERO_ADDRESS

DAY = 86400
STAKING = boa.load_partial(str(contract_path("economy/Staking.vy")))
TOKEN = boa.load_partial(str(contract_path("tokens/DevToken.vy")))
ADMIN = boa.env.generate_address("staking-admin")
USERS = [boa.env.generate_address(f"staker{i}") for i in range(3)]
START_BALANCE = 10**24

users = st.sampled_from(range(3))
tokens = st.sampled_from(range(2))
amounts = st.integers(min_value=1, max_value=10**22)


class StakingMachine(RuleBasedStateMachine):
    @initialize()
    def setup(self) -> None:
        self.staking = STAKING.deploy(ADMIN, ZERO_ADDRESS)
        self.tokens = [TOKEN.deploy(f"MT {i}", f"MT{i}", 18, True, FAUCET_CAP) for i in range(2)]
        for t in self.tokens:
            for u in USERS:
                t.faucet(u, START_BALANCE)
                with boa.env.prank(u):
                    t.approve(self.staking, 2**256 - 1)
        # Model of the contract, driven by the calls we make.
        self.active = {(t, u): 0 for t in range(2) for u in range(3)}
        self.cooling = {(t, u): (0, 0) for t in range(2) for u in range(3)}
        self.cooldown = 7 * DAY
        # Indexer state, driven only by the events; plus time-weighted integrals.
        self.ix_active: dict[tuple[str, str], int] = {}
        self.ix_total: dict[str, int] = {}
        self.ix_last: dict[tuple[str, str], int] = {}
        self.ix_tw: dict[tuple[str, str], int] = {}
        self.model_tw = {(t, u): 0 for t in range(2) for u in range(3)}
        self.model_time = self.now()

    def now(self) -> int:
        return int(boa.env.evm.patch.timestamp)

    def advance_model_to(self, t: int) -> None:
        for key, bal in self.active.items():
            self.model_tw[key] += bal * (t - self.model_time)
        self.model_time = t

    def index(self) -> None:
        for e in self.staking.get_logs():
            name = type(e).__name__
            if name not in ("Staked", "UnstakeRequested"):
                continue
            key = (str(e.token), str(e.account))
            last = self.ix_last.get(key, e.timestamp)
            self.ix_tw[key] = self.ix_tw.get(key, 0) + self.ix_active.get(key, 0) * (
                e.timestamp - last
            )
            self.ix_last[key] = e.timestamp
            self.ix_active[key] = e.new_active_balance
            self.ix_total[str(e.token)] = e.new_total_active

    @rule(t=tokens, u=users, amount=amounts)
    def stake(self, t: int, u: int, amount: int) -> None:
        self.advance_model_to(self.now())
        with boa.env.prank(USERS[u]):
            self.staking.stake(self.tokens[t], amount)
        self.index()
        self.active[(t, u)] += amount

    @rule(t=tokens, u=users, extra=st.integers(min_value=1, max_value=10**18))
    def request_unstake_too_much(self, t: int, u: int, extra: int) -> None:
        with boa.env.prank(USERS[u]), boa.reverts("insufficient stake"):
            self.staking.request_unstake(self.tokens[t], self.active[(t, u)] + extra)

    @precondition(lambda self: any(self.active.values()))
    @rule(data=st.data())
    def request_unstake(self, data: st.DataObject) -> None:
        t, u = data.draw(st.sampled_from(sorted(k for k, v in self.active.items() if v)))
        amount = data.draw(st.integers(min_value=1, max_value=self.active[(t, u)]))
        self.advance_model_to(self.now())
        with boa.env.prank(USERS[u]):
            self.staking.request_unstake(self.tokens[t], amount)
        self.index()
        self.active[(t, u)] -= amount
        self.cooling[(t, u)] = (self.cooling[(t, u)][0] + amount, self.now() + self.cooldown)

    @rule(t=tokens, u=users)
    def withdraw_any(self, t: int, u: int) -> None:
        self._withdraw(t, u)

    @precondition(lambda self: any(a for a, _ in self.cooling.values()))
    @rule(data=st.data())
    def withdraw_cooling(self, data: st.DataObject) -> None:
        t, u = data.draw(st.sampled_from(sorted(k for k, v in self.cooling.items() if v[0])))
        self._withdraw(t, u)

    def _withdraw(self, t: int, u: int) -> None:
        amount, unlock = self.cooling[(t, u)]
        token = self.tokens[t]
        before = token.balanceOf(USERS[u])
        if amount == 0:
            with boa.env.prank(USERS[u]), boa.reverts("nothing to withdraw"):
                self.staking.withdraw(token)
        elif self.now() < unlock:
            with boa.env.prank(USERS[u]), boa.reverts("cooldown active"):
                self.staking.withdraw(token)
        else:
            with boa.env.prank(USERS[u]):
                self.staking.withdraw(token)
            self.cooling[(t, u)] = (0, 0)
            assert token.balanceOf(USERS[u]) == before + amount

    @rule(
        seconds=st.one_of(
            st.sampled_from([1, DAY - 1, 7 * DAY - 1, 7 * DAY, 31 * DAY]),
            st.integers(min_value=1, max_value=10 * DAY),
        )
    )
    def time_travel(self, seconds: int) -> None:
        boa.env.time_travel(seconds=seconds)

    @precondition(lambda self: any(a for a, _ in self.cooling.values()))
    @rule(data=st.data())
    def travel_to_an_unlock(self, data: st.DataObject) -> None:
        unlock = data.draw(st.sampled_from(sorted(u for a, u in self.cooling.values() if a)))
        if unlock > self.now():
            boa.env.time_travel(seconds=unlock - self.now())

    @rule(days=st.integers(min_value=1, max_value=30))
    def set_cooldown(self, days: int) -> None:
        with boa.env.prank(ADMIN):
            self.staking.set_cooldown_period(days * DAY)
        self.cooldown = days * DAY

    @invariant()
    def balances_match_totals(self) -> None:
        for t, token in enumerate(self.tokens):
            active = sum(self.active[(t, u)] for u in range(3))
            cooling = sum(self.cooling[(t, u)][0] for u in range(3))
            assert self.staking.total_active(token) == active
            assert self.staking.total_cooling(token) == cooling
            assert token.balanceOf(self.staking) == active + cooling
            for u in range(3):
                held = token.balanceOf(USERS[u])
                assert held + self.active[(t, u)] + self.cooling[(t, u)][0] == START_BALANCE

    @invariant()
    def views_match_model(self) -> None:
        for (t, u), amount in self.active.items():
            token = self.tokens[t]
            assert self.staking.active_stake(token, USERS[u]) == amount
            assert self.staking.pending_unstake(token, USERS[u]) == self.cooling[(t, u)]

    @invariant()
    def indexer_matches(self) -> None:
        now = self.now()
        self.advance_model_to(now)
        for (t, u), amount in self.active.items():
            key = (str(self.tokens[t].address), str(USERS[u]))
            assert self.ix_active.get(key, 0) == amount
            last = self.ix_last.get(key, now)
            tw = self.ix_tw.get(key, 0) + self.ix_active.get(key, 0) * (now - last)
            assert tw == self.model_tw[(t, u)]
        for token in self.tokens:
            assert self.ix_total.get(str(token.address), 0) == self.staking.total_active(token)


TestStaking = StakingMachine.TestCase
TestStaking.settings = settings(max_examples=25, stateful_step_count=30)
