"""In-memory prepaid credit book: hold-then-settle, never negative.

The gateway is one asyncio process, so every method here runs without interleaving: checking a
balance and taking the hold is one atomic step, and any number of concurrent requests can only
hold what is there. The book is rebuilt at start-up from the database (credits − charged usage,
after the journal has been replayed), so it never needs to be persisted itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class InsufficientCredit(Exception):
    def __init__(self, needed: int, available: int) -> None:
        super().__init__(f"needs {needed} nano-USD, {available} available")
        self.needed = needed
        self.available = available


@dataclass
class CreditBook:
    available: dict[str, int] = field(default_factory=dict)
    """Credited − charged − held, per account, in nano-USD."""
    held: dict[str, int] = field(default_factory=dict)

    def balance(self, account: str) -> int:
        """Credited − charged (holds not subtracted)."""
        return self.available.get(account, 0) + self.held.get(account, 0)

    def credit(self, account: str, amount: int) -> None:
        self.available[account] = self.available.get(account, 0) + amount

    def hold(self, account: str, amount: int) -> None:
        if amount < 0:
            raise ValueError("negative hold")
        avail = self.available.get(account, 0)
        if amount > avail:
            raise InsufficientCredit(amount, max(avail, 0))
        self.available[account] = avail - amount
        self.held[account] = self.held.get(account, 0) + amount

    def settle(self, account: str, held: int, charge: int) -> int:
        """Release ``held`` and take ``min(charge, held)``; returns what was taken."""
        taken = min(max(charge, 0), held)
        self.held[account] = self.held.get(account, 0) - held
        self.available[account] = self.available.get(account, 0) + held - taken
        return taken
