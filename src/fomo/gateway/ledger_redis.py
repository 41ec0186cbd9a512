"""The shared credit ledger: balances and holds in Redis, changed only by atomic Lua scripts.

Every gateway process (on any host) runs the same scripts against one Redis, and Redis runs one
script at a time, so "is there enough? then take it" can never interleave between workers: the
balance never goes below zero and the sum of what was taken is exact. Integer nano-USD only.

Keys, per account ``A`` (the ``{A}`` hash tag keeps one account's keys together)::

    <p>:{A}:avail     credited − charged − held
    <p>:{A}:holds     hash   hold id → amount
    <p>:{A}:exp       zset   hold id → lease end (ms, Redis clock)
    <p>:{A}:expired   hash   hold id → amount, for holds whose lease ran out (kept a week)
    <p>:{A}:credits   set    idempotency keys of the credits applied
    <p>:{A}:sp:<c>    spend counter ``c`` (``k12:d2026-11-27``, ``a:all``, see fomo.gateway.limits):
                      charged + held in that period by that key or the whole account
    <p>:{A}:holdlim   hash   hold id → the spend counters it counts in (space-separated)
    <p>:ready         set once the balances were built from the database
    <p>:holders       set    accounts that may have holds (what the sweeper visits)
    <p>:usage         stream usage records appended by the settles, not yet in the database
                      (fomo.gateway.usage_stream drains it; ``usage-drain-lock`` its lock)

A hold whose lease ran out (its worker died, or it outlived its lease) is given back by the next
script that touches the account, or by the sweeper; it is remembered in ``expired`` so that a
late settle — the record was journaled, so the request did complete — still charges it exactly
once. The scripts read the time from Redis (``TIME``), so workers' clocks do not matter.

Spend limits ride on the same scripts: a hold counts its amount in the key's and the account's
spend counters of the current periods and is refused if a counter with a limit would pass it —
checked with the balance, in the same script, so workers cannot overshoot a limit together.
Settle moves the counters to the actual charge; release and lease expiry give the hold back (and
a late settle of an expired hold counts its charge again). The period a request counts in is the
one its hold was taken in (the gateway's clock names it); a new period is a new counter.

A settle also appends the request's usage record to the usage stream, in the same script as the
charge: a record is in shared storage the moment its client is charged, so a worker or a whole
host lost after the settle loses neither (``fomo.gateway.usage_stream``).

Start-up: the first worker to find no ``ready`` marker takes a lock, rebuilds every balance from
the database (credits − charged usage − holds still live) and sets the marker; workers starting
at the same time wait for it. The rebuild first drains the usage stream into the database under
the drain lock (no other drainer runs meanwhile), and each account's script then counts the
records settled since (still in the stream), so no charged record is refunded or counted twice.
Credits are applied by each worker's poll with the ledger row id as idempotency key, so a credit
reaches every worker once, whichever worker sees it first.

The scripts touch keys of one account plus the global keys (``ready``, ``holders``, ``usage``),
so this needs a single Redis (or a primary with replicas), not Redis Cluster.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from fomo.gateway.ledger import (
    MAX_EXACT_NANO,
    Balance,
    InsufficientCredit,
    LedgerSource,
    LedgerUnavailable,
    Settlement,
    hold_account,
)
from fomo.gateway.ledger_scripts import (
    BALANCE,
    CREDIT,
    HOLD,
    INIT_ACCOUNT,
    SETTLE,
    SPENT,
    UNLOCK,
)
from fomo.gateway.limits import (
    LimitCounter,
    SpendLimitExceeded,
    counter_ttls,
    now_utc,
    ttl_of,
)
from fomo.gateway.redis_pool import bounded_redis
from fomo.gateway.usage_stream import LostDrainLock, UsageStream

log = logging.getLogger("fomo.gateway.ledger")

INIT_LOCK_MS = 120_000
SWEEP_INTERVAL_S = 1.0


class RedisLedger:
    stores_records = True

    def __init__(
        self,
        url: str,
        *,
        prefix: str = "fomo:cl",
        max_connections: int = 64,
        clock_ns: Callable[[], int] = time.time_ns,
        drain_lock_ms: int | None = None,
    ) -> None:
        import redis.exceptions as redis_errors

        self.url = url
        self.prefix = prefix
        self.clock_ns = clock_ns
        """Names the spend-limit periods when rebuilding (the gateway's clock)."""
        # At most ``max_connections`` scripts in flight; the rest wait for a free connection
        # (rather than fail): scripts take microseconds each. See ``redis_pool``.
        self._redis: Any = bounded_redis(url, max_connections)
        self._pool = self._redis.connection_pool
        self._hold = self._redis.register_script(HOLD)
        self._settle = self._redis.register_script(SETTLE)
        self._balance = self._redis.register_script(BALANCE)
        self._spent = self._redis.register_script(SPENT)
        self._credit = self._redis.register_script(CREDIT)
        self._init_account = self._redis.register_script(INIT_ACCOUNT)
        self._unlock = self._redis.register_script(UNLOCK)
        self.stream = UsageStream(
            self._redis, prefix, **({"lock_ms": drain_lock_ms} if drain_lock_ms else {})
        )
        self._ready_key = f"{prefix}:ready"
        self._holders_key = f"{prefix}:holders"
        self._lock_key = f"{prefix}:init-lock"
        self._id_prefix = uuid.uuid4().hex[:16]
        self._ids = itertools.count(1)
        self._sweeper: asyncio.Task[None] | None = None
        self._deferred: list[tuple[str, int]] = []
        self._errors: tuple[type[Exception], ...] = (redis_errors.RedisError, OSError)
        self.reconciled = False
        """True if this instance rebuilt the balances from the database at start-up."""

    def _keys(self, account: str) -> list[str]:
        """avail, holds, exp, expired, holdlim of one account."""
        b = f"{self.prefix}:{{{account}}}"
        return [f"{b}:avail", f"{b}:holds", f"{b}:exp", f"{b}:expired", f"{b}:holdlim"]

    def _counter(self, account: str, name: str) -> str:
        return f"{self.prefix}:{{{account}}}:sp:{name}"

    # --- lifecycle --------------------------------------------------------------------------

    async def start(self, source: LedgerSource) -> None:
        await self.ensure_ready(source)
        if self._sweeper is None:
            self._sweeper = asyncio.get_running_loop().create_task(self._sweep_loop())

    async def ensure_ready(self, source: LedgerSource) -> None:
        """Build the balances from the database unless another worker already has (one lock, so
        workers starting together never count a credit or a charge twice)."""
        try:
            await self._ensure_ready(source)
        except self._errors as exc:
            raise LedgerUnavailable(
                f"Redis at {self._redis_location()} is unreachable ({type(exc).__name__})"
            ) from None

    def _redis_location(self) -> str:
        kw = self._pool.connection_kwargs
        return f"{kw.get('host', '?')}:{kw.get('port', '?')}"

    async def _ensure_ready(self, source: LedgerSource) -> None:
        if await self._redis.exists(self._ready_key):
            return
        token = uuid.uuid4().hex
        while not await self._redis.set(self._lock_key, token, nx=True, px=INIT_LOCK_MS):
            if await self._redis.exists(self._ready_key):
                return
            await asyncio.sleep(0.05)
        try:
            if await self._redis.exists(self._ready_key):
                return
            await self._rebuild(source)
            await self._redis.set(self._ready_key, b"1")
            self.reconciled = True
        finally:
            await self._unlock(keys=[self._lock_key], args=[token])

    async def _rebuild(self, source: LedgerSource) -> None:
        # No drainer may store stream records while the database is read and the accounts are
        # rebuilt: each account's script counts the records past ``upto`` as not yet stored.
        async with self.stream.locked(wait=True, lock_ms=INIT_LOCK_MS) as token:
            assert token is not None
            _, upto = await self.stream.drain_locked(source.insert_usage, token, INIT_LOCK_MS)
            await self._rebuild_accounts(source, upto)

    async def _rebuild_accounts(self, source: LedgerSource, upto: str) -> None:
        entries = await asyncio.to_thread(source.credits_since, 0)
        spent = await asyncio.to_thread(source.spent_totals)
        now = now_utc(self.clock_ns())
        counters = await asyncio.to_thread(source.spend_counters, now)
        ttls = counter_ttls(now)
        balance: dict[str, int] = defaultdict(int)
        keys: dict[str, list[str]] = defaultdict(list)
        for entry_id, account, amount in entries:
            balance[account] += amount
            keys[account].append(f"credit:{entry_id}")
        for account, paid in spent.items():
            balance[account] -= paid
        for account in set(balance) | set(counters):
            bal = balance.get(account, 0)
            if bal > MAX_EXACT_NANO:
                log.error("account %s: balance beyond the exact range, capped", account)
                bal = MAX_EXACT_NANO
            avail, holds, _, _, holdlim = self._keys(account)
            spend = counters.get(account, {})
            args: list[Any] = [bal, account, upto]
            for name in spend:
                args += [spend[name], ttl_of(name, ttls)]
            await self._init_account(
                keys=[
                    avail,
                    holds,
                    holdlim,
                    self.stream.key,
                    *(self._counter(account, n) for n in spend),
                ],
                args=args,
            )
            credits_key = f"{self.prefix}:{{{account}}}:credits"
            await self._redis.delete(credits_key)
            ids = keys[account]
            for i in range(0, len(ids), 1000):
                await self._redis.sadd(credits_key, *ids[i : i + 1000])
        log.warning("credit ledger rebuilt from the database (%d accounts)", len(balance))

    async def close(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
            self._sweeper = None
        with contextlib.suppress(*self._errors):  # last chance for deferred settles
            while self._deferred:
                await self._settle_now(*self._deferred[0])
                self._deferred.pop(0)
        if self._deferred:  # the records name these holds; whoever replays them cannot help
            log.error("closing with %d settles Redis never took", len(self._deferred))
        await self._redis.aclose()
        await self._pool.disconnect()

    # --- operations -------------------------------------------------------------------------

    async def hold(
        self,
        account: str,
        amount: int,
        lease_s: float,
        counters: Sequence[LimitCounter] = (),
    ) -> str:
        if amount < 0:
            raise ValueError("negative hold")
        if amount > MAX_EXACT_NANO:
            raise InsufficientCredit(amount, 0)
        hold_id = f"{account}|{self._id_prefix}{next(self._ids):x}"
        lease_ms = max(int(lease_s * 1000), 1)
        args: list[Any] = [hold_id, amount, lease_ms, account]
        for c in counters:
            args += [-1 if c.limit is None else c.limit, c.ttl_ms]
        try:
            status, avail, used = await self._hold(
                keys=[
                    *self._keys(account),
                    self._ready_key,
                    self._holders_key,
                    *(self._counter(account, c.name) for c in counters),
                ],
                args=args,
            )
        except self._errors as exc:
            raise _unreachable(exc) from None
        if status == -2:
            raise LedgerUnavailable("the shared credit ledger is not reconciled yet")
        if status == -1:
            raise InsufficientCredit(amount, max(int(avail), 0))
        if status == -3:  # ``avail`` is the 1-based index of the counter that refused
            raise SpendLimitExceeded(counters[int(avail) - 1], int(used), amount)
        return hold_id

    async def settle(self, hold_id: str, charge: int, record: str | None = None) -> Settlement:
        try:
            return await self._settle_now(hold_id, charge, record)
        except self._errors:
            # The request is done: settle it later rather than fail it. Retried by the sweeper
            # without the record (``recorded`` is False: the caller journals it locally);
            # settling is idempotent, and a hold whose lease runs out meanwhile is still
            # charged once.
            log.warning("settle of %s deferred: Redis unreachable", hold_id)
            self._deferred.append((hold_id, charge))
            return Settlement(0, False)

    async def _settle_now(self, hold_id: str, charge: int, record: str | None = None) -> Settlement:
        account = hold_account(hold_id)
        status, taken = await self._settle(
            keys=[*self._keys(account), self.stream.key],
            args=[hold_id, max(int(charge), 0), account, record or ""],
        )
        return Settlement(int(taken), status != 0, record is not None)

    async def release(self, hold_id: str) -> None:
        await self.settle(hold_id, 0)

    async def balance(self, account: str) -> Balance:
        try:
            avail, held = await self._balance(
                keys=[*self._keys(account), self._holders_key], args=[account]
            )
        except self._errors as exc:
            raise _unreachable(exc) from None
        return Balance(int(avail), int(held))

    async def spent(self, account: str, names: Sequence[str]) -> list[int]:
        if not names:
            return []
        try:
            values = await self._spent(
                keys=[*self._keys(account), *(self._counter(account, n) for n in names)]
            )
        except self._errors as exc:
            raise _unreachable(exc) from None
        return [int(v) for v in values]

    async def credit(self, account: str, amount: int, key: str) -> bool:
        avail = self._keys(account)[0]
        credits_key = f"{self.prefix}:{{{account}}}:credits"
        try:
            status = await self._credit(
                keys=[avail, credits_key, self._ready_key], args=[key, amount, MAX_EXACT_NANO]
            )
        except self._errors as exc:
            raise _unreachable(exc) from None
        if status == -2:
            raise LedgerUnavailable("the shared credit ledger is not reconciled yet")
        if status == -3:
            raise LedgerUnavailable(
                f"crediting {amount} nano-USD would take account {account} beyond "
                f"{MAX_EXACT_NANO} nano-USD, the most the shared ledger holds exactly"
            )
        return bool(status == 1)

    async def drain_usage(self, source: LedgerSource) -> int:
        """Store the usage stream in the database, unless another worker is at it."""
        try:
            return await self.stream.drain(source.insert_usage)
        except LostDrainLock:  # paused past the lock's TTL: the new holder stores the rest
            log.warning("usage drain lost its lock; another worker continues")
            return 0
        except self._errors as exc:
            raise _unreachable(exc) from None

    # --- sweeper ----------------------------------------------------------------------------

    async def sweep(self) -> None:
        """Settle what could not be settled before, then give back every hold whose lease ran
        out (accounts nobody touches included)."""
        while self._deferred:
            hold_id, charge = self._deferred[0]
            await self._settle_now(hold_id, charge)
            self._deferred.pop(0)
        for raw in await self._redis.smembers(self._holders_key):
            await self.balance(raw.decode())

    async def _sweep_loop(self) -> None:
        while True:
            await asyncio.sleep(SWEEP_INTERVAL_S)
            try:
                await self.sweep()
            except asyncio.CancelledError:
                raise
            except Exception:  # Redis briefly unreachable: the next round sweeps
                log.exception("hold sweep failed")


def _unreachable(exc: Exception) -> LedgerUnavailable:
    return LedgerUnavailable(f"Redis is unreachable ({type(exc).__name__})")
