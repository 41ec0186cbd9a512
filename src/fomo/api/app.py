"""The platform read API (FastAPI): health, deployment info and, as they land, launches and
portfolios read from the indexed database. OpenAPI at ``/openapi.json``, docs at ``/docs``.

The docs work offline: Swagger UI's files come from the ``swagger-ui-bundle-v2`` package and are
served here under ``/docs-assets`` (no CDN). When ``fomo up`` mounts the gateway on this app, the
schema also describes the gateway's paths (OpenAI-compatible ``/v1/…``, sign-in and keys), from
the declarations in :mod:`fomo.gateway.openapi`."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from sqlalchemy import text
from starlette.routing import Mount

from fomo import __version__
from fomo.api import (
    routes_accounts,
    routes_devnet,
    routes_epochs,
    routes_launches,
    routes_market,
    routes_metadata,
    routes_protocol,
    routes_rpc,
    routes_stream,
)
from fomo.api.webapp import WebAppMiddleware
from fomo.config import Settings
from fomo.context import RuntimeContext
from fomo.db.migrate import current_revision, head_revisions
from fomo.db.session import make_engine, make_session_factory


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
        engine=engine,
        session_factory=make_session_factory(engine),
    )


def create_app(settings: Settings, context: RuntimeContext | None = None) -> FastAPI:
    """Build the app; `fomo up` passes its live ``context``, tests may pass only settings."""
    ctx = context if context is not None else _context_for(settings)
    app = FastAPI(
        title="FOMO platform API",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,  # served below from local files, not a CDN
        redoc_url=None,  # ReDoc's page loads its script and fonts from CDNs: not offered
    )
    app.state.settings = settings
    app.state.ctx = ctx
    app.include_router(routes_launches.router)
    app.include_router(routes_accounts.router)
    app.include_router(routes_epochs.router)
    app.include_router(routes_market.router)
    app.include_router(routes_protocol.router)
    app.include_router(routes_metadata.router)
    routes_stream.install(app)
    # The web app's platform side: chain proxy, devnet helpers, and the built SPA at `/`.
    app.include_router(routes_rpc.router)
    app.include_router(routes_devnet.router)
    app.add_middleware(WebAppMiddleware, root=settings.web_root)

    @app.get(
        "/health",
        response_model=Health,
        tags=["ops"],
        responses={503: {"model": Health, "description": "Database or chain not answering."}},
    )
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
        manifest = ctx.manifest
        contracts = manifest.contracts if manifest is not None else {}
        return Info(
            version=__version__,
            chain_id=ctx.chain_id,
            devnet=ctx.settings.is_devnet,
            rpc_url=ctx.rpc_url,
            contracts={name: c.address for name, c in contracts.items()},
            deployment_block=manifest.block if manifest is not None else None,
        )

    _serve_docs(app)
    return app


DESCRIPTION = (
    "The FOMO platform: the read API (launches, purchases, portfolios, epochs, rewards, "
    "launch metadata, candles, trades, holders, burns, the per-day value loop, a live event "
    "stream) and, "
    "under `fomo up`, the API gateway — OpenAI-compatible `/v1/chat/completions`, "
    "`/v1/completions`, `/v1/embeddings`, `/v1/models`; Sign-In with Ethereum "
    "(`/v1/auth/nonce`, `/v1/auth/verify`) and API keys (`/v1/keys`); credits and usage "
    "(`/v1/account/…`). Amounts are decimal strings of base units (read API) or integer "
    "nano-USD (gateway)."
)
DOCS_ASSETS = "/docs-assets"


def _swagger_ui_dir() -> str:
    from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

    return str(swagger_ui_path)


def _serve_docs(app: FastAPI) -> None:
    """``/docs`` from packaged Swagger UI files, and a schema that includes a mounted gateway."""
    app.mount(DOCS_ASSETS, StaticFiles(directory=_swagger_ui_dir()), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} — docs",
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS}/favicon-32x32.png",
            oauth2_redirect_url=None,
            swagger_ui_parameters={"validatorUrl": None},  # no call to the online validator
        )

    def openapi() -> dict[str, Any]:
        # Built on first request, after `fomo up` mounted its apps on this one.
        if app.openapi_schema is None:
            routes = list(app.routes)
            if _gateway_mounted(app):
                from fomo.gateway.openapi import gateway_routes

                routes.extend(gateway_routes())
            app.openapi_schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=routes,
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _gateway_mounted(app: FastAPI) -> bool:
    from fomo.gateway.app import Gateway

    return any(isinstance(r, Mount) and isinstance(r.app, Gateway) for r in app.routes)


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
