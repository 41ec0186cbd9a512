"""Database access for the gateway (synchronous SQLAlchemy; the app calls it off the event loop).

Nothing here is on a request's hot path except a cache miss (a key or a stake not seen before).
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from fomo.db.base import normalize_address
from fomo.db.models import Deposit, IndexerCursor, Launch, ModelType, Stake
from fomo.db.models_gateway import (
    AccountLimit,
    ApiKey,
    CreditEntry,
    SiweNonce,
    SiweSession,
    UsageRecord,
)
from fomo.db.session import make_session_factory, session_scope
from fomo.economics.spend_limits import (
    PERIOD_KINDS,
    SpendLimit,
    parse_reset,
    period_id,
    period_start,
)
from fomo.economics.units import NANO_PER_USDC_UNIT
from fomo.gateway.limits import ACCOUNT_SCOPE, key_scope

KEY_PREFIX = "sk-"
SESSION_PREFIX = "sess-"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class KeyInfo:
    id: int
    account: str
    prefix: str
    name: str
    created_at: datetime
    revoked: bool
    rpm_limit: int | None
    tpm_limit: int | None
    limit_nano: int | None = None
    """Spend limit in nano-USD per ``limit_reset`` period (None: no limit of its own)."""
    limit_reset: str | None = None


def _key_info(k: ApiKey) -> KeyInfo:
    return KeyInfo(
        k.id,
        k.account,
        k.prefix,
        k.name,
        k.created_at,
        k.revoked_at is not None,
        k.rpm_limit,
        k.tpm_limit,
        None if k.limit_nano_usd is None else int(k.limit_nano_usd),
        k.limit_reset,
    )


@dataclass(frozen=True, slots=True)
class LaunchRoute:
    token: str
    symbol: str
    base_model: str


USAGE_COLUMNS = (
    "request_id",
    "created_at",
    "day",
    "account",
    "key_id",
    "endpoint",
    "model_id",
    "base_model",
    "deployment",
    "input_tokens",
    "cached_input_tokens",
    "output_tokens",
    "reasoning_tokens",
    "gross_nano_usd",
    "discount_bps",
    "paid_nano_usd",
    "compute_cost_nano_usd",
    "latency_us",
    "overhead_us",
    "status",
    "charged",
    "estimated",
    "stream",
    "cut",
)


class GatewayStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.factory: sessionmaker[Session] = make_session_factory(engine)

    # --- keys -------------------------------------------------------------------------------

    def create_key(
        self,
        account: str,
        name: str = "",
        rpm_limit: int | None = None,
        tpm_limit: int | None = None,
        spend_limit: SpendLimit | None = None,
    ) -> tuple[KeyInfo, str]:
        """Create a key; the plaintext is returned here once and never stored."""
        account = normalize_address(account)
        plaintext = KEY_PREFIX + secrets.token_urlsafe(32)
        with session_scope(self.factory) as s:
            k = ApiKey(
                account=account,
                key_hash=hash_secret(plaintext),
                prefix=plaintext[:12],
                name=name[:64],
                rpm_limit=rpm_limit,
                tpm_limit=tpm_limit,
                limit_nano_usd=None if spend_limit is None else spend_limit.limit_nano,
                limit_reset=None if spend_limit is None else spend_limit.reset,
                created_at=datetime.now(UTC),
            )
            s.add(k)
            s.flush()
            info = _key_info(k)
        return info, plaintext

    def find_key(self, key_hash: str) -> KeyInfo | None:
        with self.factory() as s:
            k = s.scalar(select(ApiKey).where(ApiKey.key_hash == key_hash))
            return None if k is None else _key_info(k)

    def all_keys(self) -> dict[str, KeyInfo]:
        with self.factory() as s:
            return {k.key_hash: _key_info(k) for k in s.scalars(select(ApiKey))}

    def list_keys(self, account: str) -> list[KeyInfo]:
        account = normalize_address(account)
        with self.factory() as s:
            rows = s.scalars(select(ApiKey).where(ApiKey.account == account).order_by(ApiKey.id))
            return [_key_info(k) for k in rows]

    def revoke_key(self, key_id: int, account: str | None = None) -> str | None:
        """Revoke; returns the key's hash (None if no such key of that account)."""
        with session_scope(self.factory) as s:
            k = s.get(ApiKey, key_id)
            if k is None or (account is not None and k.account != normalize_address(account)):
                return None
            if k.revoked_at is None:
                k.revoked_at = datetime.now(UTC)
            return k.key_hash

    # --- spend limits -----------------------------------------------------------------------

    def set_key_limit(
        self, key_id: int, account: str | None, limit: SpendLimit | None
    ) -> KeyInfo | None:
        """Set (or with None remove) a key's spend limit; None if no such key of that account."""
        with session_scope(self.factory) as s:
            k = s.get(ApiKey, key_id)
            if k is None or (account is not None and k.account != normalize_address(account)):
                return None
            k.limit_nano_usd = None if limit is None else limit.limit_nano
            k.limit_reset = None if limit is None else limit.reset
            s.flush()
            return _key_info(k)

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

    def get_key_by_id(self, key_id: int) -> KeyInfo | None:
        with self.factory() as s:
            k = s.get(ApiKey, key_id)
            return None if k is None else _key_info(k)

    def get_key(self, key_id: int, account: str) -> KeyInfo | None:
        with self.factory() as s:
            k = s.get(ApiKey, key_id)
            if k is None or k.account != normalize_address(account):
                return None
            return _key_info(k)

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
                    UsageRecord.account, UsageRecord.key_id, func.sum(UsageRecord.paid_nano_usd)
                ).group_by(UsageRecord.account, UsageRecord.key_id)
                if kind is not None:
                    q = q.where(UsageRecord.created_at >= period_start(kind, now))
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
        q = select(func.sum(UsageRecord.paid_nano_usd)).where(
            UsageRecord.account == normalize_address(account)
        )
        if key_id is not None:
            q = q.where(UsageRecord.key_id == key_id)
        if limit.reset is not None:
            q = q.where(UsageRecord.created_at >= period_start(limit.reset, now))
        with self.factory() as s:
            return int(s.scalar(q) or 0)

    def revoked_hashes(self) -> set[str]:
        with self.factory() as s:
            return set(s.scalars(select(ApiKey.key_hash).where(ApiKey.revoked_at.is_not(None))))

    # --- SIWE -------------------------------------------------------------------------------

    def create_nonce(self, ttl_s: int) -> tuple[str, datetime]:
        nonce = secrets.token_hex(12)
        now = datetime.now(UTC)
        exp = now + timedelta(seconds=ttl_s)
        with session_scope(self.factory) as s:
            s.add(SiweNonce(nonce=nonce, issued_at=now, expires_at=exp))
        return nonce, exp

    def consume_nonce(self, nonce: str) -> bool:
        """Mark a nonce used; False if unknown, expired or already used (single use)."""
        now = datetime.now(UTC)
        with session_scope(self.factory) as s:
            res = s.execute(
                update(SiweNonce)
                .where(
                    SiweNonce.nonce == nonce,
                    SiweNonce.used_at.is_(None),
                    SiweNonce.expires_at > now,
                )
                .values(used_at=now)
            )
            return bool(res.rowcount)  # type: ignore[attr-defined]

    def create_session(self, account: str, ttl_s: int) -> tuple[str, datetime]:
        token = SESSION_PREFIX + secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        exp = now + timedelta(seconds=ttl_s)
        with session_scope(self.factory) as s:
            s.add(
                SiweSession(
                    token_hash=hash_secret(token),
                    account=normalize_address(account),
                    created_at=now,
                    expires_at=exp,
                )
            )
        return token, exp

    def find_session(self, token: str) -> str | None:
        with self.factory() as s:
            row = s.get(SiweSession, hash_secret(token))
            if row is None or row.expires_at <= datetime.now(UTC):
                return None
            return row.account

    # --- credits ----------------------------------------------------------------------------

    def grant(self, account: str, amount_nano: int, note: str = "", kind: str = "grant") -> int:
        if isinstance(amount_nano, bool) or not isinstance(amount_nano, int) or amount_nano <= 0:
            raise ValueError("a grant must be a positive integer number of nano-USD")
        with session_scope(self.factory) as s:
            e = CreditEntry(
                account=normalize_address(account),
                amount_nano_usd=amount_nano,
                kind=kind,
                ref=f"{kind}:{uuid.uuid4().hex}",
                note=note[:256],
                created_at=datetime.now(UTC),
            )
            s.add(e)
            s.flush()
            return e.id

    def credit_confirmed_deposits(self, confirmations: int) -> int:
        """Turn PaymentVault deposits at least ``confirmations`` deep into ledger credits.

        USDC has 6 decimals: one base unit is 1,000 nano-USD. The ledger's unique ``ref``
        (``deposit:<tx>:<log index>``) makes this idempotent even if ``credited_at`` were lost.
        """
        with session_scope(self.factory) as s:
            head = s.scalar(select(func.max(IndexerCursor.block_number)))
            if head is None:
                return 0
            deep = head - max(confirmations, 1) + 1
            rows = list(
                s.scalars(
                    select(Deposit).where(
                        Deposit.credited_at.is_(None), Deposit.block_number <= deep
                    )
                )
            )
            now = datetime.now(UTC)
            n = 0
            for d in rows:
                ref = f"deposit:{d.tx_hash}:{d.log_index}"
                exists = s.scalar(select(CreditEntry.id).where(CreditEntry.ref == ref))
                if exists is None and d.amount > 0:
                    s.add(
                        CreditEntry(
                            account=d.account,
                            amount_nano_usd=d.amount * NANO_PER_USDC_UNIT,
                            kind="deposit",
                            ref=ref,
                            note=f"PaymentVault deposit block {d.block_number}",
                            created_at=now,
                        )
                    )
                    n += 1
                d.credited_at = now
            return n

    def credits_since(self, after_id: int) -> list[tuple[int, str, int]]:
        with self.factory() as s:
            rows = s.execute(
                select(CreditEntry.id, CreditEntry.account, CreditEntry.amount_nano_usd)
                .where(CreditEntry.id > after_id)
                .order_by(CreditEntry.id)
            )
            return [(int(i), str(a), int(v)) for i, a, v in rows]

    def credit_totals(self, account: str | None = None) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        with self.factory() as s:
            q = select(CreditEntry.account, CreditEntry.amount_nano_usd)
            if account is not None:
                q = q.where(CreditEntry.account == normalize_address(account))
            for a, v in s.execute(q):  # Amount cannot be SUMmed in SQL on SQLite
                out[a] += int(v)
        return dict(out)

    def spent_totals(self, account: str | None = None) -> dict[str, int]:
        with self.factory() as s:
            q = select(UsageRecord.account, func.sum(UsageRecord.paid_nano_usd)).group_by(
                UsageRecord.account
            )
            if account is not None:
                q = q.where(UsageRecord.account == normalize_address(account))
            return {str(a): int(v or 0) for a, v in s.execute(q)}

    def balance(self, account: str) -> int:
        a = normalize_address(account)
        return self.credit_totals(a).get(a, 0) - self.spent_totals(a).get(a, 0)

    # --- usage ------------------------------------------------------------------------------

    def insert_usage(self, records: list[dict[str, Any]]) -> None:
        """Insert-or-ignore on ``request_id``: replaying a record never stores it twice."""
        if not records:
            return
        rows = []
        for r in records:
            row = {c: r.get(c) for c in USAGE_COLUMNS}
            row["created_at"] = datetime.fromtimestamp(r["ts_us"] / 1e6, UTC)
            rows.append(row)
        with session_scope(self.factory) as s:
            dialect = s.get_bind().dialect.name
            stmt: Any
            if dialect == "sqlite":
                from sqlalchemy.dialects.sqlite import insert as sqlite_insert

                stmt = sqlite_insert(UsageRecord).on_conflict_do_nothing(
                    index_elements=["request_id"]
                )
            elif dialect == "postgresql":
                from sqlalchemy.dialects.postgresql import insert as pg_insert

                stmt = pg_insert(UsageRecord).on_conflict_do_nothing(index_elements=["request_id"])
            else:  # pragma: no cover - other backends: check then insert
                have = set(
                    s.scalars(
                        select(UsageRecord.request_id).where(
                            UsageRecord.request_id.in_([r["request_id"] for r in rows])
                        )
                    )
                )
                rows = [r for r in rows if r["request_id"] not in have]
                stmt = insert(UsageRecord)
            if rows:
                s.execute(stmt, rows)

    def usage_count(self) -> int:
        with self.factory() as s:
            return int(s.scalar(select(func.count(UsageRecord.id))) or 0)

    def usage_by_day_model(self, account: str, since_day: int) -> list[dict[str, Any]]:
        a = normalize_address(account)
        with self.factory() as s:
            q = (
                select(
                    UsageRecord.day,
                    UsageRecord.model_id,
                    func.count(UsageRecord.id),
                    func.sum(UsageRecord.input_tokens),
                    func.sum(UsageRecord.cached_input_tokens),
                    func.sum(UsageRecord.output_tokens),
                    func.sum(UsageRecord.reasoning_tokens),
                    func.sum(UsageRecord.gross_nano_usd),
                    func.sum(UsageRecord.paid_nano_usd),
                )
                .where(UsageRecord.account == a, UsageRecord.day >= since_day)
                .group_by(UsageRecord.day, UsageRecord.model_id)
                .order_by(UsageRecord.day, UsageRecord.model_id)
            )
            out = []
            for day, model, n, i, c, o, r, g, p in s.execute(q):
                out.append(
                    {
                        "day": (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(days=day))
                        .date()
                        .isoformat(),
                        "model": model,
                        "requests": int(n),
                        "input_tokens": int(i or 0),
                        "cached_input_tokens": int(c or 0),
                        "output_tokens": int(o or 0),
                        "reasoning_tokens": int(r or 0),
                        "gross_nano_usd": int(g or 0),
                        "paid_nano_usd": int(p or 0),
                    }
                )
            return out

    # --- chain state (indexed by the runtime) ----------------------------------------------

    def stake_of(self, account: str, token: str) -> int:
        """Active (not cooling-down) MT stake of ``account`` on deployment ``token``."""
        with self.factory() as s:
            row = s.get(Stake, (normalize_address(token), normalize_address(account)))
            return 0 if row is None else int(row.staked)

    def stakes_of(self, account: str) -> dict[str, int]:
        with self.factory() as s:
            rows = s.scalars(select(Stake).where(Stake.account == normalize_address(account)))
            return {r.token: int(r.staked) for r in rows if r.staked > 0}

    def graduated_launches(self) -> list[LaunchRoute]:
        """Graduated launches with their base model: from the platform's ``model_types`` (which
        carry prices) or, failing that, from the model types the indexer read off the chain."""
        with self.factory() as s:
            rows = list(
                s.execute(
                    select(Launch.token, Launch.mt_symbol, Launch.model_type_id).where(
                        Launch.status == "graduated"
                    )
                )
            )
            if not rows:
                return []
            bases: dict[str, str] = {
                mid: base
                for mid, base in s.execute(select(ModelType.model_type_id, ModelType.base_model))
            }
            try:
                from fomo.db.models_indexer import ChainModelType

                for mid, base in s.execute(
                    select(ChainModelType.model_type_id, ChainModelType.base_model)
                ):
                    bases.setdefault(mid, base)
            except Exception:  # no indexer tables in this database
                pass
            return [
                LaunchRoute(token, symbol, bases[mid])
                for token, symbol, mid in rows
                if mid in bases
            ]

    def model_types(self) -> list[ModelType]:
        with self.factory() as s:
            return list(s.scalars(select(ModelType).where(ModelType.active.is_(True))))
