"""The direction of imports (docs/architecture.md): the CLI is an edge, never a library.

Walks every module under ``src/fomo`` and parses its imports (also those inside functions), so
a client moved back into ``fomo.cli`` and imported from the demo, the API or a service fails
here rather than in review."""

from __future__ import annotations

import ast
from pathlib import Path

import fomo

SRC = Path(fomo.__file__).parent


def _imported_modules(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _offenders(package: str, forbidden: str) -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC.parent).with_suffix("")
        module = ".".join(rel.parts)
        if module == package or module.startswith(package + "."):
            continue
        for name in _imported_modules(path):
            if name == forbidden or name.startswith(forbidden + "."):
                found.append(f"{module} imports {name}")
    return found


def test_no_module_outside_the_cli_imports_from_it() -> None:
    assert _offenders("fomo.cli", "fomo.cli") == []


def test_the_walk_sees_the_cli_own_imports() -> None:
    # Guard against a walk that finds nothing: the CLI's own modules do import each other.
    assert any("fomo.cli.chainkit" in o for o in _offenders("fomo.nothing", "fomo.cli"))
