"""`/api/burns` and `/api/protocol/days` against a database the indexer filled from a real
anvil: burned amounts checked against the tokens' totalSupply decrease, settlements against
the RevenueRouter's `Settled`, the metered revenue and emission against the engine's rows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from web3 import Web3

from fomo.db.models import Epoch, Settlement
from tests.api.market_support import api_client, cs, flock_address
from tests.indexer.conftest import DAY, WAD, Chain, Db, Scenario

pytestmark = pytest.mark.anvil

USDC = 10**6


@pytest.fixture
def burns(chain: Chain, scenario: Scenario) -> Iterator[dict[str, Any]]:
    """A holder burns MT; one epoch's revenue is settled and both buybacks run and burn."""
    snap = chain.snapshot()
    try:
        token = scenario.graduated
        flock = chain.client(scenario.alice).at("DevToken", flock_address(chain))
        mt = chain.token(token)
        flock_before = flock.functions.totalSupply().call()
        a = chain.client(scenario.alice)
        a.send(a.at("ModelToken", token).functions.burn(7 * WAD))
        d = chain.client(chain.accounts[0])
        router = d.contract("RevenueRouter")
        epoch = chain.now() // DAY
        d.send(d.contract("USDC").functions.approve(router.address, 100 * USDC))
        d.send(router.functions.settle(cs(token), 100 * USDC, epoch))
        d.send(router.functions.poke(cs(token)))
        chain.travel(31 * 60)
        for bought in (flock.address, cs(token)):
            data = router.encode_abi("execute_buyback", args=[bought, 30 * USDC])
            d.send_raw({"to": router.address, "data": data, "gas": 5_000_000})
        yield {
            "epoch": epoch,
            "flock_burned": flock_before - flock.functions.totalSupply().call(),
            "mt_supply": mt.functions.totalSupply().call(),
        }
    finally:
        chain.revert(snap)


def _minted(chain: Chain, token: str) -> int:
    lp = chain.contract("Launchpad")
    (event,) = [
        e
        for e in lp.events.Graduated().get_logs(from_block=chain.manifest.block)
        if e["args"]["token"].lower() == token
    ]
    return int(event["args"]["mintedMt"])


def test_burns_equal_the_total_supply_decrease(
    chain: Chain, scenario: Scenario, db: Db, tmp_path: Path, burns: dict[str, Any]
) -> None:
    client = api_client(chain, db, tmp_path)
    token, flock = scenario.graduated, flock_address(chain)
    body = client.get("/api/burns").json()
    totals = {t["token"]: t for t in body["totals"]}
    assert body["totals"][0] == {
        "token": flock,
        "symbol": "FLOCK",
        "burned": totals[flock]["burned"],
    }
    assert int(totals[flock]["burned"]) == burns["flock_burned"] > 0
    assert int(totals[token]["burned"]) == _minted(chain, token) - burns["mt_supply"] > 7 * WAD
    assert totals[token]["symbol"] == "ALPHA"
    assert totals[scenario.failed]["burned"] == "0"  # every MT is listed, burned or not
    rows = body["burns"]
    assert body["total"] == len(rows) == 3  # alice's burn, the FLOCK and the MT buyback burns
    keys = [(r["block_number"], r["log_index"]) for r in rows]
    assert keys == sorted(keys, reverse=True)
    assert [(r["symbol"], r["reason"]) for r in rows] == [
        ("ALPHA", "buyback"),
        ("FLOCK", "buyback"),
        ("ALPHA", "burn"),
    ]
    assert rows[-1]["amount"] == str(7 * WAD)
    for t in (token, flock):
        assert sum(int(r["amount"]) for r in rows if r["token"] == t) == int(totals[t]["burned"])

    only = client.get("/api/burns", params={"token": Web3.to_checksum_address(token)}).json()
    assert [t["token"] for t in only["totals"]] == [token]
    assert {r["token"] for r in only["burns"]} == {token} and only["total"] == 2
    page = client.get("/api/burns", params={"limit": 1, "offset": 1}).json()
    assert page["burns"] == rows[1:2] and page["total"] == 3

    assert client.get("/api/burns", params={"token": "0x12"}).status_code == 422
    assert client.get("/api/burns", params={"token": f"0x{'ab' * 20}"}).status_code == 404
    assert client.get("/api/burns", params={"limit": 501}).status_code == 422
    assert client.get("/api/burns", params={"offset": 10**30}).status_code == 422


def test_protocol_days_value_loop(
    chain: Chain, scenario: Scenario, db: Db, tmp_path: Path, burns: dict[str, Any]
) -> None:
    token, epoch = scenario.graduated, burns["epoch"]
    # The epoch engine's off-chain rows for that day (metered revenue, emission paid).
    with db.session() as s, s.begin():
        s.add(Epoch(epoch=epoch, start_time=epoch * DAY, end_time=(epoch + 1) * DAY, season=2,
                    status="live", emission=50_000 * WAD))  # fmt: skip
        s.flush()
        s.add(Settlement(epoch=epoch, token=token, gross_nano_usd=130_000_000_000,
                         paid_nano_usd=120_000_000_000, compute_cost_nano_usd=20_000_000_000,
                         net_nano_usd=100_000_000_000, usdc_amount=100 * USDC))  # fmt: skip
    client = api_client(chain, db, tmp_path)
    days = client.get("/api/protocol/days").json()["days"]
    numbers = [d["day"] for d in days]
    assert numbers == sorted(numbers, reverse=True)
    by_day = {d["day"]: d for d in days}
    today = by_day[epoch]
    assert today["date"] == datetime.fromtimestamp(epoch * DAY, tz=UTC).date().isoformat()
    assert today["revenue_paid_nano_usd"] == "120000000000"
    assert today["gross_nano_usd"] == "130000000000"
    assert today["emission_flock"] == str(50_000 * WAD)
    settled = (
        chain.contract("RevenueRouter").events.Settled().get_logs(from_block=chain.manifest.block)
    )
    assert today["settled_usdc"] == str(sum(e["args"]["usdc_amount"] for e in settled))
    # Burns land on the UTC day of the block that burned them.
    expected: dict[int, dict[str, int]] = {}
    router = chain.contract("RevenueRouter")
    for e in router.events.Burned().get_logs(from_block=chain.manifest.block):
        day = int(chain.w3.eth.get_block(e["blockNumber"])["timestamp"]) // DAY
        key = "FLOCK" if e["args"]["token"].lower() == flock_address(chain) else "ALPHA"
        expected.setdefault(day, {}).setdefault(key, 0)
        expected[day][key] += e["args"]["amount"]
    mt = chain.token(token)
    for e in mt.events.Transfer().get_logs(from_block=chain.manifest.block):
        if int(e["args"]["receiver"], 16) == 0 and e["args"]["sender"] == scenario.alice.address:
            day = int(chain.w3.eth.get_block(e["blockNumber"])["timestamp"]) // DAY
            expected.setdefault(day, {}).setdefault("ALPHA", 0)
            expected[day]["ALPHA"] += e["args"]["value"]
    for day, want in expected.items():
        got = by_day[day]
        assert got["flock_burned"] == str(want.get("FLOCK", 0))
        alpha = [m for m in got["mt_burned"] if m["token"] == token]
        assert alpha == [{"token": token, "symbol": "ALPHA", "amount": str(want["ALPHA"])}]
    assert len(client.get("/api/protocol/days", params={"limit": 1}).json()["days"]) == 1
    for bad in (0, 366, "x"):
        assert client.get("/api/protocol/days", params={"limit": bad}).status_code == 422
