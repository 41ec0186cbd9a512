"""``/api/launches/{token}/candles|trades|holders``: a launch's price chart (bonding curve and
DEX pool), its trade list and its holders — read from the indexed database, never the chain
(see ``docs/read-api.md``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from fractions import Fraction
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import Session

from fomo.api.candles import PricePoint, build_candles
from fomo.api.market_common import (
    DEAD_ADDRESS,
    ZERO_ADDRESS,
    contract_addresses,
    launch_or_404,
)
from fomo.api.routes_common import (
    ERRORS,
    DbSession,
    PageOffset,
    decimal_str,
    flock_of,
    mt_is_token0,
)
from fomo.db.models import Launch, Purchase, Redeem
from fomo.db.models_indexer import LaunchParams, PairSync, TokenBalance
from fomo.db.models_market import PairSwap
from fomo.economics.curve import Curve
from fomo.economics.units import BPS, SECONDS_PER_DAY

router = APIRouter(prefix="/api/launches", tags=["market"], responses=ERRORS)


class Interval(IntEnum):
    """Candle lengths in seconds (an enum so a query string like ``3600`` validates)."""

    m1 = 60
    m5 = 300
    m15 = 900
    h1 = 3600
    h4 = 14400
    d1 = SECONDS_PER_DAY


# --- candles ----------------------------------------------------------------------------------


class CandleOut(BaseModel):
    """One bucket. Prices: FLOCK per MT, exact, floored to 18 decimals."""

    time: int = Field(description="Bucket start, chain time (unix seconds).")
    open: str = Field(description="Spot just before the bucket's first trade.")
    high: str
    low: str
    close: str = Field(description="Spot right after the bucket's last trade.")
    volume_flock: str = Field(
        description="FLOCK traded in the bucket, base units (curve: gross paid incl. fees; "
        "pool: the FLOCK side of every swap)."
    )


class CandleList(BaseModel):
    token: str
    source: Literal["curve", "pool"]
    interval: int
    candles: list[CandleOut] = Field(description="Oldest first; empty buckets omitted.")


def _curve_series(
    session: Session, launch: Launch
) -> tuple[Fraction | None, list[PricePoint], list[tuple[int, int]]]:
    """Curve spot after every purchase (path independent: it only depends on the running
    totals of principal and MT allocated) and each purchase's gross FLOCK."""
    params = session.get(LaunchParams, launch.token)
    if params is None:
        return None, [], []
    curve = Curve.from_reserves(launch.target_raise_max, launch.target_sale, params.x0, params.y0)
    rows = session.execute(
        select(Purchase.block_time, Purchase.net_used, Purchase.mt_allocated, Purchase.flock_in)
        .where(Purchase.token == launch.token)
        .order_by(Purchase.block_number, Purchase.log_index)
    ).all()
    raised = sold = 0
    points: list[PricePoint] = []
    volumes: list[tuple[int, int]] = []
    for time, net, mt, gross in rows:
        raised += net
        sold += mt
        points.append(PricePoint(time, curve.price(raised, sold)))
        volumes.append((time, gross))
    return curve.price(0, 0), points, volumes


@dataclass(frozen=True)
class _Sides:
    """A launch's pair with its MT side known."""

    pair: str
    mt0: bool

    def mt_flock(self, v0: int, v1: int) -> tuple[int, int]:
        """``(mt, flock)`` from token-ordered values."""
        return (v0, v1) if self.mt0 else (v1, v0)


def _sides(session: Session, launch: Launch, flock: str | None) -> _Sides | None:
    if launch.pair is None:
        return None
    mt0 = mt_is_token0(session, launch, flock)
    return None if mt0 is None else _Sides(launch.pair, mt0)


def _pool_series(
    session: Session, launch: Launch, sides: _Sides | None
) -> tuple[list[PricePoint], list[tuple[int, int]]]:
    """Pool spot after every ``Sync`` since graduation and the FLOCK side of every swap."""
    if sides is None or launch.graduated_block is None:
        return [], []
    syncs = session.execute(
        select(PairSync.block_time, PairSync.reserve0, PairSync.reserve1)
        .where(PairSync.pair == sides.pair, PairSync.block_number >= launch.graduated_block)
        .order_by(PairSync.block_number, PairSync.log_index)
    ).all()
    points = []
    for time, r0, r1 in syncs:
        mt, fl = sides.mt_flock(r0, r1)
        if mt > 0:
            points.append(PricePoint(time, Fraction(fl, mt)))
    swaps = session.scalars(
        select(PairSwap)
        .where(PairSwap.pair == sides.pair, PairSwap.block_number >= launch.graduated_block)
        .order_by(PairSwap.block_number, PairSwap.log_index)
    ).all()
    volumes = []
    for swap in swaps:
        _, flock_in = sides.mt_flock(swap.amount0_in, swap.amount1_in)
        _, flock_out = sides.mt_flock(swap.amount0_out, swap.amount1_out)
        volumes.append((swap.block_time, flock_in + flock_out))
    return points, volumes


@router.get("/{token}/candles", response_model=CandleList, summary="Price candles (curve or pool)")
def get_candles(
    request: Request,
    session: DbSession,
    token: str,
    source: Annotated[
        Literal["curve", "pool"] | None,
        Query(
            description="`curve` (the sale) or `pool` (the DEX after graduation); default: "
            "`pool` for a graduated launch, else `curve`."
        ),
    ] = None,
    interval: Annotated[Interval, Query(description="Bucket length in seconds.")] = Interval.h1,
    limit: Annotated[int, Query(ge=1, le=1000, description="The most recent buckets.")] = 500,
) -> CandleList:
    """OHLC candles of the spot price, FLOCK per MT. Curve: the spot `(x0 + raised) /
    (y0 − sold)` after each purchase; pool: FLOCK reserve / MT reserve after each `Sync` since
    graduation. Oldest first, empty buckets omitted."""
    launch = launch_or_404(session, token)
    chosen = source or ("pool" if launch.status == "graduated" else "curve")
    if chosen == "curve":
        start, points, volumes = _curve_series(session, launch)
    else:
        start = None
        points, volumes = _pool_series(session, launch, _sides(session, launch, flock_of(request)))
    candles = build_candles(points, volumes, int(interval), start_price=start)[-limit:]
    return CandleList(
        token=launch.token,
        source=chosen,  # type: ignore[arg-type]
        interval=int(interval),
        candles=[
            CandleOut(
                time=c.time,
                open=decimal_str(c.open),
                high=decimal_str(c.high),
                low=decimal_str(c.low),
                close=decimal_str(c.close),
                volume_flock=str(c.volume),
            )
            for c in candles
        ],
    )


# --- trades -----------------------------------------------------------------------------------


class TradeOut(BaseModel):
    kind: Literal["curve_buy", "pool_buy", "pool_sell"]
    account: str = Field(
        description="curve_buy: the buyer; pool trades: the Swap's `to` (who received the "
        "output — the trader's chosen recipient; the Swap's `sender` is usually the Router)."
    )
    flock: str = Field(
        description="FLOCK paid (curve_buy: gross incl. fees; pool_buy: into the pool) or "
        "received (pool_sell), base units."
    )
    mt: str = Field(description="MT allocated (curve_buy), received (pool_buy) or sold.")
    price_flock_per_mt: str | None = Field(
        description="flock / mt of this trade (fees included), floored to 18 decimals; null "
        "only for a swap that moved no MT."
    )
    block_number: int
    block_time: int
    tx_hash: str
    log_index: int


class TradeList(BaseModel):
    total: int
    trades: list[TradeOut] = Field(description="Newest first.")


def _price(flock: int, mt: int) -> str | None:
    return None if mt <= 0 else decimal_str(Fraction(flock, mt))


def _swap_trade(swap: PairSwap, sides: _Sides) -> TradeOut:
    mt_in, flock_in = sides.mt_flock(swap.amount0_in, swap.amount1_in)
    mt_out, flock_out = sides.mt_flock(swap.amount0_out, swap.amount1_out)
    buy = flock_in > flock_out
    flock, mt = (
        (flock_in - flock_out, mt_out - mt_in) if buy else (flock_out - flock_in, mt_in - mt_out)
    )
    mt = max(mt, 0)
    return TradeOut(
        kind="pool_buy" if buy else "pool_sell",
        account=swap.recipient,
        flock=str(flock),
        mt=str(mt),
        price_flock_per_mt=_price(flock, mt),
        block_number=swap.block_number,
        block_time=swap.block_time,
        tx_hash=swap.tx_hash,
        log_index=swap.log_index,
    )


@router.get("/{token}/trades", response_model=TradeList, summary="A launch's trades")
def get_trades(
    request: Request,
    session: DbSession,
    token: str,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: PageOffset = 0,
) -> TradeList:
    """Curve purchases and, after graduation, pool swaps on the launch's pair, newest first."""
    launch = launch_or_404(session, token)
    sides = _sides(session, launch, flock_of(request))
    buys = select(
        literal("curve").label("src"),
        Purchase.id.label("id"),
        Purchase.block_number.label("block_number"),
        Purchase.log_index.label("log_index"),
    ).where(Purchase.token == launch.token)
    parts = [buys]
    total = session.scalar(select(func.count()).where(Purchase.token == launch.token)) or 0
    if sides is not None and launch.graduated_block is not None:
        since = (PairSwap.pair == sides.pair, PairSwap.block_number >= launch.graduated_block)
        parts.append(
            select(
                literal("pool").label("src"),
                PairSwap.id.label("id"),
                PairSwap.block_number.label("block_number"),
                PairSwap.log_index.label("log_index"),
            ).where(*since)
        )
        total += session.scalar(select(func.count()).where(*since)) or 0
    merged = union_all(*parts).subquery()
    page = session.execute(
        select(merged.c.src, merged.c.id)
        .order_by(merged.c.block_number.desc(), merged.c.log_index.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    purchase_ids = [i for src, i in page if src == "curve"]
    swap_ids = [i for src, i in page if src == "pool"]
    purchases = {
        p.id: p for p in session.scalars(select(Purchase).where(Purchase.id.in_(purchase_ids)))
    }
    swaps = {s.id: s for s in session.scalars(select(PairSwap).where(PairSwap.id.in_(swap_ids)))}
    trades = []
    for src, i in page:
        if src == "curve":
            p = purchases[i]
            trades.append(
                TradeOut(
                    kind="curve_buy",
                    account=p.buyer,
                    flock=str(p.flock_in),
                    mt=str(p.mt_allocated),
                    price_flock_per_mt=_price(p.flock_in, p.mt_allocated),
                    block_number=p.block_number,
                    block_time=p.block_time,
                    tx_hash=p.tx_hash,
                    log_index=p.log_index,
                )
            )
        else:
            assert sides is not None  # swap rows are only selected with a known pair
            trades.append(_swap_trade(swaps[i], sides))
    return TradeList(total=total, trades=trades)


# --- holders ----------------------------------------------------------------------------------


class HolderOut(BaseModel):
    account: str
    balance: str = Field(description="MT, base units (before graduation: the allocation).")
    share_bps: int = Field(description="balance / supply in bps, floored.")
    label: str | None = Field(
        description="`allocation` before graduation; after: `pool`, `vesting`, "
        "`reward distributor`, `staking`, `launchpad` (unclaimed allocations), `burn`, or null."
    )


class HolderList(BaseModel):
    total: int = Field(description="Number of holders.")
    supply: str = Field(
        description="Before graduation: MT allocated to buyers; after: totalSupply (sum of "
        "balances)."
    )
    holders: list[HolderOut] = Field(description="Largest balance first.")


CONTRACT_LABELS: dict[str, str] = {
    "Vesting": "vesting",
    "RewardDistributor": "reward distributor",
    "Staking": "staking",
    "Launchpad": "launchpad",
    "RevenueRouter": "revenue router",
}


def _labels(request: Request, launch: Launch) -> dict[str, str]:
    addresses = contract_addresses(request)
    labels = {
        addresses[name]: label for name, label in CONTRACT_LABELS.items() if name in addresses
    }
    labels[DEAD_ADDRESS] = "burn"
    if launch.pair is not None:
        labels[launch.pair] = "pool"
    return labels


def _allocations(session: Session, launch: Launch) -> list[tuple[str, int]]:
    """Buyers' MT allocations still pledged (a redeem gives the principal back and ends it)."""
    redeemed = set(session.scalars(select(Redeem.account).where(Redeem.token == launch.token)))
    totals: dict[str, int] = {}
    rows = session.execute(
        select(Purchase.buyer, Purchase.mt_allocated).where(Purchase.token == launch.token)
    )
    for buyer, mt in rows:
        if buyer not in redeemed:
            totals[buyer] = totals.get(buyer, 0) + mt
    return list(totals.items())


def _ranked(rows: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    return sorted((r for r in rows if r[1] > 0), key=lambda r: (-r[1], r[0]))


@router.get("/{token}/holders", response_model=HolderList, summary="A launch's holders")
def get_holders(
    request: Request,
    session: DbSession,
    token: str,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: PageOffset = 0,
) -> HolderList:
    """Before graduation the buyers' allocations (nothing is minted yet); after, every non-zero
    MT balance (from `Transfer` events), labelled where the holder is a known contract."""
    launch = launch_or_404(session, token)
    if launch.status == "graduated":
        rows = _ranked(
            (account, balance)
            for account, balance in session.execute(
                select(TokenBalance.account, TokenBalance.balance).where(
                    TokenBalance.token == launch.token, TokenBalance.account != ZERO_ADDRESS
                )
            )
        )
        labels = _labels(request, launch)
    else:
        rows = _ranked(_allocations(session, launch))
        labels = {}
    supply = sum((b for _, b in rows), 0)
    page = rows[offset : offset + limit]
    return HolderList(
        total=len(rows),
        supply=str(supply),
        holders=[
            HolderOut(
                account=account,
                balance=str(balance),
                share_bps=0 if supply == 0 else balance * BPS // supply,
                label=labels.get(account) if launch.status == "graduated" else "allocation",
            )
            for account, balance in page
        ],
    )


__all__ = ["router"]
