"""The in-process credit ledger: today's :class:`CreditBook` behind the async ledger interface.

One gateway process per database: every method runs on the event loop without awaiting, so a
balance check, the spend-limit checks and the hold they allow are one atomic step. Leases are not
needed — the holds live and die with the process, and a restarted process rebuilds the balances
and the spend counters from the database.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence

from fomo.gateway.credits import CreditBook, InsufficientCredit
from fomo.gateway.ledger import (
    Balance,
    LedgerSource,
    Settlement,
    hold_account,
)
from fomo.gateway.limits import LimitCounter, SpendLimitExceeded, now_utc


class MemoryLedger:
    stores_records = False
    """Records go to the local journal (``fomo.gateway.charging``)."""

    def __init__(self, clock_ns: Callable[[], int] = time.time_ns) -> None:
        self.book = CreditBook()
        self.clock_ns = clock_ns
        self._holds: dict[str, tuple[int, tuple[tuple[str, str], ...]]] = {}
        self._spent: dict[str, dict[tuple[str, str], int]] = {}
        """Period id → (account, counter name) → charged + held in that period. Only the two
        latest periods of each kind are kept (a hold lives seconds, not a day), so a process
        that runs for months does not keep every day's counters."""
        self._applied: set[str] = set()
        self._ids = itertools.count(1)

    async def start(self, source: LedgerSource) -> None:
        self.load(source)

    def load(self, source: LedgerSource) -> None:
        """Balances = credits − charged usage; the book object is kept (others may hold it)."""
        entries = source.credits_since(0)
        spent = source.spent_totals()
        self.book.available.clear()
        self.book.held.clear()
        self._holds.clear()
        self._applied.clear()
        self._spent.clear()
        for entry_id, account, amount in entries:
            self.book.credit(account, amount)
            self._applied.add(f"credit:{entry_id}")
        for account, paid in spent.items():
            self.book.credit(account, -paid)
        for account, counters in source.spend_counters(now_utc(self.clock_ns())).items():
            for name, value in counters.items():
                self._bucket(name)[(account, name)] = value

    def _bucket(self, name: str, create: bool = True) -> dict[tuple[str, str], int]:
        pid = name.rsplit(":", 1)[-1]
        bucket = self._spent.get(pid)
        if bucket is None:
            bucket = {}
            if create:
                same_kind = sorted(p for p in self._spent if p[0] == pid[0])
                for old in same_kind[:-1]:  # keep the previous period of this kind only
                    del self._spent[old]
                self._spent[pid] = bucket
        return bucket

    async def hold(
        self,
        account: str,
        amount: int,
        lease_s: float,
        counters: Sequence[LimitCounter] = (),
    ) -> str:
        if amount < 0:
            raise ValueError("negative hold")
        avail = self.book.available.get(account, 0)
        if amount > avail:
            raise InsufficientCredit(amount, max(avail, 0))
        for c in counters:
            used = self._bucket(c.name).get((account, c.name), 0)
            if c.limit is not None and used + amount > c.limit:
                raise SpendLimitExceeded(c, used, amount)
        self.book.hold(account, amount)
        keys = tuple((account, c.name) for c in counters)
        for k in keys:
            bucket = self._bucket(k[1])
            bucket[k] = bucket.get(k, 0) + amount
        hold_id = f"{account}|{next(self._ids)}"
        self._holds[hold_id] = (amount, keys)
        return hold_id

    async def settle(self, hold_id: str, charge: int, record: str | None = None) -> Settlement:
        entry = self._holds.pop(hold_id, None)
        if entry is None:
            return Settlement(0, False)
        amount, keys = entry
        taken = self.book.settle(hold_account(hold_id), amount, charge)
        for k in keys:
            bucket = self._bucket(k[1], create=False)  # a period long gone: nothing to give back
            if k in bucket:
                bucket[k] -= amount - taken
        return Settlement(taken, True)

    async def release(self, hold_id: str) -> None:
        await self.settle(hold_id, 0)

    async def balance(self, account: str) -> Balance:
        return Balance(self.book.available.get(account, 0), self.book.held.get(account, 0))

    async def spent(self, account: str, names: Sequence[str]) -> list[int]:
        return [self._bucket(n, create=False).get((account, n), 0) for n in names]

    async def credit(self, account: str, amount: int, key: str) -> bool:
        if key in self._applied:
            return False
        self._applied.add(key)
        self.book.credit(account, amount)
        return True

    async def ensure_ready(self, source: LedgerSource) -> None:
        return None

    async def drain_usage(self, source: LedgerSource) -> int:
        return 0

    async def close(self) -> None:
        return None
