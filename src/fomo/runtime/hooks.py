"""Where components plug into `fomo up`, by import path, so the runtime has no hard dependency on
modules that may not exist yet.

* :data:`DEPLOY_HOOK` — ``ensure_deployed(ctx: RuntimeContext) -> dict | None``: deploy the contract
  suite the first time (and seed model types, fund dev accounts), or return the existing manifest
  from ``settings.manifest_file`` when it still matches the chain; ``None`` means nothing deployed.
* :data:`WORKER_FACTORIES` — ``create_worker(ctx: RuntimeContext) -> Worker | None`` each; the
  indexer and the epoch scheduler register here. A factory returning ``None`` is skipped (e.g. the
  feature is disabled in settings).
* :data:`HTTP_MOUNTS` — ``(path prefix, "module:factory")`` pairs; ``factory(ctx)`` returns an ASGI
  app mounted on the platform server (e.g. the gateway's OpenAI-compatible API).

A hook whose module is missing is reported in the startup banner and skipped; an error inside an
existing hook module is raised (a broken component must not be silently ignored).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

DEPLOY_HOOK = "fomo.chain.deploy:ensure_deployed"
WORKER_FACTORIES: tuple[str, ...] = (
    "fomo.indexer.worker:create_worker",
    "fomo.epochs.scheduler:create_worker",
)
HTTP_MOUNTS: tuple[tuple[str, str], ...] = (
    ("/dev-upstream", "fomo.gateway.mount:dev_upstream_app"),
    ("", "fomo.gateway.mount:gateway_app"),  # last: the gateway answers every other path
)


def load_hook(spec: str) -> Callable[..., Any] | None:
    """Resolve ``"module:attr"``; ``None`` when the module itself does not exist."""
    module_name, _, attr = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and (
            module_name == exc.name or module_name.startswith(exc.name + ".")
        ):
            return None
        raise
    hook = getattr(module, attr, None)
    if hook is None:
        return None
    if not callable(hook):
        raise TypeError(f"hook {spec} is not callable")
    return hook  # type: ignore[no-any-return]
