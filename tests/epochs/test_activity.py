"""The operator view's chain side: settlements of the epoch, buybacks and burns of its UTC day."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from fomo.db.migrate import upgrade
from fomo.db.models import Burn, Buyback
from fomo.db.models_indexer import RevenueSettlement
from fomo.db.session import make_engine, make_session_factory
from fomo.epochs.activity import chain_activity

EPOCH = 20_400
DAY_START = EPOCH * 86_400
MT = "0x" + "aa" * 20
FLOCK = "0x" + "bb" * 20
_log = iter(range(1, 1_000))


def _ref(block_time: int) -> dict[str, Any]:
    n = next(_log)
    return {
        "block_number": n,
        "block_hash": "0x" + f"{n:064x}",
        "block_time": block_time,
        "tx_hash": "0x" + f"{n + 10_000:064x}",
        "log_index": 0,
    }


def _seed(s: Session) -> None:
    s.add(
        RevenueSettlement(
            token=MT, epoch=EPOCH, usdc_amount=1_000_003, flock_buyback=300_000,
            treasury_amount=300_003, mt_buyback=300_000, issuer_amount=100_000,
            issuer="0x" + "cc" * 20, pulled=1_000_003, **_ref(DAY_START + 100),
        )
    )  # fmt: skip
    s.add(RevenueSettlement(
        token=MT, epoch=EPOCH - 1, usdc_amount=5, flock_buyback=1, treasury_amount=2,
        mt_buyback=1, issuer_amount=1, issuer="0x" + "cc" * 20, pulled=5,
        **_ref(DAY_START - 50),
    ))  # fmt: skip
    s.add(
        Buyback(
            kind="mt", token=MT, usdc_in=300_000, amount_out=7 * 10**18, **_ref(DAY_START + 200)
        )
    )
    s.add(Burn(token=MT, amount=7 * 10**18, reason="buyback", **_ref(DAY_START + 200)))
    s.add(Burn(token=MT, amount=2 * 10**18, reason="buyback", **_ref(DAY_START + 86_399)))
    s.add(Burn(token=FLOCK, amount=10**18, reason="buyback", **_ref(DAY_START + 86_400)))


def test_chain_activity_of_one_epoch(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fomo.db'}"
    upgrade(url)
    factory = make_session_factory(make_engine(url))
    with factory() as s, s.begin():
        _seed(s)
    with factory() as s:
        got = chain_activity(s, EPOCH)
    assert [x["usdc"] for x in got["settlements"]] == ["1000003"]  # only this epoch's
    (st,) = got["settlements"]
    parts = ("flock_buyback", "treasury", "mt_buyback", "issuer")
    assert sum(int(st[k]) for k in parts) == int(st["usdc"])
    assert [(b["kind"], b["amount_out"]) for b in got["buybacks"]] == [("mt", str(7 * 10**18))]
    # Burns of the day only: the FLOCK burn at the next midnight belongs to the next day.
    assert got["burned_per_token"] == {MT: str(9 * 10**18)}
    json.dumps(got)  # plain JSON for `fomo epoch show --json` and the API
