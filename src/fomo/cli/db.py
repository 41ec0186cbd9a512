"""`fomo db …` (migrations) and `fomo config show` (the effective settings and their sources).

SQLAlchemy and Alembic are imported inside the commands: `fomo --help` must not pay for them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from fomo.config import Settings


def redact_url(url: str) -> str:
    from fomo.db.session import redact_url as redact

    return redact(url)


db_app = typer.Typer(
    help="Database migrations (SQLite or PostgreSQL, by URL).", no_args_is_help=True
)
config_app = typer.Typer(help="Inspect the configuration in force.", no_args_is_help=True)

ConfigOpt = Annotated[
    Path | None, typer.Option("--config", "-c", help="TOML config file (or FOMO_CONFIG).")
]
UrlOpt = Annotated[
    str | None, typer.Option("--database-url", help="SQLAlchemy URL (FOMO_DATABASE_URL).")
]


def _settings(config: Path | None, database_url: str | None = None) -> Settings:
    from fomo.config import Settings

    try:
        return Settings.load(config, database_url=database_url)
    except (ValueError, FileNotFoundError) as exc:
        typer.echo(f"error: invalid configuration: {exc}", err=True)
        raise typer.Exit(2) from None


@db_app.command("upgrade")
def upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
    config: ConfigOpt = None,
    database_url: UrlOpt = None,
) -> None:
    """Migrate the database up to REVISION (default: the latest). `fomo up` does this itself."""
    from fomo.db import migrate

    s = _settings(config, database_url)
    migrate.upgrade(s.db_url, revision)
    typer.echo(f"{redact_url(s.db_url)} at {migrate.current_revision(s.db_url)}")


@db_app.command("downgrade")
def downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, or 'base' for empty.")],
    config: ConfigOpt = None,
    database_url: UrlOpt = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Migrate the database down to REVISION (drops the tables of later revisions)."""
    from fomo.db import migrate

    s = _settings(config, database_url)
    if not yes:
        question = f"Downgrade {redact_url(s.db_url)} to {revision}? Data may be lost"
        typer.confirm(question, abort=True)
    migrate.downgrade(s.db_url, revision)
    typer.echo(f"{redact_url(s.db_url)} at {migrate.current_revision(s.db_url)}")


@db_app.command("current")
def current(
    config: ConfigOpt = None,
    database_url: UrlOpt = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show the database's revision and the latest one; exit 1 when it is behind."""
    from fomo.db import migrate

    s = _settings(config, database_url)
    rev = migrate.current_revision(s.db_url)
    heads = list(migrate.head_revisions())
    if as_json:
        typer.echo(json.dumps({"database": redact_url(s.db_url), "current": rev, "heads": heads}))
    else:
        typer.echo(f"{redact_url(s.db_url)}: at {rev or '(empty)'}, latest {', '.join(heads)}")
    if rev not in heads:
        raise typer.Exit(1)


GatewayConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--gateway-config",
        help="Gateway TOML file (default: FOMO_GATEWAY_CONFIG, else <data_dir>/gateway.toml).",
    ),
]


@config_app.command("show")
def show(config: ConfigOpt = None, gateway_config: GatewayConfigOpt = None) -> None:
    """Print the merged settings as JSON, and where each value came from.

    Layers: defaults < TOML file < environment < flags. `sources` names each value's layer
    (`default`, `file PATH`, `env FOMO_…`, `flag`); `gateway` does the same for the API gateway's
    settings. Secrets are masked.
    """
    from fomo.gateway.config import gateway_config_path, load_gateway_config

    s = _settings(config)
    try:
        gw_path = gateway_config or gateway_config_path(s)
        gw, gw_sources = load_gateway_config(s, gw_path)
    except (ValueError, FileNotFoundError) as exc:
        typer.echo(f"error: invalid gateway configuration: {exc}", err=True)
        raise typer.Exit(2) from None
    data: dict[str, Any] = json.loads(s.model_dump_json())
    if s.deployer_key is not None:
        data["deployer_key"] = "***"
    if s.database_url:
        data["database_url"] = redact_url(s.database_url)
    data["effective"] = {
        "db_url": redact_url(s.db_url),
        "chain_rpc_url": s.chain_rpc_url,
        "http_url": s.http_url,
        "uses_anvil": s.uses_anvil,
        "anvil_state_file": str(s.anvil_state_file),
        "manifest_file": str(s.manifest_file),
    }
    data["sources"] = s.sources
    from fomo.config import unknown_env

    strays = unknown_env()
    data["unknown_env"] = sorted(strays)
    for name, close in strays.items():
        hint = f" (did you mean {close}?)" if close else ""
        typer.echo(f"warning: {name} is not a FOMO setting and is ignored{hint}", err=True)
    gw_data: dict[str, Any] = json.loads(gw.model_dump_json())
    gw_data["database_url"] = redact_url(gw.database_url)
    if gw.upstream_api_key:
        gw_data["upstream_api_key"] = "***"
    for spec in gw_data["upstreams"].values():
        if spec.get("api_key"):
            spec["api_key"] = "***"
    if gw.redis_url:
        gw_data["redis_url"] = redact_url(gw.redis_url)
    data["gateway"] = {
        "file": str(gw_path) if gw_path else None,
        "settings": gw_data,
        "sources": gw_sources,
    }
    typer.echo(json.dumps(data, indent=2))
