"""`/api/rewards/{account}` says which root is live: the epoch's status, when a proposed root's
claims open, and `live=true` for the latest epoch whose root pays (the web app's Claim buttons)."""

from __future__ import annotations

import json
import random
from pathlib import Path

from fastapi.testclient import TestClient

from fomo.api.app import create_app
from fomo.config import Settings
from fomo.db.migrate import upgrade
from fomo.db.models import Epoch as EpochRow
from fomo.db.models_indexer import RewardRootEvent
from fomo.db.session import make_engine, make_session_factory
from fomo.epochs import engine as eng
from tests.epochs.test_gather_run import DAY, FLOCK, T0, seed


def test_rewards_name_the_live_root_and_when_the_pending_one_opens(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fomo.db'}"
    upgrade(url)
    factory = make_session_factory(make_engine(url))
    with factory() as s, s.begin():
        seed(s, random.Random(3))
    settings = Settings(data_dir=tmp_path, database_url=url)
    runs = eng.catch_up(
        factory, tmp_path, first=DAY, now=T0 + 2 * 86_400, flock_token=FLOCK,
        params=eng.params_from_settings(settings),
    )  # fmt: skip
    earner = json.loads(runs[1].path.read_bytes())["tree"]["leaves"][0][0]
    client = TestClient(create_app(settings))

    # Only computed: nothing is live, the latest day says so.
    latest = client.get(f"/api/rewards/{earner}").json()
    assert latest["epoch"] == DAY + 1 and latest["status"] == "computed"
    assert latest["claims_open_at"] is None
    nothing = client.get(f"/api/rewards/{earner}", params={"live": "true"})
    assert nothing.status_code == 404 and "no reward root is live yet" in nothing.text

    # Day one's root is live, day two's is proposed and in its dispute window.
    opens = T0 + 3 * 86_400
    with factory() as s, s.begin():
        s.get(EpochRow, DAY).status = "live"  # type: ignore[union-attr]
        s.get(EpochRow, DAY + 1).status = "proposed"  # type: ignore[union-attr]
        s.add(
            RewardRootEvent(
                block_number=1, block_hash="0x" + "ab" * 32, block_time=T0,
                tx_hash="0x" + "cd" * 32, log_index=0,
                kind="proposed", root=runs[1].root, epoch=DAY + 1, activates_at=opens,
            )
        )  # fmt: skip
    latest = client.get(f"/api/rewards/{earner}").json()
    assert (latest["status"], latest["claims_open_at"]) == ("proposed", opens)
    live = client.get(f"/api/rewards/{earner}", params={"live": "true"}).json()
    assert live["epoch"] == DAY and live["status"] == "live" and live["root"] == runs[0].root
    both = client.get(f"/api/rewards/{earner}", params={"live": "true", "day": str(DAY)})
    assert both.status_code == 422
