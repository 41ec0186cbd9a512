"""Stateful invariants of the RewardDistributor against a plain Python model.

Random sequences of fund / donate / fund_transferred / retire / propose / cancel / wait / claim
(against the live, a pending, a superseded or a cancelled tree). Invariants: per token, claims
never exceed funding and the balance is what is still available plus what was sent without
being credited; per (account, token), claims never exceed the
cumulative amount in the live root; only the live root ever pays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import boa
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from fomo.economics.merkle import MerkleTree

from .helpers import HOUR, fund

ACCOUNTS = [boa.env.generate_address(f"claimer-{i}") for i in range(4)]


@dataclass
class Proposal:
    tree: MerkleTree
    amounts: dict[tuple[str, str], int]
    epoch: int
    activates_at: int
    status: str = "pending"  # pending | live | superseded | cancelled | old


@dataclass
class Model:
    funded: dict[str, int] = field(default_factory=dict)
    retired: dict[str, int] = field(default_factory=dict)
    # tokens sent to the distributor and not (yet) credited as funding
    surplus: dict[str, int] = field(default_factory=dict)
    paid: dict[tuple[str, str], int] = field(default_factory=dict)
    proposals: list[Proposal] = field(default_factory=list)
    cumulative: dict[tuple[str, str], int] = field(default_factory=dict)
    epoch: int = 0


def _now() -> int:
    return int(boa.env.evm.patch.timestamp)


class DistributorMachine(RuleBasedStateMachine):
    env: dict[str, Any]

    def __init__(self) -> None:
        super().__init__()
        self._anchor = boa.env.anchor()
        self._anchor.__enter__()
        self.m = Model()

    def teardown(self) -> None:
        self._anchor.__exit__(None, None, None)

    @initialize()
    def setup(self) -> None:
        e = self.env
        self.dist, self.publisher, self.guardian = e["dist"], e["publisher"], e["guardian"]
        self.admin = e["admin"]
        self.tokens = [e["flock"], e["mt"]]
        for t in self.tokens:
            self.m.funded[t.address] = 0
            self.m.retired[t.address] = 0
            self.m.surplus[t.address] = 0
        self.funder = boa.env.generate_address("funder-role")
        self.dist.grant_role(self.dist.FUNDER_ROLE(), self.funder, sender=self.admin)

    # -- model helpers ---------------------------------------------------------------------

    def _promote(self) -> None:
        for p in self.m.proposals:
            if p.status == "pending" and _now() >= p.activates_at:
                for q in self.m.proposals:
                    if q.status == "live":
                        q.status = "old"
                p.status = "live"

    def _live(self) -> Proposal | None:
        self._promote()
        return next((p for p in self.m.proposals if p.status == "live"), None)

    def _pending(self) -> Proposal | None:
        self._promote()
        return next((p for p in self.m.proposals if p.status == "pending"), None)

    # -- rules -----------------------------------------------------------------------------

    @rule(token=st.integers(0, 1), amount=st.integers(1, 10**6))
    def do_fund(self, token: int, amount: int) -> None:
        t = self.tokens[token]
        fund(self.dist, t, amount)
        self.m.funded[t.address] += amount

    @rule(token=st.integers(0, 1), amount=st.integers(1, 10**6))
    def donate(self, token: int, amount: int) -> None:
        t = self.tokens[token]
        t.faucet(self.dist.address, amount, sender=self.funder)
        self.m.surplus[t.address] += amount

    @rule(token=st.integers(0, 1), sent=st.integers(0, 10**6), extra=st.sampled_from([0, 0, 1, -1]))
    def fund_transferred(self, token: int, sent: int, extra: int) -> None:
        """The funder sends `sent` (maybe nothing) and credits `sent + extra`: it succeeds
        exactly when the balance beyond what is owed covers it."""
        t = self.tokens[token]
        if sent:
            t.faucet(self.dist.address, sent, sender=self.funder)
            self.m.surplus[t.address] += sent
        amount = max(0, sent + extra)
        if amount == 0:
            with boa.reverts("zero amount"):
                self.dist.fund_transferred(t.address, 0, t.address, sender=self.funder)
        elif amount > self.m.surplus[t.address]:
            with boa.reverts("not received"):
                self.dist.fund_transferred(t.address, amount, t.address, sender=self.funder)
        else:
            self.dist.fund_transferred(t.address, amount, t.address, sender=self.funder)
            self.m.funded[t.address] += amount
            self.m.surplus[t.address] -= amount

    def _available(self, token: str) -> int:
        paid = sum(v for (_, t), v in self.m.paid.items() if t == token)
        return self.m.funded[token] - self.m.retired[token] - paid

    @rule(token=st.integers(0, 1), share=st.integers(0, 100), burn=st.booleans())
    def retire(self, token: int, share: int, burn: bool) -> None:
        t = self.tokens[token]
        available = self._available(t.address)
        amount = available * share // 100
        if amount == 0:
            with boa.reverts("zero amount"):
                self.dist.retire(t.address, 0, t.address, burn, sender=self.admin)
            return
        if share == 100:
            with boa.reverts("exceeds available"):
                self.dist.retire(t.address, amount + 1, t.address, burn, sender=self.admin)
        self.dist.retire(t.address, amount, t.address, burn, sender=self.admin)
        self.m.retired[t.address] += amount

    @rule(
        bumps=st.lists(
            st.tuples(st.integers(0, 3), st.integers(0, 1), st.integers(1, 4 * 10**5)),
            min_size=1,
            max_size=5,
        ),
        reuse_epoch=st.booleans(),
    )
    def propose(self, bumps: list[tuple[int, int, int]], reuse_epoch: bool) -> None:
        live = self._live()
        pending = self._pending()
        base = dict(live.amounts) if live else {}
        for acct, tok, inc in bumps:
            key = (ACCOUNTS[acct], self.tokens[tok].address)
            base[key] = base.get(key, 0) + inc
        tree = MerkleTree([(a, t, v) for (a, t), v in base.items()])
        epoch = pending.epoch if (pending and reuse_epoch) else self.m.epoch + 1
        self.dist.propose_root(tree.root(), epoch, b"\x00" * 32, sender=self.publisher)
        self.m.epoch = max(self.m.epoch, epoch)
        if pending:
            pending.status = "superseded"
        self.m.proposals.append(
            Proposal(tree, base, epoch, _now() + int(self.dist.dispute_window()))
        )

    @rule(ahead=st.integers(0, 3) | st.just(10**9))
    def propose_future(self, ahead: int) -> None:
        """A day that is not over (today or later) is refused and changes nothing."""
        epoch = _now() // 86400 + ahead
        with boa.reverts("future epoch"):
            self.dist.propose_root(b"\x0f" * 32, epoch, b"\x00" * 32, sender=self.publisher)

    @rule()
    def cancel(self) -> None:
        pending = self._pending()
        if pending is None:
            with boa.reverts("no pending root"):
                self.dist.cancel_root(b"\x01" * 32, sender=self.guardian)
            return
        self.dist.cancel_root(pending.tree.root(), sender=self.guardian)
        pending.status = "cancelled"

    @rule(seconds=st.sampled_from([1, 600, HOUR - 1, HOUR, 2 * HOUR]))
    def wait(self, seconds: int) -> None:
        boa.env.time_travel(seconds=seconds)

    @rule(which=st.integers(0, 50), acct=st.integers(0, 3), tok=st.integers(0, 1))
    def claim(self, which: int, acct: int, tok: int) -> None:
        if not self.m.proposals:
            return
        live = self._live()
        target = self.m.proposals[which % len(self.m.proposals)]
        key = (ACCOUNTS[acct], self.tokens[tok].address)
        if key not in target.amounts:
            return
        cumulative = target.amounts[key]
        proof = target.tree.proof((key[0], key[1], cumulative))
        already = self.m.paid.get(key, 0)
        token = self.tokens[tok]
        if target is not live:
            # pending, superseded, cancelled and old roots never pay
            with boa.reverts():
                self.dist.claim(key[0], key[1], cumulative, proof)
            return
        if cumulative <= already:
            with boa.reverts("nothing to claim"):
                self.dist.claim(key[0], key[1], cumulative, proof)
        elif cumulative - already > self._available(token.address):
            with boa.reverts("underfunded"):
                self.dist.claim(key[0], key[1], cumulative, proof)
        else:
            before = token.balanceOf(key[0])
            assert self.dist.claim(key[0], key[1], cumulative, proof) == cumulative - already
            assert token.balanceOf(key[0]) - before == cumulative - already
            self.m.paid[key] = cumulative

    # -- invariants ------------------------------------------------------------------------

    @invariant()
    def funding_covers_claims(self) -> None:
        if not hasattr(self, "dist"):
            return
        for t in self.tokens:
            funded = self.dist.funded(t.address)
            retired = self.dist.retired(t.address)
            total = self.dist.claimed_total(t.address)
            assert funded == self.m.funded[t.address]
            assert retired == self.m.retired[t.address]
            assert total + retired <= funded
            assert total == sum(v for (_, tk), v in self.m.paid.items() if tk == t.address)
            surplus = self.m.surplus[t.address]
            assert t.balanceOf(self.dist.address) == funded - retired - total + surplus
            assert self.dist.available(t.address) == funded - retired - total

    @invariant()
    def claims_within_live_root(self) -> None:
        if not hasattr(self, "dist"):
            return
        live = self._live()
        for (acct, tok), paid in self.m.paid.items():
            assert self.dist.claimed(acct, tok) == paid
            assert live is not None and paid <= live.amounts.get((acct, tok), 0)
        if live is not None:
            assert self.dist.live_root()[0] == live.tree.root()


def test_distributor_state_machine(
    distributor: Any, publisher: Any, guardian: Any, admin: Any, flock: Any, mt: Any
) -> None:
    DistributorMachine.env = {
        "admin": admin,
        "dist": distributor,
        "publisher": publisher,
        "guardian": guardian,
        "flock": flock,
        "mt": mt,
    }
    run_state_machine_as_test(
        DistributorMachine,
        settings=settings(max_examples=25, stateful_step_count=30, deadline=None),
    )
