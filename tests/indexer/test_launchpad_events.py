"""The Launchpad's events as the indexer stores them: the exact topic0 the ecosystem's indexers
expect (LaunchCreated, Purchased, FeeConfigUpdated), their decoded arguments, and
``MetadataSet`` indexed per launch."""

from __future__ import annotations

import pytest
from eth_utils import keccak
from sqlalchemy import select

from fomo.db.models import EventLog, Launch
from fomo.db.models_indexer import LaunchMetadataSet, LaunchParams
from tests.indexer.conftest import ALPHA_METADATA, Chain, Db, Scenario, make_indexer

pytestmark = pytest.mark.anvil

EXACT = {
    "LaunchCreated": "LaunchCreated(address,address,bytes32,uint256,uint256,uint256,uint64,uint64,"
    "string,string,bool)",
    "Purchased": "Purchased(address,address,uint256,uint256,uint256,uint256,uint256,uint256)",
    "FeeConfigUpdated": "FeeConfigUpdated(address,uint16,uint16,uint256,uint16,uint16)",
    "MetadataSet": "MetadataSet(address,bytes32)",
}


@pytest.fixture
def indexed(chain: Chain, scenario: Scenario, db: Db) -> Db:
    make_indexer(chain, db).sync()
    return db


def test_stored_topic0_match_the_ecosystem_signatures(chain: Chain, indexed: Db) -> None:
    lp = chain.manifest.contracts["Launchpad"].address.lower()
    with indexed.session() as s:
        rows = s.scalars(select(EventLog).where(EventLog.address == lp)).all()
    topics = {}
    for row in rows:
        topics.setdefault(row.event, set()).add(row.topics[0])
    for name, signature in EXACT.items():
        assert topics.get(name) == {"0x" + keccak(text=signature).hex()}, name


def test_launch_created_and_fee_config_decode(
    chain: Chain, scenario: Scenario, indexed: Db
) -> None:
    lp = chain.contract("Launchpad")
    with indexed.session() as s:
        launch = s.get(Launch, scenario.graduated)
        assert launch is not None and launch.mt_symbol == "ALPHA"
        onchain = lp.functions.launches(chain.w3.to_checksum_address(scenario.graduated)).call()
        assert (launch.sale_start, launch.sale_end) == (onchain[11], onchain[12])
        params = s.get(LaunchParams, scenario.graduated)  # built from FeeConfigUpdated (uint16)
        assert params is not None
        assert (params.base_fee_bps, params.creator_fee_bps, params.tax_start_bps) == (
            150,
            50,
            9900,
        )


def test_metadata_set_is_indexed_per_launch(scenario: Scenario, indexed: Db) -> None:
    with indexed.session() as s:
        rows = s.scalars(select(LaunchMetadataSet)).all()
    assert [(r.token, r.content_hash) for r in rows] == [
        (scenario.graduated, ALPHA_METADATA.content_hash())
    ]
