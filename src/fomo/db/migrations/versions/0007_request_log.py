"""Request log: index gateway_usage by (account, created_at, id) for newest-first paging

Revision ID: 0007_request_log
Revises: 0006_market_data
Create Date: 2026-11-27 12:00:00

``GET /v1/account/requests`` and ``fomo usage log`` list one account's rows by ``created_at``
descending (``id`` breaks ties); without this index every page sorts all of the account's rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007_request_log"
down_revision: str | None = "0006_market_data"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_gateway_usage_account_created",
        "gateway_usage",
        ["account", "created_at", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_gateway_usage_account_created", table_name="gateway_usage")
