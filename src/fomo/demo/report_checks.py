"""A conservation check of the demo report: a name, pass or fail, and the numbers compared."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fomo.demo.chain import TransferTotals


@dataclass
class Check:
    name: str
    ok: bool
    numbers: dict[str, int]
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "result": "PASS" if self.ok else "FAIL",
            "numbers": {k: str(v) for k, v in self.numbers.items()},
            "detail": self.detail,
        }


def eq(name: str, left_name: str, left: int, right_name: str, right: int, **extra: int) -> Check:
    return Check(name, left == right, {left_name: left, right_name: right, **extra})


def supply_checks(sym: str, bal: dict[str, int], supply: int, tt: TransferTotals) -> list[Check]:
    """An ERC-20 whose every balance change is logged: Σ balances = supply = minted − burned."""
    return [
        eq(
            f"{sym}: Σ balances of all {len(bal)} holders = total supply",
            "sum_balances",
            sum(bal.values()),
            "total_supply",
            supply,
        ),
        eq(
            f"{sym}: total supply = minted − burned (Transfer logs)",
            "total_supply",
            supply,
            "minted_minus_burned",
            tt.minted - tt.burned,
            minted=tt.minted,
            burned=tt.burned,
        ),
    ]
