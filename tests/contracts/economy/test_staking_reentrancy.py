"""Staking.vy against a hostile token that re-enters on every transfer.

Without a launchpad gate anyone can stake any token, so a token contract may call back into
Staking while Staking is paying it. The re-entrant call must fail and the books must stay exact:
the attacker gets back exactly what it staked, once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boa
import pytest

from fomo.chain.sources import contract_path

from .helpers import ZERO_ADDRESS

DAY = 86400
HOSTILE = str(Path(__file__).resolve().parent / "ReentrantToken.vy")


@pytest.fixture(scope="module")
def staking(admin: Any) -> Any:
    return boa.load(str(contract_path("economy/Staking.vy")), admin, ZERO_ADDRESS)


def _call(contract: Any, fn: str, *args: Any) -> bytes:
    return bytes(getattr(contract, fn).prepare_calldata(*args))


def test_reentrant_withdraw_is_blocked(staking: Any, alice: Any) -> None:
    token = boa.load(HOSTILE)
    # The token contract itself is the staker, so its hook can act on its own stake.
    token.mint(token, 1000)
    token.execute(token, _call(token, "approve", staking, 2**256 - 1))
    token.execute(staking, _call(staking, "stake", token, 1000))
    token.execute(staking, _call(staking, "request_unstake", token, 1000))
    boa.env.time_travel(seconds=7 * DAY)

    token.set_hook(staking, _call(staking, "withdraw", token))
    token.execute(staking, _call(staking, "withdraw", token))

    assert token.hook_attempts() == 1
    assert token.hook_successes() == 0
    assert token.balanceOf(token) == 1000
    assert token.balanceOf(staking) == 0
    assert staking.total_cooling(token) == 0
    assert staking.pending_unstake(token, token) == (0, 0)


def test_reentrant_stake_during_stake_is_blocked(staking: Any) -> None:
    token = boa.load(HOSTILE)
    token.mint(token, 1000)
    token.execute(token, _call(token, "approve", staking, 2**256 - 1))
    token.set_hook(staking, _call(staking, "stake", token, 500))
    token.execute(staking, _call(staking, "stake", token, 500))

    assert token.hook_attempts() == 1
    assert token.hook_successes() == 0
    assert staking.active_stake(token, token) == 500
    assert token.balanceOf(staking) == staking.total_active(token) == 500
