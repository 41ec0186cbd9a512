"""Gateway configuration: where each model is served and the knobs of billing and durability.

Loaded from a TOML file (``fomo serve-gateway --config gateway.toml``), e.g.::

    database_url = "sqlite:///data/fomo.db"
    journal_dir = "data/gateway-journal"
    default_upstream = "http://127.0.0.1:8100/v1"

    [upstreams."kimi-k2-thinking"]
    url = "http://gpu-box:8000/v1"
    api_key = "…"
    model = "moonshotai/Kimi-K2-Thinking"   # name the upstream knows the model by

    [[deployments]]                          # besides the graduated launches in the database
    base_model = "qwen3-30b-a3b-instruct"
    ticker = "QWENALICE"
    token = "0x…"                            # the deployment's MT address
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, field_validator

from fomo.economics.pricing import DEFAULT_COMPUTE_RATE_BPS


class UpstreamSpec(BaseModel):
    url: str
    """Base URL including ``/v1`` (``…/chat/completions`` is appended)."""
    api_key: str = ""
    model: str | None = None
    """Model name the upstream expects (default: the base model id)."""


class DeploymentSpec(BaseModel):
    base_model: str
    ticker: str
    token: str
    """The deployment's MT token address (what usage and stake are keyed by)."""
    compute_rate_bps: int = DEFAULT_COMPUTE_RATE_BPS


class GatewayConfig(BaseModel):
    database_url: str = "sqlite:///data/fomo.db"
    redis_url: str | None = None
    """If set, the credit ledger (balances and holds) and the per-key rate limits live in Redis,
    shared by every gateway worker on every host; otherwise they are in this process."""
    ledger_prefix: str = "fomo:cl"
    """Prefix of the credit ledger's Redis keys (one per FOMO database sharing a Redis)."""
    hold_lease_s: float = Field(900.0, gt=0, le=86_400)
    """A credit hold a dead worker left behind comes back to the account after this long. Keep
    it above the longest request (``read_timeout_s``): a request that outlives its lease is
    still charged exactly, but its hold was meanwhile available to other requests."""
    journal_dir: Path = Path("data/gateway-journal")
    journal_fsync: bool = False
    """True: every response waits for a (group) fsync of its usage record — survives a power
    cut, costs a disk flush per response. False (default): the record is written to the OS before
    the response completes (survives any process death, SIGKILL included) and fsynced in the
    background every ``journal_sync_interval_ms``."""
    journal_sync_interval_ms: int = Field(20, ge=1, le=10_000)
    flush_interval_ms: int = Field(200, ge=1, le=60_000)
    flush_batch: int = Field(1000, ge=1, le=100_000)
    poll_interval_s: float = Field(1.0, gt=0, le=3600)
    """How often new credits, revoked keys and deployments are picked up from the database."""

    default_upstream: str | None = None
    upstream_api_key: str = ""
    upstreams: dict[str, UpstreamSpec] = Field(default_factory=dict)
    deployments: list[DeploymentSpec] = Field(default_factory=list)
    load_launches: bool = True
    """Serve every graduated launch in the database as ``<base>-<ticker lower>``."""
    compute_rate_bps: int = Field(DEFAULT_COMPUTE_RATE_BPS, ge=0, le=10_000)
    season: int = Field(2, ge=1, le=2)
    """Usage attribution: 2 = only a deployment's own id counts; 1 = base ids go to the user's
    most-staked deployment of that base model."""

    max_body_bytes: int = Field(4 * 1024 * 1024, ge=1024)
    default_max_output_tokens: int = Field(8192, ge=1)
    """Output bound held (and sent upstream as ``max_tokens``) when a request sets none."""
    min_output_tokens: int = Field(256, ge=1)
    """A request without ``max_tokens`` needs credit for at least this many output tokens."""
    input_slack_tokens: int = Field(256, ge=0)
    """Added to the input bound (prompt bytes) for chat templates and special tokens."""

    connect_timeout_s: float = Field(5.0, gt=0)
    read_timeout_s: float = Field(600.0, gt=0)
    connect_retries: int = Field(2, ge=0, le=10)
    max_connections: int = Field(512, ge=1)

    discount_cache_ttl_s: float = Field(30.0, ge=0)
    deposit_confirmations: int = Field(1, ge=1)
    """A deposit is credited once its block is this deep below the indexer's cursor (1 = as soon
    as indexed; the indexer itself already only indexes blocks ``confirmations`` deep)."""
    siwe_domain: str | None = None
    """Domain a SIWE message must name (default: the request's Host header)."""
    siwe_chain_id: int | None = None
    session_ttl_s: int = Field(86_400, ge=60)
    nonce_ttl_s: int = Field(600, ge=10)

    @field_validator("upstreams", mode="before")
    @classmethod
    def _upstream_strings(cls, v: Any) -> Any:
        if isinstance(v, dict):
            return {k: ({"url": x} if isinstance(x, str) else x) for k, x in v.items()}
        return v

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> GatewayConfig:
        """Defaults taken from the platform ``fomo.config.Settings`` (database, data dir, season,
        confirmations, chain id, Redis if it names one), then ``overrides``."""
        data: dict[str, Any] = {
            "database_url": settings.db_url,
            "journal_dir": Path(settings.data_dir) / "gateway-journal",
            "season": int(getattr(settings, "season", 2)),
            "deposit_confirmations": int(getattr(settings, "confirmations", 3)),
            "siwe_chain_id": getattr(settings, "chain_id", None),
        }
        redis_url = getattr(settings, "redis_url", None)
        if redis_url:
            data["redis_url"] = redis_url
        data.update({k: v for k, v in overrides.items() if v is not None})
        return cls.model_validate(data)

    @classmethod
    def from_toml(cls, path: Path, **overrides: Any) -> GatewayConfig:
        with open(path, "rb") as f:
            data = tomllib.load(f)
        data.update({k: v for k, v in overrides.items() if v is not None})
        return cls.model_validate(data)
