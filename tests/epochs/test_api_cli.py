"""HTTP endpoints and CLI commands over epochs computed from a seeded database (no chain)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete
from typer.testing import CliRunner

from fomo.api.app import create_app
from fomo.cli.main import app as cli
from fomo.config import Settings
from fomo.db.migrate import upgrade
from fomo.db.models import RewardClaim
from fomo.db.session import make_engine, make_session_factory
from fomo.economics.merkle import verify
from fomo.epochs import engine as eng
from tests.epochs.test_gather_run import DAY, FLOCK, MT_A, T0, USERS, seed


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, list[eng.RunResult]]:
    tmp = tmp_path_factory.mktemp("epochs-api")
    url = f"sqlite:///{tmp / 'fomo.db'}"
    upgrade(url)
    factory = make_session_factory(make_engine(url))
    with factory() as s, s.begin():
        seed(s, random.Random(3))
    settings = Settings(data_dir=tmp, database_url=url)
    runs = eng.catch_up(
        factory, tmp, first=DAY, now=T0 + 2 * 86_400, flock_token=FLOCK,
        params=eng.params_from_settings(settings),
    )  # fmt: skip
    return settings, runs


def test_http_endpoints(world: tuple[Settings, list[eng.RunResult]]) -> None:
    settings, runs = world
    client = TestClient(create_app(settings))
    listed = client.get("/api/epochs").json()
    assert [e["epoch"] for e in listed["epochs"]] == [DAY + 1, DAY]
    assert listed["epochs"][0]["root"] == runs[1].root
    raw = client.get(f"/api/epochs/{eng.day_label(DAY)}/data")
    assert raw.status_code == 200 and raw.content == runs[0].path.read_bytes()
    day = client.get(f"/api/epochs/{DAY}").json()
    assert day["root"] == runs[0].root and {x["token"] for x in day["settlements"]} >= {MT_A}
    assert client.get("/api/epochs/1999-01-01").status_code == 404
    earner = json.loads(runs[1].path.read_bytes())["tree"]["leaves"][0][0]
    rewards = client.get(f"/api/rewards/{earner}").json()
    assert rewards["root"] == runs[1].root and rewards["claims"]
    for c in rewards["claims"]:
        proof = [bytes.fromhex(p[2:]) for p in c["proof"]]
        root = bytes.fromhex(rewards["root"][2:])
        assert verify(root, (earner, c["token"], int(c["cumulative"])), proof)
        assert c["claimable"] == c["cumulative"]
    ex = client.get(f"/api/rewards/{earner}/explain", params={"day": str(DAY + 1)}).json()
    assert ex["account"] == earner and ex["mts"]
    assert client.get("/api/rewards/nope").status_code == 422


def test_cli_show_verify_explain_claimable(
    world: tuple[Settings, list[eng.RunResult]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, runs = world
    monkeypatch.setenv("FOMO_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("FOMO_DATABASE_URL", settings.db_url)
    monkeypatch.setenv("FOMO_RPC_URL", "http://127.0.0.1:9")  # nothing listens: offline paths
    r = CliRunner()
    out = r.invoke(cli, ["epoch", "verify", str(runs[0].path), "--json"])
    assert out.exit_code == 0, out.output
    body = json.loads(out.stdout)
    assert body["root"] == runs[0].root and body["chain"]["checked"] is False
    doc = json.loads(runs[0].path.read_bytes())
    doc["outputs"]["payouts"][0][2] = str(int(doc["outputs"]["payouts"][0][2]) + 1)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc, sort_keys=True, separators=(",", ":")))
    out = r.invoke(cli, ["epoch", "verify", str(bad), "--offline", "--json"])
    assert out.exit_code == 1 and "INVALID" in out.stdout
    out = r.invoke(cli, ["epoch", "verify", str(bad), "--offline", "--fast", "--json"])
    assert out.exit_code == 1 and "INVALID" in out.stdout
    out = r.invoke(cli, ["epoch", "verify", str(runs[0].path), "--offline", "--fast", "--json"])
    assert out.exit_code == 0 and json.loads(out.stdout)["root"] == runs[0].root
    out = r.invoke(cli, ["epoch", "show", "--day", str(DAY), "--json"])
    assert out.exit_code == 0 and json.loads(out.stdout)["root"] == runs[0].root
    assert set(json.loads(out.stdout)["chain"]) >= {"settlements", "buybacks", "burns"}
    human = r.invoke(cli, ["epoch", "show", "--day", str(DAY)])
    assert human.exit_code == 0 and "$" in human.output
    out = r.invoke(cli, ["rewards", "explain", USERS[0], "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["epoch"] == DAY + 1
    out = r.invoke(cli, ["rewards", "claimable", USERS[0], "--json"])
    assert out.exit_code == 0, out.output
    leaves = {(a, t): v for a, t, v in json.loads(runs[1].path.read_bytes())["tree"]["leaves"]}
    got = {c["token"]: c["cumulative"] for c in json.loads(out.stdout)["claims"]}
    assert got == {t: v for (a, t), v in leaves.items() if a == USERS[0]}
    # Offline, what was already claimed comes from the indexed claims.
    token = next(iter(got))
    factory = make_session_factory(make_engine(settings.db_url))
    ref = {"block_hash": "0x" + "11" * 32, "tx_hash": "0x" + "22" * 32, "log_index": 0}
    with factory() as sess, sess.begin():
        sess.add(
            RewardClaim(
                account=USERS[0], token=token, amount=1, **ref, block_number=1, block_time=T0
            )
        )
    try:
        out = r.invoke(cli, ["rewards", "claimable", USERS[0], "--json"])
    finally:
        with factory() as sess, sess.begin():
            sess.execute(delete(RewardClaim).where(RewardClaim.tx_hash == ref["tx_hash"]))
    assert out.exit_code == 0, out.output
    mine = {c["token"]: c for c in json.loads(out.stdout)["claims"]}
    assert mine[token]["claimed"] == "1"
    assert int(mine[token]["claimable"]) == int(got[token]) - 1


def test_cli_run_without_chain_catches_up_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'fomo.db'}"
    upgrade(url)
    factory = make_session_factory(make_engine(url))
    with factory() as s, s.begin():
        seed(s, random.Random(3))
    monkeypatch.setenv("FOMO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("FOMO_DATABASE_URL", url)
    r = CliRunner()
    until = eng.day_label(DAY + 1)
    out = r.invoke(
        cli, ["epoch", "run", "--no-chain", "--flock", FLOCK, "--until", until, "--json"]
    )
    assert out.exit_code == 0, out.output
    first = json.loads(out.stdout)["epochs"]
    # every finished day since the first graduation (DAY - 3), in order, computed once
    assert [e["epoch"] for e in first] == [DAY - 3, DAY - 2, DAY - 1, DAY, DAY + 1]
    assert all(e["status"] == "computed" and not e["reused"] for e in first)
    out = r.invoke(
        cli, ["epoch", "run", "--no-chain", "--flock", FLOCK, "--day", str(DAY), "--json"]
    )
    assert json.loads(out.stdout)["epochs"][0]["reused"] is True


def test_scheduler_hook_is_off_without_a_deployment_or_when_disabled(
    world: tuple[Settings, list[eng.RunResult]],
) -> None:
    from types import SimpleNamespace

    from fomo.epochs.scheduler import create_worker
    from fomo.runtime.hooks import WORKER_FACTORIES

    settings, _ = world
    assert create_worker in WORKER_FACTORIES  # `fomo up` runs exactly this factory
    ctx = SimpleNamespace(settings=settings, manifest=None, accounts=[], rpc_url="http://x")
    assert create_worker(ctx) is None  # type: ignore[arg-type]
    off = settings.model_copy(update={"epoch_scheduler_enabled": False})
    ctx2 = SimpleNamespace(settings=off, manifest={"contracts": {}}, accounts=[], rpc_url="x")
    assert create_worker(ctx2) is None  # type: ignore[arg-type]
