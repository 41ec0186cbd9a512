"""The full schema's metadata: core models plus any component models that exist."""

from __future__ import annotations

import importlib

from sqlalchemy import MetaData

from fomo.db.base import Base

# Component model modules registered on Base.metadata; missing ones are skipped so the core works
# before a component lands.
MODEL_MODULES: tuple[str, ...] = (
    "fomo.db.models",
    "fomo.db.models_gateway",
    "fomo.db.models_indexer",
    "fomo.db.models_epochs",
    "fomo.db.models_market",
    "fomo.db.models_metadata",
)


def target_metadata() -> MetaData:
    """Import every model module that exists and return the shared metadata."""
    for name in MODEL_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return Base.metadata
