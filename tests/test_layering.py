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


# --- one home for every constant ----------------------------------------------------------------

UNITS = "fomo.economics.units"
SHARED_CONSTANTS = {"BPS", "WAD", "SECONDS_PER_DAY"}
# Literals that are settings' bounds or defaults, not a restatement of the day length; each is a
# reviewed exception (the settings modules load before the economics core is wanted).
DAY_LITERAL_ALLOWED = {"fomo.config", "fomo.gateway.config"}


def _modules() -> list[tuple[str, ast.Module]]:
    out = []
    for path in sorted(SRC.rglob("*.py")):
        module = ".".join(path.relative_to(SRC.parent).with_suffix("").parts)
        out.append((module, ast.parse(path.read_text(encoding="utf-8"))))
    return out


def test_bps_wad_and_the_day_are_defined_only_in_economics_units() -> None:
    found = []
    for module, tree in _modules():
        if module == UNITS:
            continue
        for node in tree.body:
            targets = (
                node.targets
                if isinstance(node, ast.Assign)
                else [node.target]
                if isinstance(node, ast.AnnAssign)
                else []
            )
            for target in targets:
                # Binding a shared name to anything but an imported name is a second definition.
                value = getattr(node, "value", None)
                shared = isinstance(target, ast.Name) and target.id in SHARED_CONSTANTS
                if shared and not isinstance(value, ast.Name):
                    found.append(f"{module} defines {ast.unparse(target)}")
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and type(node.value) is int
                and node.value == 86_400
                and module not in DAY_LITERAL_ALLOWED
            ):
                found.append(f"{module}:{node.lineno} writes the day length as a literal")
    assert found == []


def _imports_of_package(package: str) -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        module = ".".join(path.relative_to(SRC.parent).with_suffix("").parts)
        if module == package or module.startswith(package + "."):
            found.extend(f"{module} imports {name}" for name in _imported_modules(path))
    return found


def test_the_pure_core_imports_only_itself() -> None:
    outside = [
        line
        for line in _imports_of_package("fomo.economics")
        if " imports fomo." in line and " imports fomo.economics" not in line
    ]
    assert outside == []


def test_chain_clients_do_not_reach_up_into_services_or_the_cli() -> None:
    services = ("fomo.indexer", "fomo.gateway", "fomo.epochs", "fomo.api", "fomo.demo", "fomo.cli")
    found = [
        line
        for line in _imports_of_package("fomo.chain")
        if any(f" imports {s}" in line for s in (*services, "fomo.runtime"))
    ]
    assert found == []


# --- the runtime is the roof ---------------------------------------------------------------------


def test_only_the_cli_imports_the_runtime() -> None:
    # `fomo up` (the runtime) imports every service it wires; a service importing the runtime back
    # would make the wiring circular. Services take the context from fomo.context instead.
    found = [
        line
        for line in _offenders("fomo.runtime", "fomo.runtime")
        if not line.startswith("fomo.cli")
    ]
    assert found == []


def test_the_walk_sees_the_runtime_importing_services() -> None:
    hooks = _imports_of_package("fomo.runtime")
    assert "fomo.runtime.hooks imports fomo.gateway.mount" in hooks
    assert "fomo.runtime.hooks imports fomo.chain.deploy" in hooks


def test_the_context_is_below_every_service() -> None:
    # The context carries settings and chain value types only, so any service may take it.
    allowed = ("fomo.config", "fomo.chain.manifest", "fomo.chain.dev_accounts")
    found = [
        line
        for line in _imports_of_package("fomo.context")
        if " imports fomo." in line and not any(f" imports {a}" in line for a in allowed)
    ]
    assert found == []


# --- the season is defined once -------------------------------------------------------------------

SEASON_HOME = "fomo.economics.attribution"


def _int_literals(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Constant) and type(n.value) is int for n in ast.walk(node))


def test_the_season_range_and_default_are_written_only_in_economics_attribution() -> None:
    # A settings field or a parameter named `season` with its own literal default or bounds is a
    # second definition (the gateway and the epoch engine must attribute by one rule).
    found = []
    for module, tree in _modules():
        if module == SEASON_HOME:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for stmt in node.body:
                    if (
                        isinstance(stmt, ast.AnnAssign)
                        and isinstance(stmt.target, ast.Name)
                        and stmt.target.id == "season"
                        and stmt.value is not None
                        and _int_literals(stmt.value)
                    ):
                        found.append(f"{module}:{stmt.lineno} writes the season's range or default")
            elif isinstance(node, ast.arguments):
                positional = node.args[len(node.args) - len(node.defaults) :]
                for arg, default in zip(positional, node.defaults, strict=True):
                    if arg.arg == "season" and _int_literals(default):
                        found.append(f"{module}:{default.lineno} defaults season to a literal")
    assert found == []


# --- the CLI registers each command group once ---------------------------------------------------

CLI_ENTRY = "fomo.cli.main"


def test_command_groups_are_registered_only_in_cli_main() -> None:
    # `cli/main.py` (COMMANDS) is the one place a top-level command or group is added; a module
    # adding groups itself (the old `register(app)` helpers) is a second, unlazy registration.
    found = []
    for module, tree in _modules():
        if not module.startswith("fomo.cli.") or module == CLI_ENTRY:
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "add_typer"
            ):
                found.append(f"{module}:{node.lineno} adds a command group")
    assert found == []


def test_every_cli_module_with_commands_is_loaded_by_cli_main() -> None:
    # A command module that COMMANDS neither names nor loads with its group is dead code: its
    # commands would never be reachable from `fomo`.
    from fomo.cli.main import COMMANDS

    loaded = {e.module for e in COMMANDS.values()} | {
        m for e in COMMANDS.values() for m in e.also_import
    }
    with_commands = set()
    for module, tree in _modules():
        if not module.startswith("fomo.cli.") or module == CLI_ENTRY:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Call)
                and isinstance(d.func, ast.Attribute)
                and d.func.attr == "command"
                for d in node.decorator_list
            ):
                with_commands.add(module)
    assert with_commands, "the walk found no command"
    assert sorted(with_commands - loaded) == []


# --- small modules ------------------------------------------------------------------------------

MAX_MODULE_LINES = 450
# Reviewed exceptions, each one job that is long by nature: a migration is frozen history (it
# records the schema as it was created and is never edited to be shorter; later changes are new
# migrations).
LONG_MODULES_ALLOWED = {
    "fomo.db.migrations.versions.0001_core",
}


def test_no_module_mixes_several_rooms_by_size() -> None:
    # Issue 14: a module much over 400 lines is the sign that it holds several jobs.
    found = []
    for path in sorted(SRC.rglob("*.py")):
        module = ".".join(path.relative_to(SRC.parent).with_suffix("").parts)
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES and module not in LONG_MODULES_ALLOWED:
            found.append(f"{module}: {lines} lines")
    assert found == []
