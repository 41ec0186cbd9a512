"""Every integer money amount the gateway sends is decimal text of integer nano-USD, so a browser
reads it exactly at any size: a JSON number is exact only below 2^53 (≈ 9 million USD).

The responses are parsed here the way a browser's ``JSON.parse`` does — every number becomes a
double — and must still give the exact integers, above 2^53 included. The account's credit and
usage are written to the database before the gateway starts, so its ledger is loaded from them:
the in-process ledger (the embedded default). The Redis ledger refuses balances past
``MAX_EXACT_NANO`` = 2^53 − 1 (Lua numbers are doubles), so this size cannot be reached there.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from fomo.db.session import make_engine
from fomo.gateway.openapi.account import Balance, UsageList
from fomo.gateway.openapi.inference import ModelList
from fomo.gateway.store import GatewayStore
from fomo.gateway.usage_record import US_PER_DAY, UsageRecord

from .conftest import GatewayHandle, ServerThread, db_urls, drop_db, make_db, start_gateway

GRANT = 3 * 10**16 + 1  # 30 million USD and one nano-USD: past 2^53 and odd, so a double drops it
GROSS = 2**53 + 5
PAID = 2**53 + 3  # charged; the discount is the 2 nano-USD between them
ACCOUNT = "0x" + "5e" * 20
NANO_TEXT = re.compile(r"^-?[0-9]+$")


@pytest.fixture(scope="module", params=db_urls())
def big(
    request: pytest.FixtureRequest,
    upstream: ServerThread,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[GatewayHandle, str]]:
    tmp = tmp_path_factory.mktemp("gw-money")
    url = make_db(request.param, tmp)
    engine = make_engine(url)
    store = GatewayStore(engine)
    store.grant(ACCOUNT, GRANT, "large")
    now_us = time.time_ns() // 1000
    store.insert_usage([UsageRecord.from_json(_usage(now_us))])
    _, key = store.create_key(ACCOUNT, "money")
    engine.dispose()
    for gh in start_gateway(tmp, url, upstream.url):
        yield gh, key
    drop_db(url)


def _usage(now_us: int) -> dict[str, Any]:
    return {
        "request_id": "big-" + os.urandom(6).hex(),
        "ts_us": now_us,
        "day": now_us // US_PER_DAY,
        "account": ACCOUNT,
        "key_id": None,
        "endpoint": "chat",
        "model_id": "deepseek-v3.2",
        "base_model": "deepseek-v3.2",
        "deployment": None,
        "input_tokens": 1,
        "cached_input_tokens": 0,
        "output_tokens": 1,
        "reasoning_tokens": 0,
        "gross_nano_usd": GROSS,
        "discount_bps": 1,
        "paid_nano_usd": PAID,
        "compute_cost_nano_usd": 0,
        "latency_us": 1,
        "overhead_us": 1,
        "status": 200,
        "charged": True,
        "estimated": False,
        "stream": False,
        "cut": False,
    }


def _as_a_browser_reads(r: httpx.Response) -> Any:
    """``JSON.parse``: every JSON number is an IEEE double."""
    assert r.status_code == 200, r.text
    return json.loads(r.text, parse_int=float, parse_float=float)


def _exact(value: Any) -> int:
    assert isinstance(value, str) and NANO_TEXT.match(value), value
    return int(value)


def test_balance_is_exact_text_past_2_pow_53(big: tuple[GatewayHandle, str]) -> None:
    gh, key = big
    r = httpx.get(gh.url + "/v1/account/balance", headers={"authorization": f"Bearer {key}"})
    body = _as_a_browser_reads(r)
    assert _exact(body["balance_nano_usd"]) == GRANT - PAID > 2**53
    assert _exact(body["held_nano_usd"]) == 0
    assert _exact(body["available_nano_usd"]) == GRANT - PAID
    assert body["balance_usd"] == "$20992800.745259006"
    Balance.model_validate(r.json())  # and it is what the OpenAPI schema says


def test_usage_is_exact_text_past_2_pow_53(big: tuple[GatewayHandle, str]) -> None:
    gh, key = big
    r = httpx.get(gh.url + "/v1/account/usage?days=1", headers={"authorization": f"Bearer {key}"})
    (row,) = _as_a_browser_reads(r)["data"]
    assert (_exact(row["gross_nano_usd"]), _exact(row["paid_nano_usd"])) == (GROSS, PAID)
    UsageList.model_validate(r.json())


def test_model_prices_are_text(big: tuple[GatewayHandle, str]) -> None:
    gh, key = big
    r = httpx.get(gh.url + "/v1/models", headers={"authorization": f"Bearer {key}"})
    for m in _as_a_browser_reads(r)["data"]:
        for kind in ("input", "cached_input", "output"):
            assert _exact(m["pricing"][f"{kind}_nano_usd_per_token"]) >= 0
    ModelList.model_validate(r.json())
