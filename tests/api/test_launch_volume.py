"""`volume_flock` on `/api/launches` and `/api/launches/{token}`: FLOCK traded per launch, from a
database the indexer filled from a real anvil, checked against the chain's own events
(Launchpad `Purchased.flockIn`, the pair's `Swap` FLOCK side)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.api.market_support import api_client
from tests.indexer.conftest import Chain, Db, Scenario

pytestmark = pytest.mark.anvil


def _logs(chain: Chain, contract: Any, event: str) -> list[Any]:
    return list(contract.events[event]().get_logs(from_block=chain.manifest.block))


def test_volume_is_purchases_plus_the_pools_flock_side(
    chain: Chain, scenario: Scenario, db: Db, tmp_path: Path, pool_trades: dict[str, Any]
) -> None:
    client = api_client(chain, db, tmp_path)
    lp = chain.contract("Launchpad")
    bought: dict[str, int] = {}
    for e in _logs(chain, lp, "Purchased"):
        t = e["args"]["token"].lower()
        bought[t] = bought.get(t, 0) + e["args"]["flockIn"]
    pair = pool_trades["pair"]
    graduated = scenario.graduated
    mt0 = pair.functions.token0().call().lower() == graduated
    swaps = _logs(chain, pair, "Swap")
    assert swaps
    pool = sum(
        (a["amount1In"] + a["amount1Out"]) if mt0 else (a["amount0In"] + a["amount0Out"])
        for a in (s["args"] for s in swaps)
    )
    listed = {x["token"]: x for x in client.get("/api/launches").json()["launches"]}
    assert int(listed[graduated]["volume_flock"]) == bought[graduated] + pool
    for token, row in listed.items():
        if token != graduated:  # no pool: purchases only (0 when nobody bought)
            assert int(row["volume_flock"]) == bought.get(token, 0), row["symbol"]
    detail = client.get(f"/api/launches/{graduated}").json()
    assert detail["volume_flock"] == listed[graduated]["volume_flock"]
    assert int(detail["totals"]["flock_in"]) == bought[graduated]
