"""Serve the built web app (``web/dist``) at ``/`` of the platform server.

The single-page app and the APIs share one origin and one port, so the browser needs no CORS and
no second server. :class:`WebAppMiddleware` wraps the whole platform app (read API, RPC proxy and
the gateway mounted at the root) and answers only ``GET``/``HEAD`` requests outside the API
prefixes:

* a file that exists in the build is sent as is; Vite's content-hashed ``/assets/*`` files never
  change under one name, so they are cached for a year (``immutable``); every other file, and
  ``index.html`` above all, is revalidated on each load (``no-cache`` + ETag → 304), so a rebuild
  shows up on the next reload;
* any other path is a client-side route (a deep link such as ``/token/0x…``): ``index.html``;
* a missing ``/assets/*`` file is a 404, never ``index.html`` (HTML served as JavaScript would
  fail with a confusing MIME error instead of a clear missing file);
* text assets (JS, CSS, SVG, JSON) go out gzip-compressed to clients that accept it, compressed
  once per file version and kept in memory (the build is immutable, so the cache is small and
  never stale: its key includes the file's size and modification time);
* without a build, the page says in one sentence how to build it.
"""

from __future__ import annotations

import gzip
import stat
from os import stat_result
from pathlib import Path

import anyio
from starlette.datastructures import Headers
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

# Paths that belong to the APIs: the read API (/api), the gateway (/v1, /metrics, /healthz), the
# RPC proxy (/rpc), API docs (and their local Swagger UI files) and health. They keep their own
# handlers (and their own 404s).
API_PREFIXES = (
    "/api",
    "/v1",
    "/rpc",
    "/docs",
    "/docs-assets",
    "/redoc",
    "/openapi.json",
    "/health",
    "/healthz",
    "/metrics",
    "/dev-upstream",
)
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
COMPRESSIBLE = frozenset({".js", ".mjs", ".css", ".svg", ".json", ".map", ".txt", ".wasm"})
MIN_COMPRESS_BYTES = 1024


def is_api_path(path: str) -> bool:
    """True for a path one of the APIs owns (the prefix itself or anything below it)."""
    return any(path == p or path.startswith(p + "/") for p in API_PREFIXES)


def not_built_sentence(root: Path) -> str:
    return (
        f"The FOMO web app is not built (no index.html in {root}): run ./scripts/up.sh, "
        "or `npm ci && npm run build` in web/, or set FOMO_WEB_DIR to a built copy, then reload."
    )


class WebAppMiddleware:
    """ASGI middleware serving the SPA from ``root`` with a client-side-routing fallback."""

    def __init__(self, app: ASGIApp, root: Path) -> None:
        self.app = app
        self.root = root
        # Reused for its safe path lookup (no escaping ``root``) and its ETag/304 handling.
        self.files = StaticFiles(directory=root, check_dir=False)
        self._gzip_cache: dict[tuple[str, int, int], bytes] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or is_api_path(scope["path"])
        ):
            await self.app(scope, receive, send)
            return
        response = self.respond(scope)
        if response.status_code == 200 and "gzip" in Headers(scope=scope).get(
            "accept-encoding", ""
        ):
            response = await self.maybe_gzip(scope, response)
        response.headers.setdefault("x-content-type-options", "nosniff")
        await response(scope, receive, send)

    async def maybe_gzip(self, scope: Scope, response: Response) -> Response:
        """The compressed twin of a compressible asset response (else ``response`` itself)."""
        rel = scope["path"].lstrip("/")
        if not rel.startswith("assets/") or Path(rel).suffix not in COMPRESSIBLE:
            return response
        full, st = self.files.lookup_path(rel)
        if st is None or st.st_size < MIN_COMPRESS_BYTES:
            return response
        body = await anyio.to_thread.run_sync(self._compressed, full, st)
        headers = {k: v for k, v in response.headers.items() if k not in ("content-length", "etag")}
        headers.update(
            {
                "content-encoding": "gzip",
                "vary": "accept-encoding",
                "etag": response.headers.get("etag", "").rstrip('"') + '-gz"',
            }
        )
        return Response(body, status_code=200, headers=headers)

    def _compressed(self, full: str, st: stat_result) -> bytes:
        key = (full, st.st_size, st.st_mtime_ns)
        cached = self._gzip_cache.get(key)
        if cached is None:
            cached = gzip.compress(Path(full).read_bytes(), compresslevel=6, mtime=0)
            self._gzip_cache[key] = cached
        return cached

    def respond(self, scope: Scope) -> Response:
        index = self.root / "index.html"
        if not index.is_file():
            sentence = not_built_sentence(self.root)
            return HTMLResponse(
                f"<!doctype html><title>FOMO</title><p>{_escape(sentence)}</p>", status_code=503
            )
        rel = scope["path"].lstrip("/")
        if rel:
            full, st = self.files.lookup_path(rel)
            if st is not None and stat.S_ISREG(st.st_mode):
                response = self.files.file_response(full, st, scope)
                immutable = rel.startswith("assets/")
                response.headers["cache-control"] = IMMUTABLE if immutable else REVALIDATE
                return response
            if rel.startswith("assets/"):
                return PlainTextResponse(f"no such file in the web build: /{rel}", 404)
        response = self.files.file_response(str(index), index.stat(), scope)
        response.headers["cache-control"] = REVALIDATE
        return response


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
