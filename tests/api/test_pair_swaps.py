"""Pair `Swap` events become `pair_swaps` rows (the pool trades behind candles and trade lists):
equal to the chain's logs, rebuilt by migration 0006 from the raw event log of a database
indexed before it, and rolled back with a reorg."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from fomo.db.migrate import downgrade, upgrade
from fomo.db.models_market import PairSwap
from tests.api.market_support import flock_address, swap
from tests.indexer.conftest import WAD, Chain, Db, Scenario, make_indexer

pytestmark = pytest.mark.anvil


def _rows(db: Db) -> list[tuple[Any, ...]]:
    with db.session() as s:
        return [
            (
                r.pair,
                r.sender,
                r.recipient,
                r.amount0_in,
                r.amount1_in,
                r.amount0_out,
                r.amount1_out,
                r.block_number,
                r.block_hash,
                r.block_time,
                r.tx_hash,
                r.log_index,
            )
            for r in s.scalars(select(PairSwap).order_by(PairSwap.block_number, PairSwap.log_index))
        ]


def test_swaps_equal_the_logs_and_survive_a_re_migration(
    chain: Chain, db: Db, pool_trades: dict[str, Any]
) -> None:
    make_indexer(chain, db).sync()
    pair = pool_trades["pair"]
    logs = list(pair.events.Swap().get_logs(from_block=chain.manifest.block))
    rows = _rows(db)
    assert [(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[10], r[11]) for r in rows] == [
        (
            pair.address.lower(),
            e["args"]["sender"].lower(),
            e["args"]["to"].lower(),
            e["args"]["amount0In"],
            e["args"]["amount1In"],
            e["args"]["amount0Out"],
            e["args"]["amount1Out"],
            "0x" + bytes(e["transactionHash"]).hex(),
            e["logIndex"],
        )
        for e in logs
    ]
    assert len(rows) == 3
    # A database indexed before 0006 has the swaps only in event_logs: the migration projects them.
    downgrade(db.url, "-1")
    upgrade(db.url)
    assert _rows(db) == rows


def test_swaps_roll_back_with_a_reorg(chain: Chain, scenario: Scenario, sqlite_db: Db) -> None:
    token, flock = scenario.graduated, flock_address(chain)
    snap = chain.snapshot()
    try:
        swap(chain, scenario.dave, flock, token, 1_000 * WAD)
        make_indexer(chain, sqlite_db).sync()
        (before,) = _rows(sqlite_db)
        chain.revert(snap)
        snap = chain.snapshot()
        chain.mine(2)  # the new branch is longer, so the indexer sees the fork
        swap(chain, scenario.dave, flock, token, 2_000 * WAD)
        make_indexer(chain, sqlite_db).sync()
        (after,) = _rows(sqlite_db)
        assert after[7] > before[7] and after[10] != before[10]
        assert 2_000 * WAD in (after[3], after[4])
    finally:
        chain.revert(snap)
