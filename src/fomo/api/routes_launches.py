"""``/api/launches``: launches with status, progress, price and countdown, and their purchases —
read from the indexed database (see ``docs/read-api.md``)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from fomo.api.market_common import launch_or_404
from fomo.api.routes_common import (
    ERRORS,
    DbSession,
    PageOffset,
    current_tax_bps,
    decimal_str,
    flock_of,
    launch_price,
    launch_status,
    mt_is_token0,
    now_of,
    parse_address,
)
from fomo.db.models import Claim, Launch, Purchase, Redeem
from fomo.db.models_indexer import ChainModelType, Graduation, LaunchParams
from fomo.db.models_market import PairSwap
from fomo.economics.units import BPS
from fomo.launches.metadata_store import EMPTY, LaunchMetadata, launch_metadata

router = APIRouter(prefix="/api/launches", tags=["launches"], responses=ERRORS)

Status = Literal["Live", "Failed", "Graduating", "Graduated"]


class LaunchSummary(BaseModel):
    """One launch. Amounts are decimal strings of base units (FLOCK and MT have 18 decimals)."""

    token: str = Field(description="The Model Token address (the launch key).")
    name: str
    symbol: str
    creator: str
    model_type_id: str
    base_model: str | None = Field(description="Registered base model name, when indexed.")
    status: Status
    owned: bool = Field(description="Created by the `viewer` given in the query.")
    raised: str = Field(description="Net FLOCK in the curve (principal), base units.")
    min_raise: str
    max_raise: str
    progress_min_bps: int = Field(description="raised / min_raise in bps, floored, capped 10000.")
    progress_max_bps: int = Field(description="raised / max_raise in bps, floored, capped 10000.")
    sale_supply: str
    mt_sold: str = Field(description="MT allocated to buyers so far.")
    buyers: int
    volume_flock: str = Field(
        description="FLOCK traded, base units: gross FLOCK paid into the curve (purchases, "
        "fees included) plus the FLOCK side of every pool swap (in or out) after graduation."
    )
    is_bundled: bool
    price_flock_per_mt: str | None = Field(
        description="Spot price, FLOCK per MT (exact, floored to 18 decimals)."
    )
    price_source: Literal["curve", "dex"] | None
    tax_bps: int | None = Field(description="Combined buy tax now (Live launches only).")
    sale_start: int
    sale_end: int
    seconds_left: int = Field(description="Countdown to sale_end by the chain's clock (0 after).")
    chain_time: int | None = Field(description="Block time of the last indexed block.")
    pair: str | None
    graduated_time: int | None
    created_block: int
    created_tx: str
    metadata_hash: str | None = Field(
        description="sha256 of the metadata document the creator committed on-chain."
    )
    description: str | None = Field(description="From the metadata document (null when none).")
    image_url: str | None = Field(description="The metadata image, served by this API.")
    links: list[str] | None = Field(description="https links from the metadata document.")


class CurveParams(BaseModel):
    x0: str = Field(description="Virtual FLOCK reserve at the start.")
    y0: str = Field(description="MT reserve at the start (sale supply + virtual MT).")
    lp_bps: int
    reserved_bps: int
    base_fee_bps: int
    creator_fee_bps: int
    tax_start_bps: int


class GraduationInfo(BaseModel):
    block_number: int
    block_time: int
    tx_hash: str
    pair: str
    raised: str
    lp_flock: str
    reserved_flock: str
    protocol_flock: str
    donated_flock: str
    sold_mt: str
    lp_mt: str
    minted_mt: str
    unminted_mt: str
    lp_tokens: str
    issuer_vesting_id: int
    treasury_vesting_id: int


class LaunchTotals(BaseModel):
    flock_in: str = Field(description="Gross FLOCK paid by buyers (principal + fees).")
    protocol_fees: str
    creator_fees: str
    anti_sniper_fees: str
    claimed_mt: str
    redeemed_flock: str
    purchases: int


class LaunchDetail(LaunchSummary):
    curve: CurveParams | None
    graduation: GraduationInfo | None
    totals: LaunchTotals


class LaunchList(BaseModel):
    chain_time: int | None
    total: int
    launches: list[LaunchSummary]


class PurchaseOut(BaseModel):
    buyer: str
    flock_in: str
    net_used: str
    mt_allocated: str
    protocol_fee: str
    creator_fee: str
    anti_sniper_fee: str
    block_number: int
    block_time: int
    tx_hash: str
    log_index: int


class PurchaseList(BaseModel):
    token: str
    total: int
    purchases: list[PurchaseOut]


def _bps(part: int, whole: int) -> int:
    return 0 if whole <= 0 else min(BPS, part * BPS // whole)


def summarize(
    session: DbSession,
    launch: Launch,
    now: int | None,
    viewer: str | None,
    flock: str | None,
    params: LaunchParams | None,
    mtype: ChainModelType | None,
    meta: LaunchMetadata = EMPTY,
    volume: int = 0,
) -> LaunchSummary:
    status = launch_status(launch, now)
    price, source = launch_price(session, launch, params, flock)
    tax = None
    if status == "Live" and params is not None and now is not None:
        tax = current_tax_bps(params, launch.sale_start, now)
    return LaunchSummary(
        token=launch.token,
        name=launch.mt_name,
        symbol=launch.mt_symbol,
        creator=launch.creator,
        model_type_id=launch.model_type_id,
        base_model=None if mtype is None else mtype.base_model,
        status=status,  # type: ignore[arg-type]
        owned=viewer is not None and viewer == launch.creator,
        raised=str(launch.raised),
        min_raise=str(launch.target_raise_min),
        max_raise=str(launch.target_raise_max),
        progress_min_bps=_bps(launch.raised, launch.target_raise_min),
        progress_max_bps=_bps(launch.raised, launch.target_raise_max),
        sale_supply=str(launch.target_sale),
        mt_sold=str(launch.mt_sold),
        buyers=launch.buyers,
        volume_flock=str(volume),
        is_bundled=launch.is_bundled,
        price_flock_per_mt=None if price is None else decimal_str(price),
        price_source=source,  # type: ignore[arg-type]
        tax_bps=tax,
        sale_start=launch.sale_start,
        sale_end=launch.sale_end,
        seconds_left=0 if now is None else max(0, launch.sale_end - now),
        chain_time=now,
        pair=launch.pair,
        graduated_time=launch.graduated_time,
        created_block=launch.created_block,
        created_tx=launch.created_tx,
        metadata_hash=meta.content_hash,
        description=meta.description,
        image_url=f"/api/metadata/{meta.content_hash}/image" if meta.has_image else None,
        links=meta.links,
    )


def volumes_flock(session: DbSession, launches: list[Launch], flock: str | None) -> dict[str, int]:
    """FLOCK traded per launch: purchases' gross ``flock_in`` plus the FLOCK side (in + out) of
    its pool's swaps — the same swap volume the candles add up. Summed in Python: amounts are
    exact integers wider than SQL's."""
    volume = {x.token: 0 for x in launches}
    for token, flock_in in session.execute(
        select(Purchase.token, Purchase.flock_in).where(Purchase.token.in_(list(volume)))
    ):
        volume[token] += flock_in
    for launch in launches:
        if launch.pair is None:
            continue
        mt0 = mt_is_token0(session, launch, flock)
        if mt0 is None:
            continue
        for in0, in1, out0, out1 in session.execute(
            select(PairSwap.amount0_in, PairSwap.amount1_in, PairSwap.amount0_out,
                   PairSwap.amount1_out).where(PairSwap.pair == launch.pair)
        ):  # fmt: skip
            volume[launch.token] += (in1 + out1) if mt0 else (in0 + out0)
    return volume


@router.get("", response_model=LaunchList, summary="List launches")
def list_launches(
    request: Request,
    session: DbSession,
    status: Annotated[Status | None, Query(description="Only launches in this status.")] = None,
    creator: Annotated[str | None, Query(description="Only launches by this creator.")] = None,
    viewer: Annotated[
        str | None, Query(description="Marks the viewer's own launches `owned`.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: PageOffset = 0,
) -> LaunchList:
    """Launches, newest first, with status (Live/Failed/Graduating/Graduated by the chain's
    clock), progress to the min and max raise, the current price and the sale countdown."""
    now = now_of(session)
    flock = flock_of(request)
    who = None if viewer is None else parse_address(viewer, "viewer")
    query = select(Launch).order_by(Launch.created_block.desc(), Launch.created_log_index.desc())
    if creator is not None:
        query = query.where(Launch.creator == parse_address(creator, "creator"))
    launches = list(session.scalars(query))
    if status is not None:
        launches = [x for x in launches if launch_status(x, now) == status]
    # Only the page is summarized, with its curve params and model types read in one query each.
    page = launches[offset : offset + limit]
    tokens = [x.token for x in page]
    params = {
        p.token: p
        for p in session.scalars(select(LaunchParams).where(LaunchParams.token.in_(tokens)))
    }
    type_ids = {x.model_type_id for x in page}
    mtypes = {
        m.model_type_id: m
        for m in session.scalars(
            select(ChainModelType).where(ChainModelType.model_type_id.in_(type_ids))
        )
    }
    metas = launch_metadata(session, tokens)
    volumes = volumes_flock(session, page, flock)
    rows = [
        summarize(
            session,
            x,
            now,
            who,
            flock,
            params.get(x.token),
            mtypes.get(x.model_type_id),
            metas.get(x.token, EMPTY),
            volumes[x.token],
        )
        for x in page
    ]
    return LaunchList(chain_time=now, total=len(launches), launches=rows)


@router.get("/{token}", response_model=LaunchDetail, summary="One launch")
def get_launch(
    request: Request,
    session: DbSession,
    token: str,
    viewer: Annotated[str | None, Query()] = None,
) -> LaunchDetail:
    """A launch with its curve parameters, graduation split and fee/claim/redeem totals."""
    launch = launch_or_404(session, token)
    now = now_of(session)
    who = None if viewer is None else parse_address(viewer, "viewer")
    params = session.get(LaunchParams, launch.token)
    mtype = session.get(ChainModelType, launch.model_type_id)
    meta = launch_metadata(session, [launch.token]).get(launch.token, EMPTY)
    flock = flock_of(request)
    volume = volumes_flock(session, [launch], flock)[launch.token]
    summary = summarize(session, launch, now, who, flock, params, mtype, meta, volume)
    grad = session.scalars(
        select(Graduation)
        .where(Graduation.token == launch.token)
        .order_by(Graduation.block_number, Graduation.log_index)
    ).first()
    purchases = session.scalars(select(Purchase).where(Purchase.token == launch.token)).all()
    claimed = session.scalars(select(Claim.mt_amount).where(Claim.token == launch.token)).all()
    redeemed = session.scalars(
        select(Redeem.flock_amount).where(Redeem.token == launch.token)
    ).all()
    totals = LaunchTotals(
        flock_in=str(sum((p.flock_in for p in purchases), 0)),
        protocol_fees=str(sum((p.protocol_fee for p in purchases), 0)),
        creator_fees=str(sum((p.creator_fee for p in purchases), 0)),
        anti_sniper_fees=str(sum((p.anti_sniper_fee for p in purchases), 0)),
        claimed_mt=str(sum(claimed, 0)),
        redeemed_flock=str(sum(redeemed, 0)),
        purchases=len(purchases),
    )
    curve = None
    if params is not None:
        curve = CurveParams(
            x0=str(params.x0),
            y0=str(params.y0),
            lp_bps=params.lp_bps,
            reserved_bps=params.reserved_bps,
            base_fee_bps=params.base_fee_bps,
            creator_fee_bps=params.creator_fee_bps,
            tax_start_bps=params.tax_start_bps,
        )
    graduation = None
    if grad is not None:
        graduation = GraduationInfo(
            block_number=grad.block_number,
            block_time=grad.block_time,
            tx_hash=grad.tx_hash,
            pair=grad.pair,
            raised=str(grad.raised),
            lp_flock=str(grad.lp_flock),
            reserved_flock=str(grad.reserved_flock),
            protocol_flock=str(grad.protocol_flock),
            donated_flock=str(grad.donated_flock),
            sold_mt=str(grad.sold_mt),
            lp_mt=str(grad.lp_mt),
            minted_mt=str(grad.minted_mt),
            unminted_mt=str(grad.unminted_mt),
            lp_tokens=str(grad.lp_tokens),
            issuer_vesting_id=grad.issuer_vesting_id,
            treasury_vesting_id=grad.treasury_vesting_id,
        )
    return LaunchDetail(**summary.model_dump(), curve=curve, graduation=graduation, totals=totals)


@router.get("/{token}/purchases", response_model=PurchaseList, summary="A launch's purchases")
def list_purchases(
    session: DbSession,
    token: str,
    buyer: Annotated[str | None, Query(description="Only this buyer's purchases.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: PageOffset = 0,
) -> PurchaseList:
    """Every ``Purchased`` event of the launch in chain order (oldest first)."""
    launch = launch_or_404(session, token)
    where = [Purchase.token == launch.token]
    if buyer is not None:
        where.append(Purchase.buyer == parse_address(buyer, "buyer"))
    total = session.scalar(select(func.count()).select_from(Purchase).where(*where)) or 0
    rows = session.scalars(
        select(Purchase)
        .where(*where)
        .order_by(Purchase.block_number, Purchase.log_index)
        .offset(offset)
        .limit(limit)
    ).all()
    return PurchaseList(
        token=launch.token,
        total=total,
        purchases=[
            PurchaseOut(
                buyer=p.buyer,
                flock_in=str(p.flock_in),
                net_used=str(p.net_used),
                mt_allocated=str(p.mt_allocated),
                protocol_fee=str(p.protocol_fee),
                creator_fee=str(p.creator_fee),
                anti_sniper_fee=str(p.anti_sniper_fee),
                block_number=p.block_number,
                block_time=p.block_time,
                tx_hash=p.tx_hash,
                log_index=p.log_index,
            )
            for p in rows
        ],
    )


__all__ = ["router"]
