"""The in-process credit ledger: today's :class:`CreditBook` behind the async ledger interface.

One gateway process per database: every method runs on the event loop without awaiting, so a
balance check and the hold it allows are one atomic step. Leases are not needed — the holds live
and die with the process, and a restarted process rebuilds the balances from the database.
"""

from __future__ import annotations

import itertools

from fomo.gateway.credits import CreditBook
from fomo.gateway.ledger import (
    Balance,
    LedgerSource,
    Settlement,
    hold_account,
)


class MemoryLedger:
    def __init__(self) -> None:
        self.book = CreditBook()
        self._holds: dict[str, int] = {}
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
        for entry_id, account, amount in entries:
            self.book.credit(account, amount)
            self._applied.add(f"credit:{entry_id}")
        for account, paid in spent.items():
            self.book.credit(account, -paid)

    async def hold(self, account: str, amount: int, lease_s: float) -> str:
        self.book.hold(account, amount)  # raises InsufficientCredit
        hold_id = f"{account}|{next(self._ids)}"
        self._holds[hold_id] = amount
        return hold_id

    async def settle(self, hold_id: str, charge: int) -> Settlement:
        amount = self._holds.pop(hold_id, None)
        if amount is None:
            return Settlement(0, False)
        return Settlement(self.book.settle(hold_account(hold_id), amount, charge), True)

    async def release(self, hold_id: str) -> None:
        await self.settle(hold_id, 0)

    async def balance(self, account: str) -> Balance:
        return Balance(self.book.available.get(account, 0), self.book.held.get(account, 0))

    def available_now(self, account: str) -> int:
        return self.book.available.get(account, 0)

    async def credit(self, account: str, amount: int, key: str) -> bool:
        if key in self._applied:
            return False
        self._applied.add(key)
        self.book.credit(account, amount)
        return True

    async def ensure_ready(self, source: LedgerSource) -> None:
        return None

    async def close(self) -> None:
        return None
