"""Units shared by the economics core (SPEC §1).

Balances are integers in base units; off-chain money is integer nano-USD. These constants are the
only place the decimal counts are written down, so a change of token never hides in a formula.
"""

from __future__ import annotations

from typing import Final

BPS: Final = 10_000
"""Basis points in one whole (100%)."""

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
