"""GmFlock.vy stateful invariants.

- FLOCK held by the contract == total_locked == sum of the locks (nothing lost or created);
- every account's FLOCK (wallet + lock) is conserved;
- nothing is withdrawable before expiry; after expiry the whole amount is;
- every lock-setting action leaves 30 to 365 days (day-rounded) until unlock;
- effective balance == amount * remaining / 365 days (floored), never above the amount,
  0 after expiry.
"""

from __future__ import annotations

import boa
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from fomo.chain.sources import contract_path

from .helpers import FAUCET_CAP

DAY = 86400
YEAR = 365 * DAY
GM = boa.load_partial(str(contract_path("economy/GmFlock.vy")))
TOKEN = boa.load_partial(str(contract_path("tokens/DevToken.vy")))
USERS = [boa.env.generate_address(f"locker{i}") for i in range(3)]
START = 10**27

users = st.sampled_from(range(3))
amounts = st.integers(min_value=1, max_value=10**25)
lock_seconds = st.integers(min_value=25 * DAY, max_value=370 * DAY)


class GmFlockMachine(RuleBasedStateMachine):
    @initialize()
    def setup(self) -> None:
        self.flock = TOKEN.deploy("Dev FLOCK", "FLOCK", 18, True, FAUCET_CAP)
        self.gm = GM.deploy(self.flock)
        for u in USERS:
            self.flock.faucet(u, START)
            with boa.env.prank(u):
                self.flock.approve(self.gm, 2**256 - 1)
        self.locks = [(0, 0)] * 3

    def now(self) -> int:
        return int(boa.env.evm.patch.timestamp)

    def expect_end(self, requested: int) -> int | None:
        end = requested // DAY * DAY
        if end < self.now() + 30 * DAY or end > self.now() + YEAR:
            return None
        return end

    @rule(u=users, amount=amounts, secs=lock_seconds)
    def create_lock(self, u: int, amount: int, secs: int) -> None:
        requested = self.now() + secs
        end = self.expect_end(requested)
        with boa.env.prank(USERS[u]):
            if self.locks[u][0] > 0:
                with boa.reverts("lock exists"):
                    self.gm.create_lock(amount, requested)
            elif end is None:
                with boa.reverts():
                    self.gm.create_lock(amount, requested)
            else:
                self.gm.create_lock(amount, requested)
                self.locks[u] = (amount, end)
                assert 30 * DAY <= end - self.now() <= YEAR

    @rule(u=users, amount=amounts)
    def increase(self, u: int, amount: int) -> None:
        locked, end = self.locks[u]
        with boa.env.prank(USERS[u]):
            if locked == 0:
                with boa.reverts("no lock"):
                    self.gm.increase_amount(amount)
            elif self.now() >= end:
                with boa.reverts("lock expired"):
                    self.gm.increase_amount(amount)
            else:
                self.gm.increase_amount(amount)
                self.locks[u] = (locked + amount, end)

    @rule(u=users, secs=lock_seconds)
    def extend(self, u: int, secs: int) -> None:
        locked, end = self.locks[u]
        requested = self.now() + secs
        new_end = self.expect_end(requested)
        with boa.env.prank(USERS[u]):
            if locked == 0 or self.now() >= end or new_end is None or new_end <= end:
                with boa.reverts():
                    self.gm.extend_lock(requested)
            else:
                self.gm.extend_lock(requested)
                self.locks[u] = (locked, new_end)
                assert 30 * DAY <= new_end - self.now() <= YEAR

    @rule(u=users)
    def withdraw(self, u: int) -> None:
        locked, end = self.locks[u]
        before = self.flock.balanceOf(USERS[u])
        with boa.env.prank(USERS[u]):
            if locked == 0:
                with boa.reverts("no lock"):
                    self.gm.withdraw()
            elif self.now() < end:
                with boa.reverts("lock not expired"):
                    self.gm.withdraw()
            else:
                self.gm.withdraw()
                self.locks[u] = (0, 0)
                assert self.flock.balanceOf(USERS[u]) == before + locked

    @rule(
        seconds=st.one_of(
            st.sampled_from([1, DAY, 30 * DAY, 120 * DAY]),
            st.integers(min_value=1, max_value=60 * DAY),
        )
    )
    def time_travel(self, seconds: int) -> None:
        boa.env.time_travel(seconds=seconds)

    @invariant()
    def funds_conserved(self) -> None:
        total = sum(a for a, _ in self.locks)
        assert self.gm.total_locked() == total
        assert self.flock.balanceOf(self.gm) == total
        for u, (locked, _) in enumerate(self.locks):
            assert self.flock.balanceOf(USERS[u]) + locked == START

    @invariant()
    def locks_and_weights(self) -> None:
        t = self.now()
        for u, (locked, end) in enumerate(self.locks):
            assert self.gm.locked(USERS[u]) == (locked, end)
            weight = self.gm.balanceOf(USERS[u])
            want = locked * (end - t) // YEAR if t < end else 0
            assert weight == want
            assert weight <= locked
            assert end % DAY == 0


TestGmFlock = GmFlockMachine.TestCase
TestGmFlock.settings = settings(max_examples=25, stateful_step_count=30)
