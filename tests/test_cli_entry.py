from typer.testing import CliRunner

from fomo import __version__
from fomo.cli.main import app


def test_version_prints_package_version() -> None:
    result = CliRunner().invoke(app, ["version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == __version__


# --- start-up: lazy command loading (issue 12, item 15) -------------------------------------

HEAVY = ("web3", "sqlalchemy", "eth_account", "matplotlib", "pydantic", "rich", "alembic")


def _modules_after(code: str) -> list[str]:
    """Heavy modules present after running ``code`` in a fresh interpreter."""
    import json
    import subprocess
    import sys

    probe = (
        "import sys, json\n"
        + code
        + f"\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    loaded: list[str] = json.loads(out.stdout.strip().splitlines()[-1])
    return loaded


def _run_fomo(*args: str) -> str:
    return (
        "from fomo.cli.main import app\n"
        f"sys.argv = ['fomo', *{list(args)!r}]\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
    )


def test_importing_the_cli_imports_no_heavy_library() -> None:
    assert _modules_after("import fomo.cli.main") == []


def test_help_and_version_import_no_heavy_library() -> None:
    assert _modules_after(_run_fomo("version")) == []
    assert _modules_after(_run_fomo("--help")) == []


def test_gateway_groups_do_not_load_the_chain_stack() -> None:
    for group in ("keys", "credits", "usage"):
        loaded = _modules_after(_run_fomo(group, "--help"))
        assert "web3" not in loaded and "sqlalchemy" not in loaded, (group, loaded)


def test_rewards_day_works_on_files_without_the_database_stack() -> None:
    """`fomo rewards day` reads a JSON file and prints a table: loading its group (the calculator
    and the explain/claimable/claim commands beside it) imports neither SQLAlchemy nor web3."""
    from pathlib import Path

    example = Path(__file__).resolve().parents[1] / "examples" / "rewards-day.json"
    for argv in (("rewards", "--help"), ("rewards", "day", str(example))):
        loaded = _modules_after(_run_fomo(*argv))
        assert "sqlalchemy" not in loaded and "web3" not in loaded, (argv, loaded)


def test_root_help_lists_every_command_with_its_own_help() -> None:
    """The static one-line helps of the lazy commands match the commands' own."""
    from fomo.cli.main import COMMANDS

    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for name, entry in COMMANDS.items():
        loaded = entry.load(name)
        assert loaded.get_short_help_str(500) == entry.help, name
        assert name in result.stdout


def test_lazy_groups_run() -> None:
    result = CliRunner().invoke(app, ["launch", "--help"])
    assert result.exit_code == 0 and "buy" in result.stdout
    result = CliRunner().invoke(app, ["rewards", "--help"])
    # "claimable" is added by fomo.cli.rewards_claims, loaded with the group
    assert result.exit_code == 0 and "claimable" in result.stdout
