"""Several gateway workers journaling under one data dir: nothing lost, nothing counted twice.

Unit tests of the per-worker directories (a live worker's journal is never adopted; a dead one's
is, exactly once), then real gateway processes sharing one journal root, killed with SIGKILL in
turn and restarted — the scenario that lost 42–211 acknowledged records per run when they shared
one directory (a restarted worker replayed and deleted a live sibling's segment, whose later
records then went to an unlinked file).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from fomo.db.session import make_engine
from fomo.gateway.journal import Journal
from fomo.gateway.journal_dirs import adopt_orphans, claim
from fomo.gateway.store import GatewayStore

from .conftest import USD, ServerThread, make_db, set_upstream
from .test_durability import GatewayProcess, _requests, _stored


def test_live_worker_is_never_adopted_a_dead_one_once(tmp_path: Path) -> None:
    root = tmp_path / "journal"
    live, dead = claim(root), claim(root)
    for c, tag in ((live, "live"), (dead, "dead")):
        j = Journal(c.directory, fsync=False)
        for i in range(3):
            j.write({"request_id": f"{tag}{i}"})
        j.close()
    seen: list[str] = []

    def handle(batch: list[dict[str, Any]]) -> None:
        seen.extend(r["request_id"] for r in batch)

    assert adopt_orphans(root, handle) == 0  # both locks held (open fds in this process)
    dead._fd, fd = -1, dead._fd  # "kill" the dead worker: its lock goes with its fd
    import os

    os.close(fd)
    assert adopt_orphans(root, handle) == 3
    assert sorted(seen) == ["dead0", "dead1", "dead2"]
    assert not dead.directory.exists()
    assert adopt_orphans(root, handle) == 0  # adopted once
    assert live.directory.exists()
    live.release()


def test_legacy_segments_in_the_root_are_replayed(tmp_path: Path) -> None:
    j = Journal(tmp_path, fsync=False)  # how a gateway before per-worker dirs journaled
    j.write({"request_id": "old"})
    j.close()
    seen: list[dict[str, Any]] = []
    assert adopt_orphans(tmp_path, seen.extend) == 1
    assert [r["request_id"] for r in seen] == ["old"]
    assert not list(tmp_path.glob("usage-*.jsonl"))


@pytest.mark.slow
def test_workers_sharing_a_data_dir_killed_in_turn_lose_nothing(
    tmp_path: Path, upstream: ServerThread
) -> None:
    set_upstream(upstream)
    url = make_db("sqlite", tmp_path)
    engine = make_engine(url)
    store = GatewayStore(engine)
    account = "0x" + "d1" * 20
    store.grant(account, 50 * USD)
    _, key = store.create_key(account)
    cfg = tmp_path / "gateway.toml"
    # Records reach the database only through a restart or an adoption (flush every minute).
    cfg.write_text(
        f'database_url = "{url}"\njournal_dir = "{tmp_path / "journal"}"\n'
        f'default_upstream = "{upstream.url}/v1"\nflush_interval_ms = 60000\n'
        "poll_interval_s = 0.2\n"
    )
    workers = [GatewayProcess(cfg) for _ in range(3)]
    for w in workers:
        w.start()
    sent: dict[str, int] = {}
    lock = threading.Lock()

    def load(n: int, targets: list[GatewayProcess] | None = None) -> None:
        def one(w: GatewayProcess) -> None:
            got = _requests(w.url, key, n)
            with lock:
                sent.update(got)

        threads = [threading.Thread(target=one, args=(w,)) for w in targets or workers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    load(8)
    workers[0].kill()
    workers[0].start()  # adopts the dead worker's journal; must not touch the live ones'
    load(8)
    workers[1].kill()
    load(6, [workers[0], workers[2]])
    workers[1].start()
    load(6)
    for w in workers:
        w.kill()
    assert _stored(store) != sent  # nothing was flushed: the journals hold it all
    workers[2].start()  # one restart adopts every dead worker's journal
    stored = _stored(store)
    assert stored == sent
    assert store.usage_count() == len(sent)
    workers[2].kill()
    engine.dispose()
