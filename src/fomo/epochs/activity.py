"""What happened on-chain for one epoch, from the indexed tables: revenue settlements, buybacks
and burns (the operator view's chain side; the data file holds the reward side)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fomo.db.models import Burn, Buyback
from fomo.db.models_indexer import RevenueSettlement
from fomo.economics.units import SECONDS_PER_DAY


def chain_activity(session: Session, epoch: int) -> dict[str, Any]:
    """Settlements recorded for ``epoch``, and buybacks and burns mined during its UTC day.

    Amounts are decimal strings of base units (USDC 6 decimals, FLOCK and MT 18).
    """
    start, end = epoch * SECONDS_PER_DAY, (epoch + 1) * SECONDS_PER_DAY
    settlements = session.scalars(
        select(RevenueSettlement)
        .where(RevenueSettlement.epoch == epoch)
        .order_by(RevenueSettlement.block_number, RevenueSettlement.log_index)
    )
    buybacks = session.scalars(
        select(Buyback)
        .where(Buyback.block_time >= start, Buyback.block_time < end)
        .order_by(Buyback.block_number, Buyback.log_index)
    )
    burns = session.scalars(
        select(Burn)
        .where(Burn.block_time >= start, Burn.block_time < end)
        .order_by(Burn.block_number, Burn.log_index)
    )
    burned: dict[str, int] = {}
    burn_rows = []
    for b in burns:
        burned[b.token] = burned.get(b.token, 0) + b.amount
        burn_rows.append({"token": b.token, "amount": str(b.amount), "reason": b.reason})
    return {
        "settlements": [
            {
                "token": s.token,
                "usdc": str(s.usdc_amount),
                "flock_buyback": str(s.flock_buyback),
                "treasury": str(s.treasury_amount),
                "mt_buyback": str(s.mt_buyback),
                "issuer": str(s.issuer_amount),
                "tx": s.tx_hash,
            }
            for s in settlements
        ],
        "buybacks": [
            {
                "kind": b.kind,
                "token": b.token,
                "usdc_in": str(b.usdc_in),
                "amount_out": str(b.amount_out),
                "tx": b.tx_hash,
            }
            for b in buybacks
        ],
        "burns": burn_rows,
        "burned_per_token": {token: str(total) for token, total in sorted(burned.items())},
    }
