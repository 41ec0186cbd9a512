"""Gateway configuration: where each model is served and the knobs of billing and durability.

:func:`load_gateway_config` builds it in the platform's layer order (defaults < file < environment
< flags, see ``docs/configuration.md``): the settings it shares with the platform (database, data
dir, season, confirmations, chain id) come from :class:`fomo.config.Settings` and sit in the layer
they came from there, so a gateway file never silently resets them. The file
(``fomo serve-gateway --config gateway.toml``, or ``FOMO_GATEWAY_CONFIG`` /
``<data_dir>/gateway.toml`` under ``fomo up``) looks like::

    database_url = "sqlite:///data/fomo.db"
    journal_dir = "data/gateway-journal"
    default_upstream = "http://127.0.0.1:8100/v1"

    [upstreams."kimi-k2-thinking"]
    url = "http://gpu-box:8000/v1"
    api_key = "…"
    model = "moonshotai/Kimi-K2-Thinking"   # name the upstream knows the model by

    [upstreams."deepseek-v3.2"]              # a pool: several replicas instead of one url
    api_key = "…"                            # default key of its replicas
    [[upstreams."deepseek-v3.2".replicas]]
    url = "http://gpu-a:8000/v1"
    weight = 3                               # takes 3 of every 4 requests
    [[upstreams."deepseek-v3.2".replicas]]
    url = "http://gpu-b:8000/v1"

    [upstream_pool]                          # health checks and circuit breakers of every pool
    health_interval_s = 5
    breaker_failures = 3
    breaker_cooldown_s = 15

    [[deployments]]                          # besides the graduated launches in the database
    base_model = "qwen3-30b-a3b-instruct"
    ticker = "QWENALICE"
    token = "0x…"                            # the deployment's MT address
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from fomo.economics.attribution import DEFAULT_SEASON, SEASONS
from fomo.economics.pricing import DEFAULT_COMPUTE_RATE_BPS
from fomo.gateway.upstream_config import PoolSettings, UpstreamSpec


class DeploymentSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    base_model: str
    ticker: str
    token: str
    """The deployment's MT token address (what usage and stake are keyed by)."""
    compute_rate_bps: int = DEFAULT_COMPUTE_RATE_BPS


class GatewayConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

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
    upstream_pool: PoolSettings = Field(default_factory=PoolSettings)
    deployments: list[DeploymentSpec] = Field(default_factory=list)
    load_launches: bool = True
    """Serve every graduated launch in the database as ``<base>-<ticker lower>``."""
    compute_rate_bps: int = Field(DEFAULT_COMPUTE_RATE_BPS, ge=0, le=10_000)
    season: int = Field(DEFAULT_SEASON, ge=min(SEASONS), le=max(SEASONS))
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
        data = dict(shared_values(settings))
        data.update({k: v for k, v in overrides.items() if v is not None})
        return cls.model_validate(data)

    @classmethod
    def from_toml(cls, path: Path, **overrides: Any) -> GatewayConfig:
        """The file alone on the gateway's own defaults (no platform settings): for tools and
        tests; the CLI and ``fomo up`` use :func:`load_gateway_config`."""
        data = read_gateway_toml(path)
        data.update({k: v for k, v in overrides.items() if v is not None})
        return validated(data)


def validated(data: dict[str, Any]) -> GatewayConfig:
    """``GatewayConfig`` from raw settings; a bad value is a ``ValueError`` of one sentence
    naming the setting (``upstreams."m".replicas[1].weight: …``), not pydantic's report."""
    try:
        return GatewayConfig.model_validate(data)
    except ValidationError as exc:
        raise ValueError(validation_sentence(exc)) from None


def validation_sentence(exc: ValidationError) -> str:
    errors = exc.errors()
    first = errors[0]
    where = ""
    for part in first["loc"]:
        if isinstance(part, int):
            where += f"[{part}]"
        else:
            text = str(part)
            plain = text.replace("_", "").replace("-", "").isalnum()
            where += ("." if where else "") + (text if plain else f'"{text}"')
    ctx = first.get("ctx") or {}
    message = str(ctx["error"]) if isinstance(ctx.get("error"), ValueError) else first["msg"]
    message = message[:1].lower() + message[1:]
    got = first.get("input")
    if "(got " not in message and isinstance(got, int | float | str) and not isinstance(got, bool):
        message += f" (got {got!r})"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {message}{more}" if where else f"{message}{more}"


# Gateway setting -> the platform setting it is derived from.
SHARED_FROM_PLATFORM = {
    "database_url": "database_url",
    "journal_dir": "data_dir",
    "season": "season",
    "deposit_confirmations": "confirmations",
    "siwe_chain_id": "chain_id",
}


def shared_values(settings: Any) -> dict[str, Any]:
    """The gateway settings that follow the platform settings."""
    data: dict[str, Any] = {
        "database_url": settings.db_url,
        "journal_dir": Path(settings.data_dir) / "gateway-journal",
        "season": int(settings.season),
        "deposit_confirmations": int(settings.confirmations),
        "siwe_chain_id": int(settings.chain_id),
    }
    redis_url = getattr(settings, "redis_url", None)
    if redis_url:
        data["redis_url"] = redis_url
    return data


def read_gateway_toml(path: Path) -> dict[str, Any]:
    """A gateway TOML file's settings (an optional ``[gateway]`` table is flattened in).

    An unknown key or table is an error naming it (a typo such as ``[upstream.x]`` for
    ``[upstreams.x]`` must not be dropped silently); so is a missing file.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"gateway config file not found: {path}")
    with path.open("rb") as fh:
        try:
            data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{path} is not valid TOML: {exc}") from None
    table = data.pop("gateway", None)
    if isinstance(table, dict):
        data.update(table)
    if "season" in data:  # the platform's `season` is its one source (fomo.config)
        raise ValueError(f"season is a platform setting (fomo.toml or FOMO_SEASON), not {path}'s")
    unknown = sorted(set(data) - set(GatewayConfig.model_fields))
    if unknown:
        described = [f"[{k}]" if isinstance(data[k], dict) else k for k in unknown]
        raise ValueError(f"unknown gateway setting(s) in {path}: {', '.join(described)}")
    return data


GATEWAY_CONFIG_ENV = "FOMO_GATEWAY_CONFIG"


def gateway_config_path(settings: Any) -> Path | None:
    """The gateway file ``fomo up`` reads: ``$FOMO_GATEWAY_CONFIG`` (must exist), else
    ``<data_dir>/gateway.toml`` if present, else none."""
    env = os.environ.get(GATEWAY_CONFIG_ENV)
    if env:
        return Path(env)
    path = Path(settings.data_dir) / "gateway.toml"
    return path if path.exists() else None


def load_gateway_config(
    settings: Any, path: Path | None = None, **flags: Any
) -> tuple[GatewayConfig, dict[str, str]]:
    """The gateway's configuration and where each value came from.

    Layers, lowest first: the gateway's defaults, with the settings it shares with the platform
    placed in the layer they came from there (``default``, ``file``, ``env`` or ``flag``); the
    gateway file ``path`` (beats the platform file and defaults); the platform's environment
    variables; ``flags`` (``None`` = not given).
    """
    platform_sources: dict[str, str] = dict(getattr(settings, "sources", {}))
    shared = shared_values(settings)
    layer_of = {"default": 0, "file": 1, "env": 3, "flag": 4}
    entries: list[tuple[int, str, str, Any]] = []  # (layer, source, field, value)
    for name, value in shared.items():
        origin = SHARED_FROM_PLATFORM.get(name, name)
        if name == "database_url" and platform_sources.get(origin, "default") == "default":
            origin = "data_dir"  # the SQLite file follows the data dir
        source = platform_sources.get(origin, "default")
        layer = layer_of.get(source.split(" ", 1)[0], 0)
        if origin == "data_dir":
            # Derived from another platform setting (the database and journal follow the data
            # dir): a value the gateway file names outright beats it, whatever layer set the
            # data dir — `FOMO_DATA_DIR` must not silently replace a file's `database_url`.
            layer = min(layer, 1)
        label = "default" if layer == 0 else source
        entries.append((layer, f"{label} (platform {origin})", name, value))
    if path is not None:
        for name, value in read_gateway_toml(path).items():
            entries.append((2, f"file {path}", name, value))
    for name, value in flags.items():
        if value is not None:
            entries.append((4, "flag", name, value))
    data: dict[str, Any] = {}
    sources = {name: "default" for name in GatewayConfig.model_fields}
    for _layer, source, name, value in sorted(entries, key=lambda e: e[0]):
        data[name] = value
        sources[name] = source
    return validated(data), sources
