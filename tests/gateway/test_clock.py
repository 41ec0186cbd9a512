"""The gateway stamps usage with its injected clock (wall clock by default): a simulated clock,
as the demo uses on a time-travelling devnet, decides the usage day and the "today" of views."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest

from tests.gateway.conftest import (
    GatewayHandle,
    ServerThread,
    drop_db,
    make_db,
    start_gateway,
    usage_rows,
)

SIMULATED = datetime(2030, 1, 2, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def simulated_gateway(
    upstream: ServerThread, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GatewayHandle]:
    tmp = tmp_path_factory.mktemp("gw-clock")
    url = make_db("sqlite", tmp)
    offset = int(SIMULATED.timestamp() * 10**9) - time.time_ns()
    yield from start_gateway(tmp, url, upstream.url, clock_ns=lambda: time.time_ns() + offset)
    drop_db(url)


def test_usage_is_stamped_with_the_injected_clock(simulated_gateway: GatewayHandle) -> None:
    gh = simulated_gateway
    account, key = gh.new_account()
    gh.sync()
    auth = {"Authorization": f"Bearer {key}"}
    r = httpx.post(
        gh.url + "/v1/chat/completions",
        headers=auth,
        json={"model": "deepseek-v3.2", "messages": [{"role": "user", "content": "hi"}]},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    rows = usage_rows(gh, account)
    assert len(rows) == 1
    stamped = rows[0].created_at
    assert stamped.date() == SIMULATED.date()  # not today's wall-clock date
    # The user view's "today" follows the same clock, so a one-day window finds the request.
    usage = httpx.get(gh.url + "/v1/account/usage?days=1", headers=auth, timeout=30).json()
    assert [row["model"] for row in usage["data"]] == ["deepseek-v3.2"]
    assert usage["data"][0]["day"] == SIMULATED.date().isoformat()
