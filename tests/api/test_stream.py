"""`/api/stream` (Server-Sent Events) served by a real uvicorn server — the same server class
`fomo up` runs — over a database the indexer fills from a real anvil: a block the indexer
commits reaches every connected client with the launches it touched; clients that go away are
unsubscribed and the shared poller stops with the last one; server shutdown ends open streams."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from fomo.api.app import create_app
from fomo.api.routes_stream import EventStreamResponse, StreamHub
from fomo.runtime.platform import _Server
from tests.api.market_support import flock_address, runtime, swap
from tests.indexer.conftest import WAD, Chain, Db, Scenario, make_indexer
from tests.support import free_port

pytestmark = pytest.mark.anvil

GUARD = 20.0  # seconds: only a hang guard, never a performance assertion


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + GUARD
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting: {what}")
        time.sleep(0.02)


@dataclass
class Served:
    url: str
    hub: StreamHub
    server: uvicorn.Server
    thread: threading.Thread


@pytest.fixture
def served(chain: Chain, sqlite_db: Db, tmp_path: Path) -> Iterator[Served]:
    make_indexer(chain, sqlite_db).sync()
    ctx = runtime(chain, sqlite_db, tmp_path)
    app = create_app(ctx.settings, ctx)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="on", log_level="warning")
    server = _Server(config, None)
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    wait_until(lambda: server.started, "the server to listen")
    served = Served(f"http://127.0.0.1:{port}", app.state.stream_hub, server, thread)
    try:
        yield served
    finally:
        server.should_exit = True
        thread.join(GUARD)


class Reader:
    """Reads SSE messages (blank-line separated) from an open streaming response."""

    def __init__(self, response: httpx.Response) -> None:
        self.lines = response.iter_lines()

    def message(self) -> list[str]:
        out: list[str] = []
        for line in self.lines:
            if line == "":
                if out:
                    return out
                continue
            out.append(line)
        return out  # the stream ended

    def until_event(self) -> tuple[str, dict[str, Any]]:
        while True:
            msg = self.message()
            assert msg, "the stream ended before an event"
            fields = dict(x.split(": ", 1) for x in msg if not x.startswith(":"))
            if "event" in fields:
                return fields["event"], json.loads(fields["data"])


def _open(client: httpx.Client, url: str) -> Any:
    return client.stream("GET", f"{url}/api/stream", timeout=httpx.Timeout(GUARD))


def test_a_committed_block_reaches_every_client(
    chain: Chain, scenario: Scenario, sqlite_db: Db, served: Served
) -> None:
    # Longer than the hang guard: a hang-up must be noticed by listening, not at the next write.
    served.hub.keepalive = 3 * GUARD
    snap = chain.snapshot()
    try:
        token = chain.create_launch(scenario.carol, "THETA")
        make_indexer(chain, sqlite_db).sync()
        with (
            httpx.Client() as client,
            _open(client, served.url) as a,
            _open(client, served.url) as b,
        ):
            assert a.status_code == 200
            assert a.headers["content-type"].startswith("text/event-stream")
            ra, rb = Reader(a), Reader(b)
            first = ra.message()
            assert first[0] == "retry: 2000" and ": connected" in first
            rb.message()
            assert served.hub.subscribers == 2 and served.hub.polling

            chain.buy(scenario.dave, token, 2_000 * WAD)
            make_indexer(chain, sqlite_db).sync()
            for reader in (ra, rb):
                event, data = reader.until_event()
                assert event == "block"
                assert data == {"block": chain.head(), "chain_time": chain.now(), "tokens": [token]}
            # A pool trade touches the pair (Swap, Sync) and the MT (Transfer): one launch.
            alpha = scenario.graduated
            swap(chain, scenario.dave, flock_address(chain), alpha, 500 * WAD)
            make_indexer(chain, sqlite_db).sync()
            for reader in (ra, rb):
                assert reader.until_event()[1]["tokens"] == [alpha]
        # Both clients hung up: unsubscribed, and the shared poller stopped with the last one.
        wait_until(lambda: served.hub.subscribers == 0, "clients to be unsubscribed")
        wait_until(lambda: not served.hub.polling, "the poller to stop")
    finally:
        chain.revert(snap)


def test_keepalive_and_shutdown_end_the_stream(served: Served) -> None:
    served.hub.keepalive = 0.05
    with httpx.Client() as client, _open(client, served.url) as response:
        reader = Reader(response)
        assert ": connected" in reader.message()
        assert reader.message() == [": keepalive"]
        served.server.should_exit = True  # what SIGINT/SIGTERM do in `fomo up`
        # The stream must end (uvicorn alone would wait for it forever: keep-alives flow).
        deadline = time.monotonic() + GUARD
        while msg := reader.message():
            assert msg == [": keepalive"]
            assert time.monotonic() < deadline, "the stream outlived the server's shutdown"
    served.thread.join(GUARD)
    assert not served.thread.is_alive()
    assert served.hub.closed and served.hub.subscribers == 0 and not served.hub.polling


def test_hang_up_is_noticed_without_a_write_on_asgi_2_4_servers(sqlite_db: Db) -> None:
    """Servers declaring ASGI 2.4 get no disconnect listener from Starlette; ours listens."""
    hub = StreamHub(lambda: sqlite_db.factory, keepalive=3600)

    async def serve_one_client() -> list[dict[str, Any]]:
        sent: list[dict[str, Any]] = []
        gone = asyncio.Event()

        async def receive() -> dict[str, Any]:
            await gone.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)
            if message.get("body"):
                gone.set()  # the client hangs up after the first bytes

        scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.4"}}
        response = EventStreamResponse(hub.events())
        await asyncio.wait_for(response(scope, receive, send), GUARD)
        return sent

    sent = asyncio.run(serve_one_client())
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 200
    assert hub.subscribers == 0 and not hub.polling
