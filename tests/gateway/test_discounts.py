"""Stake discounts (SPEC §5 tiers, 30% cap) and usage attribution, from real indexed rows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fomo.db.models import Launch, ModelType, Stake
from fomo.db.session import make_engine, make_session_factory, session_scope
from fomo.economics.discounts import MAX_DISCOUNT_BPS
from fomo.economics.pricing import DEVNET_TIERS
from fomo.economics.units import MT_UNIT

from .conftest import GatewayHandle, ServerThread, make_db, set_upstream, start_gateway, usage_rows

BASE = "qwen3-30b-a3b-instruct"
TOKEN_A = "0x" + "a1" * 20
TOKEN_B = "0x" + "b2" * 20


def _seed(url: str) -> None:
    tier = DEVNET_TIERS[BASE]
    engine = make_engine(url)
    with session_scope(make_session_factory(engine)) as s:
        s.add(
            ModelType(
                model_type_id="0x" + "11" * 32,
                base_model=BASE,
                input_price_nano_usd=tier.input_nano,
                cached_input_price_nano_usd=tier.cached_input_nano,
                output_price_nano_usd=tier.output_nano,
                min_raise=100_000 * 10**18,
                max_raise=500_000 * 10**18,
                lp_bps=7000,
                reserved_bps=2000,
                protocol_bps=1000,
            )
        )
        for token, sym in ((TOKEN_A, "QWENALICE"), (TOKEN_B, "QWENBOB")):
            s.add(_launch(token, sym))
    engine.dispose()


def _launch(token: str, symbol: str) -> Launch:
    return Launch(
        token=token,
        creator="0x" + "cc" * 20,
        model_type_id="0x" + "11" * 32,
        target_raise_min=1,
        target_raise_max=2,
        target_sale=3,
        sale_start=0,
        sale_end=1,
        mt_name=symbol,
        mt_symbol=symbol,
        status="graduated",
        created_block=1,
        created_tx="0x" + "22" * 32,
        created_log_index=0,
    )


def _stake(gh: GatewayHandle, account: str, token: str, whole_mt: int, cooling: int = 0) -> None:
    with session_scope(gh.store.factory) as s:
        s.merge(
            Stake(
                token=token,
                account=account,
                staked=whole_mt * MT_UNIT,
                cooling=cooling * MT_UNIT,
                updated_block=1,
            )
        )


def _gateway(tmp: Path, upstream: ServerThread, **cfg: object) -> Iterator[GatewayHandle]:
    url = make_db("sqlite", tmp)
    _seed(url)
    yield from start_gateway(tmp, url, upstream.url, discount_cache_ttl_s=0, **cfg)


@pytest.fixture(scope="module")
def gw(upstream: ServerThread, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GatewayHandle]:
    set_upstream(upstream)
    yield from _gateway(tmp_path_factory.mktemp("disc"), upstream)


def _call(gh: GatewayHandle, key: str, model: str) -> None:
    r = httpx.post(
        gh.url + "/v1/chat/completions",
        json={
            "model": model,
            "messages": [{"role": "user", "content": "discount"}],
            "max_tokens": 9,
        },
        headers={"authorization": f"Bearer {key}"},
    )
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(
    ("whole_mt", "bps"),
    [
        (0, 0),
        (999, 0),
        (1_000, 500),
        (9_999, 500),
        (10_000, 1_000),
        (50_000, 1_500),
        (100_000, 2_000),
        (10_000_000, 2_000),
    ],
)
def test_discount_tiers_from_stake_rows(gw: GatewayHandle, whole_mt: int, bps: int) -> None:
    account, key = gw.new_account()
    gw.sync()
    if whole_mt:
        _stake(gw, account, TOKEN_A, whole_mt, cooling=500_000)  # cooling stake never counts
    _call(gw, key, f"{BASE}-qwenalice")
    (row,) = usage_rows(gw, account)
    assert row.deployment == TOKEN_A and row.discount_bps == bps
    assert row.paid_nano_usd == -(-row.gross_nano_usd * (10_000 - bps) // 10_000)
    assert row.paid_nano_usd * 10_000 >= row.gross_nano_usd * (10_000 - MAX_DISCOUNT_BPS)


def test_discount_is_per_deployment_and_base_id_gets_none_in_season_2(gw: GatewayHandle) -> None:
    account, key = gw.new_account()
    gw.sync()
    _stake(gw, account, TOKEN_A, 100_000)
    _call(gw, key, f"{BASE}-qwenbob")  # staked on A, calling B: no discount
    _call(gw, key, BASE)  # base id, Season 2: no deployment, no discount
    b, base = usage_rows(gw, account)
    assert (b.deployment, b.discount_bps) == (TOKEN_B, 0)
    assert (base.deployment, base.discount_bps) == (None, 0)
    views = httpx.get(
        gw.url + "/v1/account/discounts", headers={"authorization": f"Bearer {key}"}
    ).json()["data"]
    assert {v["model"]: v["discount_bps"] for v in views} == {
        f"{BASE}-qwenalice": 2_000,
        f"{BASE}-qwenbob": 0,
    }


def test_season_1_attributes_base_id_to_most_staked_deployment(
    upstream: ServerThread, tmp_path_factory: pytest.TempPathFactory
) -> None:
    for gh in _gateway(tmp_path_factory.mktemp("s1"), upstream, season=1):
        account, key = gh.new_account()
        gh.sync()
        _stake(gh, account, TOKEN_A, 1_000)
        _stake(gh, account, TOKEN_B, 60_000)
        _call(gh, key, BASE)
        (row,) = usage_rows(gh, account)
        assert (row.model_id, row.deployment, row.discount_bps) == (BASE, TOKEN_B, 1_500)
        other, other_key = gh.new_account()
        gh.sync()
        _call(gh, other_key, BASE)  # no stake anywhere: unattributed
        (row,) = usage_rows(gh, other)
        assert row.deployment is None and row.discount_bps == 0


def test_deployment_from_chain_model_types_is_served(gw: GatewayHandle) -> None:
    from fomo.db.models_indexer import ChainModelType

    with session_scope(gw.store.factory) as s:
        s.add(
            ChainModelType(
                model_type_id="0x" + "33" * 32,
                base_model="deepseek-v3.2",
                pricing_tier="0x" + "44" * 32,
                min_raise=1,
                max_raise=2,
                lp_bps=7000,
                reserved_bps=2000,
                protocol_bps=1000,
                registered_block=1,
            )
        )
        launch = _launch("0x" + "c3" * 20, "DSCAROL")
        launch.model_type_id = "0x" + "33" * 32
        s.add(launch)
    _, key = gw.new_account()
    gw.sync()  # the poll re-reads graduated launches
    models = httpx.get(gw.url + "/v1/models", headers={"authorization": f"Bearer {key}"}).json()
    assert "deepseek-v3.2-dscarol" in {m["id"] for m in models["data"]}
    _call(gw, key, "deepseek-v3.2-dscarol")
