"""The gateway's OpenAPI description: every path it answers, declared as FastAPI routes.

The gateway itself is raw ASGI (see :mod:`fomo.gateway.asgi` for why), so it has no framework
to describe it. The routes are declarations only — their bodies never run — and exist so
that FastAPI renders a schema from the same pydantic models and parameter bounds the tests
check responses against. ``fomo up`` merges them into the platform's ``/openapi.json`` (and so
into ``/docs``); ``tests/gateway/test_schema_fuzz.py`` fuzzes a real gateway against them.

Keep them in step with :class:`fomo.gateway.http.Router` (its table and inference paths).
The declarations are split by area: what they share (``common``), inference and models
(``inference``), sign-in and keys (``keys``), spend-limit shapes (``limits``), the account and
operations (``account``). The order below is the order of the paths in the document.
"""

from __future__ import annotations

from typing import Any

from fastapi.routing import APIRoute

from fomo.gateway.openapi import account, inference, keys

AREAS = (inference.router, keys.router, account.router)


def gateway_routes() -> list[APIRoute]:
    """The declared routes, for :func:`fastapi.openapi.utils.get_openapi`."""
    return [r for area in AREAS for r in area.routes if isinstance(r, APIRoute)]


def gateway_openapi(title: str = "FOMO API gateway", version: str = "0") -> dict[str, Any]:
    """The gateway's OpenAPI document on its own (``fomo gateway serve``, the fuzz tests)."""
    from fastapi.openapi.utils import get_openapi

    return get_openapi(title=title, version=version, routes=gateway_routes())
