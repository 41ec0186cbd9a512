"""A period limit starts again at the next UTC period, on the gateway's own clock: a key stopped
by its daily limit late on a Monday is served again right after midnight, and a weekly account
limit reached on the Sunday resets on Monday 00:00 UTC — nothing is reset, a new period is a new
counter. A restart in the middle rebuilds the period's spend from the database."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from fomo.economics.spend_limits import SpendLimit

from .conftest import GatewayHandle, ServerThread, drop_db, make_db, start_gateway

START = datetime(2030, 1, 6, 23, 59, 0, tzinfo=UTC)  # a Sunday, a minute before midnight
MODEL = "qwen3-235b-a22b-instruct"


class Clock:
    def __init__(self) -> None:
        self.offset = 0

    def set(self, at: datetime) -> None:
        self.offset = int(at.timestamp() * 10**9) - time.time_ns()

    def __call__(self) -> int:
        return time.time_ns() + self.offset


@pytest.fixture
def clocked(
    upstream: ServerThread, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[GatewayHandle, Clock, str]]:
    tmp = tmp_path_factory.mktemp("gw-periods")
    url = make_db("sqlite", tmp)
    clock = Clock()
    clock.set(START)
    for gh in start_gateway(tmp, url, upstream.url, clock_ns=clock):
        yield gh, clock, url
    drop_db(url)


def _chat(gw: GatewayHandle, key: str, tag: str) -> httpx.Response:
    body = {"model": MODEL, "messages": [{"role": "user", "content": tag}], "max_tokens": 20}
    return httpx.post(
        gw.url + "/v1/chat/completions",
        json=body,
        headers={"authorization": f"Bearer {key}"},
        timeout=30,
    )


def _one_hold() -> int:
    """The hold of one request (every tag below is 8 characters long)."""
    body = {"model": MODEL, "messages": [{"role": "user", "content": "period 0"}], "max_tokens": 20}
    probe = httpx.Request("POST", "http://x", json=body)
    return (len(probe.content) + 256) * 700 + 20 * 2800


def test_daily_and_weekly_limits_start_again_at_the_next_period(
    clocked: tuple[GatewayHandle, Clock, str],
) -> None:
    gh, clock, _ = clocked
    account, key = gh.new_account(credits_usd=10)
    (info,) = gh.store.list_keys(account)
    one = _one_hold()
    gh.store.set_key_limit(info.id, None, SpendLimit(one, "daily"))  # room for one hold a day
    gh.sync()
    assert _chat(gh, key, "period 0").status_code == 200
    r = _chat(gh, key, "period 1")
    assert r.status_code == 402
    assert "daily spend limit" in r.text and "resets at 2030-01-07 00:00 UTC" in r.text

    clock.set(START + timedelta(minutes=2))  # Monday 00:01: a new day
    me = httpx.get(gh.url + "/v1/key", headers={"authorization": f"Bearer {key}"}).json()
    assert me["limit_remaining_nano_usd"] == str(one)
    assert me["limit_resets_at"] == "2030-01-08T00:00:00Z"
    assert _chat(gh, key, "period 2").status_code == 200

    # a weekly account limit with room for exactly one more hold this ISO week (Mon 2030-01-07
    # to Sun 2030-01-13): refused for the rest of the week, fresh on Monday 2030-01-14
    gh.store.set_key_limit(info.id, None, None)
    gh.flush()
    monday = START + timedelta(minutes=2)
    week = gh.store.spent_in_period(account, None, SpendLimit(1, "weekly"), monday)
    assert week > 0  # "period 2" (Sunday's "period 0" was the week before)
    gh.store.set_account_limit(account, SpendLimit(week + one, "weekly"))
    gh.sync()
    assert _chat(gh, key, "period 3").status_code == 200
    assert _chat(gh, key, "period 4").status_code == 402
    clock.set(datetime(2030, 1, 13, 23, 59, 59, tzinfo=UTC))  # Sunday, same ISO week
    r = _chat(gh, key, "period 5")
    assert r.status_code == 402
    assert f"Account {account}'s weekly spend limit" in r.text
    assert "resets at 2030-01-14 00:00 UTC" in r.text
    clock.set(datetime(2030, 1, 14, 0, 0, 1, tzinfo=UTC))  # Monday
    assert _chat(gh, key, "period 6").status_code == 200


def test_a_restart_rebuilds_the_periods_spend_from_the_database(
    clocked: tuple[GatewayHandle, Clock, str],
    upstream: ServerThread,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    gh, clock, url = clocked
    account, key = gh.new_account(credits_usd=10)
    (info,) = gh.store.list_keys(account)
    one = _one_hold()
    gh.store.set_key_limit(info.id, None, SpendLimit(one, "daily"))
    gh.sync()
    assert _chat(gh, key, "reboot 0").status_code == 200
    gh.flush()
    spent = gh.store.spent_in_period(account, info.id, SpendLimit(1, "daily"), START)
    assert 0 < spent < one  # what a hold of `one` actually charged
    # one nano-USD short of another hold, counting this period's spend: a second gateway on the
    # same database (another worker, or this one restarted) knows that spend only from the
    # database, and refuses; with that nano-USD more it serves
    gh.store.set_key_limit(info.id, None, SpendLimit(spent + one - 1, "daily"))
    tmp = tmp_path_factory.mktemp("gw-periods-2")
    for other in start_gateway(tmp, url, upstream.url, clock_ns=clock):
        me = httpx.get(other.url + "/v1/key", headers={"authorization": f"Bearer {key}"}).json()
        assert me["limit_remaining_nano_usd"] == str(one - 1)
        assert _chat(other, key, "reboot 0").status_code == 402
        gh.store.set_key_limit(info.id, None, SpendLimit(spent + one, "daily"))
        other.sync()
        assert _chat(other, key, "reboot 0").status_code == 200
