"""Reorgs made with anvil snapshots: rewind (a shorter chain), then a different history (a longer
one). The indexer must undo everything above the fork and end up exactly where a fresh index of
the new chain would be."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from fomo.db.models import IndexerCursor, Launch, Purchase, Stake
from fomo.db.models_indexer import LaunchMetadataSet, TokenBalance
from fomo.indexer.core import ReorgTooDeep
from tests.indexer.conftest import (
    WAD,
    Chain,
    Db,
    Scenario,
    _db,
    chain_log_keys,
    dump,
    make_indexer,
    stored_log_keys,
)

pytestmark = pytest.mark.anvil


@pytest.fixture
def rewind(chain: Chain, scenario: Scenario):  # type: ignore[no-untyped-def]
    """Snapshot the chain and restore it after the test (other tests share this anvil)."""
    snaps: list[str] = [chain.snapshot()]

    def revert_and_resnapshot() -> None:
        chain.revert(snaps.pop())
        snaps.append(chain.snapshot())

    yield revert_and_resnapshot
    chain.revert(snaps.pop())


def test_reorg_rolls_back_and_reindexes(
    chain: Chain, scenario: Scenario, db: Db, sqlite_db: Db, rewind
) -> None:  # type: ignore[no-untyped-def]
    indexer = make_indexer(chain, db)
    indexer.sync()
    fork_point = chain.head()

    # History A: a new launch with a purchase, and a stake by bob.
    gamma = chain.create_launch(scenario.carol, "GAMMA")
    chain.travel(100 * 60)
    chain.buy(scenario.dave, gamma, 5_000 * WAD)
    chain.set_metadata(scenario.carol, gamma, "0x" + "ab" * 32)
    chain.stake(scenario.bob, scenario.graduated, 300 * WAD)
    indexer.sync()
    gamma_meta = select(LaunchMetadataSet).where(LaunchMetadataSet.token == gamma)
    with db.session() as s:
        assert s.get(Launch, gamma) is not None
        assert [m.content_hash for m in s.scalars(gamma_meta)] == ["0x" + "ab" * 32]
        assert s.scalars(select(Purchase).where(Purchase.token == gamma)).all()
        assert s.get(Stake, (scenario.graduated, scenario.bob.address.lower())) is not None

    # Rewind: the chain is now shorter than the cursor.
    rewind()
    assert chain.head() == fork_point
    results = indexer.sync()
    assert results[0].action == "reorg" and results[0].fork_block is not None
    assert results[0].fork_block <= fork_point + 1
    with db.session() as s:
        assert s.get(Launch, gamma) is None
        assert not s.scalars(gamma_meta).all()
        assert not s.scalars(select(Purchase).where(Purchase.token == gamma)).all()
        assert s.get(Stake, (scenario.graduated, scenario.bob.address.lower())) is None
        cursor = s.get(IndexerCursor, "chain")
        assert cursor is not None and cursor.block_number <= fork_point

    # History B, longer than A: a different stake amount and MT moving elsewhere.
    chain.stake(scenario.bob, scenario.graduated, 700 * WAD)
    chain.transfer_mt(scenario.alice, scenario.graduated, scenario.dave.address, 5 * WAD)
    chain.mine(6)
    results = indexer.sync()
    with db.session() as s:
        st = s.get(Stake, (scenario.graduated, scenario.bob.address.lower()))
        assert st is not None and st.staked == 700 * WAD
        bal = s.get(TokenBalance, (scenario.graduated, scenario.dave.address.lower()))
        assert bal is not None and bal.balance == 5 * WAD

    stored = stored_log_keys(db)
    assert len(stored) == len(set(stored)) and set(stored) == chain_log_keys(chain)
    make_indexer(chain, sqlite_db).sync()
    assert dump(db) == dump(sqlite_db)


def test_same_height_fork_is_detected(
    chain: Chain, scenario: Scenario, sqlite_db: Db, rewind
) -> None:  # type: ignore[no-untyped-def]
    """A competing block at the same height (same number, other hash) is a reorg too."""
    indexer = make_indexer(chain, sqlite_db)
    chain.transfer_mt(scenario.alice, scenario.graduated, scenario.carol.address, 1 * WAD)
    indexer.sync()
    height = chain.head()
    rewind()
    chain.transfer_mt(scenario.alice, scenario.graduated, scenario.carol.address, 2 * WAD)
    assert chain.head() == height
    results = indexer.sync()
    assert [r.action for r in results][:2] == ["reorg", "indexed"]
    with sqlite_db.session() as s:
        bal = s.get(TokenBalance, (scenario.graduated, scenario.carol.address.lower()))
        assert bal is not None and bal.balance == 2 * WAD


def test_confirmations_hold_back_the_tip(chain: Chain, scenario: Scenario, sqlite_db: Db) -> None:
    indexer = make_indexer(chain, sqlite_db, confirmations=4)
    indexer.sync()
    head = chain.head()
    cursor = indexer.cursor()
    assert cursor is not None and cursor[0] == head - 3
    chain.mine(2)
    indexer.sync()
    cursor = indexer.cursor()
    assert cursor is not None and cursor[0] == head - 1


def _forget_the_chain(db: Db) -> None:
    """Make every stored hash foreign, as if the node were a different chain (anvil restarted
    without its state and the suite redeployed)."""
    from sqlalchemy import update

    from fomo.db.models import IndexedBlock

    with db.session() as s:
        for n, (number,) in enumerate(s.execute(select(IndexedBlock.block_number)).all()):
            s.execute(
                update(IndexedBlock)
                .where(IndexedBlock.block_number == number)
                .values(block_hash="0x" + f"{n + 1:064x}")
            )
        s.execute(update(IndexerCursor).values(block_hash="0x" + "ee" * 32))
        s.commit()


def test_unrelated_chain_stops_or_restarts(
    chain: Chain, scenario: Scenario, sqlite_db: Db, tmp_path: Path
) -> None:
    make_indexer(chain, sqlite_db).sync()
    _forget_the_chain(sqlite_db)
    with pytest.raises(ReorgTooDeep):
        make_indexer(chain, sqlite_db).sync()
    # A dev chain starts over instead, and ends where a fresh index does.
    results = make_indexer(chain, sqlite_db, reset_if_unrelated=True).sync()
    assert (results[0].action, results[0].fork_block) == ("reorg", 0)
    fresh = next(_db(f"sqlite:///{tmp_path / 'fresh.db'}"))
    make_indexer(chain, fresh).sync()
    assert dump(sqlite_db) == dump(fresh)
