"""Run the gateway under uvicorn (``fomo serve-gateway`` and ``python -m fomo.gateway.serve``).

One worker by default. ``--workers N`` runs N uvicorn worker processes on one port (uvicorn's
supervisor restarts a worker that dies); they share the credit ledger in Redis, so N > 1 needs
``redis_url`` — with in-process ledgers each worker would accept the account's whole credit.
Each worker journals usage into its own directory under ``journal_dir`` and adopts the journal
of any worker that died. uvloop and httptools are used when installed (``uvicorn[standard]``).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from fomo.gateway.app import Gateway
from fomo.gateway.config import GatewayConfig

CONFIG_ENV = "FOMO_GATEWAY_WORKER_CONFIG"
"""How the parent hands the (validated) configuration to worker processes (JSON)."""


class WorkersNeedRedis(ValueError):
    pass


def check_workers(config: GatewayConfig, workers: int) -> None:
    if workers < 1:
        raise WorkersNeedRedis("--workers must be at least 1")
    if workers > 1 and not config.redis_url:
        raise WorkersNeedRedis(
            f"--workers {workers} needs the shared credit ledger: set redis_url (FOMO_REDIS_URL, "
            "or redis_url in the gateway TOML), or each worker would accept the whole credit."
        )


def _tune() -> None:
    logging.basicConfig(level=logging.WARNING)
    # Background threads (batched usage inserts, polls) hold the GIL for a few milliseconds at a
    # time; with the default 5 ms switch interval the event loop could wait that long for it on
    # every wake-up. A 0.5 ms interval bounds that stall (tail latency) at a small throughput cost.
    sys.setswitchinterval(0.0005)


def worker_app() -> Gateway:
    """uvicorn factory run in each worker process (``--workers N``)."""
    _tune()
    return Gateway(GatewayConfig.model_validate_json(os.environ[CONFIG_ENV]))


def run(config: GatewayConfig, host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    import uvicorn

    check_workers(config, workers)
    _tune()
    common = {
        "host": host,
        "port": port,
        "log_level": "warning",
        "access_log": False,
        "lifespan": "on",
        "timeout_graceful_shutdown": 10,
    }
    if workers == 1:
        uvicorn.run(Gateway(config), **common)  # type: ignore[arg-type]
        return
    os.environ[CONFIG_ENV] = config.model_dump_json()
    uvicorn.run(
        "fomo.gateway.serve:worker_app",
        factory=True,
        workers=workers,
        # uvicorn kills (and restarts) a worker that does not answer its supervisor's ping in
        # time; 5 s (the default) is too short for a worker still importing on a busy machine.
        timeout_worker_healthcheck=30,
        **common,  # type: ignore[arg-type]
    )


def parse_args(argv: list[str] | None = None) -> tuple[argparse.Namespace, GatewayConfig]:
    """The arguments and the configuration, layered as ``fomo serve-gateway`` layers them: the
    platform settings (defaults < ``fomo.toml`` < ``FOMO_*``), then the gateway file. Reading the
    file alone would put the gateway's own defaults (database, data dir, chain) back."""
    from fomo.config import Settings
    from fomo.gateway.config import load_gateway_config

    p = argparse.ArgumentParser(description="Run the FOMO API gateway")
    p.add_argument("--config", type=Path, default=None)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1)
    a = p.parse_args(argv)
    try:
        cfg, _sources = load_gateway_config(Settings.load(), a.config)
    except (ValueError, FileNotFoundError) as exc:
        p.exit(2, f"error: invalid configuration: {exc}\n")
    return a, cfg


def main(argv: list[str] | None = None) -> None:
    a, cfg = parse_args(argv)
    try:
        run(cfg, a.host, a.port, a.workers)
    except WorkersNeedRedis as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()
