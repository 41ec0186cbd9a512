"""`/api/launches/{token}/candles|trades|holders` against a database the indexer filled from a
real anvil: prices and volumes recomputed from the chain's own events and checked against the
contracts' views (Launchpad's curve state, the pair's getReserves, balanceOf, totalSupply)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from fomo.api.routes_common import decimal_str
from tests.api.market_support import api_client, cs
from tests.indexer.conftest import WAD, Chain, Db, Scenario

pytestmark = pytest.mark.anvil


def _logs(chain: Chain, contract: Any, event: str) -> list[Any]:
    return list(contract.events[event]().get_logs(from_block=chain.manifest.block))


def _time(chain: Chain, block: int) -> int:
    return int(chain.w3.eth.get_block(block)["timestamp"])


def test_curve_candles_follow_the_purchases(
    chain: Chain, scenario: Scenario, db: Db, tmp_path: Path
) -> None:
    client = api_client(chain, db, tmp_path)
    token = scenario.graduated
    lp = chain.contract("Launchpad")
    state = lp.functions.launches(cs(token)).call()
    x0, y0 = state[6], state[7]
    buys = [e for e in _logs(chain, lp, "Purchased") if e["args"]["token"].lower() == token]
    assert len(buys) == 3
    for interval in (60, 3600, 86400):
        body = client.get(
            f"/api/launches/{token}/candles", params={"source": "curve", "interval": interval}
        ).json()
        assert body["token"] == token and body["source"] == "curve"
        assert body["interval"] == interval
        # Expected, from the Purchased events and the Launchpad's x0/y0.
        expected: dict[int, dict[str, Any]] = {}
        raised = sold = 0
        price = Fraction(x0, y0)
        for e in buys:
            t = _time(chain, e["blockNumber"])
            raised += e["args"]["netUsed"]
            sold += e["args"]["mtAllocated"]
            before, price = price, Fraction(x0 + raised, y0 - sold)
            c = expected.setdefault(
                t - t % interval, {"open": before, "prices": [before], "volume": 0}
            )
            c["prices"].append(price)
            c["volume"] += e["args"]["flockIn"]
        got = body["candles"]
        assert [c["time"] for c in got] == sorted(expected)
        for c in got:
            want = expected[c["time"]]
            assert c["open"] == decimal_str(want["open"])
            assert c["high"] == decimal_str(max(want["prices"]))
            assert c["low"] == decimal_str(min(want["prices"]))
            assert c["close"] == decimal_str(want["prices"][-1])
            assert c["volume_flock"] == str(want["volume"])
        # The last close is the curve state the Launchpad itself holds at the end of the sale.
        assert got[-1]["close"] == decimal_str(Fraction(x0 + state[13], y0 - state[14]))
    last = client.get(
        f"/api/launches/{token}/candles", params={"source": "curve", "interval": 60, "limit": 1}
    ).json()["candles"]
    assert len(last) == 1 and last[0]["close"] == got[-1]["close"]


def test_pool_candles_and_trades(
    chain: Chain, scenario: Scenario, db: Db, tmp_path: Path, pool_trades: dict[str, Any]
) -> None:
    client = api_client(chain, db, tmp_path)
    token = scenario.graduated
    pair = pool_trades["pair"]
    mt0 = pair.functions.token0().call().lower() == token
    body = client.get(f"/api/launches/{token}/candles", params={"interval": 3600}).json()
    assert body["source"] == "pool"  # the default for a graduated launch
    candles = body["candles"]
    assert len(candles) >= 2  # the buy, and an hour later the sell and the second buy
    r0, r1, _ = pair.functions.getReserves().call()
    spot = Fraction(r1, r0) if mt0 else Fraction(r0, r1)
    assert candles[-1]["close"] == decimal_str(spot)

    swaps = _logs(chain, pair, "Swap")
    assert len(swaps) == 3

    def sides(a: dict[str, int]) -> tuple[int, int, int, int]:
        """(mt in, flock in, mt out, flock out)"""
        if mt0:
            return a["amount0In"], a["amount1In"], a["amount0Out"], a["amount1Out"]
        return a["amount1In"], a["amount0In"], a["amount1Out"], a["amount0Out"]

    flock_volume = sum(sides(s["args"])[1] + sides(s["args"])[3] for s in swaps)
    assert sum(int(c["volume_flock"]) for c in candles) == flock_volume
    for c in candles:
        assert Fraction(c["low"]) <= Fraction(c["open"]) <= Fraction(c["high"])
        assert Fraction(c["low"]) <= Fraction(c["close"]) <= Fraction(c["high"])

    trades = client.get(f"/api/launches/{token}/trades").json()
    assert trades["total"] == 3 + 3  # three curve purchases, three swaps
    rows = trades["trades"]
    keys = [(t["block_number"], t["log_index"]) for t in rows]
    assert keys == sorted(keys, reverse=True)  # newest first
    expected_pool = []
    for s in reversed(swaps):
        mt_in, fl_in, mt_out, fl_out = sides(s["args"])
        buy = fl_in > 0
        flock, mt = (fl_in, mt_out) if buy else (fl_out, mt_in)
        expected_pool.append(
            {
                "kind": "pool_buy" if buy else "pool_sell",
                "account": s["args"]["to"].lower(),
                "flock": str(flock),
                "mt": str(mt),
                "price_flock_per_mt": decimal_str(Fraction(flock, mt)),
                "tx_hash": "0x" + bytes(s["transactionHash"]).hex(),
            }
        )
    got_pool = [{k: t[k] for k in expected_pool[0]} for t in rows[:3]]
    assert got_pool == expected_pool
    assert [t["kind"] for t in rows[:3]] == ["pool_buy", "pool_sell", "pool_buy"]
    assert expected_pool[1]["account"] == scenario.alice.address.lower()
    curve = rows[3:]
    assert [t["kind"] for t in curve] == ["curve_buy"] * 3
    assert curve[-1]["account"] == scenario.creator.address.lower()

    page = client.get(f"/api/launches/{token}/trades", params={"limit": 2, "offset": 2}).json()
    assert page["total"] == 6 and [t["tx_hash"] for t in page["trades"]] == [
        t["tx_hash"] for t in rows[2:4]
    ]


def test_holders_after_graduation_match_balance_of(
    chain: Chain, scenario: Scenario, db: Db, tmp_path: Path
) -> None:
    client = api_client(chain, db, tmp_path)
    token = scenario.graduated
    mt = chain.token(token)
    body = client.get(f"/api/launches/{token}/holders", params={"limit": 500}).json()
    supply = mt.functions.totalSupply().call()
    assert body["supply"] == str(supply)
    holders = body["holders"]
    assert body["total"] == len(holders) > 0
    assert sum(int(h["balance"]) for h in holders) == supply
    for h in holders:
        assert h["balance"] == str(mt.functions.balanceOf(cs(h["account"])).call())
        assert h["share_bps"] == int(h["balance"]) * 10_000 // supply
    balances = [int(h["balance"]) for h in holders]
    assert balances == sorted(balances, reverse=True)
    labels = {h["account"]: h["label"] for h in holders}
    contracts = {n: c.address.lower() for n, c in chain.manifest.contracts.items()}
    pair = chain.contract("Launchpad").functions.launches(cs(token)).call()[16].lower()
    assert labels[pair] == "pool"
    assert labels[contracts["Vesting"]] == "vesting"
    assert labels[contracts["RewardDistributor"]] == "reward distributor"
    assert labels[contracts["Launchpad"]] == "launchpad"  # bob's allocation, never claimed
    assert labels[scenario.alice.address.lower()] is None
    page = client.get(f"/api/launches/{token}/holders", params={"limit": 2, "offset": 1}).json()
    assert page["holders"] == holders[1:3] and page["total"] == body["total"]


def test_holders_before_graduation_are_allocations(
    chain: Chain, scenario: Scenario, db: Db, tmp_path: Path
) -> None:
    snap = chain.snapshot()
    try:
        token = chain.create_launch(scenario.carol, "ETA", first_buy=1_000 * WAD)
        chain.buy(scenario.dave, token, 2_000 * WAD)
        chain.buy(scenario.carol, token, 500 * WAD)
        client = api_client(chain, db, tmp_path)
        body = client.get(f"/api/launches/{token}/holders").json()
        lp = chain.contract("Launchpad")
        sold = lp.functions.launches(cs(token)).call()[14]
        assert body["supply"] == str(sold) and body["total"] == 2
        for h in body["holders"]:
            allocation = lp.functions.allocation_of(cs(token), cs(h["account"])).call()
            assert h["balance"] == str(allocation) and h["label"] == "allocation"
        # The failed launch's only buyer redeemed: nobody holds a pledge any more.
        failed = client.get(f"/api/launches/{scenario.failed}/holders").json()
        assert failed == {"total": 0, "supply": "0", "holders": []}
    finally:
        chain.revert(snap)


def test_bad_input_is_a_sentence_not_a_500(
    chain: Chain, scenario: Scenario, sqlite_db: Db, tmp_path: Path
) -> None:
    client = api_client(chain, sqlite_db, tmp_path)
    token = scenario.graduated
    for path, params in [
        ("candles", {"interval": 61}),
        ("candles", {"interval": "hour"}),
        ("candles", {"source": "dex"}),
        ("candles", {"limit": 0}),
        ("candles", {"limit": 1001}),
        ("trades", {"limit": 501}),
        ("trades", {"offset": -1}),
        ("trades", {"offset": 10**30}),
        ("holders", {"limit": 10**30}),
        ("holders", {"offset": "x"}),
    ]:
        response = client.get(f"/api/launches/{token}/{path}", params=params)
        assert response.status_code == 422, (path, params, response.text)
    for path in ("candles", "trades", "holders"):
        assert client.get(f"/api/launches/0x{'ab' * 20}/{path}").status_code == 404
        assert client.get(f"/api/launches/nope/{path}").status_code == 422
    # A launch with no pool yet has empty pool candles, not an error.
    body = client.get(f"/api/launches/{scenario.failed}/candles", params={"source": "pool"})
    assert body.status_code == 200 and body.json()["candles"] == []


def test_openapi_documents_the_market_protocol_and_stream_endpoints(
    chain: Chain, scenario: Scenario, sqlite_db: Db, tmp_path: Path
) -> None:
    spec: dict[str, Any] = api_client(chain, sqlite_db, tmp_path).get("/openapi.json").json()
    for path, schema in [
        ("/api/launches/{token}/candles", "CandleList"),
        ("/api/launches/{token}/trades", "TradeList"),
        ("/api/launches/{token}/holders", "HolderList"),
        ("/api/burns", "BurnList"),
        ("/api/protocol/days", "ProtocolDays"),
    ]:
        ok = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        assert ok["schema"]["$ref"] == f"#/components/schemas/{schema}", path
    schemas = spec["components"]["schemas"]
    assert schemas["CandleOut"]["properties"]["volume_flock"]["type"] == "string"
    assert schemas["Interval"]["enum"] == [60, 300, 900, 3600, 14400, 86400]
    stream = spec["paths"]["/api/stream"]["get"]["responses"]["200"]["content"]
    assert "text/event-stream" in stream
    assert set(stream["application/json"]["schema"]["properties"]) == {
        "block",
        "chain_time",
        "tokens",
    }
