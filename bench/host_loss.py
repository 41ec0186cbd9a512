"""What a gateway host lost for good loses (not a test): measured, not argued.

A "host" is `fomo serve-gateway --workers N` with its own data dir (so its own usage journal)
against one PostgreSQL and one Redis, as in docs/deploy.md. Under load from ``--concurrency``
keep-alive clients, every process of the host is SIGKILLed at once and its data dir deleted
(the disk is gone; nothing of its journal can be adopted). Then the script compares:

* acknowledged: the requests the clients got a 200 for (each carries its ``x-request-id``);
* stored: the usage records in the database (``gateway_usage``), once the usage stream (records
  the settle script appended with their charges) is drained, as the surviving hosts do;
* charged: what the shared ledger in Redis took from the account (credit − available − held);
* after reconcile: the ledger rebuilt from the database (what a Redis that came back empty, or
  an operator's reconcile, would do: the ``ready`` marker removed, a fresh worker started).

Reported per trial: acknowledged records missing from the database (lost), how many of those
the ledger had charged, stored records the client never got an answer for, and the window —
from the oldest lost acknowledgement to the kill, in ms. Medians over ``--trials``.

    uv run python bench/host_loss.py [--trials 3] [--workers 2] [--load-seconds 2]

Each trial uses a fresh account and host data dir; a scratch PostgreSQL database and a Redis
key prefix of its own are removed at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fomo.chain.anvil import free_port
from gatewaykit import (
    FUNDS_NANO,
    POSTGRES,
    Conn,
    account_address,
    clear_redis_prefix,
    closed_loop,
    group_pids,
    load_average,
    median,
    migrate,
    scratch_postgres,
    start_dev_upstream,
    start_gateway,
    stop,
    wait_http,
    write_toml,
)

Usage = tuple[int, int, int, int]
"""(prompt, cached, completion, reasoning) tokens of a response, as the client saw them."""


@dataclass
class Trial:
    acked: int
    """Requests the clients got a 200 for."""
    stored: int
    """Usage records in the database."""
    lost: int
    """Acknowledged, not in the database."""
    lost_priced: int
    """Of the lost: how many could be priced (their usage seen among the stored records)."""
    lost_charged_nano: int
    """What the lost acknowledged requests cost (the shared ledger took it)."""
    unanswered_charged_nano: int
    """Charged in the ledger, neither stored nor answered (settled, killed before replying)."""
    stored_not_acked: int
    window_ms: float
    """From the oldest lost acknowledgement to the kill (client clock: a response already on its
    way is read after the kill, and counts negative)."""
    newest_safe_ms: float
    """From the newest acknowledgement that was stored to the kill (same clock)."""
    held_after_lease: int
    from_stream: int
    """Records the survivors stored from the usage stream after the loss."""
    charged_before: int
    """What the shared ledger took from the account, before reconciling."""
    db_paid: int
    """The sum of the stored records' charges."""
    charged_after_reconcile: int


def host_config(
    path: Path, data: Path, db: str, redis: str, prefix: str, up_port: int, a: Any
) -> None:
    write_toml(
        path,
        {
            "database_url": db,
            "redis_url": redis,
            "ledger_prefix": prefix,
            "journal_dir": str(data / "gateway-journal"),
            "default_upstream": f"http://127.0.0.1:{up_port}/v1",
            "flush_interval_ms": a.flush_interval_ms,
            "hold_lease_s": a.hold_lease_s,
        },
    )


def ledger_balance(url: str, prefix: str, account: str) -> tuple[int, int]:
    """(available, held) of ``account`` in the shared ledger, read with the gateway's own
    balance script — which first gives back every hold whose lease ran out."""
    from fomo.gateway.ledger_redis import RedisLedger

    async def read() -> tuple[int, int]:
        led = RedisLedger(url, prefix=prefix)
        try:
            b = await led.balance(account)
            return b.available, b.held
        finally:
            await led.close()

    return asyncio.run(read())


def drain_stream(db: str, url: str, prefix: str) -> int:
    """What the surviving hosts do: store the usage stream (records the settle script appended
    with their charges) in the database. Returns how many records it held."""
    from fomo.db.session import make_engine
    from fomo.gateway.ledger_redis import RedisLedger
    from fomo.gateway.store import GatewayStore

    async def drain() -> int:
        led = RedisLedger(url, prefix=prefix)
        engine = make_engine(db)
        try:
            return await led.stream.drain(GatewayStore(engine).insert_usage, wait=True)
        finally:
            await led.close()
            engine.dispose()

    return asyncio.run(drain())


def db_usage(db: str, account: str) -> dict[str, int]:
    """Request id → paid nano-USD of every usage record of ``account`` in the database."""
    from sqlalchemy import create_engine, text

    engine = create_engine(db)
    try:
        with engine.connect() as c:
            rows = c.execute(
                text("SELECT request_id, paid_nano_usd FROM gateway_usage WHERE account = :a"),
                {"a": account},
            ).all()
        return {str(r[0]): int(r[1]) for r in rows}
    finally:
        engine.dispose()


async def load_until_killed(
    port: int, key: str, conns: int, seconds: float, host: subprocess.Popen[bytes], data: Path
) -> tuple[dict[str, tuple[float, Usage]], float]:
    """Drive the host; after ``seconds``, SIGKILL all its processes and delete its data dir
    while the clients keep sending. Returns acknowledged request id → completion time, and
    the kill time."""
    acked: dict[str, tuple[float, Usage]] = {}

    def on_ok(c: Conn, done: float) -> None:
        rid = c.header(b"x-request-id")
        if rid is not None:
            u = json.loads(c.body)["usage"]
            usage = (
                u["prompt_tokens"],
                u["prompt_tokens_details"]["cached_tokens"],
                u["completion_tokens"],
                u["completion_tokens_details"]["reasoning_tokens"],
            )
            acked[rid.decode()] = (done, usage)

    loop = asyncio.get_running_loop()
    kill: dict[str, Any] = {}

    def lose_host() -> None:
        kill["t"] = time.perf_counter()
        os.killpg(host.pid, signal.SIGKILL)  # the supervisor and every worker, at once
        shutil.rmtree(data)  # the disk is gone

    loop.call_later(seconds, lose_host)
    await closed_loop(port, key, conns, seconds + 1.0, on_ok=on_ok)
    return acked, float(kill["t"])


def reconcile(db: str, redis: str, prefix: str, up_port: int, tmp: Path, a: Any) -> None:
    """Rebuild the shared ledger from the database: remove the ``ready`` marker and start a
    fresh worker, which takes the init lock and rebuilds every balance (as after a Redis that
    came back empty)."""
    import redis as redis_lib

    r = redis_lib.Redis.from_url(redis)
    r.delete(f"{prefix}:ready")
    r.close()
    data = tmp / f"reconciler-{uuid.uuid4().hex[:6]}"
    data.mkdir()
    host_config(data / "gateway.toml", data, db, redis, prefix, up_port, a)
    port = free_port()
    p = start_gateway(data / "gateway.toml", port, 1, tmp / f"{data.name}.log", data)
    try:
        wait_http(port, "/healthz", timeout=180, proc=p)
        r = redis_lib.Redis.from_url(redis)
        deadline = time.monotonic() + 60
        while not r.exists(f"{prefix}:ready") and time.monotonic() < deadline:
            time.sleep(0.1)
        r.close()
    finally:
        stop(p)


def one_trial(i: int, db: str, redis: str, prefix: str, up_port: int, tmp: Path, a: Any) -> Trial:
    from fomo.db.session import make_engine
    from fomo.gateway.store import GatewayStore

    account = account_address(f"{prefix}/trial-{i}")
    engine = make_engine(db)
    store = GatewayStore(engine)
    store.grant(account, FUNDS_NANO, "host-loss benchmark")
    _, key = store.create_key(account, "host-loss")
    engine.dispose()

    data = tmp / f"host-{i}"
    data.mkdir()
    host_config(data / "gateway.toml", data, db, redis, prefix, up_port, a)
    port = free_port()
    host = start_gateway(data / "gateway.toml", port, a.workers, tmp / f"host-{i}.log", data)
    wait_http(port, "/healthz", timeout=180, proc=host)
    time.sleep(1.0)  # every worker up (the health check reached one of them)

    acked, t_kill = asyncio.run(
        load_until_killed(port, str(key), a.concurrency, a.load_seconds, host, data)
    )
    host.wait(10)
    left = group_pids(host.pid)
    if left:
        raise SystemExit(f"processes of the lost host still alive: {left}")

    time.sleep(a.hold_lease_s + 2.0)  # in-flight holds of the dead workers' lease runs out
    from_stream = drain_stream(db, redis, prefix)
    stored = db_usage(db, account)
    db_paid = sum(stored.values())
    avail, held = ledger_balance(redis, prefix, account)
    charged = FUNDS_NANO - avail - held
    lost_ids = set(acked) - set(stored)
    # What each lost request was charged: requests with the same usage cost the same (one model,
    # no stake discount), and the stored ones say what that is.
    price = {acked[r][1]: paid for r, paid in stored.items() if r in acked}
    lost_paid = [price.get(acked[r][1]) for r in lost_ids]
    lost_charged_nano = sum(p for p in lost_paid if p is not None)
    window = (t_kill - min(acked[r][0] for r in lost_ids)) * 1000 if lost_ids else 0.0
    safe = [t_kill - acked[r][0] for r in acked if r in stored]
    reconcile(db, redis, prefix, up_port, tmp, a)
    avail2, held2 = ledger_balance(redis, prefix, account)
    return Trial(
        acked=len(acked),
        stored=len(stored),
        lost=len(lost_ids),
        lost_priced=sum(p is not None for p in lost_paid),
        lost_charged_nano=lost_charged_nano,
        unanswered_charged_nano=charged - db_paid - lost_charged_nano,
        stored_not_acked=len(set(stored) - set(acked)),
        window_ms=window,
        newest_safe_ms=min(safe) * 1000 if safe else float("nan"),
        held_after_lease=held,
        from_stream=from_stream,
        charged_before=charged,
        db_paid=db_paid,
        charged_after_reconcile=FUNDS_NANO - avail2 - held2,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--trials", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2, help="worker processes of the lost host")
    ap.add_argument("--concurrency", type=int, default=16, help="client connections")
    ap.add_argument("--load-seconds", type=float, default=2.0, help="load before the loss")
    ap.add_argument("--flush-interval-ms", type=int, default=200, help="the gateway default")
    ap.add_argument("--hold-lease-s", type=float, default=3.0, help="short, to see holds return")
    ap.add_argument("--postgres", default=POSTGRES, help="server for a scratch database")
    ap.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    a = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="fomo-host-loss-"))
    prefix = f"fomo:bench-hostloss-{uuid.uuid4().hex[:8]}"
    print(f"work dir (logs): {tmp}; Redis prefix {prefix}", flush=True)
    trials: list[Trial] = []
    upstream = None
    with scratch_postgres(a.postgres, "hostloss") as db:
        try:
            upstream, up_port = start_dev_upstream(tmp / "upstream.log")
            migrate(db)
            for i in range(a.trials):
                t = one_trial(i, db, a.redis, prefix, up_port, tmp, a)
                trials.append(t)
                print(
                    f"trial {i + 1}: {t.acked} acknowledged, {t.stored} stored, {t.lost} lost "
                    f"(cost {t.lost_charged_nano} nano-USD), ledger charged "
                    f"{t.charged_before - t.db_paid} nano-USD beyond the database; window "
                    f"{t.window_ms:.0f} ms; holds left after the lease {t.held_after_lease}; "
                    f"{t.from_stream} records stored from the usage stream after the loss; "
                    f"charged after reconcile {t.charged_after_reconcile} = database "
                    f"{t.db_paid}: {t.charged_after_reconcile == t.db_paid}",
                    flush=True,
                )
        finally:
            if upstream is not None:
                stop(upstream)
            clear_redis_prefix(a.redis, prefix)
    _report(trials, a)


def _report(trials: list[Trial], a: Any) -> None:
    def med(f: str) -> float:
        return median([float(getattr(t, f)) for t in trials])

    print(
        f"\nhost: `fomo serve-gateway --workers {a.workers}`, flush_interval_ms "
        f"{a.flush_interval_ms}, {a.concurrency} client connections, killed after "
        f"{a.load_seconds:g} s; load average {load_average()} on {os.cpu_count()} cores"
    )
    print(
        "| trial | acknowledged | stored | lost: acked, not stored | their charge, nano-USD "
        "| charged, neither stored nor answered | stored, never answered "
        "| oldest lost ack, ms before the kill | newest stored ack, ms before the kill |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for i, t in enumerate(trials, 1):
        print(
            f"| {i} | {t.acked} | {t.stored} | {t.lost} | {t.lost_charged_nano} | "
            f"{t.unanswered_charged_nano} | {t.stored_not_acked} | {t.window_ms:.0f} | "
            f"{t.newest_safe_ms:.0f} |"
        )
    print(
        f"| median | {med('acked'):.0f} | {med('stored'):.0f} | {med('lost'):.0f} | "
        f"{med('lost_charged_nano'):.0f} | {med('unanswered_charged_nano'):.0f} | "
        f"{med('stored_not_acked'):.0f} | {med('window_ms'):.0f} | {med('newest_safe_ms'):.0f} |"
    )
    lost = sum(t.lost for t in trials)
    unpriced = sum(t.lost - t.lost_priced for t in trials)
    # Every acknowledged request was settled before its response (fomo.gateway.app): the ledger
    # took more than the database holds by at least the lost requests' cost exactly when the
    # lost records were charged.
    charged = all(t.unanswered_charged_nano >= 0 for t in trials) and lost > 0
    refunded = all(t.charged_after_reconcile == t.db_paid for t in trials)
    holds = sum(t.held_after_lease for t in trials)
    print(
        f"\n{lost} acknowledged records lost over {len(trials)} trials"
        + (f" ({unpriced} could not be priced)" if unpriced else "")
        + (
            "; the shared ledger HAD CHARGED the client for them (it took at least their cost "
            "beyond the stored records')"
            if charged
            else ""
        )
        + f". Holds of the dead host left after the lease: {holds} nano-USD. After the ledger "
        f"was rebuilt from the database, the charge equals the stored records' "
        f"({'every trial' if refunded else 'NOT in every trial'})"
        + (
            ": the lost requests are then neither recorded nor charged — served free, and "
            "missing from the epoch's usage."
            if lost
            else ": every charge the ledger took has its record in the database."
        )
    )


if __name__ == "__main__":
    main()
