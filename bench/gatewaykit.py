"""Helpers shared by the gateway benchmarks: processes (dev upstream, `fomo serve-gateway`, the
LiteLLM proxy), a scratch PostgreSQL database, funded accounts with keys, and one load generator.

The load generator is a minimal HTTP/1.1 keep-alive client on raw asyncio streams (a full client
library would be the bottleneck, not the servers); every target in a benchmark is driven by the
same code, so their numbers compare.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fomo.chain.anvil import free_port

MODEL = "qwen3-30b-a3b-instruct"
POSTGRES = os.environ.get(
    "FOMO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
"""The PostgreSQL server the benchmarks make their scratch databases on (as the tests do)."""
BODY = json.dumps(
    {
        "model": MODEL,
        "messages": [{"role": "user", "content": "Say something short about model tokens."}],
        "max_tokens": 16,
    }
).encode()
FUNDS_NANO = 10**15
"""$1M in nano-USD: a benchmark account is never short."""
FOMO_CLI = [
    sys.executable,
    "-c",
    "import sys; from fomo.cli.main import main; sys.argv[0] = 'fomo'; main()",
]
"""`fomo` in this interpreter (the CLI is the stable way in: modules may move, commands do not)."""


# --- processes ---------------------------------------------------------------------------------


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without any FOMO_* setting (a developer's shell must not leak into a
    target's configuration), plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOMO_")}
    env.update(extra)
    return env


def start(
    cmd: list[str],
    env: dict[str, str] | None = None,
    log: Path | None = None,
    cwd: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start ``cmd`` in its own process group (so it and its workers stop together)."""
    err = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        cmd, stdout=err, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True
    )


def stop(p: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    """SIGTERM the process group (graceful: a gateway flushes its journal), SIGKILL if stuck."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(p.pid, signal.SIGTERM)
    try:
        p.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(p.pid, signal.SIGKILL)
        p.wait(5)


def group_pids(pgid: int) -> list[int]:
    """Live processes of a process group (from /proc)."""
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            out.append(int(d.name))
    return out


def wait_http(
    port: int, path: str, timeout: float = 120.0, proc: subprocess.Popen[bytes] | None = None
) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the process for port {port} exited ({proc.returncode})")
        try:
            if httpx.get(f"http://127.0.0.1:{port}{path}", timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"nothing answered on port {port}{path} within {timeout:.0f} s")


def start_dev_upstream(log: Path | None = None) -> tuple[subprocess.Popen[bytes], int]:
    """`fomo dev-upstream` (zero latency, deterministic usage) on a free port."""
    port = free_port()
    p = start([*FOMO_CLI, "dev-upstream", "--port", str(port)], env=clean_env(), log=log)
    wait_http(port, "/v1/models", proc=p)
    return p, port


# --- database, accounts, gateways --------------------------------------------------------------


@contextlib.contextmanager
def scratch_postgres(server_url: str, label: str) -> Iterator[str]:
    """A fresh database on ``server_url``'s server (dropped afterwards), named after ``label``
    and a random suffix so runs and other users of the server never collide."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"fomo_bench_{label}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def clear_redis_prefix(url: str, prefix: str) -> None:
    """Delete every Redis key under ``prefix`` (a benchmark's own ledger keys)."""
    import redis

    r = redis.Redis.from_url(url)
    try:
        for k in r.scan_iter(match=f"{prefix}:*", count=1000):
            r.delete(k)
    finally:
        r.close()


def migrate(db_url: str) -> None:
    from fomo.db.migrate import upgrade

    upgrade(db_url)


def funded_key(db_url: str, account: str, amount_nano: int = FUNDS_NANO) -> str:
    """Grant ``account`` credit and create an API key for it (operator path, on the database)."""
    from fomo.db.session import make_engine
    from fomo.gateway.store import GatewayStore

    engine = make_engine(db_url)
    try:
        store = GatewayStore(engine)
        store.grant(account, amount_nano, "benchmark")
        _, key = store.create_key(account, "bench")
        return str(key)
    finally:
        engine.dispose()


def account_address(label: str) -> str:
    """A distinct, valid account address per label."""
    return "0x" + uuid.uuid5(uuid.NAMESPACE_URL, label).hex[:8] + "be" * 16


def write_toml(path: Path, settings: dict[str, Any]) -> None:
    """A flat TOML file (strings, numbers, booleans), as `fomo serve-gateway --config` reads."""

    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int | float):
            return str(v)
        return json.dumps(str(v))

    path.write_text("".join(f"{k} = {value(v)}\n" for k, v in settings.items()))


def start_gateway(
    config: Path, port: int, workers: int, log: Path, data_dir: Path, src: Path | None = None
) -> subprocess.Popen[bytes]:
    """`fomo serve-gateway --config … --workers N`, run from ``data_dir`` (the platform's default
    data dir, ``.fomo``, lands there). Not through FOMO_DATA_DIR: a data dir from the
    environment outranks the file, and the SQLite database it implies would beat the file's
    ``database_url`` (the shared settings sit in the layer they came from). ``src``: run the
    ``fomo`` package of another source tree (e.g. an earlier commit's, for a before/after)."""
    return start(
        [*FOMO_CLI, "serve-gateway", "--config", str(config), "--port", str(port),
         "--workers", str(workers)],
        env=clean_env(**({"PYTHONPATH": str(src)} if src else {})),
        log=log,
        cwd=data_dir,
    )  # fmt: skip


# --- LiteLLM (in its own venv, never in the project's) -----------------------------------------

LITELLM_MASTER_KEY = "sk-fomo-bench-" + "0" * 32


def litellm_env(database_url: str | None = None) -> dict[str, str]:
    env = clean_env(
        LITELLM_LOG="ERROR",
        LITELLM_TELEMETRY="False",
        LITELLM_LOCAL_MODEL_COST_MAP="True",  # no price-map download (offline)
        PRISMA_USE_GLOBAL_NODE="1",
    )
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def write_litellm_config(path: Path, upstream_port: int, database_url: str | None) -> None:
    """One model routed to the dev upstream. With a database: virtual keys and spend logs (the
    proxy's defaults once ``database_url`` is set); without: the master key only, no spend."""
    text = (
        "model_list:\n"
        f"  - model_name: {MODEL}\n"
        "    litellm_params:\n"
        f"      model: openai/{MODEL}\n"
        f"      api_base: http://127.0.0.1:{upstream_port}/v1\n"
        "      api_key: none\n"
        "litellm_settings:\n  telemetry: false\n"
        f"general_settings:\n  master_key: {LITELLM_MASTER_KEY}\n"
    )
    if database_url:
        text += f"  database_url: {database_url}\n"
    path.write_text(text)


def prisma_problem(litellm_bin: str, timeout: float = 180.0) -> str | None:
    """None if LiteLLM's prisma client is usable in its venv (generated, engines present), else
    the reason it is not: LiteLLM's virtual keys and spend tracking need it. Generating the
    client downloads prisma's query and schema engines from prisma's own server, which a machine
    that reaches only package registries cannot."""
    py = str(Path(litellm_bin).parent / "python")
    probe = [py, "-c", "from prisma import Prisma; Prisma()"]
    if subprocess.run(probe, capture_output=True).returncode == 0:
        return None
    out = subprocess.run(
        [py, "-c", "import litellm.proxy, os; print(os.path.dirname(litellm.proxy.__file__))"],
        capture_output=True,
        text=True,
    )
    schema = Path(out.stdout.strip()) / "schema.prisma"
    if not schema.is_file():
        return f"LiteLLM's prisma schema is not at {schema}"
    prisma = str(Path(litellm_bin).parent / "prisma")
    try:
        gen = subprocess.run(
            [prisma, "generate", "--schema", str(schema)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=litellm_env(),
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"`prisma generate` failed: {exc}"
    if gen.returncode == 0 and subprocess.run(probe, capture_output=True).returncode == 0:
        return None
    lines = [x.strip() for x in (gen.stderr + gen.stdout).splitlines() if x.strip()]
    errors = [x for x in lines if "rror" in x] or lines[-1:]
    return f"`prisma generate` failed: {errors[0] if errors else gen.returncode}"


def start_litellm(
    litellm_bin: str, config: Path, port: int, workers: int, log: Path, database_url: str | None
) -> subprocess.Popen[bytes]:
    # With several workers, the same worker health-check allowance FOMO's gateway gives its own
    # (30 s, see fomo.gateway.serve): uvicorn's 5 s default kills and restarts, forever, a
    # worker still importing LiteLLM on a busy machine.
    extra = ["--timeout_worker_healthcheck", "30"] if workers > 1 else []
    return start(
        [litellm_bin, "--config", str(config), "--port", str(port),
         "--num_workers", str(workers), *extra],
        env=litellm_env(database_url),
        log=log,
    )  # fmt: skip


def litellm_virtual_key(port: int) -> str:
    """A virtual key made through the proxy's admin API (needs its database)."""
    import httpx

    r = httpx.post(
        f"http://127.0.0.1:{port}/key/generate",
        headers={"Authorization": f"Bearer {LITELLM_MASTER_KEY}"},
        json={"models": [MODEL]},
        timeout=60,
    )
    r.raise_for_status()
    return str(r.json()["key"])


# --- load generator ----------------------------------------------------------------------------


class Conn:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.head = b""
        self.body = b""

    @classmethod
    async def open(cls, port: int) -> Conn:
        return cls(*await asyncio.open_connection("127.0.0.1", port))

    async def request(self, raw: bytes) -> int:
        """Send one request, read the whole response; returns the status (headers in ``head``)."""
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        self.head = head
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        self.body = await self.reader.readexactly(length) if length else b""
        return int(head[9:12])

    def header(self, name: bytes) -> bytes | None:
        """A header of the last response (``name`` lower-case)."""
        for line in self.head.split(b"\r\n"):
            k, _, v = line.partition(b":")
            if k.lower() == name:
                return v.strip()
        return None

    def close(self) -> None:
        self.writer.close()


CONN_ERRORS = (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError)


def make_request(port: int, key: str | None, body: bytes = BODY) -> bytes:
    lines = [
        b"POST /v1/chat/completions HTTP/1.1",
        f"Host: 127.0.0.1:{port}".encode(),
        b"Content-Type: application/json",
        f"Content-Length: {len(body)}".encode(),
    ]
    if key:
        lines.append(f"Authorization: Bearer {key}".encode())
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


@dataclass
class Run:
    """What one load run measured: latencies (s) of the 200s, error count, elapsed wall time,
    and the gateway's own time per request (``x-fomo-overhead-ms``) where it sent one."""

    lat: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0
    overhead_ms: list[float] = field(default_factory=list)
    scheduled: int = 0
    planned: float = 0.0

    @property
    def rps(self) -> float:
        return len(self.lat) / self.elapsed if self.elapsed else 0.0

    def pct_ms(self, q: float) -> float:
        return percentile(self.lat, q) * 1000

    @property
    def saturated(self) -> bool:
        """An open-loop run the target could not keep up with (latency is then queueing)."""
        return bool(self.scheduled) and (
            len(self.lat) < 0.97 * self.scheduled or self.elapsed > 1.2 * self.planned
        )


def percentile(xs: list[float], q: float) -> float:
    s = sorted(xs)
    if not s:
        return float("nan")
    return s[min(len(s) - 1, int(len(s) * q))]


def _overhead(c: Conn, run: Run) -> None:
    v = c.header(b"x-fomo-overhead-ms")
    if v is not None:
        run.overhead_ms.append(float(v))


async def closed_loop(
    port: int,
    key: str | None,
    conns: int,
    seconds: float,
    on_ok: Callable[[Conn, float], None] | None = None,
) -> Run:
    """``conns`` connections, each sending its next request as soon as the last one is done."""
    raw = make_request(port, key)
    run = Run()
    stop_at = time.perf_counter() + seconds

    async def worker() -> None:
        c: Conn | None = None
        while time.perf_counter() < stop_at:
            t = time.perf_counter()
            try:
                if c is None:
                    c = await Conn.open(port)
                status = await c.request(raw)
            except CONN_ERRORS:
                run.errors += 1
                if c is not None:
                    c.close()
                c = None
                await asyncio.sleep(0.01)
                continue
            done = time.perf_counter()
            if status != 200:
                run.errors += 1
                continue
            run.lat.append(done - t)
            if on_ok is not None:
                on_ok(c, done)
        if c is not None:
            c.close()

    t0 = time.perf_counter()
    await asyncio.gather(*[worker() for _ in range(conns)])
    run.elapsed = time.perf_counter() - t0
    return run


async def open_loop(port: int, key: str | None, rate: float, seconds: float) -> Run:
    """Requests sent at a fixed rate whatever the answers; latency counts from the scheduled
    send time, so a stall is not hidden by coordinated omission."""
    raw = make_request(port, key)
    pool: list[Conn] = [await Conn.open(port) for _ in range(16)]  # connects not measured
    run = Run(scheduled=int(rate * seconds), planned=seconds)

    async def one(scheduled: float) -> None:
        try:
            c = pool.pop() if pool else await Conn.open(port)
            status = await c.request(raw)
        except CONN_ERRORS:
            run.errors += 1  # a dropped connection counts as an error; it is not reused
            return
        if status != 200:
            run.errors += 1
        else:
            run.lat.append(time.perf_counter() - scheduled)
            _overhead(c, run)
        pool.append(c)

    tasks = []
    start_at = time.perf_counter() + 0.05
    for i in range(run.scheduled):
        at = start_at + i / rate
        delay = at - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.ensure_future(one(at)))
    await asyncio.gather(*tasks)
    run.elapsed = time.perf_counter() - start_at
    for c in pool:
        c.close()
    return run


def median(xs: list[float]) -> float:
    xs = [x for x in xs if x == x]  # drop NaN
    return float(statistics.median(xs)) if xs else float("nan")


def load_average() -> str:
    a, b, c = os.getloadavg()
    return f"{a:.2f} {b:.2f} {c:.2f}"
