"""gmFLOCK through the CLI: lock, add, extend, early withdraw refused, withdraw after expiry."""

from __future__ import annotations

import pytest

from fomo.chain.dev_accounts import DevAccount
from fomo.chain.gmflock import unlock_time_for
from tests.chain.conftest import CliFn, Deployment

pytestmark = pytest.mark.anvil

WAD = 10**18
DAY = 86_400


def test_unlock_time_rounds_to_a_valid_midnight() -> None:
    now = 1_700_000_123
    for days in (30, 31, 180, 364, 365):
        unlock = unlock_time_for(now, days)
        assert unlock % DAY == 0
        assert now + 30 * DAY <= unlock <= now + 365 * DAY
        assert unlock >= now + min(days, 364) * DAY


def test_gm_lock_extend_withdraw(
    cli: CliFn, deployment: Deployment, accounts: list[DevAccount]
) -> None:
    gm = deployment.contract("GmFlock")
    flock = deployment.contract("FLOCK")
    who = accounts[5]
    key = who.private_key
    start = flock.functions.balanceOf(who.address).call()

    lock = cli("gm", "lock", "10000", "--days", "30", "--json", "--yes", key=key).json
    amount, unlock = gm.functions.locked(who.address).call()
    assert amount == 10_000 * WAD and lock["unlock_time"] == unlock
    assert unlock % DAY == 0 and unlock >= deployment.now() + 30 * DAY
    assert 0 < int(lock["gmflock"]) <= 10_000 * WAD * 31 // 365 + 1

    cli("gm", "add", "2500", "--json", "--yes", key=key)
    assert gm.functions.locked(who.address).call()[0] == 12_500 * WAD

    again = cli("gm", "lock", "1", "--json", "--yes", key=key, ok=False)
    assert again.exit_code == 1 and again.json["reason"] == "lock exists"

    ext = cli("gm", "extend", "--days", "60", "--json", "--yes", key=key).json
    assert ext["unlock_time"] > unlock
    assert gm.functions.locked(who.address).call()[1] == ext["unlock_time"]

    early = cli("gm", "withdraw", "--json", "--yes", key=key, ok=False)
    assert early.json["reason"] == "lock not expired"
    assert "not expired" in early.json["error"]

    deployment.travel(ext["unlock_time"] - deployment.now() + 1)
    wd = cli("gm", "withdraw", "--json", "--yes", key=key).json
    assert int(wd["amount"]) == 12_500 * WAD
    assert flock.functions.balanceOf(who.address).call() == start
    assert gm.functions.locked(who.address).call() == [0, 0]
