"""Helpers for the market/protocol/stream API tests: an API client over a freshly indexed
database, and DEX swaps through the deployed Router."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web3 import Web3

from fomo.api.app import create_app
from fomo.chain.client import TxResult
from fomo.chain.dev_accounts import DevAccount
from fomo.config import Settings
from fomo.context import RuntimeContext
from fomo.db.session import make_engine, make_session_factory
from tests.indexer.conftest import WAD, Chain, Db, Scenario, make_indexer


def cs(address: str) -> str:
    return Web3.to_checksum_address(address)


def runtime(chain: Chain, db: Db, tmp_path: Path, with_manifest: bool = True) -> RuntimeContext:
    settings = Settings(data_dir=tmp_path, database_url=db.url, rpc_url=chain.url)
    engine = make_engine(db.url)
    return RuntimeContext(
        settings=settings,
        engine=engine,
        session_factory=make_session_factory(engine),
        manifest=chain.manifest if with_manifest else None,
    )


def api_client(chain: Chain, db: Db, tmp_path: Path, with_manifest: bool = True) -> TestClient:
    """Index the chain up to its head into ``db`` and serve the read API over it."""
    make_indexer(chain, db).sync()
    ctx = runtime(chain, db, tmp_path, with_manifest)
    return TestClient(create_app(ctx.settings, ctx))


def swap(chain: Chain, who: DevAccount, sell: str, buy: str, amount: int) -> TxResult:
    """Swap exactly ``amount`` of ``sell`` for ``buy`` on the DEX (to ``who``)."""
    c = chain.client(who)
    router = c.contract("Router")
    c.send(c.at("DevToken", sell).functions.approve(router.address, amount))
    return c.send(
        router.functions.swapExactTokensForTokens(
            amount, 0, [cs(sell), cs(buy)], who.address, chain.now() + 3600
        )
    )


def flock_address(chain: Chain) -> str:
    return chain.manifest.contracts["FLOCK"].address.lower()


@pytest.fixture
def pool_trades(chain: Chain, scenario: Scenario) -> Iterator[dict[str, Any]]:
    """A pool buy, an hour later a sell and another buy on ALPHA's pair (reverted after)."""
    snap = chain.snapshot()
    token, flock = scenario.graduated, flock_address(chain)
    try:
        swap(chain, scenario.dave, flock, token, 5_000 * WAD)
        chain.travel(3_700)
        swap(chain, scenario.alice, token, flock, 300 * WAD)
        swap(chain, scenario.carol, flock, token, 1_234 * WAD)
        pair = chain.client(scenario.alice).at(
            "Pair", chain.contract("Launchpad").functions.launches(cs(token)).call()[16]
        )
        yield {"pair": pair}
    finally:
        chain.revert(snap)
