"""Gateway commands: ``fomo dev-upstream``, ``fomo serve-gateway``, ``fomo keys|usage|credits``."""

from __future__ import annotations

import typer

from fomo.gateway.dev_upstream import DEFAULT_MODELS, DevUpstreamConfig, create_app


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


def register(app: typer.Typer) -> None:
    """Attach the gateway commands to the root ``fomo`` app."""
    app.command("dev-upstream")(dev_upstream)
