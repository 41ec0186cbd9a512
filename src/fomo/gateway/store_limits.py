"""Spend limits in the database (migration ``0008_spend_limits``): a key's limit (two columns of
``gateway_api_keys``), an account's (``gateway_account_limits``), and the spend of the current
periods from the charged usage rows — what the hot ledger's counters are rebuilt from.

A mixin of :class:`fomo.gateway.store.GatewayStore` (the store's one session factory)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from fomo.db.base import normalize_address
from fomo.db.models_gateway import AccountLimit, ApiKey
from fomo.db.models_gateway import UsageRecord as UsageRow
from fomo.db.session import session_scope
from fomo.economics.spend_limits import (
    PERIOD_KINDS,
    SpendLimit,
    parse_reset,
    period_id,
    period_start,
)
from fomo.gateway.limits import ACCOUNT_SCOPE, key_scope


class SpendLimitStore:
    factory: sessionmaker[Session]

    @staticmethod
    def own_key(s: Session, key_id: int, account: str | None) -> ApiKey | None:
        """The key ``key_id`` (with ``account``: only if it is that account's)."""
        k = s.get(ApiKey, key_id)
        if k is None or (account is not None and k.account != normalize_address(account)):
            return None
        return k

    def set_key_limit(self, key_id: int, account: str | None, limit: SpendLimit | None) -> bool:
        """Set (or with None remove) a key's spend limit; False if no such key (of that
        account, when one is given)."""
        with session_scope(self.factory) as s:
            k = self.own_key(s, key_id, account)
            if k is None:
                return False
            k.limit_nano_usd = None if limit is None else limit.limit_nano
            k.limit_reset = None if limit is None else limit.reset
            return True

    def key_limits(self) -> dict[str, SpendLimit]:
        """Key hash → spend limit of the keys that have one (what each worker's poll
        refreshes; a key missing here has no limit)."""
        with self.factory() as s:
            rows = s.execute(
                select(ApiKey.key_hash, ApiKey.limit_nano_usd, ApiKey.limit_reset).where(
                    ApiKey.limit_nano_usd.is_not(None)
                )
            )
            return {h: SpendLimit(int(v or 0), parse_reset(r)) for h, v, r in rows}

    def set_account_limit(self, account: str, limit: SpendLimit | None) -> None:
        account = normalize_address(account)
        with session_scope(self.factory) as s:
            row = s.get(AccountLimit, account)
            if limit is None:
                if row is not None:
                    s.delete(row)
                return
            if row is None:
                row = AccountLimit(account=account)
                s.add(row)
            row.limit_nano_usd = limit.limit_nano
            row.limit_reset = limit.reset
            row.updated_at = datetime.now(UTC)

    def account_limit(self, account: str) -> SpendLimit | None:
        with self.factory() as s:
            r = s.get(AccountLimit, normalize_address(account))
            return (
                None if r is None else SpendLimit(int(r.limit_nano_usd), parse_reset(r.limit_reset))
            )

    def account_limits(self) -> dict[str, SpendLimit]:
        with self.factory() as s:
            return {
                r.account: SpendLimit(int(r.limit_nano_usd), parse_reset(r.limit_reset))
                for r in s.scalars(select(AccountLimit))
            }

    def spend_counters(self, now: datetime) -> dict[str, dict[str, int]]:
        """What the ledger's spend counters hold, from the ledger of record: per account, the
        charged usage of each key and of the account in the current day, ISO week, month and
        all time (``fomo.gateway.limits`` names the counters)."""
        out: dict[str, dict[str, int]] = defaultdict(dict)
        with self.factory() as s:
            for kind in PERIOD_KINDS:
                pid = period_id(kind, now)
                q = select(
                    UsageRow.account, UsageRow.key_id, func.sum(UsageRow.paid_nano_usd)
                ).group_by(UsageRow.account, UsageRow.key_id)
                if kind is not None:
                    q = q.where(UsageRow.created_at >= period_start(kind, now))
                for account, key_id, paid in s.execute(q):
                    counters = out[str(account)]
                    name = f"{ACCOUNT_SCOPE}:{pid}"
                    counters[name] = counters.get(name, 0) + int(paid or 0)
                    if key_id is not None:
                        counters[f"{key_scope(int(key_id))}:{pid}"] = int(paid or 0)
        return dict(out)

    def spent_in_period(
        self, account: str, key_id: int | None, limit: SpendLimit, now: datetime
    ) -> int:
        """Charged usage of one key (or, with None, the whole account) in the limit's current
        period, from the ledger of record (holds in flight are in the hot ledger only)."""
        q = select(func.sum(UsageRow.paid_nano_usd)).where(
            UsageRow.account == normalize_address(account)
        )
        if key_id is not None:
            q = q.where(UsageRow.key_id == key_id)
        if limit.reset is not None:
            q = q.where(UsageRow.created_at >= period_start(limit.reset, now))
        with self.factory() as s:
            return int(s.scalar(q) or 0)
