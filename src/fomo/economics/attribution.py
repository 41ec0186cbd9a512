"""Which MT a request's usage counts toward (SPEC §6).

Every deployment has its own model id ``<base>-<ticker in lower case>``
(``qwen3-30b-a3b-instruct-qwenalice``); base model ids (``qwen3-30b-a3b-instruct``) are served too.

* **Season 2** (default): only a deployment's own model id counts toward its MT; usage on a base
  model id counts toward no MT (it is still billed and still earns revenue for nobody's MT).
* **Season 1**: a deployment's own id counts as in Season 2; usage on a base model id is
  attributed to the user's most-staked deployment of that base model, if the user has any stake on
  one. Ties (equal stake) go to the deployment whose token id sorts first in lower case — the
  oldest-looking rule would need a clock, and a token address is stable, public and unique.

The gateway attributes every request with :class:`AttributionTable` (one implementation), built
from :func:`unique_deployments`: a model id two deployments would share is served by neither.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

Season = Literal[1, 2]
# The one definition of which seasons exist and which one runs by default: the platform settings
# (fomo.config), the gateway's and the epoch engine's parameters all take their bounds from here,
# and at run time the gateway and the epochs follow the platform's `season` setting.
SEASONS: tuple[Season, ...] = (1, 2)
DEFAULT_SEASON: Season = 2


def deployment_model_id(base_model: str, ticker: str) -> str:
    """The model id a deployment is served under."""
    return f"{base_model}-{ticker.lower()}"


@dataclass(frozen=True, slots=True)
class DeploymentRef:
    """The attribution-relevant facts of a deployment."""

    token: str
    base_model: str
    ticker: str

    @property
    def model_id(self) -> str:
        return deployment_model_id(self.base_model, self.ticker)


@dataclass(frozen=True, slots=True)
class ModelIdClash:
    """A model id that cannot be served: several deployments (or a base model) claim it."""

    model_id: str
    tokens: tuple[str, ...]
    """The deployments involved, lower-cased and sorted."""
    reason: str

    def sentence(self) -> str:
        return f"model id {self.model_id!r} is not served: {self.reason} ({', '.join(self.tokens)})"


def unique_deployments(
    deployments: Iterable[DeploymentRef], base_models: Iterable[str] = ()
) -> tuple[tuple[DeploymentRef, ...], tuple[ModelIdClash, ...]]:
    """Split ``deployments`` into those that alone own their model id and the clashes.

    Nobody silently wins a clash: every deployment of a clashing model id is refused, and the
    result does not depend on the input order (the same token listed twice under the same model
    id counts once). Refused: two tokens sharing a model id; a model id equal to a base model id
    (a request would be ambiguous); a token listed under two different model ids.
    """
    by_id: dict[str, dict[str, DeploymentRef]] = {}
    ids_of: dict[str, set[str]] = {}
    for dep in deployments:
        token = dep.token.lower()
        by_id.setdefault(dep.model_id, {}).setdefault(token, dep)
        ids_of.setdefault(token, set()).add(dep.model_id)
    bases = set(base_models)
    kept: list[DeploymentRef] = []
    clashes: list[ModelIdClash] = []
    for model_id in sorted(by_id):
        owners = by_id[model_id]
        tokens = tuple(sorted(owners))
        if len(owners) > 1:
            clashes.append(ModelIdClash(model_id, tokens, "several deployments claim it"))
        elif model_id in bases:
            clashes.append(ModelIdClash(model_id, tokens, "it is also a base model id"))
        elif len(ids_of[tokens[0]]) > 1:
            others = sorted(ids_of[tokens[0]] - {model_id})
            clashes.append(
                ModelIdClash(model_id, tokens, f"the deployment is also listed as {others}")
            )
        else:
            kept.append(owners[tokens[0]])
    return tuple(kept), tuple(clashes)


class AttributionTable:
    """Model id → deployment lookups; refuses two deployments that would share a model id."""

    def __init__(self, deployments: Iterable[DeploymentRef]) -> None:
        self._by_model_id: dict[str, DeploymentRef] = {}
        self._by_base: dict[str, list[DeploymentRef]] = {}
        tokens: set[str] = set()
        for dep in deployments:
            if dep.model_id in self._by_model_id:
                raise ValueError(f"two deployments share the model id {dep.model_id!r}")
            if dep.token.lower() in tokens:
                raise ValueError(f"token {dep.token!r} is listed twice")
            tokens.add(dep.token.lower())
            self._by_model_id[dep.model_id] = dep
            self._by_base.setdefault(dep.base_model, []).append(dep)
        # A deployment id that is also a base model name would make a request ambiguous.
        clash = set(self._by_model_id) & set(self._by_base)
        if clash:
            raise ValueError(f"model id(s) {sorted(clash)} are both a base model and a deployment")

    def deployment_for_model_id(self, model_id: str) -> DeploymentRef | None:
        return self._by_model_id.get(model_id)

    def deployments_of_base(self, base_model: str) -> tuple[DeploymentRef, ...]:
        return tuple(self._by_base.get(base_model, ()))

    def attribute(
        self,
        model_id: str,
        user_stakes: Mapping[str, int],
        season: Season = DEFAULT_SEASON,
    ) -> str | None:
        """The token id the usage of ``model_id`` counts toward, or ``None``.

        ``user_stakes`` maps token id → the user's active stake (any consistent unit; only the
        ordering matters). Only Season 1 looks at it.
        """
        own = self._by_model_id.get(model_id)
        if own is not None:
            return own.token
        if season == 2:
            return None
        candidates = [
            (user_stakes.get(dep.token, 0), dep.token)
            for dep in self._by_base.get(model_id, ())
            if user_stakes.get(dep.token, 0) > 0
        ]
        if not candidates:
            return None
        # Highest stake first; among equal stakes the lowest lower-cased token id.
        best = min(candidates, key=lambda c: (-c[0], c[1].lower()))
        return best[1]
