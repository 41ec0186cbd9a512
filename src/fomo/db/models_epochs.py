"""Schema additions of the epoch engine (migration ``0004_epochs``).

The engine's tables (``epochs``, ``rewards``, ``settlements``) are in ``0001_core``. This adds one
covering index on the gateway's usage records, in the order the epoch reads them: the day's
``GROUP BY deployment, account`` with the three sums becomes one sequential index range scan with
no sort (10M rows: ~2 s per million instead of a table scan plus a spilled temp B-tree). The cost
is one more index to maintain per metered request.
"""

from __future__ import annotations

from sqlalchemy import Index

from fomo.db.models_gateway import UsageRecord

EPOCH_USAGE_INDEX = Index(
    "ix_gateway_usage_epoch",
    UsageRecord.day,
    UsageRecord.deployment,
    UsageRecord.account,
    UsageRecord.charged,
    UsageRecord.gross_nano_usd,
    UsageRecord.paid_nano_usd,
    UsageRecord.compute_cost_nano_usd,
)
