"""Market data tables for the web app's charts and trade lists (migration ``0006_market_data``).

Same conventions as :mod:`fomo.db.models_indexer`: one row per log
(:class:`~fomo.db.models.LogRef`), ``(tx_hash, log_index)`` unique, deleted above the fork point
on a reorg.
"""

from __future__ import annotations

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from fomo.db.base import Address, Amount, Base
from fomo.db.models import LogRef


class PairSwap(LogRef, Base):
    """A DEX pair's ``Swap`` (Uniswap V2 shape): what went in and out on each side.

    ``sender`` is the caller of ``Pair.swap`` (usually the Router), ``recipient`` the ``to`` that
    received the output (the trader's chosen recipient). Amounts are in token0/token1 order.
    """

    __tablename__ = "pair_swaps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pair: Mapped[str] = mapped_column(Address, index=True)
    sender: Mapped[str] = mapped_column(Address)
    recipient: Mapped[str] = mapped_column(Address, index=True)
    amount0_in: Mapped[int] = mapped_column(Amount)
    amount1_in: Mapped[int] = mapped_column(Amount)
    amount0_out: Mapped[int] = mapped_column(Amount)
    amount1_out: Mapped[int] = mapped_column(Amount)


MARKET_EVENT_TABLES: tuple[type[Base], ...] = (PairSwap,)
"""This module's one-row-per-log tables (deleted above the fork point on a reorg)."""
