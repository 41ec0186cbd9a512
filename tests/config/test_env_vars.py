"""Every environment variable documented in docs/configuration.md works (issue 12, item 12).

The list is read from the document itself, so a variable documented later without a sample
value here fails the test instead of going untested.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fomo.cli.main import app
from fomo.config import Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"

# A valid value for each setting, different from its default, and what `config show` prints.
SAMPLES: dict[str, tuple[str, object]] = {
    "FOMO_DATA_DIR": ("/srv/fomo-test", "/srv/fomo-test"),
    "FOMO_DATABASE_URL": ("sqlite:////tmp/other.db", "sqlite:////tmp/other.db"),
    "FOMO_LOG_LEVEL": ("debug", "debug"),
    "FOMO_REDIS_URL": ("redis://127.0.0.1:6379/5", "redis://127.0.0.1:6379/5"),
    "FOMO_RPC_URL": ("http://127.0.0.1:9545", "http://127.0.0.1:9545"),
    "FOMO_CHAIN_ID": ("8453", 8453),
    "FOMO_ANVIL_HOST": ("127.0.0.2", "127.0.0.2"),
    "FOMO_ANVIL_PORT": ("9545", 9545),
    "FOMO_ANVIL_PATH": ("/opt/anvil", "/opt/anvil"),
    "FOMO_ANVIL_ACCOUNTS": ("20", 20),
    "FOMO_ANVIL_BALANCE_ETH": ("5", 5),
    "FOMO_ANVIL_MNEMONIC": ("abandon " * 11 + "about", "abandon " * 11 + "about"),
    "FOMO_ANVIL_BLOCK_TIME": ("2.5", 2.5),
    "FOMO_ANVIL_STATE_INTERVAL": ("0", 0),
    "FOMO_ANVIL_STARTUP_TIMEOUT": ("12", 12.0),
    "FOMO_DEPLOYER_KEY": ("0x" + "22" * 32, "***"),
    "FOMO_DEV_ACCOUNTS": ("3", 3),
    "FOMO_DEV_FLOCK_PER_ACCOUNT": ("7000000000000000000000", 7000 * 10**18),
    "FOMO_DEV_USDC_PER_ACCOUNT": ("1000000", 1_000_000),
    "FOMO_HTTP_HOST": ("0.0.0.0", "0.0.0.0"),
    "FOMO_HTTP_PORT": ("9100", 9100),
    "FOMO_WEB_DIR": ("/srv/fomo-web", "/srv/fomo-web"),
    "FOMO_INDEXER_ENABLED": ("false", False),
    "FOMO_CONFIRMATIONS": ("3", 3),
    "FOMO_INDEXER_POLL_INTERVAL": ("0.25", 0.25),
    "FOMO_INDEXER_BATCH_BLOCKS": ("50", 50),
    "FOMO_INDEXER_REORG_DEPTH": ("16", 16),
    "FOMO_INDEXER_BACKOFF_MAX": ("5", 5.0),
    "FOMO_SEASON": ("1", 1),
    "FOMO_EPOCH_SCHEDULER_ENABLED": ("0", False),
    "FOMO_EPOCH_DISPUTE_WINDOW_SECONDS": ("60", 60),
    "FOMO_EMISSION_PER_EPOCH": ("50000000000000000000001", 50_000 * 10**18 + 1),
}

# Documented variables that are not settings fields; each has its own test below.
NOT_FIELDS = {
    "FOMO_CONFIG",
    "FOMO_GATEWAY_CONFIG",
    "FOMO_PRIVATE_KEY",
    "FOMO_KEYSTORE",
    "FOMO_KEYSTORE_PASSWORD",
    "FOMO_GATEWAY_URL",
}


def documented_env_vars() -> set[str]:
    return set(re.findall(r"`(FOMO_[A-Z0-9_]+)`", DOC.read_text()))


def test_every_documented_variable_has_a_sample() -> None:
    documented = documented_env_vars()
    assert documented - set(SAMPLES) - NOT_FIELDS == set()
    fields = {f"FOMO_{n.upper()}" for n in Settings.model_fields}
    assert fields <= documented  # and every setting is documented
    assert set(SAMPLES) == fields


def _show(env: dict[str, str]) -> dict[str, object]:
    res = CliRunner().invoke(app, ["config", "show"], env=env)
    assert res.exit_code == 0, f"{env}: {res.output}"
    data: dict[str, object] = json.loads(res.stdout)
    return data


@pytest.mark.parametrize("var", sorted(SAMPLES))
def test_variable_takes_effect(var: str) -> None:
    text, shown = SAMPLES[var]
    field = var.removeprefix("FOMO_").lower()
    default = json.loads(Settings().model_dump_json()).get(field)
    assert shown != default, "the sample must differ from the default to prove anything"
    data = _show({var: text})
    assert data[field] == shown
    assert data["sources"][field] == f"env {var}"  # type: ignore[index]


def test_all_variables_at_once() -> None:
    data = _show({var: text for var, (text, _) in SAMPLES.items()})
    for var, (_, shown) in SAMPLES.items():
        assert data[var.removeprefix("FOMO_").lower()] == shown, var


def test_season_from_the_environment_reaches_the_gateway() -> None:
    data = _show({"FOMO_SEASON": "1"})
    assert data["gateway"]["settings"]["season"] == 1  # type: ignore[index]


def test_config_file_variables(tmp_path: Path) -> None:
    cfg = tmp_path / "fomo.toml"
    cfg.write_text("http_port = 9777\n")
    gw = tmp_path / "gw.toml"
    gw.write_text('default_upstream = "http://127.0.0.1:8100/v1"\n')
    data = _show({"FOMO_CONFIG": str(cfg), "FOMO_GATEWAY_CONFIG": str(gw)})
    assert data["http_port"] == 9777
    assert data["gateway"]["settings"]["default_upstream"] == "http://127.0.0.1:8100/v1"  # type: ignore[index]


# --- the documented variables that are not settings fields ----------------------------------


def test_documented_non_field_variables_are_exactly_these() -> None:
    from fomo.config import OTHER_ENV

    assert documented_env_vars() - set(SAMPLES) == NOT_FIELDS == OTHER_ENV


def test_private_key_and_keystore_variables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eth_account import Account

    from fomo.chain.client import load_key

    key = "0x" + "42" * 32
    monkeypatch.setenv("FOMO_PRIVATE_KEY", key)
    assert load_key().address == Account.from_key(key).address
    monkeypatch.delenv("FOMO_PRIVATE_KEY")
    other = "0x" + "43" * 32
    store = tmp_path / "ks.json"
    store.write_text(json.dumps(Account.encrypt(other, "pw", kdf="pbkdf2", iterations=1000)))
    monkeypatch.setenv("FOMO_KEYSTORE", str(store))
    monkeypatch.setenv("FOMO_KEYSTORE_PASSWORD", "pw")
    assert load_key().address == Account.from_key(other).address


def test_gateway_url_variable() -> None:
    """`fomo keys list --dev-account 0` goes to FOMO_GATEWAY_URL (nothing listens there: the
    one-sentence error names it)."""
    from tests.support import free_port

    url = f"http://127.0.0.1:{free_port()}"
    res = CliRunner().invoke(
        app, ["keys", "list", "--dev-account", "0"], env={"FOMO_GATEWAY_URL": url}
    )
    assert res.exit_code == 1
    assert res.stderr.startswith(f"error: The gateway at {url} does not answer")
    assert "Traceback" not in res.output


def test_the_reported_command() -> None:
    """`FOMO_SEASON=2 fomo config show` used to fail with a literal-type error."""
    data = _show({"FOMO_SEASON": "2"})
    assert data["season"] == 2 and data["sources"]["season"] == "env FOMO_SEASON"  # type: ignore[index]


def test_a_misspelt_variable_is_reported() -> None:
    res = CliRunner().invoke(app, ["config", "show"], env={"FOMO_CONFIRMATION": "3"})
    assert res.exit_code == 0
    assert json.loads(res.stdout)["unknown_env"] == ["FOMO_CONFIRMATION"]
    assert (
        "warning: FOMO_CONFIRMATION is not a FOMO setting and is ignored "
        "(did you mean FOMO_CONFIRMATIONS?)" in res.stderr
    )
