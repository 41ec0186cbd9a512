"""The credit ledger the gateway holds, settles and releases prepaid credit against.

Two implementations behind one async interface:

* :class:`fomo.gateway.ledger_memory.MemoryLedger` — the account balances in this process's
  memory (the embedded default: ``fomo up`` with SQLite, one gateway process, no Redis).
* :class:`fomo.gateway.ledger_redis.RedisLedger` — the balances in Redis, changed only by atomic
  Lua scripts, so any number of gateway processes on any number of hosts share one exact ledger.

Either way the database stays the ledger of record: credits are rows of
``gateway_credit_ledger``, charges are the ``paid_nano_usd`` of ``gateway_usage`` rows, and the
hot store is (re)built from them. Every amount is an integer number of nano-USD.

A *hold* reserves the most a request can cost before it is forwarded; *settle* turns it into the
actual charge (never more than the hold) and gives the rest back; *release* gives it all back. A
hold carries a *lease*: if its owner dies without settling, the hold comes back to the account
once the lease has run out (Redis only — a dead in-process ledger takes its holds with it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from fomo.gateway.credits import InsufficientCredit
from fomo.gateway.limits import LimitCounter, SpendLimitExceeded
from fomo.gateway.usage_record import UsageRecord

__all__ = ["InsufficientCredit", "LimitCounter", "SpendLimitExceeded"]

MAX_EXACT_NANO = 2**53 - 1
"""The largest balance (≈ 9.0 million USD) the Redis scripts handle exactly: Lua numbers are
IEEE doubles. Amounts and balances beyond it are refused rather than rounded."""


class LedgerUnavailable(Exception):
    """The shared ledger cannot be used right now (not yet reconciled, or unreachable)."""


@dataclass(frozen=True, slots=True)
class Balance:
    available: int
    """Credited − charged − held, in nano-USD (what a new hold can take)."""
    held: int
    """Held by requests in flight."""

    @property
    def total(self) -> int:
        """Credited − charged (holds not subtracted)."""
        return self.available + self.held


@dataclass(frozen=True, slots=True)
class Settlement:
    taken: int
    """What was charged (``min(charge, hold)``)."""
    found: bool
    """False: the hold was unknown (already settled or released) and nothing moved."""
    recorded: bool = False
    """True: the usage record given to the settle is in shared storage with the charge (the
    Redis ledger's usage stream), so the caller need not journal it."""


class LedgerSource(Protocol):
    """What a ledger rebuilds itself from: the database (see ``GatewayStore``)."""

    def credits_since(self, after_id: int) -> list[tuple[int, str, int]]: ...

    def spent_totals(self, account: str | None = None) -> dict[str, int]: ...

    def spend_counters(self, now: datetime) -> dict[str, dict[str, int]]:
        """Per account, the spend counters of the current periods (``fomo.gateway.limits``)."""
        ...

    def insert_usage(self, records: Sequence[UsageRecord]) -> None:
        """Store usage records, insert-or-ignore on ``request_id``."""
        ...


class CreditLedger(Protocol):
    stores_records: bool
    """True if :meth:`settle` takes the usage record and stores it with the charge (Redis)."""

    async def start(self, source: LedgerSource) -> None:
        """Build or reconcile the balances from the database (after the journals are stored)."""

    async def hold(
        self,
        account: str,
        amount: int,
        lease_s: float,
        counters: Sequence[LimitCounter] = (),
    ) -> str:
        """Reserve ``amount`` or raise :class:`InsufficientCredit`; returns the hold id.

        The amount is also counted in each of ``counters`` (the account's spend counters of
        the current periods); if it would take one that carries a limit past it, nothing is
        reserved and :class:`SpendLimitExceeded` is raised. Settling moves the counters to the
        actual charge, releasing (or the lease running out) gives the amount back."""

    async def spent(self, account: str, names: Sequence[str]) -> list[int]:
        """The spend counters ``names`` of ``account``: charged + held in the period."""

    async def settle(self, hold_id: str, charge: int, record: str | None = None) -> Settlement:
        """Charge ``min(charge, held)`` and give the rest back. Idempotent: a second settle of
        the same hold moves nothing. A hold whose lease ran out is still charged (the request
        it paid for did complete). With ``stores_records``, ``record`` (the usage record's
        JSON) is stored in the same atomic step (``Settlement.recorded``); else it is ignored."""

    async def drain_usage(self, source: LedgerSource) -> int:
        """Move the usage records the ledger stored with their charges into the database;
        returns how many (0 for a ledger that stores none)."""

    async def release(self, hold_id: str) -> None:
        """Give the whole hold back (a request that failed before any charge)."""

    async def balance(self, account: str) -> Balance: ...

    async def credit(self, account: str, amount: int, key: str) -> bool:
        """Add a credit once per idempotency ``key`` (e.g. ``credit:<ledger row id>``); False if
        that key was applied before. Raises :class:`LedgerUnavailable` if it cannot be applied
        yet (the caller retries with the same key)."""

    async def ensure_ready(self, source: LedgerSource) -> None:
        """Rebuild the hot store if it lost its state (e.g. a Redis restart without persistence)."""

    async def close(self) -> None: ...


def hold_account(hold_id: str) -> str:
    """The account a hold id belongs to (hold ids are ``<account>|<unique>``)."""
    account, sep, _ = hold_id.partition("|")
    if not sep:
        raise ValueError(f"not a hold id: {hold_id!r}")
    return account
