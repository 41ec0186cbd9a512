"""`fomo up`: bring the whole platform up on this machine (anvil + SQLite by default)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from fomo.config import Settings
from fomo.context import RuntimeContext
from fomo.db.session import redact_url
from fomo.runtime.platform import Platform, StartupError

up_app = typer.Typer(help="Start the platform: anvil, database, HTTP API and workers.")


def banner(ctx: RuntimeContext, console: Console) -> None:
    """Print where everything is."""
    s = ctx.settings
    console.print("[bold green]FOMO is up[/]")
    where = Table(show_header=False, box=None, pad_edge=False, expand=False)
    web = f"{s.http_url}/"
    if not (s.web_root / "index.html").is_file():
        web += "  (not built: npm ci && npm run build in web/, or set FOMO_WEB_DIR)"
    where.add_row("web app", web)
    where.add_row("HTTP API", s.http_url)
    where.add_row("health", f"{s.http_url}/health")
    where.add_row("API docs", f"{s.http_url}/docs  (OpenAPI: {s.http_url}/openapi.json)")
    where.add_row("chain RPC", f"{ctx.rpc_url}  (chain id {ctx.chain_id})")
    where.add_row("data dir", str(s.data_dir.resolve()))
    where.add_row("database", redact_url(s.db_url))
    if s.uses_anvil:
        where.add_row("anvil state", str(s.anvil_state_file.resolve()))
    console.print(where)
    contracts = ctx.manifest.contracts if ctx.manifest is not None else {}
    if contracts:
        table = Table(title="contracts")
        table.add_column("name")
        table.add_column("address")
        for name, entry in contracts.items():
            table.add_row(name, entry.address)
        console.print(table)
    if ctx.accounts:
        # Plain lines, never truncated: people copy these keys into wallets and scripts.
        console.print("[bold]dev accounts[/] (anvil mnemonic: public keys, devnet only)")
        for acct in ctx.accounts:
            console.print(
                f"  {acct.index}  {acct.address}  {acct.private_key}",
                soft_wrap=True,
                highlight=False,
            )
    for note in ctx.notes:
        console.print(f"[yellow]note:[/] {note}")
    console.print("Press Ctrl-C to stop (anvil state is saved).")


def _ready_json(ctx: RuntimeContext) -> None:
    s = ctx.settings
    print(
        json.dumps(
            {
                "event": "ready",
                "http_url": s.http_url,
                "web_url": f"{s.http_url}/",
                "rpc_url": ctx.rpc_url,
                "chain_id": ctx.chain_id,
                "data_dir": str(s.data_dir.resolve()),
                "contracts": (
                    {k: v.address for k, v in ctx.manifest.contracts.items()}
                    if ctx.manifest is not None
                    else {}
                ),
                "accounts": [
                    {"address": a.address, "private_key": a.private_key} for a in ctx.accounts
                ],
            }
        ),
        flush=True,
    )


@up_app.callback(invoke_without_command=True)
def up(
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="TOML config file (or FOMO_CONFIG).")
    ] = None,
    data_dir: Annotated[Path | None, typer.Option(help="Data directory (FOMO_DATA_DIR).")] = None,
    http_port: Annotated[int | None, typer.Option(help="HTTP port (FOMO_HTTP_PORT).")] = None,
    anvil_port: Annotated[int | None, typer.Option(help="anvil port (FOMO_ANVIL_PORT).")] = None,
    rpc_url: Annotated[
        str | None, typer.Option(help="Use this RPC instead of starting anvil (FOMO_RPC_URL).")
    ] = None,
    database_url: Annotated[
        str | None, typer.Option(help="SQLAlchemy URL (FOMO_DATABASE_URL).")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON line when ready instead of tables.")
    ] = False,
) -> None:
    """Start anvil (state in the data dir), migrate the database, deploy, serve HTTP, run workers.

    Stops cleanly on Ctrl-C or SIGTERM.
    """
    console = Console(stderr=as_json)
    try:
        settings = Settings.load(
            config,
            data_dir=data_dir,
            http_port=http_port,
            anvil_port=anvil_port,
            rpc_url=rpc_url,
            database_url=database_url,
        )
    except (ValueError, FileNotFoundError) as exc:
        console.print(f"[red]error:[/] invalid configuration: {exc}", soft_wrap=True)
        raise typer.Exit(2) from None
    platform = Platform(
        settings, echo=lambda line: console.print(line, highlight=False, soft_wrap=True)
    )
    on_ready = _ready_json if as_json else (lambda ctx: banner(ctx, console))
    try:
        code = platform.run(on_ready=on_ready)
    except StartupError as exc:
        console.print(f"[red]error:[/] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    console.print("FOMO stopped.")
    raise typer.Exit(code)
