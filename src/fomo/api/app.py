"""The platform read API (FastAPI): health, deployment info and, as they land, launches and
portfolios read from the indexed database. OpenAPI at ``/openapi.json``, docs at ``/docs``."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import text

from fomo import __version__
from fomo.api import routes_accounts, routes_devnet, routes_epochs, routes_launches, routes_rpc
from fomo.config import Settings
from fomo.db.migrate import current_revision, head_revisions
from fomo.db.session import make_engine, make_session_factory
from fomo.runtime.context import RuntimeContext
from fomo.runtime.web import WebAppMiddleware


class ComponentHealth(BaseModel):
    ok: bool
    detail: str


class Health(BaseModel):
    """``status`` is ``ok`` when the database and the chain both answer."""

    status: str
    version: str
    database: ComponentHealth
    chain: ComponentHealth


class Info(BaseModel):
    """Where the platform's pieces are."""

    version: str
    chain_id: int
    devnet: bool = Field(
        description="True on the platform's own anvil devnet: dev wallet and /api/devnet/* exist."
    )
    rpc_url: str
    contracts: dict[str, str]
    deployment_block: int | None


def _context_for(settings: Settings) -> RuntimeContext:
    engine = make_engine(settings.db_url)
    return RuntimeContext(
        settings=settings,
        rpc_url=settings.chain_rpc_url,
        chain_id=settings.chain_id,
        engine=engine,
        session_factory=make_session_factory(engine),
    )


def create_app(settings: Settings, context: RuntimeContext | None = None) -> FastAPI:
    """Build the app; `fomo up` passes its live ``context``, tests may pass only settings."""
    ctx = context if context is not None else _context_for(settings)
    app = FastAPI(
        title="FOMO platform API",
        version=__version__,
        description="Read API of the FOMO platform: launches, purchases, portfolios.",
    )
    app.state.settings = settings
    app.state.ctx = ctx
    app.include_router(routes_launches.router)
    app.include_router(routes_accounts.router)
    app.include_router(routes_epochs.router)
    # The web app's platform side: chain proxy, devnet helpers, and the built SPA at `/`.
    app.include_router(routes_rpc.router)
    app.include_router(routes_devnet.router)
    app.add_middleware(WebAppMiddleware, root=settings.web_root)

    @app.get("/health", response_model=Health, tags=["ops"])
    def health() -> JSONResponse:
        """Liveness and readiness: database reachable and migrated, chain RPC answering."""
        database = _database_health(ctx)
        chain = _chain_health(ctx)
        body = Health(
            status="ok" if database.ok and chain.ok else "degraded",
            version=__version__,
            database=database,
            chain=chain,
        )
        return JSONResponse(body.model_dump(), status_code=200 if body.status == "ok" else 503)

    @app.get("/api/info", response_model=Info, tags=["platform"])
    def info() -> Info:
        """Chain id, RPC URL and contract addresses of the running deployment."""
        manifest: dict[str, Any] = ctx.manifest or {}
        contracts = manifest.get("contracts", {})
        return Info(
            version=__version__,
            chain_id=ctx.chain_id,
            devnet=ctx.settings.is_devnet,
            rpc_url=ctx.rpc_url,
            contracts={name: str(c["address"]) for name, c in contracts.items()},
            deployment_block=manifest.get("block"),
        )

    return app


def _database_health(ctx: RuntimeContext) -> ComponentHealth:
    try:
        with ctx.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        revision = current_revision(engine=ctx.engine)
    except Exception as exc:  # reported, not raised: health must answer
        return ComponentHealth(ok=False, detail=f"unreachable: {exc.__class__.__name__}")
    heads = head_revisions()
    if revision not in heads:
        return ComponentHealth(ok=False, detail=f"at revision {revision}, expected {heads[0]}")
    return ComponentHealth(ok=True, detail=f"revision {revision}")


def _chain_health(ctx: RuntimeContext) -> ComponentHealth:
    body = {"jsonrpc": "2.0", "id": 1, "method": "eth_blockNumber", "params": []}
    try:
        result = httpx.post(ctx.rpc_url, json=body, timeout=2.0).json()["result"]
        return ComponentHealth(ok=True, detail=f"block {int(result, 16)}")
    except Exception as exc:
        return ComponentHealth(ok=False, detail=f"rpc unreachable: {exc.__class__.__name__}")
