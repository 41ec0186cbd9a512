"""Fixtures: a real dev upstream and a real gateway, each served by uvicorn on a loopback port.

The dev upstream is an honest test double of an inference server (fomo.devtools.dev_upstream);
everything else — HTTP, the gateway, the database, the journal — is the real thing.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from fomo.db.migrate import upgrade
from fomo.db.session import make_engine
from fomo.devtools.dev_config import DevUpstreamConfig
from fomo.devtools.dev_upstream import DevUpstream
from fomo.gateway.app import Gateway
from fomo.gateway.config import GatewayConfig
from fomo.gateway.store import GatewayStore
from tests.services import in_ci, postgres_url
from tests.support import free_port

USD = 10**9  # nano-USD


class ServerThread:
    """uvicorn in a background thread (its own event loop), stopped on exit."""

    def __init__(self, app: Any, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cfg = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="error", lifespan="on"
        )
        self.server = uvicorn.Server(cfg)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)


def db_urls() -> list[Any]:
    urls: list[Any] = ["sqlite"]
    if os.environ.get("FOMO_TEST_POSTGRES_URL") or in_ci():  # in CI a missing URL fails
        urls.append(pytest.param("postgres", marks=pytest.mark.postgres))
    return urls


def make_db(kind: str, tmp: Path) -> str:
    """A fresh, migrated database: a SQLite file, or a new PostgreSQL database of its own (the
    server given by FOMO_TEST_POSTGRES_URL is shared with other tests: never touch its tables)."""
    if kind == "sqlite":
        url = f"sqlite:///{tmp / 'fomo.db'}"
    else:
        from sqlalchemy.engine import make_url

        base = make_url(postgres_url())
        name = f"fomo_gw_{os.getpid()}_{os.urandom(4).hex()}"
        eng = make_engine(base.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
        with eng.connect() as c:
            c.exec_driver_sql(f'CREATE DATABASE "{name}"')
        eng.dispose()
        url = base.set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    return url


def drop_db(url: str) -> None:
    if not url.startswith("postgresql"):
        return
    from sqlalchemy.engine import make_url

    u = make_url(url)
    eng = make_engine(
        u.set(database="postgres").render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
    )
    with eng.connect() as c:
        c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{u.database}" WITH (FORCE)')
    eng.dispose()


@pytest.fixture(scope="module")
def upstream() -> Iterator[ServerThread]:
    app = DevUpstream(DevUpstreamConfig())
    with ServerThread(app) as srv:
        srv.app = app  # type: ignore[attr-defined]
        yield srv


def set_upstream(upstream: ServerThread, **changes: Any) -> None:
    base = {
        "latency_ms": 0.0,
        "chunk_latency_ms": 0.0,
        "fail_status": 0,
        "fail_every": 1,
        "cut_after_chunks": 0,
        "no_usage": False,
    }
    base.update(changes)
    httpx.post(upstream.url + "/_dev/config", json=base).raise_for_status()


class GatewayHandle:
    def __init__(self, srv: ServerThread, gw: Gateway, store: GatewayStore, url: str) -> None:
        self.srv = srv
        self.gw = gw
        self.store = store
        self.url = srv.url
        self.db_url = url

    def new_account(self, credits_usd: int = 10, **key_kw: Any) -> tuple[str, str]:
        """A fresh account with credits and a key: (address, key)."""
        addr = "0x" + os.urandom(20).hex()
        if credits_usd:
            self.store.grant(addr, credits_usd * USD, "test")
        _, key = self.store.create_key(addr, "test", **key_kw)
        return addr, key

    def sync(self) -> None:
        """Make the gateway pick up grants now (instead of at its next poll)."""
        httpx.get(self.url + "/healthz")
        import asyncio

        fut = asyncio.run_coroutine_threadsafe(self.gw.poll_once(), self._loop())
        fut.result(10)

    def flush(self) -> None:
        import asyncio

        asyncio.run_coroutine_threadsafe(self.gw.flush(), self._loop()).result(10)

    def _loop(self) -> Any:
        return self.gw._tasks[0].get_loop()


def start_gateway(
    tmp: Path,
    db_url: str,
    upstream_url: str,
    clock_ns: Callable[[], int] = time.time_ns,
    **cfg: Any,
) -> Iterator[GatewayHandle]:
    config = GatewayConfig(
        database_url=db_url,
        journal_dir=tmp / "journal",
        default_upstream=upstream_url + "/v1",
        poll_interval_s=0.2,
        flush_interval_ms=20,
        **cfg,
    )
    gw = Gateway(config, clock_ns=clock_ns)
    store = GatewayStore(gw.engine)
    with ServerThread(gw) as srv:
        yield GatewayHandle(srv, gw, store, db_url)
    gw.engine.dispose()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Modules that set ``BOTH_DATABASES = True`` also run on PostgreSQL (when configured): the
    ones where the backend matters (money columns, upserts, concurrency); the rest use SQLite."""
    if "gateway" in metafunc.fixturenames:
        both = getattr(metafunc.module, "BOTH_DATABASES", False)
        metafunc.parametrize(
            "gateway", db_urls() if both else ["sqlite"], indirect=True, scope="module"
        )


@pytest.fixture(scope="module")
def gateway(
    request: pytest.FixtureRequest,
    upstream: ServerThread,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[GatewayHandle]:
    tmp = tmp_path_factory.mktemp("gw")
    url = make_db(request.param, tmp)
    yield from start_gateway(tmp, url, upstream.url)
    drop_db(url)


def usage_rows(gh: GatewayHandle, account: str) -> list[Any]:
    from sqlalchemy import select

    from fomo.db.models_gateway import UsageRecord

    gh.flush()
    with gh.store.factory() as s:
        return list(
            s.scalars(
                select(UsageRecord).where(UsageRecord.account == account).order_by(UsageRecord.id)
            )
        )
