"""The gateway's rooms and the direction of their imports (docs/architecture.md).

wiring (app) → router (http) → handlers (routes_*) → services → pure (metering, usage_record).
A module importing a room above it, the pure rooms importing I/O, or the production gateway
importing the development tools fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import fomo.gateway

GATEWAY = Path(fomo.gateway.__file__).parent

LEVELS = {
    "app": 0,
    "serve": 0,
    "mount": 0,
    "http": 1,
    "routes_inference": 2,
    "routes_keys": 2,
    "routes_account": 2,
    "routes_limits": 2,
    "services": 3,
    "charging": 3,
    "auth": 4,
    "attribution": 4,
    "upstream": 4,
}
"""Rooms that must not import a room with a lower number (any other gateway module is below)."""
PURE = {"metering", "usage_record", "upstream_pool"}
IO_MODULES = {"asyncio", "aiohttp", "sqlalchemy", "redis", "os", "socket", "httpx", "time"}


def _imports(name: str) -> set[str]:
    """``name``: a module path below the gateway, no ``.py`` (``"http"``, ``"openapi/keys"``)."""
    tree = ast.parse((GATEWAY / f"{name}.py").read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
    return out


def _gateway_modules() -> list[str]:
    """Every module, sub-packages included (``openapi/`` counts as its room ``openapi``)."""
    return sorted(
        p.relative_to(GATEWAY).with_suffix("").as_posix()
        for p in GATEWAY.rglob("*.py")
        if p.stem != "__init__" or p.parent != GATEWAY
    )


def test_rooms_import_only_downwards() -> None:
    found = []
    for name in _gateway_modules():
        mine = LEVELS.get(name.split("/")[0], 5)
        for imp in _imports(name):
            if not imp.startswith("fomo.gateway."):
                continue
            other = imp.split(".")[2]
            if other in LEVELS and LEVELS[other] < mine:
                found.append(f"{name} imports {other}")
    assert found == []


def test_the_pure_rooms_do_no_io() -> None:
    # The tokenizer (estimates) is the one gateway module they use: a pure function of text.
    allowed = ("fomo.economics", "fomo.gateway.tokenizer")
    found = []
    for name in sorted(PURE):
        for imp in _imports(name):
            if imp.split(".")[0] in IO_MODULES or (
                imp.startswith("fomo.") and not imp.startswith(allowed)
            ):
                found.append(f"{name} imports {imp}")
    assert found == []


def test_the_gateway_never_imports_the_development_tools() -> None:
    found = [
        f"{name} imports {imp}"
        for name in _gateway_modules()
        for imp in _imports(name)
        if imp.startswith("fomo.devtools")
    ]
    assert found == []


def test_no_room_is_much_over_four_hundred_lines() -> None:
    # The OpenAPI declarations (openapi/) are split by area and counted like every other room.
    long = {
        str(p.relative_to(GATEWAY)): n
        for p in GATEWAY.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}
