"""What `fomo up` runs, imported directly: the runtime is the roof of the package and may import
every service; no service imports the runtime (``tests/test_layering.py``).

* :data:`DEPLOY_HOOK` — deploy the contract suite the first time (and seed model types, fund dev
  accounts), or reuse ``settings.manifest_file`` while it still matches the chain; ``None`` means
  nothing is deployed.
* :data:`WORKER_FACTORIES` — the indexer and the epoch scheduler; a factory returning ``None`` is
  skipped (the feature is disabled in settings, or nothing is deployed).
* :data:`HTTP_MOUNTS` — ``(path prefix, factory)`` pairs; ``factory(ctx)`` returns an ASGI app
  mounted on the platform server (the gateway's OpenAI-compatible API last: it answers every
  path the platform's own routes do not).

The tables are module attributes so a test can swap in its own services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fomo.chain.deploy import ensure_deployed
from fomo.chain.manifest import Manifest
from fomo.context import RuntimeContext
from fomo.devtools.mount import dev_upstream_app
from fomo.epochs.scheduler import create_worker as create_epoch_scheduler
from fomo.gateway.mount import gateway_app
from fomo.indexer.worker import create_worker as create_indexer
from fomo.workers import Worker

DeployHook = Callable[[RuntimeContext], Manifest | None]
WorkerFactory = Callable[[RuntimeContext], Worker | None]
MountFactory = Callable[[RuntimeContext], Any]  # an ASGI app

DEPLOY_HOOK: DeployHook = ensure_deployed
WORKER_FACTORIES: tuple[WorkerFactory, ...] = (create_indexer, create_epoch_scheduler)
HTTP_MOUNTS: tuple[tuple[str, MountFactory], ...] = (
    ("/dev-upstream", dev_upstream_app),
    ("", gateway_app),  # last: the gateway answers every other path
)
