"""Where the Vyper sources live, in a checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def contracts_dir() -> Path:
    """The `contracts/` folder: top level in a checkout, `fomo/_contracts` in a wheel."""
    checkout = _PACKAGE_DIR.parent.parent / "contracts"
    if checkout.is_dir():
        return checkout
    return _PACKAGE_DIR / "_contracts"


def contract_path(relative: str) -> Path:
    """Path of one contract, e.g. ``contract_path("dex/Pair.vy")``; raises if it is missing."""
    path = contracts_dir() / relative
    if not path.is_file():
        raise FileNotFoundError(f"no contract source at {path}")
    return path
