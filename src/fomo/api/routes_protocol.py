"""``/api/burns`` and ``/api/protocol/days``: every burned FLOCK and MT, and the protocol's
"value loop" per UTC day (revenue, settlements, burns, emissions) — read from the indexed
database and the epoch engine's tables (see ``docs/read-api.md``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from fomo.api.market_common import ZERO_ADDRESS
from fomo.api.routes_common import ERRORS, DbSession, PageOffset, flock_of, parse_address
from fomo.db.models import Burn, Epoch, Launch, Settlement
from fomo.db.models_indexer import RevenueSettlement, TokenTransfer
from fomo.economics.units import SECONDS_PER_DAY

router = APIRouter(tags=["protocol"], responses=ERRORS)

DAY = SECONDS_PER_DAY


@dataclass(frozen=True)
class BurnEvent:
    token: str
    amount: int
    reason: str
    block_number: int
    block_time: int
    tx_hash: str
    log_index: int
    is_mt: bool


def _burn_events(session: Session, flock: str | None, token: str | None) -> Iterator[BurnEvent]:
    """Every burn, in no particular order.

    MT burns are the Model Tokens' ``Transfer`` to the zero address (every burn, whoever
    burned; the reason is taken from the protocol's own ``Burned``/``Retired`` record of the same
    transaction when there is one). FLOCK transfers are not indexed, so FLOCK burns are the
    protocol's records only (RevenueRouter buyback burns, RewardDistributor retirements).
    """
    launches = set(session.scalars(select(Launch.token)))
    reasons: dict[tuple[str, str], str] = {}
    burns = session.scalars(select(Burn).where(*(() if token is None else (Burn.token == token,))))
    for b in burns:
        if b.token in launches:
            reasons[(b.tx_hash, b.token)] = b.reason
        elif flock is None or b.token == flock:
            yield BurnEvent(
                b.token,
                b.amount,
                b.reason,
                b.block_number,
                b.block_time,
                b.tx_hash,
                b.log_index,
                is_mt=False,
            )
    where = [TokenTransfer.recipient == ZERO_ADDRESS]
    if token is not None:
        where.append(TokenTransfer.token == token)
    for t in session.scalars(select(TokenTransfer).where(*where)):
        if t.token in launches:
            reason = reasons.get((t.tx_hash, t.token), "burn")
            yield BurnEvent(
                t.token,
                t.amount,
                reason,
                t.block_number,
                t.block_time,
                t.tx_hash,
                t.log_index,
                is_mt=True,
            )


def _symbols(session: Session, flock: str | None) -> dict[str, str]:
    symbols = {t: sym for t, sym in session.execute(select(Launch.token, Launch.mt_symbol))}
    if flock is not None:
        symbols[flock] = "FLOCK"
    return symbols


def _symbol(symbols: dict[str, str], token: str) -> str:
    # Without a manifest, a burned token that is no launch's MT can only be FLOCK.
    return symbols.get(token, "FLOCK")


# --- burns ------------------------------------------------------------------------------------


class BurnTotal(BaseModel):
    token: str
    symbol: str
    burned: str = Field(description="Total burned, base units.")


class BurnOut(BaseModel):
    token: str
    symbol: str
    amount: str
    reason: str = Field(
        description="`buyback` (RevenueRouter), `reward_pool_expired` (RewardDistributor), "
        "`burn` (any other MT burn)."
    )
    block_number: int
    block_time: int
    tx_hash: str
    log_index: int


class BurnList(BaseModel):
    totals: list[BurnTotal] = Field(description="FLOCK first, then every MT (zero included).")
    total: int = Field(description="Number of burns matching the query.")
    burns: list[BurnOut] = Field(description="Newest first.")


@router.get("/api/burns", response_model=BurnList, summary="FLOCK and MT burns")
def get_burns(
    request: Request,
    session: DbSession,
    token: Annotated[str | None, Query(description="Only this token (FLOCK or an MT).")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: PageOffset = 0,
) -> BurnList:
    """Totals burned per token and the burns themselves; every figure equals the token's
    totalSupply decrease (MT: from its `Transfer` events)."""
    flock = flock_of(request)
    symbols = _symbols(session, flock)
    wanted = None if token is None else parse_address(token, "token")
    if wanted is not None and wanted not in symbols:
        raise HTTPException(status_code=404, detail=f"{token} is neither FLOCK nor a Model Token")
    events = sorted(
        _burn_events(session, flock, wanted),
        key=lambda e: (e.block_number, e.log_index),
        reverse=True,
    )
    burned: dict[str, int] = {}
    for e in events:
        burned[e.token] = burned.get(e.token, 0) + e.amount
    order = [flock] if flock is not None else []
    order += sorted({*burned} - {*symbols})
    order += sorted((t for t in symbols if t != flock), key=lambda t: (symbols[t], t))
    if wanted is not None:
        order = [wanted]
    return BurnList(
        totals=[
            BurnTotal(token=t, symbol=_symbol(symbols, t), burned=str(burned.get(t, 0)))
            for t in order
        ],
        total=len(events),
        burns=[
            BurnOut(
                token=e.token,
                symbol=_symbol(symbols, e.token),
                amount=str(e.amount),
                reason=e.reason,
                block_number=e.block_number,
                block_time=e.block_time,
                tx_hash=e.tx_hash,
                log_index=e.log_index,
            )
            for e in events[offset : offset + limit]
        ],
    )


# --- per-day protocol summary -----------------------------------------------------------------


class MtBurned(BaseModel):
    token: str
    symbol: str
    amount: str


class ProtocolDay(BaseModel):
    """One UTC day (= one epoch). Money: nano-USD and USDC base units (6 decimals)."""

    day: int = Field(description="Epoch number: days since 1970-01-01 (UTC).")
    date: str = Field(description="The day as YYYY-MM-DD.")
    revenue_paid_nano_usd: str = Field(description="Paid inference revenue metered that day.")
    gross_nano_usd: str = Field(description="List-price spend that day (before discounts).")
    settled_usdc: str = Field(description="USDC settled on chain for that epoch (`Settled`).")
    flock_burned: str = Field(description="FLOCK burned by blocks of that day.")
    mt_burned: list[MtBurned] = Field(description="MT burned by blocks of that day, per token.")
    emission_flock: str = Field(description="FLOCK emission the epoch paid out.")


class ProtocolDays(BaseModel):
    days: list[ProtocolDay] = Field(description="Newest first; only days with any activity.")


@dataclass
class _Day:
    paid: int = 0
    gross: int = 0
    settled: int = 0
    flock_burned: int = 0
    emission: int = 0

    def __post_init__(self) -> None:
        self.mt_burned: dict[str, int] = {}


def _date(day: int) -> str:
    return datetime.fromtimestamp(day * DAY, tz=UTC).date().isoformat()


@router.get("/api/protocol/days", response_model=ProtocolDays, summary="The value loop per day")
def get_protocol_days(
    request: Request,
    session: DbSession,
    limit: Annotated[int, Query(ge=1, le=365)] = 30,
) -> ProtocolDays:
    """Revenue (metered, by epoch), USDC settled on chain (by epoch), FLOCK and MT burned (by
    the burning block's UTC day) and the FLOCK emission (by epoch), newest day first."""
    flock = flock_of(request)
    symbols = _symbols(session, flock)
    days: dict[int, _Day] = {}

    def at(day: int) -> _Day:
        return days.setdefault(day, _Day())

    for s in session.scalars(select(Settlement)):
        d = at(s.epoch)
        d.paid += s.paid_nano_usd
        d.gross += s.gross_nano_usd
    for r in session.scalars(select(RevenueSettlement)):
        at(r.epoch).settled += r.usdc_amount
    for e in session.scalars(select(Epoch)):
        at(e.epoch).emission += e.emission
    for b in _burn_events(session, flock, None):
        d = at(b.block_time // DAY)
        if b.is_mt:
            d.mt_burned[b.token] = d.mt_burned.get(b.token, 0) + b.amount
        else:
            d.flock_burned += b.amount
    return ProtocolDays(
        days=[
            ProtocolDay(
                day=day,
                date=_date(day),
                revenue_paid_nano_usd=str(d.paid),
                gross_nano_usd=str(d.gross),
                settled_usdc=str(d.settled),
                flock_burned=str(d.flock_burned),
                mt_burned=[
                    MtBurned(token=t, symbol=symbols[t], amount=str(a))
                    for t, a in sorted(d.mt_burned.items(), key=lambda x: symbols[x[0]])
                ],
                emission_flock=str(d.emission),
            )
            for day, d in sorted(days.items(), reverse=True)[:limit]
        ]
    )


__all__ = ["router"]
