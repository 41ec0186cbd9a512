"""Spend-limit periods (UTC calendar day, ISO week from Monday, calendar month) and limit input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fomo.economics.spend_limits import (
    EPOCH,
    SpendLimit,
    exceeded_sentence,
    next_reset,
    parse_limit_usd,
    parse_reset,
    period_id,
    period_start,
    usd_amount,
)

MAX = 2**53 - 1


def t(*a: int) -> datetime:
    return datetime(*a, tzinfo=UTC)


def test_daily_period_is_the_utc_day() -> None:
    now = t(2026, 11, 27, 23, 59, 59, 999_999)
    assert period_start("daily", now) == t(2026, 11, 27)
    assert next_reset("daily", now) == t(2026, 11, 28)
    assert period_id("daily", now) == "d2026-11-27"
    assert period_id("daily", t(2026, 11, 28)) == "d2026-11-28"


def test_daily_follows_utc_not_the_local_offset() -> None:
    from datetime import timezone

    # 01:00 on the 28th at UTC+2 is 23:00 on the 27th in UTC
    local = datetime(2026, 11, 28, 1, 0, tzinfo=timezone(timedelta(hours=2)))
    assert period_id("daily", local) == "d2026-11-27"


def test_weekly_period_starts_monday() -> None:
    # 2026-11-23 is a Monday, 2026-11-29 a Sunday
    assert period_start("weekly", t(2026, 11, 29, 23, 59)) == t(2026, 11, 23)
    assert period_start("weekly", t(2026, 11, 23)) == t(2026, 11, 23)
    assert next_reset("weekly", t(2026, 11, 29, 23, 59)) == t(2026, 11, 30)
    # a week across a year end: Monday 2026-12-28 to Monday 2027-01-04
    assert period_id("weekly", t(2027, 1, 3, 12)) == "w2026-12-28"
    assert next_reset("weekly", t(2026, 12, 31)) == t(2027, 1, 4)


def test_monthly_period_month_ends_and_leap_years() -> None:
    assert next_reset("monthly", t(2026, 1, 31, 23)) == t(2026, 2, 1)
    assert next_reset("monthly", t(2026, 12, 31, 23, 59)) == t(2027, 1, 1)
    assert period_id("monthly", t(2026, 12, 31, 23, 59)) == "m2026-12"
    # February: 29 days in a leap year (2028), 28 otherwise, 28 in 2100 (not a leap year)
    assert next_reset("monthly", t(2028, 2, 29, 12)) == t(2028, 3, 1)
    assert period_id("monthly", t(2028, 2, 29)) == "m2028-02"
    assert period_id("monthly", t(2100, 3, 1)) == "m2100-03"
    assert next_reset("monthly", t(2100, 2, 28)) == t(2100, 3, 1)
    assert next_reset("daily", t(2028, 2, 28)) == t(2028, 2, 29)
    assert next_reset("daily", t(2100, 2, 28)) == t(2100, 3, 1)


def test_no_reset_is_one_period_forever() -> None:
    assert period_start(None, t(2026, 5, 5)) == EPOCH
    assert next_reset(None, t(2026, 5, 5)) is None
    assert period_id(None, t(2026, 5, 5)) == period_id(None, t(2031, 1, 1)) == "all"


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError):
        period_start("daily", datetime(2026, 1, 1))


@given(
    st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2200, 1, 1)),
    st.sampled_from(["daily", "weekly", "monthly"]),
)
def test_now_lies_in_its_period_and_the_next_period_is_new(naive: datetime, reset: str) -> None:
    now = naive.replace(tzinfo=UTC)
    start, end = period_start(reset, now), next_reset(reset, now)  # type: ignore[arg-type]
    assert end is not None
    assert start <= now < end
    assert period_start(reset, end) == end  # type: ignore[arg-type]
    assert period_id(reset, end) != period_id(reset, now)  # type: ignore[arg-type]
    assert period_id(reset, end - timedelta(microseconds=1)) == period_id(reset, now)  # type: ignore[arg-type]
    if reset == "weekly":
        assert start.weekday() == 0 and (end - start) == timedelta(days=7)
    if reset == "monthly":
        assert start.day == 1 and 28 <= (end - start).days <= 31


@pytest.mark.parametrize(
    ("text", "nano"),
    [
        ("5", 5 * 10**9),
        ("0.25", 250_000_000),
        ("0", 0),
        ("0.000000001", 1),
        (" 12.5 ", 12_500_000_000),
        (7, 7 * 10**9),
    ],
)
def test_parse_limit(text: object, nano: int) -> None:
    assert parse_limit_usd(text, MAX) == nano


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("-1", "negative"),
        ("five", "not a decimal USD amount"),
        ("1.0000000001", "more than 9 decimal places"),
        ("NaN", "not a decimal USD amount"),
        ("inf", "not a decimal USD amount"),
        ("1e400", "above the largest limit"),
        (5.5, "written as a string"),
        (True, "written as a string"),
        (None, "written as a string"),
        ("9007199.254740992", "above the largest limit"),
    ],
)
def test_bad_limit_is_one_sentence(text: object, words: str) -> None:
    with pytest.raises(ValueError) as exc:
        parse_limit_usd(text, MAX)
    message = str(exc.value)
    assert words in message
    assert message.count(". ") == 0 and "\n" not in message


def test_parse_reset() -> None:
    assert parse_reset("daily") == "daily"
    assert parse_reset(None) is None and parse_reset("none") is None
    for bad in ("hourly", "Daily", 1):
        with pytest.raises(ValueError, match="not one of daily, weekly, monthly or none"):
            parse_reset(bad)


def test_usd_amount_is_exact() -> None:
    assert usd_amount(5 * 10**9) == "5.00"
    assert usd_amount(1) == "0.000000001"
    assert usd_amount(12_340_000_000) == "12.34"
    assert usd_amount(12_345_000_000) == "12.345"
    assert usd_amount(0) == "0.00"


def test_exceeded_sentence_names_the_limit() -> None:
    lim = SpendLimit(5 * 10**9, "daily")
    s = exceeded_sentence("API key 7's", lim, 4_999_000_000, 4_000_000, t(2026, 11, 27, 13))
    assert s == (
        "API key 7's daily spend limit of 5.00 USD is reached: 0.001 USD of it is left and "
        "this request may cost up to 0.004 USD (held until it completes); the limit resets at "
        "2026-11-28 00:00 UTC."
    )
    s = exceeded_sentence("Account 0xab's", SpendLimit(10**9, None), 2 * 10**9, 1, t(2026, 1, 1))
    assert "lifetime spend limit of 1.00 USD" in s and "0.00 USD of it is left" in s
    assert s.endswith("never resets.")
