"""PaymentVault.vy stateful invariants.

- never pays out more than was settled, never settles more than was deposited:
  total_withdrawn <= total_settled <= total_deposited;
- USDC held == deposits - withdrawals + donations (nothing lost or created);
- everything paid out went to the router or the treasury;
- per-account deposit credits sum to the total; each epoch settles at most once.
"""

from __future__ import annotations

import boa
from eth_utils import keccak
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from fomo.chain.sources import contract_path

from .helpers import FAUCET_CAP

DAY = 86400
VAULT = boa.load_partial(str(contract_path("economy/PaymentVault.vy")))
TOKEN = boa.load_partial(str(contract_path("tokens/DevToken.vy")))
ADMIN = boa.env.generate_address("vault-admin")
SETTLER = boa.env.generate_address("vault-settler")
OPERATOR = boa.env.generate_address("vault-operator")
ROUTER = boa.env.generate_address("vault-router")
TREASURY = boa.env.generate_address("vault-treasury")
PAYERS = [boa.env.generate_address(f"payer{i}") for i in range(3)]
START = 10**15

payers = st.sampled_from(range(3))
amounts = st.integers(min_value=1, max_value=10**12)


class VaultMachine(RuleBasedStateMachine):
    @initialize()
    def setup(self) -> None:
        self.usdc = TOKEN.deploy("Dev USDC", "USDC", 6, True, FAUCET_CAP)
        self.vault = VAULT.deploy(ADMIN, self.usdc, ROUTER, TREASURY)
        with boa.env.prank(ADMIN):
            self.vault.grant_role(keccak(text="SETTLER"), SETTLER)
            self.vault.grant_role(keccak(text="OPERATOR"), OPERATOR)
        for p in PAYERS:
            self.usdc.faucet(p, START)
            with boa.env.prank(p):
                self.usdc.approve(self.vault, 2**256 - 1)
        self.credits = [0, 0, 0]
        self.deposited = 0
        self.settled = 0
        self.withdrawn = 0
        self.donated = 0
        self.epochs: set[int] = set()

    def today(self) -> int:
        return int(boa.env.evm.patch.timestamp) // DAY

    @rule(payer=payers, account=payers, amount=amounts)
    def deposit(self, payer: int, account: int, amount: int) -> None:
        with boa.env.prank(PAYERS[payer]):
            self.vault.deposit(PAYERS[account], amount)
        self.credits[account] += amount
        self.deposited += amount

    @rule(payer=payers, amount=amounts)
    def donate(self, payer: int, amount: int) -> None:
        with boa.env.prank(PAYERS[payer]):
            self.usdc.transfer(self.vault, amount)
        self.donated += amount

    @rule(back=st.integers(min_value=-1, max_value=5), data=st.data())
    def record_settlement(self, back: int, data: st.DataObject) -> None:
        epoch = self.today() - back
        room = self.deposited - self.settled
        amount = data.draw(st.integers(min_value=0, max_value=room + 10))
        with boa.env.prank(SETTLER):
            if back < 1:
                with boa.reverts("epoch not over"):
                    self.vault.record_settlement(epoch, amount)
            elif epoch in self.epochs:
                with boa.reverts("epoch settled"):
                    self.vault.record_settlement(epoch, amount)
            elif amount > room:
                with boa.reverts("exceeds deposits"):
                    self.vault.record_settlement(epoch, amount)
            else:
                self.vault.record_settlement(epoch, amount)
                self.epochs.add(epoch)
                self.settled += amount

    @rule(dest=st.sampled_from(["router", "treasury", "other"]), data=st.data())
    def withdraw(self, dest: str, data: st.DataObject) -> None:
        to = {"router": ROUTER, "treasury": TREASURY, "other": PAYERS[0]}[dest]
        room = self.settled - self.withdrawn
        amount = data.draw(st.integers(min_value=1, max_value=room + 10))
        with boa.env.prank(OPERATOR):
            if dest == "other":
                with boa.reverts("bad destination"):
                    self.vault.withdraw(to, amount)
            elif amount > room:
                with boa.reverts("exceeds settled"):
                    self.vault.withdraw(to, amount)
            else:
                self.vault.withdraw(to, amount)
                self.withdrawn += amount

    @rule(days=st.integers(min_value=1, max_value=3))
    def next_day(self, days: int) -> None:
        boa.env.time_travel(seconds=days * DAY)

    @invariant()
    def never_pays_out_more_than_deposited(self) -> None:
        v = self.vault
        assert v.total_deposited() == self.deposited
        assert v.total_settled() == self.settled
        assert v.total_withdrawn() == self.withdrawn
        assert v.total_withdrawn() <= v.total_settled() <= v.total_deposited()
        assert v.withdrawable() == self.settled - self.withdrawn

    @invariant()
    def funds_conserved(self) -> None:
        held = self.usdc.balanceOf(self.vault)
        assert held == self.deposited - self.withdrawn + self.donated
        paid = self.usdc.balanceOf(ROUTER) + self.usdc.balanceOf(TREASURY)
        assert paid == self.withdrawn
        for i, p in enumerate(PAYERS):
            assert self.vault.deposits(p) == self.credits[i]
        assert sum(self.credits) == self.deposited
        assert sum(self.vault.deposits(p) for p in PAYERS) == self.vault.total_deposited()


TestVault = VaultMachine.TestCase
TestVault.settings = settings(max_examples=25, stateful_step_count=30)
