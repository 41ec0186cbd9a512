"""Upstream pools end to end: a real gateway in front of several ``fomo dev-upstream`` processes.

Replicas are separate processes on their own ports, so a dead replica is a real one (SIGKILL,
connections reset, the port refusing) and a failing one answers real HTTP 5xx. What a client
sees is checked over HTTP, what each replica received from its own ``/_dev/stats``, and the
pool's state from the gateway's ``/metrics`` and ``/healthz``.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from fomo.db.migrate import upgrade

from .conftest import USD, GatewayHandle, start_gateway, usage_rows
from .dev_upstreams import DevUpstreamProcess

MODEL = "qwen3-30b-a3b-instruct"

pytestmark = pytest.mark.slow


def _replicas(tmp_path: Path, names: str) -> Iterator[list[DevUpstreamProcess]]:
    procs = [DevUpstreamProcess(tmp_path, name) for name in names]
    try:
        for p in procs:
            p.spawn()
        for p in procs:
            p.ready()
        yield procs
    finally:
        for p in procs:
            p.stop()


@pytest.fixture
def replicas(tmp_path: Path) -> Iterator[list[DevUpstreamProcess]]:
    """Three development upstreams, ``a``, ``b``, ``c``."""
    yield from _replicas(tmp_path, "abc")


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[list[DevUpstreamProcess]]:
    """Two development upstreams, ``a`` and ``b``."""
    yield from _replicas(tmp_path, "ab")


@contextmanager
def pool_gateway(
    tmp_path: Path,
    replicas: list[DevUpstreamProcess],
    weights: list[int] | None = None,
    **pool: Any,
) -> Iterator[GatewayHandle]:
    """A gateway serving MODEL from a pool of ``replicas`` (``pool``: its ``[upstream_pool]``)."""
    weights = weights or [1] * len(replicas)
    upstreams = {
        MODEL: {
            "replicas": [
                {"url": p.url + "/v1", "weight": w, "name": p.name}
                for p, w in zip(replicas, weights, strict=True)
            ]
        }
    }
    yield from gateway_on(tmp_path, replicas[0].url, upstreams, pool)


def gateway_on(
    tmp_path: Path, default: str, upstreams: dict[str, Any], pool: dict[str, Any]
) -> Iterator[GatewayHandle]:
    url = f"sqlite:///{tmp_path / 'fomo.db'}"
    upgrade(url)
    yield from start_gateway(tmp_path, url, default, upstreams=upstreams, upstream_pool=pool)


def chat(gh: GatewayHandle, key: str, content: str, **kw: Any) -> httpx.Response:
    body = {"model": MODEL, "messages": [{"role": "user", "content": content}], "max_tokens": 4}
    body.update(kw)
    return httpx.post(
        gh.url + "/v1/chat/completions",
        json=body,
        headers={"authorization": f"Bearer {key}"},
        timeout=30,
    )


def replica_metrics(gh: GatewayHandle) -> dict[str, dict[str, float]]:
    """``{replica: {metric suffix: value}}`` from the gateway's ``/metrics``."""
    text = httpx.get(gh.url + "/metrics").text
    out: dict[str, dict[str, float]] = {}
    pattern = re.compile(
        r'^fomo_gateway_upstream_(\w+?)(?:_total)?\{model="'
        + re.escape(MODEL)
        + r'",replica="(\w+)"\} (\S+)$'
    )
    for line in text.splitlines():
        m = pattern.match(line)
        if m:
            out.setdefault(m.group(2), {})[m.group(1)] = float(m.group(3))
    return out


def wait_for(condition: Any, timeout: float = 20.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


# --- failover under load: kill a replica, revive it ---------------------------------------------


async def _load(
    gh: GatewayHandle, key: str, stop: asyncio.Event, results: list[tuple[float, int, str]]
) -> None:
    """Eight clients sending unary and streamed chats back to back until ``stop``."""

    async def client(n: int) -> None:
        async with httpx.AsyncClient(base_url=gh.url, timeout=30) as c:
            i = 0
            while not stop.is_set():
                i += 1
                stream = i % 3 == 0
                body = {
                    "model": MODEL,
                    "messages": [{"role": "user", "content": f"client {n} request {i}"}],
                    "max_tokens": 4,
                    "stream": stream,
                }
                t = time.monotonic()
                r = await c.post(
                    "/v1/chat/completions",
                    json=body,
                    headers={"authorization": f"Bearer {key}"},
                )
                outcome = "ok"
                if r.status_code != 200:
                    outcome = r.text
                elif stream and not r.text.rstrip().endswith("data: [DONE]"):
                    outcome = "stream error: " + r.text[-300:]
                results.append((t, r.status_code, outcome))

    await asyncio.gather(*(client(n) for n in range(8)))


def test_a_killed_replica_costs_no_client_an_error_and_gets_traffic_back_once_healthy(
    tmp_path: Path, replicas: list[DevUpstreamProcess]
) -> None:
    a, b, c = replicas
    for p in replicas:
        p.configure(latency_ms=20)  # requests are in flight on b when it dies
    with pool_gateway(
        tmp_path,
        replicas,
        weights=[2, 1, 1],
        health_interval_s=0.2,
        health_timeout_s=1.0,
        breaker_failures=2,
        breaker_cooldown_s=0.5,
    ) as gh:
        account, key = gh.new_account(credits_usd=100)
        gh.sync()
        results: list[tuple[float, int, str]] = []
        marks: dict[str, float] = {}
        while_dead: dict[str, dict[str, float]] = {}

        async def scenario() -> None:
            stop = asyncio.Event()
            load = asyncio.create_task(_load(gh, key, stop, results))
            await asyncio.sleep(1.0)
            marks["kill"] = time.monotonic()
            await asyncio.to_thread(b.kill)
            await asyncio.sleep(1.5)  # several health intervals and breaker cooldowns
            while_dead.update(await asyncio.to_thread(replica_metrics, gh))
            await asyncio.to_thread(b.start, latency_ms=20)
            marks["revive"] = time.monotonic()
            # traffic returns once its health check passes and its breaker trial succeeds
            await asyncio.to_thread(
                wait_for, lambda: b.completions() >= 10, 20.0, "traffic back on b"
            )
            marks["back"] = time.monotonic()
            await asyncio.sleep(0.5)
            stop.set()
            await load

        asyncio.run(scenario())

        failed = [(t - marks["kill"], status, out) for t, status, out in results if out != "ok"]
        assert failed == [] or all(
            # a stream whose bytes already reached the client when b died may end with an error
            # event (no retry after the first byte) — only one begun before the kill
            status == 200 and out.startswith("stream error") and '"stream_cut"' in out and t < 0.1
            for t, status, out in failed
        ), failed[:5]
        after_kill = [r for r in results if r[0] > marks["kill"] + 0.1]
        assert len(after_kill) > 50 and all(r[2] == "ok" for r in after_kill)
        # while b was dead the pool knew it, and a and c served everything
        assert while_dead["b"]["replica_healthy"] == 0
        assert while_dead["b"]["replica_available"] == 0
        assert while_dead["a"]["replica_available"] == while_dead["c"]["replica_available"] == 1
        after = replica_metrics(gh)
        assert after["b"]["replica_healthy"] == 1 and after["b"]["breaker_state"] == 0
        assert after["b"]["replica_failures"] >= 1  # it was tried and failed over from
        health = httpx.get(gh.url + "/healthz").json()
        assert health["upstreams"][MODEL] == {"replicas": 3, "available": 3, "open_breakers": 0}
        # the weights hold: a (weight 2) served about twice what c (weight 1) did
        done_a, done_c = a.completions(), c.completions()
        assert 1.5 < done_a / done_c < 2.7, (done_a, done_c)
        # every answered request was charged exactly once, failed over or not
        rows = usage_rows(gh, account)
        answered = sum(1 for _, status, _ in results if status == 200)
        assert len(rows) == answered
        assert sum(1 for r in rows if r.charged) == answered


# --- the circuit breaker on real 5xx answers ---------------------------------------------------


def test_breaker_opens_after_failures_half_opens_after_cooldown_and_closes_on_success(
    tmp_path: Path, pair: list[DevUpstreamProcess]
) -> None:
    a, b = pair
    cooldown = 3.0
    # health checks effectively off (one at start-up): the breaker alone steers traffic here
    with pool_gateway(
        tmp_path, [a, b], health_interval_s=300, breaker_failures=3, breaker_cooldown_s=cooldown
    ) as gh:
        _, key = gh.new_account(credits_usd=100)
        gh.sync()
        wait_for(lambda: b.health_checks() >= 1, what="the start-up health check")
        b.configure(fail_status=500)
        served = Counter[int]()

        def send(n: int = 1) -> float:
            for i in range(n):
                r = chat(gh, key, f"breaker {time.monotonic()} {i}")
                served[r.status_code] += 1
            return time.monotonic()

        # closed: b fails every time; each failure is failed over to a, the client never sees it
        sent_at = returned_at = time.monotonic()
        while b.completions() < 3:
            sent_at = time.monotonic()
            returned_at = send()
            assert sum(served.values()) < 20
        m = replica_metrics(gh)["b"]
        assert m["breaker_state"] == 2 and m["breaker_opened"] == 1 and m["replica_failures"] == 3
        # open: nothing reaches b during the cooldown (the breaker opened after sent_at, so a
        # request answered before sent_at + cooldown was routed while it was open)
        quiet = 0
        while quiet < 10 and send() < sent_at + cooldown:
            quiet += 1
        assert quiet >= 1 and b.completions() == 3
        # half-open: after the cooldown exactly one trial goes to b; it fails: open again
        time.sleep(max(returned_at + cooldown + 0.1 - time.monotonic(), 0))
        while b.completions() < 4:
            send()
            assert sum(served.values()) < 40
        m = replica_metrics(gh)["b"]
        assert m["breaker_state"] == 2 and m["breaker_opened"] == 2
        # b recovers: the next trial succeeds and closes the breaker; b takes its share again
        b.configure()
        time.sleep(cooldown + 0.1)
        while b.completions() < 5:
            send()
            assert sum(served.values()) < 60
        assert replica_metrics(gh)["b"]["breaker_state"] == 0
        before = b.completions()
        send(10)
        assert b.completions() - before == 5  # equal weights, strictly alternating
        assert served == {200: sum(served.values())}


def test_no_replica_left_is_a_fast_503_and_nothing_is_charged(
    tmp_path: Path, pair: list[DevUpstreamProcess]
) -> None:
    a, b = pair
    with pool_gateway(
        tmp_path, [a, b], health_interval_s=300, breaker_failures=1, breaker_cooldown_s=60
    ) as gh:
        account, key = gh.new_account(credits_usd=100)
        gh.sync()
        a.configure(fail_status=503)
        b.configure(fail_status=500)
        first = chat(gh, key, "both fail")
        assert first.status_code == 502  # both tried, the last answer is reported
        assert a.completions() + b.completions() == 2
        second = chat(gh, key, "both open")
        assert second.status_code == 503
        err = second.json()["error"]
        assert err["code"] == "upstream_unavailable"
        assert MODEL in err["message"] and "retry in 60 s" in err["message"]
        assert a.completions() + b.completions() == 2  # the breakers kept it off both
        # nothing charged, nothing left held (the 503, refused before any upstream was tried,
        # leaves no usage record, as an unreachable single server does)
        assert [r.charged for r in usage_rows(gh, account)] == [False]
        assert gh.store.balance(account) == 100 * USD
        assert gh.gw.book is not None
        assert gh.gw.book.held.get(account, 0) == 0


def test_a_replica_slower_than_the_first_byte_timeout_is_failed_over(
    tmp_path: Path, pair: list[DevUpstreamProcess]
) -> None:
    a, b = pair
    with pool_gateway(
        tmp_path, [a, b], health_interval_s=300, breaker_failures=100, first_byte_timeout_s=0.5
    ) as gh:
        _, key = gh.new_account(credits_usd=100)
        gh.sync()
        b.configure(latency_ms=3000)
        statuses = [chat(gh, key, f"slow {i}").status_code for i in range(4)]
        assert statuses == [200] * 4
        assert b.completions() == 2 and a.completions() == 4  # b's two were timed out
        assert replica_metrics(gh)["b"]["replica_failures"] == 2


def test_a_stream_cut_after_bytes_reached_the_client_is_not_retried(
    tmp_path: Path, pair: list[DevUpstreamProcess]
) -> None:
    a, b = pair
    with pool_gateway(tmp_path, [a, b], health_interval_s=300) as gh:
        account, key = gh.new_account(credits_usd=100)
        gh.sync()
        b.configure(cut_after_chunks=2)
        bodies = [chat(gh, key, f"cut {i}", stream=True, max_tokens=8).text for i in range(4)]
        cut = [t for t in bodies if '"stream_cut"' in t]
        assert len(cut) == 2 and all("data: [DONE]" not in t for t in cut)
        assert a.completions() == 2 and b.completions() == 2  # nothing sent twice
        rows = usage_rows(gh, account)
        assert sorted(r.cut for r in rows) == [False, False, True, True]
        # a cut stream is charged for the two chunks that reached the client, not retried
        assert all(r.output_tokens == 2 for r in rows if r.cut)


def test_replica_model_name_and_key_are_the_replicas_own(
    tmp_path: Path, pair: list[DevUpstreamProcess]
) -> None:
    a, b = pair
    # b is an Ollama-style server: its own key, its own name for the model
    b.configure(api_key="secret-b", models=["qwen3:30b"])
    upstreams = {
        MODEL: {
            "replicas": [
                {"url": a.url + "/v1", "name": "a"},
                {"url": b.url + "/v1", "name": "b", "api_key": "secret-b", "model": "qwen3:30b"},
            ]
        }
    }
    with contextmanager(gateway_on)(tmp_path, a.url, upstreams, {"health_interval_s": 300}) as gh:
        _, key = gh.new_account(credits_usd=100)
        gh.sync()
        wait_for(lambda: b.health_checks() >= 1, what="the start-up health check")
        out = [chat(gh, key, f"names {i}") for i in range(4)]
        assert [r.status_code for r in out] == [200] * 4
        assert a.completions() == 2 and b.completions() == 2
        assert {json.loads(r.text)["model"] for r in out} == {MODEL, "qwen3:30b"}
        assert replica_metrics(gh)["b"]["replica_healthy"] == 1  # its check carried its key
