"""Spend limits: a USD cap on what an API key or an account may spend per calendar period (UTC).

Pure rules, no clock and no I/O: the gateway passes ``now`` in. A limit is an integer number of
nano-USD and a reset period: ``"daily"`` (a UTC day), ``"weekly"`` (an ISO week, Monday 00:00
UTC), ``"monthly"`` (a calendar month) or ``None`` (never resets: the limit caps all spending).
OpenRouter's field names (``limit``, ``limit_remaining``, ``limit_reset``) are the convention the
API follows; the amounts are exact decimal strings derived from the nano-USD integers here.

Each period has an id (``d2026-11-27``, ``w2026-11-23``, ``m2026-11``, ``all``): the shared
ledger keeps one spend counter per key (and per account) per period id, so a new period starts a
new counter at zero and nothing has to be "reset" (a reset racing with spending is how budgets
are lost elsewhere).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Final, Literal, get_args

from fomo.economics.units import format_units, parse_units

Reset = Literal["daily", "weekly", "monthly"]
RESETS: Final[tuple[str, ...]] = get_args(Reset)
"""The reset periods a limit can have (``None``: the limit never resets)."""

PERIOD_KINDS: Final[tuple[Reset | None, ...]] = ("daily", "weekly", "monthly", None)
"""Every kind of period the ledger keeps a spend counter for (all of them, always: changing a
limit's period then takes effect at once, with the spend of the new period already counted)."""

USD_PLACES: Final = 9
"""A limit is a whole number of nano-USD: at most nine decimal places of USD."""

EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class SpendLimit:
    limit_nano: int
    reset: Reset | None


def _utc(now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(UTC)


def _midnight(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=UTC)


def period_start(reset: Reset | None, now: datetime) -> datetime:
    """The instant the period containing ``now`` began (1970-01-01 for a limit without reset)."""
    d = _utc(now).date()
    if reset == "daily":
        return _midnight(d)
    if reset == "weekly":
        return _midnight(d - timedelta(days=d.weekday()))
    if reset == "monthly":
        return _midnight(d.replace(day=1))
    return EPOCH


def next_reset(reset: Reset | None, now: datetime) -> datetime | None:
    """The instant the period containing ``now`` ends and a fresh one begins (None: never)."""
    start = period_start(reset, now)
    if reset == "daily":
        return start + timedelta(days=1)
    if reset == "weekly":
        return start + timedelta(days=7)
    if reset == "monthly":
        y, m = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
        return datetime(y, m, 1, tzinfo=UTC)
    return None


def period_id(reset: Reset | None, now: datetime) -> str:
    """The name of the period containing ``now``: what a spend counter is filed under."""
    start = period_start(reset, now)
    if reset == "daily":
        return f"d{start.date().isoformat()}"
    if reset == "weekly":
        return f"w{start.date().isoformat()}"
    if reset == "monthly":
        return f"m{start.year:04d}-{start.month:02d}"
    return "all"


def parse_reset(value: object) -> Reset | None:
    """``"daily"``/``"weekly"``/``"monthly"``; ``None``, ``""`` or ``"none"`` mean no reset."""
    if value is None or value == "" or value == "none":
        return None
    if isinstance(value, str) and value in RESETS:
        return value  # type: ignore[return-value]
    raise ValueError(f"the reset period {value!r} is not one of daily, weekly, monthly or none")


def parse_limit_usd(value: object, maximum_nano: int) -> int:
    """A limit typed as USD (``"5"``, ``"0.25"``; a JSON number is accepted when it is an
    integer) → integer nano-USD, exactly, or ValueError with one sentence."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError('the limit must be a USD amount written as a string, such as "5.00"')
    text = str(value).strip()
    try:
        nano = parse_units(text, USD_PLACES)
    except ValueError as exc:
        reason = str(exc)
        if "negative" in reason:
            raise ValueError(f"the limit {text!r} is negative; a limit is 0 or more USD") from None
        if "decimal places" in reason:
            raise ValueError(
                f"the limit {text!r} has more than {USD_PLACES} decimal places (1 nano-USD)"
            ) from None
        raise ValueError(
            f'the limit {text!r} is not a decimal USD amount, such as "5.00"'
        ) from None
    if nano > maximum_nano:
        raise ValueError(
            f"the limit {text!r} is above the largest limit, {usd_amount(maximum_nano)} USD"
        )
    return nano


def usd_amount(nano: int) -> str:
    """Nano-USD as a plain decimal USD string with at least two places: ``5000000000`` →
    ``"5.00"``, ``1`` → ``"0.000000001"`` (exact: the nano digits are never rounded)."""
    text = format_units(nano, USD_PLACES)
    whole, frac = text.split(".")
    frac = frac.rstrip("0").ljust(2, "0")
    return f"{whole}.{frac}"


def remaining(limit: SpendLimit, used_nano: int) -> int:
    """What is left of the limit in the current period (never below zero)."""
    return max(limit.limit_nano - used_nano, 0)


def when_text(reset: Reset | None, now: datetime) -> str:
    """``"resets at 2026-11-28 00:00 UTC"`` or ``"never resets"``, for messages."""
    at = next_reset(reset, now)
    return "never resets" if at is None else f"resets at {at:%Y-%m-%d %H:%M} UTC"


def exceeded_sentence(
    whose: str, limit: SpendLimit, used_nano: int, needed_nano: int, now: datetime
) -> str:
    """The one sentence a refused request gets: which limit, how much, when it resets."""
    period = limit.reset or "lifetime"
    left = remaining(limit, used_nano)
    return (
        f"{whose} {period} spend limit of {usd_amount(limit.limit_nano)} USD is reached: "
        f"{usd_amount(left)} USD of it is left and this request may cost up to "
        f"{usd_amount(needed_nano)} USD (held until it completes); the limit "
        f"{when_text(limit.reset, now)}."
    )


__all__ = [
    "PERIOD_KINDS",
    "RESETS",
    "Reset",
    "SpendLimit",
    "exceeded_sentence",
    "next_reset",
    "parse_limit_usd",
    "parse_reset",
    "period_id",
    "period_start",
    "remaining",
    "usd_amount",
    "when_text",
]
