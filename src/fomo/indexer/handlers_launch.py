"""Log rows of the sale and the market: the Launchpad (launches, purchases, graduation, claims,
redemptions, metadata, model types), Model Token transfers and the DEX pairs' syncs and swaps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fomo.db.models import (
    Claim,
    EventLog,
    Launch,
    Purchase,
    Redeem,
)
from fomo.db.models_indexer import (
    Graduation,
    LaunchMetadataSet,
    LaunchParams,
    PairSync,
    TokenTransfer,
)
from fomo.db.models_market import PairSwap
from fomo.economics.curve import virtual_reserves
from fomo.indexer.decoded import DecodedLog, Handler, ProjectionContext, Touched


def _latest_raw(
    session: Session, address: str, event: str, match: Callable[[dict[str, Any]], bool]
) -> dict[str, Any] | None:
    rows = session.scalars(
        select(EventLog)
        .where(EventLog.address == address, EventLog.event == event)
        .order_by(EventLog.block_number.desc(), EventLog.log_index.desc())
    )
    for row in rows:
        if match(row.args):
            return row.args
    return None


def _launch_created(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    token = a["token"]
    s.add(
        Launch(
            token=token,
            creator=a["creator"],
            model_type_id=a["modelTypeId"],
            target_raise_min=a["targetRaiseMin"],
            target_raise_max=a["targetRaiseMax"],
            target_sale=a["targetSale"],
            sale_start=a["saleStart"],
            sale_end=a["saleEnd"],
            mt_name=a["mtName"],
            mt_symbol=a["mtSymbol"],
            is_bundled=a["isBundled"],
            status="live",
            raised=0,
            mt_sold=0,
            buyers=0,
            created_block=lg.block_number,
            created_tx=lg.tx_hash,
            created_log_index=lg.log_index,
        )
    )
    # The curve is fixed at creation from the model type and the fee config in force; both are
    # earlier Launchpad logs (the raw log table holds them, also from this very batch).
    s.flush()
    mtype = _latest_raw(
        s, lg.address, "ModelTypeRegistered", lambda x: x.get("modelTypeId") == a["modelTypeId"]
    )
    fees = _latest_raw(s, lg.address, "FeeConfigUpdated", lambda _x: True)
    if mtype is not None and fees is not None:
        lp_bps = int(mtype["lpBps"])
        x0, y0 = virtual_reserves(int(a["targetRaiseMax"]), lp_bps, int(a["targetSale"]))
        s.add(
            LaunchParams(
                token=token,
                x0=x0,
                y0=y0,
                lp_bps=lp_bps,
                reserved_bps=int(mtype["reservedBps"]),
                base_fee_bps=int(fees["baseFeeBps"]),
                creator_fee_bps=int(fees["creatorFeeBps"]),
                tax_start_bps=int(fees["antiSniperTaxStartValue"]),
                created_block=lg.block_number,
            )
        )
    t.launches.add(token)


def _purchased(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    s.add(
        Purchase(
            **lg.ref(),
            token=a["token"],
            buyer=a["buyer"],
            flock_in=a["flockIn"],
            net_used=a["netUsed"],
            mt_allocated=a["mtAllocated"],
            protocol_fee=a["protocolFee"],
            creator_fee=a["creatorFee"],
            anti_sniper_fee=a["antiSniperFee"],
        )
    )
    t.launches.add(a["token"])


def _graduated(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    s.add(
        Graduation(
            **lg.ref(),
            token=a["token"],
            pair=a["pair"],
            raised=a["raised"],
            lp_flock=a["lpFlock"],
            reserved_flock=a["reservedFlock"],
            protocol_flock=a["protocolFlock"],
            donated_flock=a["donatedFlock"],
            sold_mt=a["soldMt"],
            lp_mt=a["lpMt"],
            minted_mt=a["mintedMt"],
            unminted_mt=a["unmintedMt"],
            lp_tokens=a["lpTokens"],
            issuer_vesting_id=a["issuerVestingId"],
            treasury_vesting_id=a["treasuryVestingId"],
        )
    )
    t.launches.add(a["token"])


def _claimed(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    s.add(Claim(**lg.ref(), token=a["token"], account=a["buyer"], mt_amount=a["amount"]))
    t.launches.add(a["token"])


def _redeemed(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    s.add(Redeem(**lg.ref(), token=a["token"], account=a["buyer"], flock_amount=a["amount"]))
    t.launches.add(a["token"])


def _metadata_set(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    s.add(LaunchMetadataSet(**lg.ref(), token=a["token"], content_hash=a["contentHash"]))


def _model_type(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    t.model_types = True


def _transfer(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    sender, recipient = a.get("sender", a.get("from")), a.get("receiver", a.get("to"))
    amount = a.get("amount", a.get("value"))
    s.add(TokenTransfer(**lg.ref(), token=lg.address, sender=sender, recipient=recipient,
                        amount=amount))  # fmt: skip
    t.balance(lg.address, str(sender))
    t.balance(lg.address, str(recipient))


def _sync(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    s.add(PairSync(**lg.ref(), pair=lg.address, reserve0=a["reserve0"], reserve1=a["reserve1"]))


def _swap(s: Session, lg: DecodedLog, t: Touched, ctx: ProjectionContext) -> None:
    a = lg.args
    s.add(
        PairSwap(
            **lg.ref(),
            pair=lg.address,
            sender=a["sender"],
            recipient=a["to"],
            amount0_in=a["amount0In"],
            amount1_in=a["amount1In"],
            amount0_out=a["amount0Out"],
            amount1_out=a["amount1Out"],
        )
    )


LAUNCH_HANDLERS: dict[tuple[str, str], Handler] = {
    ("Launchpad", "LaunchCreated"): _launch_created,
    ("Launchpad", "Purchased"): _purchased,
    ("Launchpad", "Graduated"): _graduated,
    ("Launchpad", "Claimed"): _claimed,
    ("Launchpad", "Redeemed"): _redeemed,
    ("Launchpad", "MetadataSet"): _metadata_set,
    ("Launchpad", "ModelTypeRegistered"): _model_type,
    ("Launchpad", "ModelTypeEnabled"): _model_type,
    ("ModelToken", "Transfer"): _transfer,
    ("Pair", "Sync"): _sync,
    ("Pair", "Swap"): _swap,
}
