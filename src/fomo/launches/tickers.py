"""Ticker and name rules, mirroring ``Launchpad.create_launch`` exactly.

A ticker is 2-16 ASCII letters or digits; uniqueness on-chain is case-insensitive among
launches that are not Failed, so ``ticker_key`` (lower case) is a launch's identity and the
platform's model id ``<base model>-<ticker_key>`` names exactly one live or graduated deployment.
A name is 1-32 printable ASCII characters without a leading or trailing space.
"""

from __future__ import annotations

import string

MIN_TICKER_LEN = 2
MAX_TICKER_LEN = 16
MAX_NAME_LEN = 32
TICKER_CHARS = frozenset(string.ascii_letters + string.digits)


class TickerError(ValueError):
    """A ticker or name the launchpad would refuse; the message is one sentence."""


def check_ticker(symbol: str) -> str:
    """``symbol`` unchanged if the launchpad accepts it, else :class:`TickerError`."""
    if not MIN_TICKER_LEN <= len(symbol) <= MAX_TICKER_LEN or not set(symbol) <= TICKER_CHARS:
        raise TickerError(
            f"The ticker {symbol!r} is not allowed: use {MIN_TICKER_LEN}-{MAX_TICKER_LEN} "
            "ASCII letters or digits (e.g. QWENALICE)."
        )
    return symbol


def ticker_key(symbol: str) -> str:
    """The case-insensitive identity of a valid ticker (what must be unique on-chain)."""
    return check_ticker(symbol).lower()


def check_name(name: str) -> str:
    """``name`` unchanged if the launchpad accepts it, else :class:`TickerError`."""
    printable = all(0x20 <= ord(c) <= 0x7E for c in name)
    if not 1 <= len(name) <= MAX_NAME_LEN or not printable or name != name.strip(" "):
        raise TickerError(
            f"The name {name!r} is not allowed: use 1-{MAX_NAME_LEN} printable ASCII characters "
            "without a leading or trailing space."
        )
    return name
