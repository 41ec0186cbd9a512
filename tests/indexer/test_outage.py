"""RPC outages: the node disappears behind a proxy while events keep coming, or fails at random
points inside batches. The indexer backs off exponentially and, once the node answers again,
holds every log exactly once (no duplicates, no gaps)."""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from fomo.chain.anvil import Anvil
from fomo.indexer.core import Indexer, IndexerConfig
from fomo.indexer.rpc import ChainReader, RpcUnavailable
from tests.indexer.conftest import (
    WAD,
    Chain,
    Db,
    Scenario,
    chain_log_keys,
    dump,
    make_indexer,
    stored_log_keys,
)
from tests.indexer.proxy import DroppingProxy

pytestmark = pytest.mark.anvil


@pytest.fixture
def proxy(node: Anvil) -> Iterator[DroppingProxy]:
    p = DroppingProxy(node.port)
    yield p
    p.close()


_DELTA_SUFFIX = itertools.count()


def wait_for(cond: Any, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def test_outage_backs_off_then_catches_up_exactly(
    chain: Chain, scenario: Scenario, db: Db, proxy: DroppingProxy
) -> None:
    indexer = make_indexer(chain, db, url=proxy.url, batch_blocks=25)
    stop = threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            indexer.run_forever(stop, poll_interval=0.05, backoff_initial=0.1, backoff_max=0.8)
        except BaseException as exc:  # surfaced by the assertions below
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        wait_for(lambda: (indexer.cursor() or (0, ""))[0] == chain.head())
        proxy.set_down()
        cursor_at_outage = indexer.cursor()
        # The SQLite and PostgreSQL variants share one chain, and tickers are unique among
        # launches that have not failed: each variant launches its own.
        chain.create_launch(scenario.carol, f"DELTA{next(_DELTA_SUFFIX)}")
        chain.transfer_mt(scenario.alice, scenario.graduated, scenario.bob.address, 3 * WAD)
        chain.mine(12)
        time.sleep(2.5)
        # Down for 2.5 s with backoff 0.1 → 0.2 → 0.4 → 0.8 → 0.8 …: a handful of attempts,
        # not a busy loop, and nothing written meanwhile.
        assert 3 <= indexer.failures <= 10, indexer.failures
        assert indexer.cursor() == cursor_at_outage
        proxy.set_up()
        wait_for(lambda: (indexer.cursor() or (0, ""))[0] == chain.head())
    finally:
        stop.set()
        thread.join(10)
    assert not errors
    stored = stored_log_keys(db)
    assert len(stored) == len(set(stored))
    assert set(stored) == chain_log_keys(chain)


class FlakyReader(ChainReader):
    """A test double of an unreliable node: each RPC call fails with probability ``p`` (seeded),
    as a dropped connection does, at whatever point of a batch it falls."""

    def __init__(self, url: str, p: float, seed: int) -> None:
        super().__init__(url, timeout=2.0)
        self.p = p
        self.rng = random.Random(seed)
        self.failed = 0

    def _guard(self, what: str, fn: Any, *args: Any) -> Any:
        if self.rng.random() < self.p:
            self.failed += 1
            raise RpcUnavailable(f"{what}: connection reset (simulated)")
        return super()._guard(what, fn, *args)


@pytest.mark.parametrize(("p", "seed"), [(0.1, 1), (0.25, 2)])
def test_failures_inside_batches_leave_no_trace(
    chain: Chain, scenario: Scenario, sqlite_db: Db, tmp_path: Any, p: float, seed: int
) -> None:
    config = IndexerConfig.from_manifest(chain.manifest, batch_blocks=4)
    reader = FlakyReader(chain.url, p, seed)
    flaky = Indexer(config, reader, sqlite_db.factory)
    stop = threading.Event()
    done = threading.Event()

    def stepped(result: Any) -> None:
        if result.action == "idle":
            done.set()
            stop.set()

    thread = threading.Thread(
        target=flaky.run_forever,
        args=(stop,),
        kwargs={"poll_interval": 0.01, "backoff_initial": 0.001, "backoff_max": 0.01,
                "on_step": stepped},
        daemon=True,
    )  # fmt: skip
    thread.start()
    thread.join(60)
    assert done.is_set() and flaky.failures > 0 and reader.failed >= flaky.failures
    from tests.indexer.conftest import _db

    reference = _db(f"sqlite:///{tmp_path / 'reference.db'}")
    ref = next(reference)
    make_indexer(chain, ref).sync()
    assert dump(sqlite_db) == dump(ref)
    reference.close()


class RangeCappedReader(ChainReader):
    """A test double of a provider that refuses ``eth_getLogs`` over more than ``cap`` blocks."""

    def __init__(self, url: str, cap: int) -> None:
        super().__init__(url, timeout=2.0)
        self.cap = cap
        self.refused = 0

    def logs(self, from_block: int, to_block: int, addresses: Any) -> Any:
        if to_block - from_block + 1 > self.cap:
            self.refused += 1
            raise RpcUnavailable("eth_getLogs: block range too large (simulated)")
        return super().logs(from_block, to_block, addresses)


def test_range_limited_provider(chain: Chain, scenario: Scenario, sqlite_db: Db) -> None:
    config = IndexerConfig.from_manifest(chain.manifest, batch_blocks=1000)
    reader = RangeCappedReader(chain.url, cap=40)
    indexer = Indexer(config, reader, sqlite_db.factory)

    def catch_up() -> None:
        for _ in range(200):
            try:
                if indexer.step().action == "idle":
                    return
            except RpcUnavailable:
                continue
        raise AssertionError("did not catch up")

    catch_up()
    chain.mine(300)
    catch_up()
    # A few refusals to find the limit, then none: the refused size is remembered.
    assert 0 < reader.refused <= 8 and indexer.span_limit <= 40
    stored = stored_log_keys(sqlite_db)
    assert len(stored) == len(set(stored)) and set(stored) == chain_log_keys(chain)
