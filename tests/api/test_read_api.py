"""`/api/launches`, `/api/launches/{token}[/purchases]`, `/api/accounts/{address}/portfolio`
against a database the indexer filled from a real anvil; every figure checked against the
contracts' own views at the same block."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web3 import Web3

from fomo.api.app import create_app
from fomo.api.routes_common import decimal_str
from fomo.config import Settings
from fomo.context import RuntimeContext
from fomo.db.session import make_engine, make_session_factory
from tests.indexer.conftest import WAD, Chain, Db, Scenario, make_indexer

pytestmark = pytest.mark.anvil


def cs(address: str) -> str:
    return Web3.to_checksum_address(address)


@pytest.fixture
def live_launch(chain: Chain, scenario: Scenario) -> Iterator[str]:
    """A launch still in its sale window (reverted afterwards: other tests share the chain)."""
    snap = chain.snapshot()
    token = chain.create_launch(scenario.carol, "EPSILON", first_buy=1_000 * WAD)
    chain.travel(30 * 60)  # tax mid-decay: 9900 - 30·100 bps
    chain.buy(scenario.dave, token, 2_000 * WAD)
    yield token
    chain.revert(snap)


def _client(chain: Chain, db: Db, tmp_path: Path, with_manifest: bool = True) -> TestClient:
    make_indexer(chain, db).sync()
    settings = Settings(data_dir=tmp_path, database_url=db.url, rpc_url=chain.url)
    engine = make_engine(db.url)
    ctx = RuntimeContext(
        settings=settings,
        engine=engine,
        session_factory=make_session_factory(engine),
        manifest=chain.manifest if with_manifest else None,
    )
    return TestClient(create_app(settings, ctx))


def test_launch_list_statuses_progress_and_price(
    chain: Chain, scenario: Scenario, db: Db, tmp_path: Path, live_launch: str
) -> None:
    client = _client(chain, db, tmp_path)
    body = client.get("/api/launches", params={"viewer": scenario.carol.address}).json()
    by_token = {x["token"]: x for x in body["launches"]}
    now = chain.now()
    assert body["chain_time"] == now
    lp = chain.contract("Launchpad")

    live = by_token[live_launch]
    onchain = lp.functions.launches(cs(live_launch)).call()
    assert live["status"] == "Live" and live["owned"] is True
    assert live["raised"] == str(onchain[13]) and live["mt_sold"] == str(onchain[14])
    assert live["tax_bps"] == lp.functions.tax_bps(cs(live_launch)).call()
    assert live["seconds_left"] == onchain[12] - now > 0
    assert live["progress_min_bps"] == onchain[13] * 10_000 // onchain[2]
    assert live["progress_max_bps"] == onchain[13] * 10_000 // onchain[3]
    spot = Fraction(onchain[6] + onchain[13], onchain[7] - onchain[14])
    assert live["price_source"] == "curve" and live["price_flock_per_mt"] == decimal_str(spot)
    assert live["buyers"] == 2 and live["is_bundled"] is True

    grad = by_token[scenario.graduated]
    assert grad["status"] == "Graduated" and grad["owned"] is False
    assert grad["seconds_left"] == 0 and grad["tax_bps"] is None
    pair = chain.client(scenario.alice).at("Pair", grad["pair"])
    r0, r1, _ = pair.functions.getReserves().call()
    mt_first = pair.functions.token0().call().lower() == scenario.graduated
    price = Fraction(r1, r0) if mt_first else Fraction(r0, r1)
    assert grad["price_source"] == "dex" and grad["price_flock_per_mt"] == decimal_str(price)
    assert grad["progress_min_bps"] == 10_000

    failed = by_token[scenario.failed]
    assert failed["status"] == "Failed" and failed["owned"] is True

    only = client.get("/api/launches", params={"status": "Failed"}).json()
    assert [x["token"] for x in only["launches"]] == [scenario.failed]
    mine = client.get("/api/launches", params={"creator": scenario.creator.address}).json()
    assert [x["token"] for x in mine["launches"]] == [scenario.graduated]
    page = client.get("/api/launches", params={"limit": 1, "offset": 1}).json()
    assert page["total"] == body["total"] and len(page["launches"]) == 1


def test_graduating_status_by_chain_clock(
    chain: Chain, scenario: Scenario, sqlite_db: Db, tmp_path: Path
) -> None:
    snap = chain.snapshot()
    try:
        token = chain.create_launch(scenario.carol, "ZETA")
        chain.travel(100 * 60)
        chain.buy(scenario.dave, token, 120_000 * WAD)
        chain.travel(7 * 86_400)
        client = _client(chain, sqlite_db, tmp_path)
        item = client.get(f"/api/launches/{token}").json()
        assert item["status"] == "Graduating"
        assert chain.contract("Launchpad").functions.status(cs(token)).call() == 3
    finally:
        chain.revert(snap)


def test_launch_detail_and_purchases(
    chain: Chain, scenario: Scenario, db: Db, tmp_path: Path
) -> None:
    client = _client(chain, db, tmp_path, with_manifest=False)
    token = scenario.graduated
    detail = client.get(f"/api/launches/{cs(token)}").json()
    onchain = chain.contract("Launchpad").functions.launches(cs(token)).call()
    assert detail["curve"]["x0"] == str(onchain[6]) and detail["curve"]["y0"] == str(onchain[7])
    assert detail["graduation"]["raised"] == str(onchain[13])
    assert detail["graduation"]["pair"] == onchain[16].lower()
    # Without a manifest the price still comes out right (token order from the first Sync).
    assert detail["price_source"] == "dex" and detail["price_flock_per_mt"] is not None
    purchases = client.get(f"/api/launches/{token}/purchases").json()
    assert purchases["total"] == detail["totals"]["purchases"] == 3
    rows = purchases["purchases"]
    assert sum(int(p["net_used"]) for p in rows) == onchain[13]
    assert sum(int(p["mt_allocated"]) for p in rows) == onchain[14]
    assert detail["totals"]["flock_in"] == str(sum(int(p["flock_in"]) for p in rows))
    assert all(isinstance(p["flock_in"], str) for p in rows)
    assert [p["block_number"] for p in rows] == sorted(p["block_number"] for p in rows)
    first = rows[0]
    assert first["buyer"] == scenario.creator.address.lower()
    assert int(first["anti_sniper_fee"]) == 0  # the bundled first buy pays the base fee only
    alice = client.get(
        f"/api/launches/{token}/purchases", params={"buyer": scenario.alice.address}
    ).json()
    assert [p["buyer"] for p in alice["purchases"]] == [scenario.alice.address.lower()]

    assert client.get(f"/api/launches/0x{'ab' * 20}").status_code == 404
    assert client.get("/api/launches/nope").status_code == 422
    assert client.get(f"/api/launches/0x{'ab' * 20}/purchases").status_code == 404


def test_portfolio(chain: Chain, scenario: Scenario, db: Db, tmp_path: Path) -> None:
    client = _client(chain, db, tmp_path)
    now = chain.now()
    token = scenario.graduated
    mt = chain.token(token)
    lp = chain.contract("Launchpad")

    alice = client.get(f"/api/accounts/{scenario.alice.address}/portfolio").json()
    assert alice["chain_time"] == now
    (pledge,) = alice["pledges"]
    assert pledge["token"] == token and pledge["status"] == "Graduated"
    assert pledge["claimed_mt"] == pledge["mt_allocated"] and pledge["claimable_mt"] == "0"
    balances = {b["token"]: b["balance"] for b in alice["mt_balances"]}
    assert balances[token] == str(mt.functions.balanceOf(scenario.alice.address).call())
    (stake,) = alice["stakes"]
    staking = chain.contract("Staking")
    assert stake["staked"] == str(
        staking.functions.active_stake(cs(token), scenario.alice.address).call()
    )
    assert stake["cooling"] == "0" and stake["withdrawable"] == "0"
    gm = chain.contract("GmFlock")
    lock = alice["gm_lock"]
    assert lock["amount"] == str(gm.functions.locks(scenario.alice.address).call()[0])
    assert lock["effective_balance"] == str(
        gm.functions.effective_balance(scenario.alice.address, now).call()
    )

    bob = client.get(f"/api/accounts/{scenario.bob.address}/portfolio").json()
    (pledge,) = bob["pledges"]
    allocation = lp.functions.allocation_of(cs(token), scenario.bob.address).call()
    assert pledge["claimable_mt"] == str(allocation) != "0"  # bob never claimed

    dave = client.get(f"/api/accounts/{scenario.dave.address}/portfolio").json()
    (pledge,) = dave["pledges"]
    assert pledge["status"] == "Failed" and pledge["redeemable_flock"] == "0"
    assert pledge["redeemed_flock"] == pledge["principal"] != "0"

    creator = client.get(f"/api/accounts/{scenario.creator.address}/portfolio").json()
    vesting = chain.contract("Vesting")
    (sched,) = creator["vesting"]
    sid = sched["schedule_id"]
    assert sid == scenario.issuer_vesting_id
    assert sched["released"] == str(vesting.functions.schedules(sid).call()[3])
    assert sched["vested"] == str(vesting.functions.vested(sid, now).call())
    assert sched["releasable"] == str(vesting.functions.releasable(sid).call())

    empty = client.get(f"/api/accounts/0x{'cd' * 20}/portfolio").json()
    assert empty["pledges"] == [] and empty["gm_lock"] is None
    assert client.get("/api/accounts/0x12/portfolio").status_code == 422


def test_cooldown_in_portfolio(
    chain: Chain, scenario: Scenario, sqlite_db: Db, tmp_path: Path
) -> None:
    snap = chain.snapshot()
    try:
        chain.unstake(scenario.alice, scenario.graduated, 1_000 * WAD)
        client = _client(chain, sqlite_db, tmp_path)
        (stake,) = client.get(f"/api/accounts/{scenario.alice.address}/portfolio").json()["stakes"]
        pending = (
            chain.contract("Staking")
            .functions.pending_unstake(cs(scenario.graduated), scenario.alice.address)
            .call()
        )
        assert stake["cooling"] == str(pending[0]) and stake["cooldown_end"] == pending[1]
        assert stake["cooldown_seconds_left"] == pending[1] - chain.now() > 0
        assert stake["withdrawable"] == "0"
    finally:
        chain.revert(snap)


def test_openapi_documents_the_read_api(
    chain: Chain, scenario: Scenario, sqlite_db: Db, tmp_path: Path
) -> None:
    client = _client(chain, sqlite_db, tmp_path)
    spec: dict[str, Any] = client.get("/openapi.json").json()
    for path in (
        "/api/launches",
        "/api/launches/{token}",
        "/api/launches/{token}/purchases",
        "/api/accounts/{address}/portfolio",
    ):
        assert "get" in spec["paths"][path], path
        ok = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        assert "$ref" in ok["schema"]
    schemas = spec["components"]["schemas"]
    assert {"LaunchList", "LaunchDetail", "PurchaseList", "Portfolio"} <= set(schemas)
    assert schemas["LaunchSummary"]["properties"]["raised"]["type"] == "string"
