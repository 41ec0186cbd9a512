"""Where a base model is served — one ``url`` or a pool of ``replicas`` — and the pools' settings.

Part of the gateway's configuration (:class:`fomo.gateway.config.GatewayConfig` holds
``upstreams`` and ``upstream_pool``); the pools themselves run in :mod:`fomo.gateway.pools`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MAX_REPLICA_WEIGHT = 1000
"""A replica's weight is a share among its pool's (1..1000: a 1000:1 split is already all-in)."""
MAX_REPLICAS = 64


class ReplicaSpec(BaseModel):
    """One replica of a pool (``[[upstreams."<model>".replicas]]``)."""

    model_config = ConfigDict(extra="forbid")

    url: str
    """Base URL including ``/v1``."""
    api_key: str | None = None
    """Default: the pool's ``api_key``."""
    weight: int = 1
    model: str | None = None
    """Model name this replica expects (default: the pool's ``model``, else the base model id)."""
    name: str | None = None
    """Label in ``/metrics`` and ``/healthz`` (default: the URL's ``host:port``)."""

    @field_validator("weight")
    @classmethod
    def _weight_bounds(cls, v: int) -> int:
        if not 1 <= v <= MAX_REPLICA_WEIGHT:
            raise ValueError(f"weight must be between 1 and {MAX_REPLICA_WEIGHT} (got {v})")
        return v


class UpstreamSpec(BaseModel):
    """Where a base model is served: one ``url``, or a pool of ``replicas``."""

    model_config = ConfigDict(extra="forbid")

    url: str | None = None
    """Base URL including ``/v1`` (``…/chat/completions`` is appended)."""
    api_key: str = ""
    model: str | None = None
    """Model name the upstream expects (default: the base model id)."""
    replicas: list[ReplicaSpec] | None = None
    """Several servers of this model: weighted, health-checked, failed over
    (``[upstream_pool]``)."""

    @model_validator(mode="after")
    def _url_or_replicas(self) -> UpstreamSpec:
        if self.url is not None and self.replicas is not None:
            raise ValueError("give either url or a list of replicas, not both")
        if self.url is None and self.replicas is None:
            raise ValueError("give url (one server) or replicas (a pool)")
        if self.replicas is not None:
            if not self.replicas:
                raise ValueError("replicas is empty: list at least one replica (or give url)")
            if len(self.replicas) > MAX_REPLICAS:
                raise ValueError(f"at most {MAX_REPLICAS} replicas per model")
            seen: set[str] = set()
            for r in self.replicas:
                url = r.url.rstrip("/")
                if url in seen:
                    raise ValueError(f"replica url {url} is listed twice")
                seen.add(url)
            names: set[str] = set()
            for r in self.resolved_replicas():
                if r.name in names:
                    raise ValueError(
                        f"two replicas are named {r.name}: give each a distinct name = …"
                    )
                names.add(r.name or "")
        return self

    def resolved_replicas(self) -> list[ReplicaSpec]:
        """Every server of this model with the pool's defaults filled in: the URL without a
        trailing slash, the key, the model name (``None``: the base model id), the label."""
        given = self.replicas if self.replicas is not None else [ReplicaSpec(url=self.url or "")]
        return [
            ReplicaSpec(
                url=r.url.rstrip("/"),
                api_key=self.api_key if r.api_key is None else r.api_key,
                weight=r.weight,
                model=r.model or self.model,
                name=r.name or replica_label(r.url),
            )
            for r in given
        ]


def replica_label(url: str) -> str:
    """``host:port`` of a URL: names a replica in ``/metrics`` without its path or credentials."""
    parts = urlsplit(url)
    host = parts.hostname or url
    return f"{host}:{parts.port}" if parts.port else host


class PoolSettings(BaseModel):
    """How every upstream pool checks its replicas and fails over (``[upstream_pool]``).

    Health checks and breakers only matter where there is a choice: a model with one server
    (``url = …`` or one replica) is always sent to it, as before pools existed.
    """

    model_config = ConfigDict(extra="forbid")

    health_path: str = "/models"
    """GET ``<replica url><health_path>``; any 2xx passes. ``/models`` (under ``/v1``) is
    served by vLLM, SGLang, Ollama and OpenAI alike."""
    health_interval_s: float = Field(5.0, ge=0.2, le=300)
    health_timeout_s: float = Field(2.0, gt=0, le=60)
    breaker_failures: int = Field(3, ge=1, le=100)
    """Consecutive failures (connect error, timeout or 5xx before the first byte) that open a
    replica's breaker."""
    breaker_cooldown_s: float = Field(15.0, ge=0.1, le=3600)
    """An open breaker admits nothing for this long, then lets one trial request through."""
    first_byte_timeout_s: float | None = Field(None, gt=0, le=3600)
    """Give up on a replica whose response has not begun after this long and try the next
    (default: ``read_timeout_s``). A unary completion's response begins only when it is
    finished, so keep it above the longest generation you serve unstreamed."""

    @field_validator("health_path")
    @classmethod
    def _path_shape(cls, v: str) -> str:
        if not v.startswith("/"):
            raise ValueError(f"health_path must start with '/' (got {v!r})")
        return v
