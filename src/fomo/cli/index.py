"""`fomo index once|status`: run the chain indexer from scripts (the long-running one is part of
`fomo up`)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from fomo.chain.manifest import load_manifest
from fomo.config import Settings
from fomo.db.migrate import current_revision, upgrade
from fomo.db.models import IndexerCursor
from fomo.db.session import make_engine, make_session_factory, sqlite_path
from fomo.indexer.core import ChainMoved, CursorMoved, Indexer, ReorgTooDeep, StepResult
from fomo.indexer.queries import chain_time
from fomo.indexer.rpc import ChainReader, RpcUnavailable
from fomo.indexer.worker import config_from_settings

index_app = typer.Typer(help="Chain indexer: follow the contracts' events into the database.")

ConfigOpt = Annotated[Path | None, typer.Option("--config", help="TOML settings file.")]
RpcOpt = Annotated[str | None, typer.Option("--rpc", help="EVM RPC URL (default: settings).")]
DbOpt = Annotated[str | None, typer.Option("--database-url", help="SQLAlchemy database URL.")]
ManifestOpt = Annotated[
    Path | None, typer.Option("--manifest", help="Deployment manifest (default: data dir).")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="One JSON object on stdout.")]


def _setup(
    config: Path | None, rpc: str | None, database_url: str | None, manifest: Path | None, **kw: Any
) -> tuple[Settings, Indexer]:
    settings = Settings.load(config, rpc_url=rpc, database_url=database_url, **kw)
    path = manifest or settings.manifest_file
    loaded = load_manifest(path)
    if loaded is None:
        raise typer.BadParameter(f"no deployment manifest at {path} (run `fomo up` or deploy)")
    upgrade(settings.db_url)
    engine = make_engine(settings.db_url)
    cfg = config_from_settings(loaded, settings, loaded.chain_id)
    reader = ChainReader(settings.chain_rpc_url)
    return settings, Indexer(cfg, reader, make_session_factory(engine))


def _summary(results: list[StepResult], indexer: Indexer) -> dict[str, Any]:
    cursor = indexer.cursor()
    with indexer.session_factory() as s:
        now = chain_time(s, indexer.config.cursor_name)
    last = results[-1] if results else None
    return {
        "ok": True,
        "batches": sum(1 for r in results if r.action == "indexed"),
        "logs": sum(r.logs for r in results),
        "duplicates_skipped": sum(r.skipped_duplicates for r in results),
        "reorgs": [r.fork_block for r in results if r.action == "reorg"],
        "cursor_block": None if cursor is None else cursor[0],
        "cursor_hash": None if cursor is None else cursor[1],
        "chain_time": now,
        "head": None if last is None else last.head,
        "safe_head": None if last is None else last.safe_head,
    }


@index_app.command("once")
def once(
    config: ConfigOpt = None,
    rpc: RpcOpt = None,
    database_url: DbOpt = None,
    manifest: ManifestOpt = None,
    confirmations: Annotated[
        int | None, typer.Option(help="Blocks a block needs to count as final.")
    ] = None,
    retries: Annotated[int, typer.Option(help="RPC failures tolerated (with backoff).")] = 5,
    as_json: JsonOpt = False,
) -> None:
    """Index every confirmed block up to the chain's safe head, then exit.

    Example: fomo index once --json
    """
    _settings, indexer = _setup(config, rpc, database_url, manifest, confirmations=confirmations)
    results: list[StepResult] = []
    failures, delay = 0, 0.5
    while True:
        try:
            result = indexer.step()
        except ReorgTooDeep as exc:
            _fail(str(exc), as_json)
        except (RpcUnavailable, ChainMoved, CursorMoved) as exc:
            failures += 1
            if failures > retries:
                _fail(f"the chain RPC is unavailable: {exc}", as_json)
            time.sleep(delay)
            delay = min(delay * 2, 30.0)
            continue
        results.append(result)
        if result.action == "idle":
            break
    summary = _summary(results, indexer)
    if as_json:
        typer.echo(json.dumps(summary))
    else:
        typer.echo(
            f"indexed {summary['batches']} batch(es), {summary['logs']} log(s); "
            f"cursor at block {summary['cursor_block']}"
            + (f"; reorgs undone from block(s) {summary['reorgs']}" if summary["reorgs"] else "")
        )


@index_app.command("status")
def status(
    config: ConfigOpt = None,
    database_url: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Where the indexer is (cursor block, hash and chain time) — reads only the database."""
    settings = Settings.load(config, database_url=database_url)
    path = sqlite_path(settings.db_url)
    if (path is not None and not path.exists()) or current_revision(settings.db_url) is None:
        _fail(f"the database at {settings.db_url} is not set up (run `fomo up` first)", as_json)
    engine = make_engine(settings.db_url)
    try:
        with make_session_factory(engine)() as s:
            row = s.get(IndexerCursor, "chain")
            now = chain_time(s)
            data = {
                "ok": True,
                "cursor_block": None if row is None else row.block_number,
                "cursor_hash": None if row is None else row.block_hash,
                "chain_time": now,
            }
    finally:
        engine.dispose()
    if as_json:
        typer.echo(json.dumps(data))
    else:
        typer.echo(f"cursor at block {data['cursor_block']} (chain time {now})")


def _fail(message: str, as_json: bool) -> NoReturn:
    if as_json:
        typer.echo(json.dumps({"ok": False, "error": message}))
    else:
        typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)
