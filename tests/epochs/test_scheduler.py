"""The scheduler `fomo up` runs: each tick computes and proposes every finished day not yet
done, oldest first, with the chain's clock as "now" — and never runs a day twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from fomo.db.models import Epoch as EpochRow
from fomo.economics.params import DEFAULT_PARAMS
from fomo.epochs.scheduler import EpochScheduler
from tests.epochs import test_onchain
from tests.epochs.test_gather_run import DAY, T0
from tests.epochs.test_onchain import BoaPort, addr, db_for, fund

# The in-process RewardDistributor and the per-test EVM snapshot of the on-chain epoch tests.
chain = test_onchain.chain
_anchor = test_onchain._anchor


class _Clock:
    """The chain client's view the scheduler reads "now" from (a time-travelled devnet)."""

    def __init__(self, now: int) -> None:
        self.now = now

    def timestamp(self) -> int:
        return self.now


class ScheduledPort(BoaPort):
    def __init__(self, dist: Any, publisher: Any, flock: str, now: int) -> None:
        super().__init__(dist, publisher)
        self.client = _Clock(now)
        self._flock = flock

    def flock_token(self) -> str:
        return self._flock


def test_ticks_catch_up_in_order_and_never_twice(tmp_path: Path, chain: dict[str, Any]) -> None:
    c = chain
    fund(c, c["flock"], 10**24)
    fund(c, c["mt_a"], 10**25)
    fund(c, c["mt_b"], 10**25)
    factory = db_for(tmp_path, c)
    port = ScheduledPort(c["dist"], c["publisher"], addr(c["flock"]), now=T0 + 86_400)
    worker = EpochScheduler(factory, tmp_path, port, DEFAULT_PARAMS)

    def done() -> dict[int, str]:
        with factory() as s:
            return {r.epoch: r.status for r in s.scalars(select(EpochRow))}

    worker.tick()
    first = done()
    # Every day from the first with data up to the last finished one (the chain's clock says
    # DAY + 1 has begun), without gaps; days with leaves are proposed.
    assert sorted(first) == list(range(min(first), DAY + 1))
    assert first[DAY] == "proposed" and set(first.values()) <= {"computed", "proposed"}
    settled = [e for e, _ in port.settled]
    assert settled == sorted(settled) and len(settled) == len(set(settled))

    worker.tick()  # same clock: nothing new, nothing settled or proposed again
    assert done() == first
    assert [e for e, _ in port.settled] == settled

    port.client.now += 86_400  # the chain moves past the next midnight
    worker.tick()
    later = done()
    assert set(later) == set(first) | {DAY + 1}
    assert later[DAY + 1] == "proposed"
    assert [e for e, _ in port.settled] == [*settled, DAY + 1]
    assert c["dist"].pending_epoch() == DAY + 1  # the newest day's root is the pending one
