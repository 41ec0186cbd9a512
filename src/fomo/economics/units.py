"""Units shared by the economics core (SPEC §1).

Balances are integers in base units; off-chain money is integer nano-USD. These constants are the
only place the decimal counts are written down, so a change of token never hides in a formula.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Final

BPS: Final = 10_000
"""Basis points in one whole (100%)."""

WAD: Final = 10**18
"""18-decimal fixed point: one whole FLOCK or MT in base units, and the contracts' fixed-point
one."""

FLOCK_DECIMALS: Final = 18
MT_DECIMALS: Final = 18
USDC_DECIMALS: Final = 6

FLOCK_UNIT: Final = 10**FLOCK_DECIMALS
"""Base units in one whole FLOCK."""
MT_UNIT: Final = 10**MT_DECIMALS
"""Base units in one whole Model Token."""
USDC_UNIT: Final = 10**USDC_DECIMALS

NANO_PER_USD: Final = 10**9
"""Off-chain money is integer nano-USD (1e-9 USD)."""
NANO_PER_USDC_UNIT: Final = NANO_PER_USD // USDC_UNIT
"""One USDC base unit (1e-6 USD) is 1,000 nano-USD."""

TOKENS_PER_PRICE_QUOTE: Final = 1_000_000
"""Prices are quoted in USD per one million tokens."""

SECONDS_PER_DAY: Final = 86_400
"""An epoch is one UTC day."""


def usd_text(nano: int) -> str:
    """Integer nano-USD as exact dollars with all nine places, ``"-$1.500000000"`` (no float on
    the way): the one rendering of off-chain money, used by the gateway's messages and the
    CLI."""
    sign = "-" if nano < 0 else ""
    whole, frac = divmod(abs(nano), NANO_PER_USD)
    return f"{sign}${whole}.{frac:09d}"


def fraction_text(value: Fraction, places: int) -> str:
    """An exact fraction as a decimal string, truncated toward zero to ``places`` (display
    only: never feeds a balance)."""
    scaled = abs(value).numerator * 10**places // abs(value).denominator
    sign = "-" if value < 0 and scaled else ""
    whole, frac = divmod(scaled, 10**places)
    digits = str(frac).rjust(places, "0").rstrip("0")
    return f"{sign}{whole}.{digits}" if digits else f"{sign}{whole}"


def parse_units(value: str, decimals: int) -> int:
    """Parse a whole-token decimal string (``"1.5"``) into integer base units, exactly.

    Refuses negatives, exponents beyond the token's precision and anything that is not a plain
    decimal number, so an amount is never silently rounded on the way in.
    """
    from decimal import Decimal, InvalidOperation
    from fractions import Fraction

    try:
        d = Decimal(value.strip())
    except (InvalidOperation, AttributeError) as exc:
        raise ValueError(f"{value!r} is not a decimal number") from exc
    if not d.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    if d < 0:
        raise ValueError(f"{value!r} is negative")
    # Exact scaling: Decimal.scaleb would round to the ambient context's 28 digits.
    scale: int = 10**decimals
    scaled = Fraction(d) * scale
    if scaled.denominator != 1:
        raise ValueError(f"{value!r} has more than {decimals} decimal places")
    return scaled.numerator


def format_units(amount: int, decimals: int, *, strip: bool = False) -> str:
    """Integer base units as an exact decimal string with ``decimals`` places.

    ``strip`` drops trailing zeros (and a bare trailing point) for display.
    """
    sign = "-" if amount < 0 else ""
    whole, frac = divmod(abs(amount), 10**decimals)
    if decimals == 0:
        return f"{sign}{whole}"
    text = f"{sign}{whole}.{frac:0{decimals}d}"
    if strip:
        text = text.rstrip("0").rstrip(".")
    return text
