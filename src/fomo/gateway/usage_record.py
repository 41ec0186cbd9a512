"""The usage record: one typed value from the handler to the journal to the database to the epoch.

* the handler (:mod:`fomo.gateway.charging`) builds it when a request finishes;
* the write-ahead journal stores :meth:`UsageRecord.to_json` as one JSON line (the format on
  disk: the same keys as ever, so segments written by earlier versions still replay —
  :meth:`UsageRecord.from_json` reads them);
* the store inserts :meth:`UsageRecord.db_row` into ``gateway_usage``
  (:class:`fomo.db.models_gateway.UsageRecord`, whose columns are exactly :data:`DB_COLUMNS`);
* the epoch's gather (:mod:`fomo.epochs.gather`) sums the columns named in
  :data:`EPOCH_COLUMNS` over the day's ``charged`` rows, in SQL (never row by row).

``tests/gateway/test_usage_record.py`` holds the three shapes together.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from typing import Any

from fomo.economics.units import SECONDS_PER_DAY

US_PER_DAY = SECONDS_PER_DAY * 1_000_000
"""Microseconds per UTC day: ``day = ts_us // US_PER_DAY`` is the epoch the usage belongs to."""


@dataclass(frozen=True, slots=True)
class UsageRecord:
    """One metered request, priced (all amounts integer nano-USD)."""

    request_id: str
    ts_us: int
    """When the request finished (the gateway's clock), microseconds since 1970."""
    day: int
    account: str
    key_id: int | None
    endpoint: str
    model_id: str
    base_model: str
    deployment: str | None
    """The MT the usage counts toward (None: counts toward none)."""
    input_tokens: int
    cached_input_tokens: int
    output_tokens: int
    reasoning_tokens: int
    gross_nano_usd: int
    discount_bps: int
    paid_nano_usd: int
    compute_cost_nano_usd: int
    latency_us: int
    overhead_us: int
    status: int
    charged: bool
    estimated: bool
    stream: bool
    cut: bool
    hold_id: str | None = None
    """The credit hold this record settles (journal only: the adopter of a dead worker's
    journal settles it). Not a database column."""

    def to_json(self) -> dict[str, Any]:
        """The journal line's object (``hold_id`` only when there is one, as always)."""
        d = asdict(self)
        if d["hold_id"] is None:
            del d["hold_id"]
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> UsageRecord:
        """Read a journal line's object, of this version or an earlier one."""
        ts_us = int(d["ts_us"])
        day = d.get("day")
        return cls(
            request_id=str(d["request_id"]),
            ts_us=ts_us,
            day=int(day) if day is not None else ts_us // US_PER_DAY,
            account=str(d["account"]),
            key_id=d.get("key_id"),
            endpoint=str(d.get("endpoint", "")),
            model_id=str(d.get("model_id", "")),
            base_model=str(d.get("base_model", "")),
            deployment=d.get("deployment"),
            input_tokens=int(d.get("input_tokens") or 0),
            cached_input_tokens=int(d.get("cached_input_tokens") or 0),
            output_tokens=int(d.get("output_tokens") or 0),
            reasoning_tokens=int(d.get("reasoning_tokens") or 0),
            gross_nano_usd=int(d.get("gross_nano_usd") or 0),
            discount_bps=int(d.get("discount_bps") or 0),
            paid_nano_usd=int(d.get("paid_nano_usd") or 0),
            compute_cost_nano_usd=int(d.get("compute_cost_nano_usd") or 0),
            latency_us=int(d.get("latency_us") or 0),
            overhead_us=int(d.get("overhead_us") or 0),
            status=int(d.get("status") or 0),
            charged=bool(d.get("charged", True)),
            estimated=bool(d.get("estimated", False)),
            stream=bool(d.get("stream", False)),
            cut=bool(d.get("cut", False)),
            hold_id=d.get("hold_id") or None,
        )

    def db_row(self) -> dict[str, Any]:
        """The ``gateway_usage`` row (``created_at`` from ``ts_us``; no ``hold_id``)."""
        row = {f: getattr(self, f) for f in DB_FIELDS}
        row["created_at"] = datetime.fromtimestamp(self.ts_us / 1e6, UTC)
        return row


DB_FIELDS = tuple(f.name for f in fields(UsageRecord) if f.name not in ("ts_us", "hold_id"))
"""Record fields stored as columns of the same name."""
DB_COLUMNS = ("created_at", *DB_FIELDS)
"""Every ``gateway_usage`` column the gateway writes (all but the surrogate ``id``)."""
EPOCH_COLUMNS = (
    "day",
    "account",
    "deployment",
    "charged",
    "gross_nano_usd",
    "paid_nano_usd",
    "compute_cost_nano_usd",
)
"""What the epoch's gather reads: gross spend for rewards, paid and compute for revenue, of the
day's ``charged`` rows with a ``deployment``."""
