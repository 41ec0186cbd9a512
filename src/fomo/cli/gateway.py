"""`fomo serve-gateway` and `fomo dev-upstream`: the gateway and the development upstream as
processes. Keys, credits and usage are their own groups (`cli/keys.py`, `cli/credits.py`,
`cli/usage.py`)."""

from __future__ import annotations

from pathlib import Path

import typer

from fomo.cli.gatewaykit import DB_OPTION
from fomo.devtools.dev_config import DEFAULT_MODELS, DevUpstreamConfig
from fomo.devtools.dev_upstream import create_app


def dev_upstream(
    host: str = typer.Option("127.0.0.1", help="Listen address (loopback by default)."),
    port: int = typer.Option(8100, help="Listen port."),
    models: str = typer.Option(",".join(DEFAULT_MODELS), help="Comma-separated model ids."),
    reasoning_models: str = typer.Option("kimi-k2-thinking", help="Models that emit reasoning."),
    latency_ms: float = typer.Option(0.0, help="Delay before each response starts."),
    chunk_latency_ms: float = typer.Option(0.0, help="Delay between stream chunks."),
    fail_status: int = typer.Option(0, help="Inject this HTTP status (0 = never)."),
    fail_every: int = typer.Option(1, help="... on every Nth request."),
    cut_after_chunks: int = typer.Option(0, help="Drop streams after N content chunks."),
    no_usage: bool = typer.Option(False, help="Omit usage from responses."),
    api_key: str = typer.Option("", help="Require this bearer key."),
) -> None:
    """Run the development upstream: a fake, deterministic OpenAI-compatible server."""
    import uvicorn

    cfg = DevUpstreamConfig(
        models=tuple(m for m in models.split(",") if m),
        reasoning_models=tuple(m for m in reasoning_models.split(",") if m),
        latency_ms=latency_ms,
        chunk_latency_ms=chunk_latency_ms,
        fail_status=fail_status,
        fail_every=fail_every,
        cut_after_chunks=cut_after_chunks,
        no_usage=no_usage,
        api_key=api_key,
    )
    uvicorn.run(create_app(cfg), host=host, port=port, log_level="warning", access_log=False)


def serve_gateway(
    config: Path | None = typer.Option(None, "--config", help="Gateway TOML configuration."),
    host: str = typer.Option("127.0.0.1", help="Listen address."),
    port: int = typer.Option(8000, help="Listen port."),
    database_url: str | None = DB_OPTION,
    upstream: str | None = typer.Option(
        None, help="Default upstream base URL (e.g. http://127.0.0.1:8100/v1)."
    ),
    workers: int = typer.Option(
        1, "--workers", min=1, max=256, help="Worker processes (more than 1 needs redis_url)."
    ),
    redis_url: str | None = typer.Option(
        None,
        "--redis-url",
        help="Redis for the shared credit ledger (default: the redis_url setting).",
    ),
) -> None:
    """Run the OpenAI-compatible API gateway; several workers share a Redis credit ledger.

    Settings: defaults < the platform config file and --config < environment < these flags
    (see `fomo config show --gateway-config FILE`).
    """
    from fomo.config import Settings
    from fomo.db.migrate import upgrade
    from fomo.gateway.config import load_gateway_config
    from fomo.gateway.serve import WorkersNeedRedis, check_workers, run

    try:
        settings = Settings.load(database_url=database_url)
        cfg, _sources = load_gateway_config(
            settings, config, default_upstream=upstream, redis_url=redis_url
        )
        check_workers(cfg, workers)
    except WorkersNeedRedis as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    except (ValueError, FileNotFoundError) as exc:
        typer.echo(f"error: invalid configuration: {exc}", err=True)
        raise typer.Exit(2) from None
    upgrade(cfg.database_url)
    run(cfg, host, port, workers)
