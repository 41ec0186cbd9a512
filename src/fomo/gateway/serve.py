"""Run the gateway under uvicorn (``fomo serve-gateway`` and ``python -m fomo.gateway.serve``).

One worker process per database: credit holds live in this process's memory (that is what makes
them cheap and race-free), so two gateway processes must not serve the same accounts. uvloop and
httptools are used when installed (``uvicorn[standard]``).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from fomo.gateway.app import Gateway
from fomo.gateway.config import GatewayConfig


def run(config: GatewayConfig, host: str = "127.0.0.1", port: int = 8000) -> None:
    import uvicorn

    logging.basicConfig(level=logging.WARNING)
    # Background threads (batched usage inserts, polls) hold the GIL for a few milliseconds at a
    # time; with the default 5 ms switch interval the event loop could wait that long for it on
    # every wake-up. A 0.5 ms interval bounds that stall (tail latency) at a small throughput cost.
    sys.setswitchinterval(0.0005)
    uvicorn.run(
        Gateway(config),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=10,
    )


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description="Run the FOMO API gateway")
    p.add_argument("--config", type=Path, default=None)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    a = p.parse_args(argv)
    cfg = GatewayConfig.from_toml(a.config) if a.config else GatewayConfig()
    run(cfg, a.host, a.port)


if __name__ == "__main__":  # pragma: no cover
    main()
