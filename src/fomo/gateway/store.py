"""Database access for the gateway (synchronous SQLAlchemy; the app calls it off the event loop).

Nothing here is on a request's hot path except a cache miss (a key or a stake not seen before).
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from fomo.db.base import normalize_address
from fomo.db.models import Deposit, IndexerCursor, Launch, ModelType, Stake
from fomo.db.models_gateway import (
    ApiKey,
    CreditEntry,
    SiweNonce,
    SiweSession,
)
from fomo.db.models_gateway import UsageRecord as UsageRow
from fomo.db.session import make_session_factory, session_scope
from fomo.economics.units import NANO_PER_USDC_UNIT
from fomo.gateway.store_limits import SpendLimitStore
from fomo.gateway.usage_record import UsageRecord

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
    limit_nano: int | None = None  # spend limit, nano-USD per limit_reset period (store_limits)
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
        k.limit_nano_usd,
        k.limit_reset,
    )


@dataclass(frozen=True, slots=True)
class LaunchRoute:
    token: str
    symbol: str
    base_model: str


class GatewayStore(SpendLimitStore):
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

    def get_key(self, key_id: int, account: str | None = None) -> KeyInfo | None:
        """A key by id (with ``account``: only if it is that account's)."""
        with self.factory() as s:
            k = self.own_key(s, key_id, account)
            return None if k is None else _key_info(k)

    def revoke_key(self, key_id: int, account: str | None = None) -> str | None:
        """Revoke; returns the key's hash (None if no such key of that account)."""
        with session_scope(self.factory) as s:
            k = self.own_key(s, key_id, account)
            if k is None:
                return None
            if k.revoked_at is None:
                k.revoked_at = datetime.now(UTC)
            return k.key_hash

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
            q = select(UsageRow.account, func.sum(UsageRow.paid_nano_usd)).group_by(
                UsageRow.account
            )
            if account is not None:
                q = q.where(UsageRow.account == normalize_address(account))
            return {str(a): int(v or 0) for a, v in s.execute(q)}

    def balance(self, account: str) -> int:
        a = normalize_address(account)
        return self.credit_totals(a).get(a, 0) - self.spent_totals(a).get(a, 0)

    # --- usage ------------------------------------------------------------------------------

    def insert_usage(self, records: Sequence[UsageRecord]) -> None:
        """Insert-or-ignore on ``request_id``: replaying a record never stores it twice."""
        if not records:
            return
        rows = [r.db_row() for r in records]
        with session_scope(self.factory) as s:
            dialect = s.get_bind().dialect.name
            stmt: Any
            if dialect == "sqlite":
                from sqlalchemy.dialects.sqlite import insert as sqlite_insert

                stmt = sqlite_insert(UsageRow).on_conflict_do_nothing(index_elements=["request_id"])
            elif dialect == "postgresql":
                from sqlalchemy.dialects.postgresql import insert as pg_insert

                stmt = pg_insert(UsageRow).on_conflict_do_nothing(index_elements=["request_id"])
            else:  # pragma: no cover - other backends: check then insert
                have = set(
                    s.scalars(
                        select(UsageRow.request_id).where(
                            UsageRow.request_id.in_([r["request_id"] for r in rows])
                        )
                    )
                )
                rows = [r for r in rows if r["request_id"] not in have]
                stmt = insert(UsageRow)
            if rows:
                s.execute(stmt, rows)

    def usage_count(self) -> int:
        with self.factory() as s:
            return int(s.scalar(select(func.count(UsageRow.id))) or 0)

    def usage_by_day_model(self, account: str, since_day: int) -> list[dict[str, Any]]:
        a = normalize_address(account)
        with self.factory() as s:
            q = (
                select(
                    UsageRow.day,
                    UsageRow.model_id,
                    func.count(UsageRow.id),
                    func.sum(UsageRow.input_tokens),
                    func.sum(UsageRow.cached_input_tokens),
                    func.sum(UsageRow.output_tokens),
                    func.sum(UsageRow.reasoning_tokens),
                    func.sum(UsageRow.gross_nano_usd),
                    func.sum(UsageRow.paid_nano_usd),
                )
                .where(UsageRow.account == a, UsageRow.day >= since_day)
                .group_by(UsageRow.day, UsageRow.model_id)
                .order_by(UsageRow.day, UsageRow.model_id)
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
                        "gross_nano_usd": str(int(g or 0)),  # exact text, as on the wire
                        "paid_nano_usd": str(int(p or 0)),
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
