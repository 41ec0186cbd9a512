"""Season 1 / Season 2 attribution through the real request path, and model-id clashes
(issue 12 items 1 and 2): one implementation (fomo.economics.attribution), deterministic in the
order launch rows come in, and a model id two deployments would share is served by neither."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fomo.db.session import make_engine, make_session_factory, session_scope

from .conftest import GatewayHandle, ServerThread, make_db, set_upstream, start_gateway, usage_rows
from .test_discounts import BASE, TOKEN_A, TOKEN_B, _call, _launch, _stake
from .test_discounts import _seed as _seed_model_type

ORDERS = [pytest.param(False, id="rows-a-then-b"), pytest.param(True, id="rows-b-then-a")]


def _gateway(
    tmp: Path, upstream: ServerThread, launches: list[tuple[str, str, str]], **cfg: object
) -> Iterator[GatewayHandle]:
    """A gateway on a database whose launch rows were inserted in exactly this order."""
    url = make_db("sqlite", tmp)
    _seed_model_type(url)  # the model type, and QWENALICE/QWENBOB on tokens A and B
    engine = make_engine(url)
    with session_scope(make_session_factory(engine)) as s:
        for token, symbol, status in launches:
            row = _launch(token, symbol)
            row.status = status
            s.add(row)
    engine.dispose()
    set_upstream(upstream)
    yield from start_gateway(tmp, url, upstream.url, discount_cache_ttl_s=0, **cfg)


def _reseed_pair(tmp: Path, upstream: ServerThread, reverse: bool) -> Iterator[GatewayHandle]:
    """Tokens C and D, both graduated with equal standing, inserted in the given order."""
    pair = [(TOKEN_C, "QWENCAROL", "graduated"), (TOKEN_D, "QWENDAVE", "graduated")]
    return _gateway(tmp, upstream, pair[::-1] if reverse else pair, season=1)


TOKEN_C = "0x" + "c3" * 20
TOKEN_D = "0x" + "d4" * 20
TOKEN_E = "0x" + "e5" * 20
TOKEN_F = "0x" + "f6" * 20


def _models(gh: GatewayHandle, key: str) -> set[str]:
    r = httpx.get(gh.url + "/v1/models", headers={"authorization": f"Bearer {key}"})
    return {m["id"] for m in r.json()["data"]}


@pytest.mark.parametrize("reverse", ORDERS)
def test_season_1_tie_goes_to_the_lowest_token_whatever_the_row_order(
    upstream: ServerThread, tmp_path: Path, reverse: bool
) -> None:
    for gh in _reseed_pair(tmp_path, upstream, reverse):
        account, key = gh.new_account()
        gh.sync()
        _stake(gh, account, TOKEN_D, 10_000)  # equal stakes on the two deployments whose
        _stake(gh, account, TOKEN_C, 10_000)  # rows came in the order under test
        _call(gh, key, BASE)
        (row,) = usage_rows(gh, account)
        assert (row.model_id, row.deployment, row.discount_bps) == (BASE, TOKEN_C, 1_000)


def test_season_1_most_staked_wins_and_own_id_counts_toward_its_own_mt(
    upstream: ServerThread, tmp_path: Path
) -> None:
    for gh in _reseed_pair(tmp_path, upstream, reverse=True):
        account, key = gh.new_account()
        gh.sync()
        _stake(gh, account, TOKEN_A, 1_000)
        _stake(gh, account, TOKEN_D, 50_000)
        _call(gh, key, BASE)  # base id: the most-staked deployment
        _call(gh, key, f"{BASE}-qwenalice")  # own id: always its own MT, whatever the stakes
        base, own = usage_rows(gh, account)
        assert (base.deployment, base.discount_bps) == (TOKEN_D, 1_500)
        assert (own.deployment, own.discount_bps) == (TOKEN_A, 500)


def test_season_2_base_id_counts_toward_no_mt(upstream: ServerThread, tmp_path: Path) -> None:
    for gh in _gateway(tmp_path, upstream, [], season=2):
        account, key = gh.new_account()
        gh.sync()
        _stake(gh, account, TOKEN_B, 100_000)
        _call(gh, key, BASE)
        _call(gh, key, f"{BASE}-qwenbob")
        base, own = usage_rows(gh, account)
        assert (base.deployment, base.discount_bps) == (None, 0)
        assert (own.deployment, own.discount_bps) == (TOKEN_B, 2_000)


@pytest.mark.parametrize("reverse", ORDERS)
def test_two_live_deployments_with_one_ticker_are_both_refused(
    upstream: ServerThread, tmp_path: Path, reverse: bool, caplog: pytest.LogCaptureFixture
) -> None:
    # Same ticker in another case: one model id. Neither may silently take it.
    pair = [(TOKEN_E, "QWENEVE", "graduated"), (TOKEN_F, "qwenEVE", "graduated")]
    with caplog.at_level(logging.ERROR, logger="fomo.gateway.app"):
        for gh in _gateway(tmp_path, upstream, pair[::-1] if reverse else pair):
            account, key = gh.new_account()
            gh.sync()
            assert f"{BASE}-qweneve" not in _models(gh, key)
            assert f"{BASE}-qwenalice" in _models(gh, key)  # the others are untouched
            r = httpx.post(
                gh.url + "/v1/chat/completions",
                json={"model": f"{BASE}-qweneve", "messages": [{"role": "user", "content": "x"}]},
                headers={"authorization": f"Bearer {key}"},
            )
            assert r.status_code == 404
            assert "several deployments claim it" in r.json()["error"]["message"]
            gh.flush()
            assert usage_rows(gh, account) == []
    logged = [rec.getMessage() for rec in caplog.records if "qweneve" in rec.getMessage()]
    assert logged and TOKEN_E in logged[0] and TOKEN_F in logged[0]


@pytest.mark.parametrize("reverse", ORDERS)
def test_a_failed_launch_never_takes_the_model_id_of_a_live_one(
    upstream: ServerThread, tmp_path: Path, reverse: bool
) -> None:
    pair = [(TOKEN_E, "QWENEVE", "failed"), (TOKEN_F, "QWENEVE", "graduated")]
    for gh in _gateway(tmp_path, upstream, pair[::-1] if reverse else pair):
        account, key = gh.new_account()
        gh.sync()
        _call(gh, key, f"{BASE}-qweneve")
        (row,) = usage_rows(gh, account)
        assert row.deployment == TOKEN_F
