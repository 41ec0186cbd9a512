"""Behind the leader lease, the engine itself refuses to settle a day twice: two catch-ups that
both computed the same day race to write it, and exactly one wins."""

from __future__ import annotations

import random
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from fomo.db.migrate import upgrade
from fomo.db.models import Epoch as EpochRow
from fomo.db.models import Reward, Settlement
from fomo.db.session import make_engine, make_session_factory
from fomo.epochs import engine as eng
from tests.epochs.test_gather_run import DAY, FLOCK, T0, seed


def _db(path: Path) -> sessionmaker[Session]:
    url = f"sqlite:///{path}"
    upgrade(url)
    factory = make_session_factory(make_engine(url))
    with factory() as s, s.begin():
        seed(s, random.Random(5))
    return factory


def _written(factory: sessionmaker[Session], epoch: int) -> tuple[Any, ...]:
    with factory() as s:
        return (
            s.scalar(select(func.count()).select_from(EpochRow).where(EpochRow.epoch == epoch)),
            s.scalar(select(func.count()).select_from(Settlement).where(Settlement.epoch == epoch)),
            s.scalar(select(func.count()).select_from(Reward).where(Reward.epoch == epoch)),
            sorted(
                (r.account, r.token, int(r.amount))
                for r in s.scalars(select(Reward).where(Reward.epoch == epoch))
            ),
        )


def test_two_racing_ticks_settle_a_day_once(tmp_path: Path, monkeypatch: Any) -> None:
    factory = _db(tmp_path / "fomo.db")
    data = tmp_path / "data"
    now = T0 + 86_400 + 1  # only DAY is over

    # Both ticks read the inputs and finish computing before either writes: the worst case.
    both_computed = threading.Barrier(2, timeout=60)
    real_assemble = eng.assemble

    def assemble_then_meet(*a: Any, **kw: Any) -> Any:
        out = real_assemble(*a, **kw)
        both_computed.wait()
        return out

    monkeypatch.setattr(eng, "assemble", assemble_then_meet)
    outcomes: list[object] = []

    def tick() -> None:
        try:
            outcomes.append(eng.catch_up(factory, data, first=DAY, now=now, flock_token=FLOCK))
        except Exception as exc:  # the loser: "computed concurrently" or a write conflict
            outcomes.append(exc)

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wins = [o for o in outcomes if isinstance(o, list)]
    assert len(wins) == 1, outcomes
    assert [r.epoch for r in wins[0]] == [DAY]
    monkeypatch.setattr(eng, "assemble", real_assemble)

    # The day is written exactly as a lone run writes it: one epoch row, no doubled rows.
    reference = _db(tmp_path / "ref.db")
    eng.catch_up(reference, tmp_path / "ref", first=DAY, now=now, flock_token=FLOCK)
    assert _written(factory, DAY) == _written(reference, DAY)
    assert _written(factory, DAY)[0] == 1
    # And a later tick finds nothing left to do for that day.
    assert eng.catch_up(factory, data, first=DAY, now=now, flock_token=FLOCK) == []
