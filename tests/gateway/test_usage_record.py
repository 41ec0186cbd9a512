"""The usage record is one typed value: journal JSON (old segments too), the ``gateway_usage``
row, and the columns the epoch's gather sums must all agree."""

from __future__ import annotations

import dataclasses
import inspect
import json
import re
from datetime import UTC, datetime

import pytest

from fomo.db.models_gateway import UsageRecord as UsageRow
from fomo.epochs import gather
from fomo.gateway.usage_record import (
    DB_COLUMNS,
    EPOCH_COLUMNS,
    US_PER_DAY,
    UsageRecord,
)

TS_US = 1_800_000_000_123_456

# A line exactly as the gateway journaled it before the record was typed (keys and all).
OLD_LINE = (
    '{"request_id":"0f3a-000000000001","ts_us":1800000000123456,"account":"0x'
    + "ab" * 20
    + '","key_id":7,"endpoint":"chat","model_id":"deepseek-v3.2-alpha","base_model":'
    '"deepseek-v3.2","latency_us":1200,"overhead_us":300,"status":200,"stream":true,'
    '"cut":false,"estimated":false,"day":20833,"deployment":"0x'
    + "cd"
    * 20
    + '","input_tokens":12,"cached_input_tokens":4,"output_tokens":9,"reasoning_tokens":0,'
    '"gross_nano_usd":7000,"discount_bps":1000,"paid_nano_usd":6300,'
    '"compute_cost_nano_usd":2800,"charged":true,"hold_id":"h-1"}'
)


def test_an_old_journal_line_reads_back_and_writes_the_same_json() -> None:
    d = json.loads(OLD_LINE)
    rec = UsageRecord.from_json(d)
    assert rec.deployment == "0x" + "cd" * 20
    assert (rec.paid_nano_usd, rec.discount_bps, rec.hold_id) == (6300, 1000, "h-1")
    assert rec.day == TS_US // US_PER_DAY == 20833
    assert rec.to_json() == d  # same keys, same values: segments stay readable both ways


def test_an_uncharged_record_has_no_hold_id_in_the_journal() -> None:
    d = json.loads(OLD_LINE)
    d.update(charged=False, paid_nano_usd=0)
    del d["hold_id"]
    rec = UsageRecord.from_json(d)
    assert rec.hold_id is None
    assert "hold_id" not in rec.to_json()
    assert UsageRecord.from_json(rec.to_json()) == rec


def test_a_line_without_day_takes_it_from_the_timestamp() -> None:
    d = json.loads(OLD_LINE)
    del d["day"]
    assert UsageRecord.from_json(d).day == 20833


def test_a_line_without_the_identity_fields_is_refused() -> None:
    with pytest.raises(KeyError):
        UsageRecord.from_json({"request_id": "x"})


def test_the_db_row_is_every_column_of_gateway_usage_but_the_id() -> None:
    rec = UsageRecord.from_json(json.loads(OLD_LINE))
    row = rec.db_row()
    table_columns = {c.name for c in UsageRow.__table__.columns} - {"id"}
    assert set(row) == set(DB_COLUMNS) == table_columns
    assert row["created_at"] == datetime.fromtimestamp(TS_US / 1e6, UTC)
    assert "hold_id" not in row and "ts_us" not in row


def test_the_record_is_frozen() -> None:
    rec = UsageRecord.from_json(json.loads(OLD_LINE))
    with pytest.raises(dataclasses.FrozenInstanceError):
        rec.paid_nano_usd = 0  # type: ignore[misc]


def test_the_epoch_gather_reads_only_the_columns_the_record_declares_for_it() -> None:
    source = inspect.getsource(gather.usage) + inspect.getsource(gather.revenue)
    source += inspect.getsource(gather.unattributed_spend)
    words = set(re.findall(r"\b[a-z_]+\b", source))
    record_fields = {f.name for f in dataclasses.fields(UsageRecord)}
    assert words & record_fields == set(EPOCH_COLUMNS)
    assert set(EPOCH_COLUMNS) <= set(DB_COLUMNS)
