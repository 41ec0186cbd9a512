"""The scheduler `fomo up` runs: each tick computes and proposes every finished day not yet
done, oldest first, with the chain's clock as "now" — and never runs a day twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from fomo.db.models import Epoch as EpochRow
from fomo.economics.params import DEFAULT_PARAMS
from fomo.economics.units import SECONDS_PER_DAY as DAY_S
from fomo.epochs.scheduler import EpochScheduler
from tests.epochs import test_onchain
from tests.epochs.test_gather_run import DAY, T0, launch, usage
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
    """Only the keeper side of the chain port: records every TWAP poke; ``waiting`` are the
    tokens whose buyback reserve the router still holds."""

    def __init__(self, now: int, window: int) -> None:
        self.client = _Clock(now)
        self.window = window
        self.pokes: list[tuple[int, list[str]]] = []
        self.waiting: set[str] = set()

    def twap_window(self) -> int:
        return self.window

    def flock_token(self) -> str:
        return "0x" + "f1" * 20

    def waiting_buybacks(self, tokens: list[str]) -> set[str]:
        return set(self.waiting)

    def poke_twap(self, tokens: list[str]) -> None:
        self.pokes.append((self.client.now, tokens))


def keeper_db(tmp_path: Path) -> Any:
    from fomo.db.migrate import upgrade
    from fomo.db.session import make_engine, make_session_factory

    url = f"sqlite:///{tmp_path / 'fomo.db'}"
    upgrade(url)
    return make_session_factory(make_engine(url))


def test_keeper_pokes_only_where_a_buyback_is_due_once_per_window(tmp_path: Path) -> None:
    """Without observations every buyback reverts "twap not ready" (issue 12 item 10); and a
    poke is a transaction, so nothing is sent where no buyback is coming."""
    factory = keeper_db(tmp_path)
    port = PokingPort(now=T0, window=1_800)
    worker = EpochScheduler(factory, tmp_path, port, DEFAULT_PARAMS)

    def keep(seconds_later: int = 0) -> None:
        port.client.now += seconds_later
        worker.keep_twap_fresh(port.client.now)

    keep()  # nothing graduated, no usage, no reserve: no transaction
    assert port.pokes == []
    mt, other = "0x" + "ab" * 20, "0x" + "cd" * 20
    with factory() as s, s.begin():
        s.add_all([launch(mt, T0 - DAY_S), launch(other, T0 - DAY_S)])
    keep(60)  # newly graduated: each pair observed once, at once
    assert port.pokes == [(T0 + 60, sorted([mt, other]))]
    keep(1_800)  # a window later, but nothing earned: no transaction
    assert len(port.pokes) == 1

    today = port.client.now // DAY_S
    with factory() as s, s.begin():
        s.add(usage("0x" + "ee" * 20, mt, today, 10**6))
        s.add(usage("0x" + "ee" * 20, other, today, 10**6, paid=0))  # free usage buys nothing
    keep(60)  # mt earns: its pair (and FLOCK's) observed once per window while it does
    assert port.pokes[-1] == (port.client.now, [mt]) and len(port.pokes) == 2
    keep(1_799)  # within the window: no transaction
    assert len(port.pokes) == 2
    keep(1)  # a full window since the last poke
    assert port.pokes[-1] == (port.client.now, [mt]) and len(port.pokes) == 3

    keep(2 * DAY_S)  # the usage is two days old: settled, nothing due
    assert len(port.pokes) == 3
    port.waiting = {other}  # a reserve still waits on the router (e.g. "twap not ready")
    keep(1_800)
    assert port.pokes[-1] == (port.client.now, [other]) and len(port.pokes) == 4


def test_a_dev_chain_pokes_every_pair_once_per_window(tmp_path: Path) -> None:
    """On a dev chain `fomo chain advance` jumps past any window, so waiting for usage before
    the first observation could leave a settlement's buybacks "twap not ready"; gas is free."""
    factory = keeper_db(tmp_path)
    port = PokingPort(now=T0, window=1_800)
    worker = EpochScheduler(factory, tmp_path, port, DEFAULT_PARAMS, poke_every_window=True)

    def keep(now: int) -> None:
        port.client.now = now
        worker.keep_twap_fresh(now)

    keep(T0)  # nothing graduated: FLOCK's pair (the port adds it)
    assert port.pokes == [(T0, [])]
    mt = "0x" + "ab" * 20
    with factory() as s, s.begin():
        s.add(launch(mt, T0))
    keep(T0 + 60)  # a new MT: at once
    keep(T0 + 1_000)  # inside the window: nothing
    keep(T0 + 60 + 1_800)  # no usage, but a window passed: again
    assert port.pokes == [(T0, []), (T0 + 60, [mt]), (T0 + 1_860, [mt])]


def test_a_failing_poke_never_holds_the_epochs_back(tmp_path: Path) -> None:
    class Broken(PokingPort):
        reached = False

        def poke_twap(self, tokens: list[str]) -> None:
            raise RuntimeError("no pair")

        def live_root(self) -> tuple[str, int, str]:
            self.reached = True  # the epoch catch-up ran after the failed poke
            return ("0x" + "00" * 32, 0, "0x")

    factory = keeper_db(tmp_path)
    port = Broken(T0, 1_800)
    worker = EpochScheduler(factory, tmp_path, port, DEFAULT_PARAMS)
    with factory() as s, s.begin():
        s.add(launch("0x" + "ab" * 20, T0))
        s.add(usage("0x" + "ee" * 20, None, T0 // DAY_S, 10**6))
    worker.tick()  # logged, not raised
    assert port.reached
