"""Per-request logs: one account's metered requests, newest first, from ``gateway_usage``.

Read by ``GET /v1/account/requests`` (the account itself) and ``fomo usage log`` (an operator,
any account). Both go through :func:`parse_query` and :func:`list_requests`, so the bounds and
the figures are the same on either path.

Money leaves as decimal strings of integer nano-USD (a JSON number past 2⁵³ is not exact in a
browser). ``discount_nano_usd`` is ``gross − paid``: the stake discount actually granted, after
the rounding up that favours the protocol (see :func:`fomo.economics.discounts.paid_cost_nano`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from fomo.db.models_gateway import UsageRecord
from fomo.gateway.bounds import MAX_KEY_ID

MAX_LIMIT: Final = 500
DEFAULT_LIMIT: Final = 100
MAX_OFFSET: Final = 1_000_000_000
"""Same bound as the read API's ``MAX_PAGE_OFFSET`` (fomo.api.routes_common)."""
MAX_MODEL_ID: Final = 160
"""Length of the ``model_id`` column: a longer id cannot match a row."""
PARAMS: Final = ("limit", "offset", "model", "key_id", "since", "until")


class BadQuery(ValueError):
    """A query parameter out of bounds; the message is one sentence for the caller."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.param = param


@dataclass(frozen=True, slots=True)
class RequestQuery:
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    model: str | None = None
    key_id: int | None = None
    since: datetime | None = None
    """Inclusive lower bound of ``created_at`` (aware UTC)."""
    until: datetime | None = None
    """Exclusive upper bound of ``created_at`` (aware UTC)."""


def _int(param: str, text: str, low: int, high: int) -> int:
    # ASCII digits only: int() accepts "٣" and "1_0", which no caller means.
    if not (text.isascii() and text.isdigit() and len(text) <= 19) or not low <= int(text) <= high:
        raise BadQuery(param, f"'{param}' must be an integer from {low} to {high}")
    return int(text)


def _time(param: str, text: str) -> datetime:
    try:
        t = datetime.fromisoformat(text.strip().upper().replace("Z", "+00:00"))
        # A time without a zone is read as UTC (the log's own times are all UTC).
        return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: year 1 or 9999 shifted out of range
        raise BadQuery(
            param, f"'{param}' must be an ISO 8601 time, e.g. 2026-11-27T12:00:00Z"
        ) from None


def parse_query(qs: Mapping[str, list[str]]) -> RequestQuery:
    """Query-string values (``urllib.parse.parse_qs`` shape) → a bounded :class:`RequestQuery`.

    Unknown parameters are refused rather than ignored: a misspelt filter would otherwise list
    every request as if it had matched.
    """
    for name, values in qs.items():
        if name not in PARAMS:
            raise BadQuery(name, f"unknown parameter '{name}' (known: {', '.join(PARAMS)})")
        if len(values) != 1:
            raise BadQuery(name, f"'{name}' may be given once")
    one = {k: v[0] for k, v in qs.items()}
    limit = _int("limit", one["limit"], 1, MAX_LIMIT) if "limit" in one else DEFAULT_LIMIT
    offset = _int("offset", one["offset"], 0, MAX_OFFSET) if "offset" in one else 0
    model = one.get("model")
    # No model id has control characters, and PostgreSQL refuses a NUL in a parameter (a 500).
    if model is not None and (not 1 <= len(model) <= MAX_MODEL_ID or not model.isprintable()):
        raise BadQuery(
            "model", f"'model' must be a model id of 1 to {MAX_MODEL_ID} printable characters"
        )
    key_id = _int("key_id", one["key_id"], 0, MAX_KEY_ID) if "key_id" in one else None
    since = _time("since", one["since"]) if "since" in one else None
    until = _time("until", one["until"]) if "until" in one else None
    if since is not None and until is not None and until <= since:
        raise BadQuery("until", "'until' must be later than 'since'")
    return RequestQuery(limit, offset, model, key_id, since, until)


def _row_json(u: UsageRecord) -> dict[str, Any]:
    return {
        "request_id": u.request_id,
        "created_at": u.created_at.isoformat(),
        "key_id": u.key_id,
        "endpoint": u.endpoint,
        "model": u.model_id,
        "base_model": u.base_model,
        "deployment": u.deployment,
        "input_tokens": u.input_tokens,
        "cached_input_tokens": u.cached_input_tokens,
        "output_tokens": u.output_tokens,
        "reasoning_tokens": u.reasoning_tokens,
        "gross_nano_usd": str(u.gross_nano_usd),
        "discount_bps": u.discount_bps,
        "discount_nano_usd": str(u.gross_nano_usd - u.paid_nano_usd),
        "paid_nano_usd": str(u.paid_nano_usd),
        # Exact: microseconds → milliseconds with three decimals, no float arithmetic.
        "latency_ms": f"{u.latency_us // 1000}.{u.latency_us % 1000:03d}",
        "status": u.status,
        "charged": u.charged,
        "estimated": u.estimated,
        "stream": u.stream,
        "cut": u.cut,
    }


def list_requests(
    factory: sessionmaker[Session], account: str, q: RequestQuery
) -> tuple[list[dict[str, Any]], bool]:
    """One page of ``account``'s requests, newest first, and whether more follow."""
    stmt = select(UsageRecord).where(UsageRecord.account == account)
    if q.model is not None:
        stmt = stmt.where(UsageRecord.model_id == q.model)
    if q.key_id is not None:
        stmt = stmt.where(UsageRecord.key_id == q.key_id)
    if q.since is not None:
        stmt = stmt.where(UsageRecord.created_at >= q.since)
    if q.until is not None:
        stmt = stmt.where(UsageRecord.created_at < q.until)
    # id breaks ties between requests finished in the same microsecond (stable paging).
    stmt = (
        stmt.order_by(UsageRecord.created_at.desc(), UsageRecord.id.desc())
        .offset(q.offset)
        .limit(q.limit + 1)
    )
    with factory() as s:
        rows = list(s.scalars(stmt))
    return [_row_json(u) for u in rows[: q.limit]], len(rows) > q.limit


def page_json(
    account: str, q: RequestQuery, rows: list[dict[str, Any]], has_more: bool
) -> dict[str, Any]:
    return {
        "object": "list",
        "account": account,
        "limit": q.limit,
        "offset": q.offset,
        "has_more": has_more,
        "data": rows,
    }
