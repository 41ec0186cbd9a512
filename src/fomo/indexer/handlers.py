"""Decoded logs to **log rows**: one handler per (contract kind, event) — the sale's and the
market's in :mod:`~fomo.indexer.handlers_launch`, the economy's in
:mod:`~fomo.indexer.handlers_economy` — inserting the rows of one log (purchases, claims,
stake events …) and noting which projection keys it touched.

Log rows are only ever inserted; a reorg deletes those above the fork
(:func:`fomo.indexer.projections.rollback`). Projections are never updated here: they are
recomputed from the log rows after the batch (:func:`fomo.indexer.projections.rebuild`).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from fomo.indexer.decoded import DecodedLog, Handler, ProjectionContext, Touched
from fomo.indexer.handlers_economy import ECONOMY_HANDLERS
from fomo.indexer.handlers_launch import LAUNCH_HANDLERS

HANDLERS: dict[tuple[str, str], Handler] = {**LAUNCH_HANDLERS, **ECONOMY_HANDLERS}
"""One handler per (contract kind, event); a log of any other event has no domain row."""


def apply(session: Session, log: DecodedLog, touched: Touched, ctx: ProjectionContext) -> None:
    """Insert the domain row(s) of one decoded log (raw log rows are the caller's)."""
    handler = HANDLERS.get((log.kind, log.event))
    if handler is not None:
        handler(session, log, touched, ctx)
