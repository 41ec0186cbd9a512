"""The README's walkthrough, for real: `fomo up` in a subprocess on a temp data dir, every step
through the `fomo` console entry as a user types it, ending in a settled day, buybacks and burns,
and a claimed reward (issue 12 item 10).

What it pins down: on the devnet the gateway meters on the chain's clock (the usage lands on the
chain's day, not the wall clock's), the emission is funded from the start, revenue paid with
operator-granted credits settles, and the epoch scheduler inside `fomo up` closes the day after
`fomo chain advance --days 1`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from openai import OpenAI

from tests.runtime.test_up import Up, _fomo, compiled_artifacts, up_dir  # noqa: F401
from tests.support import free_port

pytestmark = [pytest.mark.anvil, pytest.mark.slow]

DAY = 86_400
MODEL = "qwen3-30b-a3b-instruct"
# The scheduler in `fomo up` looks every 30 s; allow several rounds on a busy machine.
SETTLE_TIMEOUT = 240.0


class Walk:
    """Runs `fomo …` as the README's second terminal does (same data dir and ports)."""

    def __init__(self, data_dir: Path, http_port: int, anvil_port: int) -> None:
        self.data_dir = data_dir
        self.http = f"http://127.0.0.1:{http_port}"
        self.rpc = f"http://127.0.0.1:{anvil_port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("FOMO_")}
        self.env |= {
            "FOMO_DATA_DIR": str(data_dir),
            "FOMO_HTTP_PORT": str(http_port),
            "FOMO_ANVIL_PORT": str(anvil_port),
        }

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [*_fomo(), *args], env=self.env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, f"fomo {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
        return done

    def json(self, *args: str) -> Any:
        out = self.run(*args, "--json").stdout
        try:  # one document (`usage show` indents it)
            return json.loads(out[out.index("{") :])
        except ValueError:  # progress lines, then one JSON line
            return json.loads([ln for ln in out.splitlines() if ln.startswith("{")][-1])

    def chain_time(self) -> int:
        body = {"jsonrpc": "2.0", "id": 1, "method": "eth_getBlockByNumber"}
        body["params"] = ["latest", False]
        block = httpx.post(self.rpc, json=body, timeout=10).json()["result"]
        return int(block["timestamp"], 16)

    def wait_epoch(self, epoch: int, statuses: tuple[str, ...]) -> dict[str, Any]:
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while time.monotonic() < deadline:
            rows = httpx.get(self.http + "/api/epochs", timeout=10).json()["epochs"]
            row = next((r for r in rows if r["epoch"] == epoch), None)
            if row is not None and row["status"] in statuses:
                return row
            time.sleep(2)
        raise AssertionError(f"epoch {epoch} never reached {statuses}: {rows}")

    def sql(self, query: str) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.data_dir / "fomo.db") as db:
            return db.execute(query).fetchall()


@pytest.fixture
def walk(up_dir: Path) -> Iterator[Walk]:  # noqa: F811
    http_port, anvil_port = free_port(), free_port()
    up = Up(up_dir, http_port, anvil_port)
    try:
        up.ready()
        yield Walk(up_dir, http_port, anvil_port)
    finally:
        up.finish(2)


def test_readme_walkthrough_ends_in_a_claimed_reward(walk: Walk) -> None:
    # launch → buy → graduate → stake, exactly as the README types it.
    walk.run(
        "launch", "create", MODEL, "Qwen Alice", "QWENALICE",
        "--first-buy", "20000", "--dev-account", "1", "--yes",
    )  # fmt: skip
    walk.run("chain", "advance", "--minutes", "100")
    walk.run("launch", "buy", "QWENALICE", "50000", "--dev-account", "2", "--yes")
    walk.run("launch", "buy", "QWENALICE", "40000", "--dev-account", "3", "--yes")
    walk.run("chain", "advance", "--days", "7")
    walk.run("launch", "graduate", "QWENALICE", "--dev-account", "4", "--yes")
    walk.run("launch", "claim", "QWENALICE", "--dev-account", "2", "--yes")
    walk.run("stake", "stake", "QWENALICE", "1000", "--dev-account", "2", "--yes")

    # The API: a key by Sign-In with Ethereum, an operator credit, real OpenAI-client calls.
    created = json.loads(walk.run("keys", "create", "--dev-account", "2", "--name", "demo").stdout)
    account = created["account"]
    walk.run("credits", "grant", account, "5")
    client = OpenAI(base_url=walk.http + "/v1", api_key=created["key"])
    deadline = time.monotonic() + 60
    while True:  # the gateway picks the graduated launch up on its next poll
        models = {m.id for m in client.models.list()}
        if f"{MODEL}-qwenalice" in models or time.monotonic() > deadline:
            break
        time.sleep(1)
    for _ in range(3):
        r = client.chat.completions.create(
            model=f"{MODEL}-qwenalice",
            messages=[{"role": "user", "content": "hi"}],
            max_tokens=256,
        )
        assert r.choices[0].message.content
    day = walk.chain_time() // DAY
    usage = walk.json("usage", "show", account)["usage"]
    # Metered on the chain's clock: the devnet runs a week ahead of the wall clock.
    assert [u["day"] for u in usage] == [time.strftime("%Y-%m-%d", time.gmtime(day * DAY))]
    assert day > int(time.time()) // DAY

    # The day closes: the scheduler settles it, buys back and burns, and proposes the root.
    walk.run("chain", "advance", "--days", "1")
    row = walk.wait_epoch(day, ("proposed", "live"))
    assert row["root"] and int(row["emission_paid"]) > 0
    shown = walk.json("epoch", "show")
    assert shown["chain"]["settlements"], shown["chain"]  # USDC split into buybacks et al.

    # A day later the root is past its dispute window; that day's view shows the buybacks
    # (and their burns) the settlement paid for.
    walk.run("chain", "advance", "--days", "1")
    walk.wait_epoch(day + 1, ("computed", "proposed", "live"))
    later = walk.json("epoch", "show")
    assert later["chain"]["buybacks"], later["chain"]
    assert later["chain"]["burned_per_token"], later["chain"]

    claimable = walk.json("rewards", "claimable", account)["claims"]
    assert claimable and any(int(c["claimable"]) > 0 for c in claimable), claimable
    claimed = walk.json("rewards", "claim", "--dev-account", "2", "--yes")["claims"]
    assert claimed and all(int(c["amount"]) > 0 for c in claimed), claimed
    again = walk.json("rewards", "claimable", account)["claims"]
    assert all(int(c["claimable"]) == 0 for c in again), again
