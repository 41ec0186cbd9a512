"""Shared pieces of the read API: the DB session dependency, address parsing, exact formatting and
the launch math (status, price, tax) computed from indexed rows.

All amounts leave the API as decimal strings of integer base units (FLOCK/MT: 18 decimals,
USDC: 6); prices are exact ratios rendered as decimal strings floored to 18 fractional digits.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from fomo.chain.manifest import Manifest
from fomo.db.base import normalize_address
from fomo.db.models import Launch
from fomo.db.models_indexer import LaunchParams, PairSync
from fomo.economics.curve import Curve, FeeConfig, sale_status, tax_bps
from fomo.economics.exact import floor_to_places
from fomo.indexer.queries import chain_time

PRICE_DECIMALS = 18
MAX_PAGE_OFFSET = 1_000_000_000
"""Upper bound of every ``offset`` (SQLite and PostgreSQL take 64-bit offsets; larger numbers
used to reach the driver and fail with a 500)."""
PageOffset = Annotated[int, Query(ge=0, le=MAX_PAGE_OFFSET)]
"""The ``offset`` parameter of every paged list."""


class Problem(BaseModel):
    """An error answer: one plain sentence, or FastAPI's list of the parameters that failed
    validation (each with where, what and why)."""

    detail: str | list[dict[str, Any]] = Field(
        description="What went wrong (a sentence), or a list of invalid parameters."
    )


ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "Not found (one sentence says what)."},
    422: {"model": Problem, "description": "A parameter is invalid (malformed address, …)."},
}
"""Documented on every read API route, so the schema says what an error looks like."""


def get_session(request: Request) -> Iterator[Session]:
    """A read session on the platform database (closed after the request)."""
    factory = request.app.state.ctx.session_factory
    session: Session = factory()
    try:
        yield session
    finally:
        session.close()


DbSession = Annotated[Session, Depends(get_session)]


def parse_address(value: str, what: str = "address") -> str:
    """Lower-case address or HTTP 422 with a plain sentence."""
    try:
        return normalize_address(value)
    except ValueError:
        raise HTTPException(
            status_code=422, detail=f"{what} must be a 0x-prefixed 20-byte hex address"
        ) from None


def amount(value: int | None) -> str | None:
    """An integer amount as a decimal string (``None`` stays ``None``)."""
    return None if value is None else str(int(value))


def decimal_str(value: Fraction, places: int = PRICE_DECIMALS) -> str:
    """A non-negative exact ratio as a decimal string, floored to ``places`` digits."""
    if value < 0:
        raise ValueError("negative ratio")
    return floor_to_places(value, places)


def now_of(session: Session) -> int | None:
    return chain_time(session)


def launch_status(launch: Launch, now: int | None) -> str:
    """SPEC §3 status: Graduated, Live (window open), Graduating (window over, min reached) or
    Failed. ``now`` is the last indexed block's time (the chain's clock, not the server's)."""
    if now is None and launch.status != "graduated":
        return "Failed" if launch.status == "failed" else "Live"
    return sale_status(
        graduated=launch.status == "graduated",
        sale_end=launch.sale_end,
        raised=launch.raised,
        min_raise=launch.target_raise_min,
        now=0 if now is None else now,
    )


def current_tax_bps(params: LaunchParams, sale_start: int, now: int) -> int:
    """The combined buy tax at ``now`` exactly as the Launchpad computes it."""
    fees = FeeConfig(
        base_fee_bps=params.base_fee_bps,
        creator_fee_bps=params.creator_fee_bps,
        tax_start_bps=params.tax_start_bps,
    )
    return tax_bps(fees, max(now - sale_start, 0))


def flock_of(request: Request) -> str | None:
    """FLOCK's address from the running deployment's manifest (``None`` without one)."""
    manifest: Manifest | None = getattr(request.app.state.ctx, "manifest", None)
    entry = None if manifest is None else manifest.contracts.get("FLOCK")
    return None if entry is None else entry.address.lower()


def launch_price(
    session: Session, launch: Launch, params: LaunchParams | None, flock: str | None
) -> tuple[Fraction | None, str | None]:
    """Spot price in FLOCK per MT and where it comes from (``curve`` or ``dex``)."""
    if launch.status == "graduated" and launch.pair is not None:
        sync = session.scalars(
            select(PairSync)
            .where(PairSync.pair == launch.pair)
            .order_by(PairSync.block_number.desc(), PairSync.log_index.desc())
            .limit(1)
        ).first()
        if sync is not None:
            mt0 = mt_is_token0(session, launch, flock)
            if mt0 is None:
                return None, None
            mt_reserve, flock_reserve = (
                (sync.reserve0, sync.reserve1) if mt0 else (sync.reserve1, sync.reserve0)
            )
            if mt_reserve > 0:
                return Fraction(flock_reserve, mt_reserve), "dex"
        if launch.lp_flock and launch.lp_mt:
            return Fraction(launch.lp_flock, launch.lp_mt), "dex"
        return None, None
    if params is None:
        return None, None
    if launch.mt_sold >= params.y0:
        return None, None
    curve = Curve.from_reserves(launch.target_raise_max, launch.target_sale, params.x0, params.y0)
    return curve.price(launch.raised, launch.mt_sold), "curve"


def mt_is_token0(session: Session, launch: Launch, flock: str | None) -> bool | None:
    """Pair tokens are sorted by address. Without FLOCK's address, the pair's first ``Sync``
    (written by the graduation's mint) tells the order: its reserves are (lp MT, lp FLOCK) in
    token order."""
    if flock is not None:
        return int(launch.token, 16) < int(flock, 16)
    first = session.scalars(
        select(PairSync)
        .where(PairSync.pair == launch.pair)
        .order_by(PairSync.block_number, PairSync.log_index)
        .limit(1)
    ).first()
    if first is None or launch.lp_mt is None or launch.lp_mt == launch.lp_flock:
        return None
    if (first.reserve0, first.reserve1) == (launch.lp_mt, launch.lp_flock):
        return True
    if (first.reserve1, first.reserve0) == (launch.lp_mt, launch.lp_flock):
        return False
    return None
