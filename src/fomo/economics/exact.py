"""Deterministic exact-ish arithmetic for the irrational functions the reward formulas need.

Rewards must be byte-for-byte reproducible on every machine, so ``exp``, ``ln`` and ``sqrt`` never
use floats. Each is evaluated with Python's ``decimal`` module in a fixed, private context
(50 significant digits, ROUND_HALF_EVEN, traps on), whose ``exp``/``ln``/``sqrt`` are *correctly
rounded* by specification (IEEE 854 / the General Decimal Arithmetic spec): the result is the
unique 50-digit value nearest the true one, whatever the platform, CPU or Python build. The
decimal result is then turned into an exact ``Fraction`` and all further arithmetic (products,
normalisation, splits) is exact. The thread's ambient decimal context is never read or changed.

Inputs that have exact rational results get them exactly: ``exp(0) = 1``, ``ln(1) = 0`` and the
square root of a rational whose numerator and denominator are perfect squares (``√1 = 1``,
``√(1/4) = 1/2``), so the seeds' worked examples involve no rounding at all where none is due.
"""

from __future__ import annotations

from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)
from fractions import Fraction
from math import floor, isqrt
from typing import Final

PRECISION: Final = 50
"""Significant decimal digits of every irrational evaluation."""

_CTX: Final = Context(
    prec=PRECISION,
    rounding=ROUND_HALF_EVEN,
    Emin=-999_999,
    Emax=999_999,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)


def to_decimal(x: Fraction | int) -> Decimal:
    """``x`` rounded to ``PRECISION`` significant digits (correctly rounded division)."""
    q = Fraction(x)
    return _CTX.divide(Decimal(q.numerator), Decimal(q.denominator))


def exp(x: Fraction | int) -> Fraction:
    """``e**x``, correctly rounded to 50 significant digits, as an exact Fraction."""
    q = Fraction(x)
    if q == 0:
        return Fraction(1)
    return Fraction(_CTX.exp(to_decimal(q)))


def ln(x: Fraction | int) -> Fraction:
    """Natural logarithm of ``x > 0``, correctly rounded to 50 significant digits."""
    q = Fraction(x)
    if q <= 0:
        raise ValueError("ln needs a positive argument")
    if q == 1:
        return Fraction(0)
    return Fraction(_CTX.ln(to_decimal(q)))


def sqrt(x: Fraction | int) -> Fraction:
    """Square root of ``x ≥ 0``: exact for squares of rationals, else correctly rounded."""
    q = Fraction(x)
    if q < 0:
        raise ValueError("sqrt needs a non-negative argument")
    rn, rd = isqrt(q.numerator), isqrt(q.denominator)
    if rn * rn == q.numerator and rd * rd == q.denominator:
        return Fraction(rn, rd)
    return Fraction(_CTX.sqrt(to_decimal(q)))


def floor_to_places(x: Fraction, places: int = 18) -> str:
    """``x`` floored to ``places`` decimals, as a plain decimal string with all places shown."""
    scaled = floor(x * 10**places)
    sign = "-" if scaled < 0 else ""
    whole, frac = divmod(abs(scaled), 10**places)
    return f"{sign}{whole}.{frac:0{places}d}" if places else f"{sign}{whole}"
