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


class PokingPort:
    """Only the keeper side of the chain port: records every TWAP poke."""

    def __init__(self, now: int, window: int) -> None:
        self.client = _Clock(now)
        self.window = window
        self.pokes: list[tuple[int, list[str]]] = []

    def twap_window(self) -> int:
        return self.window

    def poke_twap(self, tokens: list[str]) -> None:
        self.pokes.append((self.client.now, tokens))


def test_keeper_pokes_the_twap_once_per_window_and_for_each_new_mt(tmp_path: Path) -> None:
    """Without observations every buyback reverts "twap not ready" (issue 12 item 10)."""
    from fomo.db.migrate import upgrade
    from fomo.db.models import Launch
    from fomo.db.session import make_engine, make_session_factory

    url = f"sqlite:///{tmp_path / 'fomo.db'}"
    upgrade(url)
    factory = make_session_factory(make_engine(url))
    port = PokingPort(now=T0, window=1_800)
    worker = EpochScheduler(factory, tmp_path, port, DEFAULT_PARAMS)

    worker.tick()  # nothing graduated yet: FLOCK's pair only (the port adds FLOCK itself)
    worker.tick()  # within the window: no transaction
    assert port.pokes == [(T0, [])]

    mt = "0x" + "ab" * 20
    with factory() as s, s.begin():
        s.add(
            Launch(
                token=mt, creator="0x" + "cc" * 20, model_type_id="0x" + "11" * 32,
                target_raise_min=1, target_raise_max=2, target_sale=3, sale_start=0,
                sale_end=1, mt_name="AB", mt_symbol="AB", status="graduated",
                created_block=1, created_tx="0x" + "22" * 32, created_log_index=0,
            )
        )  # fmt: skip
    port.client.now += 60
    worker.tick()  # a new MT: its pair gets a first observation at once
    assert port.pokes[-1] == (T0 + 60, [mt])
    port.client.now += 1_799
    worker.tick()
    assert len(port.pokes) == 2
    port.client.now += 1  # a full window since the last poke
    worker.tick()
    assert port.pokes[-1] == (T0 + 1_860, [mt]) and len(port.pokes) == 3


def test_a_failing_poke_never_holds_the_epochs_back(tmp_path: Path) -> None:
    from fomo.db.migrate import upgrade
    from fomo.db.session import make_engine, make_session_factory

    class Broken(PokingPort):
        def poke_twap(self, tokens: list[str]) -> None:
            raise RuntimeError("no pair")

    url = f"sqlite:///{tmp_path / 'fomo.db'}"
    upgrade(url)
    worker = EpochScheduler(
        make_session_factory(make_engine(url)), tmp_path, Broken(T0, 1_800), DEFAULT_PARAMS
    )
    worker.tick()  # logged, not raised: the day's settlement still runs
