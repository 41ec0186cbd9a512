"""roles.vy stateful invariants: the two-step admin transfer can't be skipped, and only the
current admin ever changes roles.

Random sequences of transfer/accept/grant/revoke/renounce from random callers; a model tracks
who should be admin/pending and which roles are held. Admin changes only via accept by the
pending admin; role state changes only via the admin or a holder renouncing.
"""

from __future__ import annotations

from pathlib import Path

import boa
from eth_utils import keccak
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

HARNESS = boa.load_partial(str(Path(__file__).resolve().parent / "RolesHarness.vy"))
ACCOUNTS = [boa.env.generate_address(f"roles{i}") for i in range(4)]
ZERO = "0x" + "00" * 20
ROLES = [keccak(text=n) for n in ("PUBLISHER", "GUARDIAN", "SETTLER", "KEEPER", "OPERATOR")]

who = st.sampled_from(range(4))
target = st.sampled_from([*range(4), None])
role = st.sampled_from(range(len(ROLES)))


class RolesMachine(RuleBasedStateMachine):
    @initialize()
    def setup(self) -> None:
        self.c = HARNESS.deploy(ACCOUNTS[0])
        self.admin = 0
        self.pending: int | None = None
        self.held: set[tuple[int, int]] = set()

    @rule(caller=who, new=target)
    def transfer_admin(self, caller: int, new: int | None) -> None:
        addr = ZERO if new is None else ACCOUNTS[new]
        with boa.env.prank(ACCOUNTS[caller]):
            if caller != self.admin:
                with boa.reverts("not admin"):
                    self.c.transfer_admin(addr)
                return
            self.c.transfer_admin(addr)
        self.pending = new

    @rule(caller=who)
    def accept_admin(self, caller: int) -> None:
        with boa.env.prank(ACCOUNTS[caller]):
            if self.pending is None:
                with boa.reverts("no pending admin"):
                    self.c.accept_admin()
                return
            if caller != self.pending:
                with boa.reverts("not pending admin"):
                    self.c.accept_admin()
                return
            self.c.accept_admin()
        self.admin, self.pending = caller, None

    @rule(caller=who, r=role, account=who)
    def grant(self, caller: int, r: int, account: int) -> None:
        with boa.env.prank(ACCOUNTS[caller]):
            if caller != self.admin:
                with boa.reverts("not admin"):
                    self.c.grant_role(ROLES[r], ACCOUNTS[account])
                return
            self.c.grant_role(ROLES[r], ACCOUNTS[account])
        self.held.add((r, account))

    @rule(caller=who, r=role, account=who)
    def revoke(self, caller: int, r: int, account: int) -> None:
        with boa.env.prank(ACCOUNTS[caller]):
            if caller != self.admin:
                with boa.reverts("not admin"):
                    self.c.revoke_role(ROLES[r], ACCOUNTS[account])
                return
            self.c.revoke_role(ROLES[r], ACCOUNTS[account])
        self.held.discard((r, account))

    @rule(caller=who, r=role)
    def renounce(self, caller: int, r: int) -> None:
        with boa.env.prank(ACCOUNTS[caller]):
            if (r, caller) not in self.held:
                with boa.reverts("missing role"):
                    self.c.renounce_role(ROLES[r])
                return
            self.c.renounce_role(ROLES[r])
        self.held.discard((r, caller))

    @invariant()
    def admin_matches(self) -> None:
        assert self.c.admin() == ACCOUNTS[self.admin]
        want = ZERO if self.pending is None else ACCOUNTS[self.pending]
        assert self.c.pending_admin() == want

    @invariant()
    def roles_match(self) -> None:
        for r in range(len(ROLES)):
            for a in range(4):
                assert self.c.has_role(ROLES[r], ACCOUNTS[a]) == ((r, a) in self.held)


TestRoles = RolesMachine.TestCase
TestRoles.settings = settings(max_examples=20, stateful_step_count=20)
