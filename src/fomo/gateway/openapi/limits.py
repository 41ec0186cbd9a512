"""Spend limits as the key and account paths take and show them (OpenRouter's field names)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from fomo.gateway.openapi.common import NANO_UNSIGNED

ResetIn = Literal["daily", "weekly", "monthly", "none"]


class LimitRequest(BaseModel):
    """A spend limit: either field may be left out (it keeps its value)."""

    limit_usd: str | None = Field(
        None,
        description='The limit in USD as an exact decimal string (`"5"`, `"0.25"`; at most '
        "9 decimals, 0 or more); `null` removes the limit.",
        examples=["5.00"],
    )
    limit_reset: ResetIn | None = Field(
        None,
        description="When the spend counted against the limit starts again from zero: `daily` "
        "(00:00 UTC), `weekly` (Monday 00:00 UTC), `monthly` (the 1st, 00:00 UTC) or "
        "`none`/`null` (never: the limit caps all spending).",
    )


class LimitOut(BaseModel):
    """A spend limit and what is left of it (OpenRouter's field names). Amounts are exact
    decimal USD strings and integer nano-USD strings; every field is `null` without a limit."""

    limit: str | None = Field(description='The limit in USD, e.g. `"5.00"`.')
    limit_nano_usd: str | None = Field(
        pattern=NANO_UNSIGNED, description="The limit in nano-USD (an integer string)."
    )
    limit_remaining: str | None = Field(
        description="USD left this period: the limit − charged − held by requests in flight."
    )
    limit_remaining_nano_usd: str | None = Field(pattern=NANO_UNSIGNED)
    limit_reset: Literal["daily", "weekly", "monthly"] | None = Field(
        description="The reset period; `null` with a limit: it never resets."
    )
    limit_resets_at: str | None = Field(
        description="When the current period ends (ISO 8601, UTC); `null` if it never does."
    )


class AccountLimitOut(LimitOut):
    account: str
