"""One typed settings object for the whole platform (pydantic-settings).

:meth:`Settings.load` merges four layers, lowest first, and records where each value came from
(``Settings.sources``, shown by ``fomo config show``):

1. the embedded defaults below (anvil devnet + SQLite in ``./.fomo/``);
2. the TOML file given by ``--config`` / ``FOMO_CONFIG`` (top-level keys named like the fields,
   e.g. ``http_port = 9000``; an optional ``[fomo]`` table is also accepted);
3. environment variables ``FOMO_<FIELD>`` (e.g. ``FOMO_HTTP_PORT=9000``);
4. keyword arguments (CLI flags; ``None`` means "not given").

The gateway's settings (:mod:`fomo.gateway.config`) are layered the same way on top of these.

Every field is documented in ``docs/configuration.md``; keep the two in sync (a test checks it).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, PrivateAttr, SecretStr, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from fomo.economics.attribution import DEFAULT_SEASON, SEASONS

CONFIG_ENV = "FOMO_CONFIG"

# Anvil's well-known default mnemonic: its keys are public, devnet only.
ANVIL_MNEMONIC = "test test test test test test test test test test test junk"
DEV_CHAIN_IDS = frozenset({31337, 1337})


class Settings(BaseSettings):
    """Platform configuration; build it with :meth:`load` to honour ``--config``/``FOMO_CONFIG``."""

    model_config = SettingsConfigDict(
        env_prefix="FOMO_",
        extra="forbid",
        validate_default=True,
    )

    # --- where things live -------------------------------------------------------------------
    data_dir: Path = Field(Path(".fomo"), description="Data directory (db, anvil state, manifest).")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; default sqlite:///<data_dir>/fomo.db."
    )
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    redis_url: str | None = Field(
        None,
        description="Redis for the gateway's shared credit ledger and rate limits (needed to run "
        "several gateway workers); default: none, everything in the one gateway process.",
    )

    # --- chain -------------------------------------------------------------------------------
    rpc_url: str | None = Field(
        None, description="External EVM RPC; when set, no anvil is started by `fomo up`."
    )
    chain_id: int = Field(31337, ge=1, description="Expected chain id (checked against the RPC).")
    anvil_host: str = "127.0.0.1"
    anvil_port: int = Field(8545, ge=1, le=65535)
    anvil_path: Path | None = Field(None, description="anvil binary; default: PATH, then .tools/")
    anvil_accounts: int = Field(10, ge=1, le=100)
    anvil_balance_eth: int = Field(10_000, ge=1)
    anvil_mnemonic: str = ANVIL_MNEMONIC
    anvil_block_time: float | None = Field(
        None, gt=0, description="Interval mining in seconds; None = mine on every transaction."
    )
    anvil_state_interval: int = Field(
        10, ge=0, le=3600, description="Seconds between state dumps (0 = only on exit)."
    )
    anvil_startup_timeout: float = Field(30.0, gt=0, le=600)
    deployer_key: SecretStr | None = Field(
        None, description="Deployer private key; default on a dev chain: anvil account 0."
    )
    dev_accounts: int = Field(5, ge=0, le=100, description="Dev accounts funded by `fomo up`.")
    dev_flock_per_account: int = Field(
        1_000_000 * 10**18, ge=0, description="FLOCK base units given to each dev account."
    )
    dev_usdc_per_account: int = Field(
        100_000 * 10**6, ge=0, description="USDC base units given to each dev account."
    )

    # --- HTTP server -------------------------------------------------------------------------
    http_host: str = "127.0.0.1"
    http_port: int = Field(8000, ge=1, le=65535)
    web_dir: Path | None = Field(
        None, description="Built web app (index.html, assets/); default <repo>/web/dist."
    )

    # --- indexer -----------------------------------------------------------------------------
    indexer_enabled: bool = True
    confirmations: int = Field(
        1, ge=1, le=1000, description="A block is final once it has this many confirmations."
    )
    indexer_poll_interval: float = Field(1.0, gt=0, le=3600)
    indexer_batch_blocks: int = Field(1000, ge=1, le=100_000)
    indexer_reorg_depth: int = Field(64, ge=1, le=10_000)
    indexer_backoff_max: float = Field(30.0, gt=0, le=3600)

    # --- epochs & rewards --------------------------------------------------------------------
    # An int with bounds, not Literal[1, 2]: environment values arrive as text ("2"), which a
    # Literal of ints refuses while an int field converts it.
    season: int = Field(DEFAULT_SEASON, ge=min(SEASONS), le=max(SEASONS))
    epoch_scheduler_enabled: bool = True
    epoch_dispute_window_seconds: int = Field(3_600, ge=0, le=7 * 86_400)
    emission_per_epoch: int = Field(
        50_000 * 10**18, ge=0, description="Global FLOCK emission per epoch (base units)."
    )

    _sources: dict[str, str] = PrivateAttr(default_factory=dict)

    @field_validator("database_url", "redis_url")
    @classmethod
    def _url_not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            return None
        return value

    # --- derived -----------------------------------------------------------------------------

    @property
    def db_url(self) -> str:
        """The database URL in force (explicit ``database_url`` or SQLite in the data dir)."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'fomo.db'}"

    @property
    def uses_anvil(self) -> bool:
        """True when `fomo up` runs its own anvil (no external ``rpc_url``)."""
        return self.rpc_url is None

    @property
    def chain_rpc_url(self) -> str:
        """RPC URL the platform talks to."""
        if self.rpc_url:
            return self.rpc_url
        return f"http://{self.anvil_host}:{self.anvil_port}"

    @property
    def http_url(self) -> str:
        return f"http://{self.http_host}:{self.http_port}"

    @property
    def web_root(self) -> Path:
        """The built web app served at ``/``: ``web_dir`` or the repository's ``web/dist``."""
        if self.web_dir is not None:
            return self.web_dir
        return Path(__file__).resolve().parents[2] / "web" / "dist"

    @property
    def is_devnet(self) -> bool:
        """True on the embedded anvil devnet that `fomo up` runs itself (dev-only endpoints)."""
        return self.uses_anvil and self.is_dev_chain

    @property
    def is_dev_chain(self) -> bool:
        return self.chain_id in DEV_CHAIN_IDS

    @property
    def anvil_state_file(self) -> Path:
        return self.data_dir / "anvil-state.json"

    @property
    def manifest_file(self) -> Path:
        return self.data_dir / "deployment.json"

    # --- loading -----------------------------------------------------------------------------

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings)

    @classmethod
    def load(cls, config_file: Path | str | None = None, **overrides: Any) -> Settings:
        """Settings from defaults < TOML (``config_file`` or ``$FOMO_CONFIG``) < env < overrides.

        ``None`` overrides are ignored, so CLI options can pass "not given" straight through.
        Where each value came from is kept in :attr:`sources`.
        """
        unknown = set(overrides) - set(cls.model_fields)
        if unknown:
            raise ValueError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        path = config_file if config_file is not None else os.environ.get(CONFIG_ENV)
        layers: list[tuple[str, dict[str, Any]]] = []
        if path:
            layers.append((f"file {path}", read_toml(Path(path))))
        layers.append(("env", env_values(cls.model_fields)))
        layers.append(("flag", {k: v for k, v in overrides.items() if v is not None}))
        merged: dict[str, Any] = {}
        sources = {name: "default" for name in cls.model_fields}
        for label, values in layers:
            for name, value in values.items():
                merged[name] = value
                sources[name] = f"env {env_name(name)}" if label == "env" else label
        settings = cls(**merged)
        settings._sources = sources
        return settings

    @property
    def sources(self) -> dict[str, str]:
        """Per field: ``default``, ``file <path>``, ``env FOMO_<NAME>`` or ``flag`` (set by
        :meth:`load`; a directly constructed object reports ``default`` for each field)."""
        return {name: self._sources.get(name, "default") for name in type(self).model_fields}


def env_name(field: str) -> str:
    """The environment variable of a setting: ``http_port`` → ``FOMO_HTTP_PORT``."""
    return f"FOMO_{field.upper()}"


# FOMO_* variables that are not settings fields but are read elsewhere (docs/configuration.md).
OTHER_ENV = frozenset(
    {
        "FOMO_CONFIG",
        "FOMO_GATEWAY_CONFIG",
        "FOMO_PRIVATE_KEY",
        "FOMO_KEYSTORE",
        "FOMO_KEYSTORE_PASSWORD",
        "FOMO_GATEWAY_URL",
    }
)


def unknown_env(environ: Any = None) -> dict[str, str | None]:
    """``FOMO_*`` variables that no setting reads (a typo is otherwise silently ignored), each
    with the closest known name, if any."""
    import difflib

    env = os.environ if environ is None else environ
    known = {env_name(n) for n in Settings.model_fields} | OTHER_ENV
    out: dict[str, str | None] = {}
    for name in sorted(env):
        if name.startswith("FOMO_") and name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            out[name] = close[0] if close else None
    return out


def env_values(fields: Any, environ: Any = None) -> dict[str, str]:
    """The ``FOMO_<FIELD>`` variables set in ``environ`` (default: the process), by field.

    Values stay text; the settings model converts them ("2" → 2, "true" → True).
    """
    env = os.environ if environ is None else environ
    return {name: env[env_name(name)] for name in fields if env_name(name) in env}


def read_toml(path: Path) -> dict[str, Any]:
    """Top-level keys of a FOMO TOML config (an optional ``[fomo]`` table is flattened in)."""
    if not path.is_file():
        raise FileNotFoundError(f"config file not found: {path}")
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    table = data.pop("fomo", None)
    if isinstance(table, dict):
        data.update(table)
    unknown = set(data) - set(Settings.model_fields)
    if unknown:
        tables = sorted(k for k in unknown if isinstance(data[k], dict))
        keys = sorted(k for k in unknown if not isinstance(data[k], dict))
        parts = [f"key(s) {', '.join(keys)}"] if keys else []
        parts += [f"table(s) [{'], ['.join(tables)}]"] if tables else []
        from fomo.gateway.config import GatewayConfig

        hint = ""
        if unknown & (set(GatewayConfig.model_fields) | {"gateway"}):
            hint = (
                " (gateway settings belong in the gateway file: FOMO_GATEWAY_CONFIG or "
                "<data_dir>/gateway.toml)"
            )
        raise ValueError(f"unknown setting {' and '.join(parts)} in {path}{hint}")
    return data


__all__ = [
    "ANVIL_MNEMONIC",
    "CONFIG_ENV",
    "DEV_CHAIN_IDS",
    "Settings",
    "env_name",
    "env_values",
    "read_toml",
    "unknown_env",
]
