"""MT staking and vesting over a `ChainClient`: one staker's position, one vesting schedule."""

from __future__ import annotations

from typing import Any

from fomo.chain.client import ChainClient
from fomo.chain.errors import ChainActionError


def stake_state(client: ChainClient, token: str, who: str) -> dict[str, Any]:
    """``who``'s stake in ``token``: active, cooling down (and until when), withdrawable."""
    st = client.contract("Staking")
    cooling, unlock = st.functions.pending_unstake(token, who).call()
    return {
        "active": str(st.functions.active_stake(token, who).call()),
        "total_active": str(st.functions.total_active(token).call()),
        "cooling": str(cooling),
        "unlock_time": int(unlock),
        "withdrawable": str(st.functions.withdrawable(token, who).call()),
    }


def vesting_schedule(client: ChainClient, sid: int) -> dict[str, Any]:
    """Vesting schedule ``sid`` with its releasable amount; one sentence if there is none."""
    v = client.contract("Vesting")
    token, beneficiary, amount, released, start, cliff, duration = v.functions.schedules(sid).call()
    if int(token, 16) == 0:
        raise ChainActionError(f"There is no vesting schedule {sid}.")
    return {
        "id": sid,
        "token": token,
        "beneficiary": beneficiary,
        "amount": str(amount),
        "released": str(released),
        "start": int(start),
        "cliff_end": int(start) + int(cliff),
        "end": int(start) + int(duration),
        "releasable": str(v.functions.releasable(sid).call()),
    }


def vesting_schedules(client: ChainClient) -> list[dict[str, Any]]:
    """Every vesting schedule (ids start at 1), each as :func:`vesting_schedule` reads it."""
    count = int(client.contract("Vesting").functions.schedule_count().call())
    return [vesting_schedule(client, sid) for sid in range(1, count + 1)]
