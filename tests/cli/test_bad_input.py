"""Bad input to the gateway commands gets one sentence and exit code 2, never a traceback
(issue 12, item 14). Driven through the real CLI app on a real SQLite database."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from fomo.cli.main import app
from fomo.db.migrate import upgrade

GOOD = "0x52908400098527886E0F7030069857D2E4169EE7"  # EIP-55 test vector (all caps: no checksum)


@pytest.fixture()
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    for name in ("FOMO_DATABASE_URL", "FOMO_CONFIG", "FOMO_GATEWAY_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    url = f"sqlite:///{tmp_path / 'fomo.db'}"
    upgrade(url)
    return ["--database-url", url]


def _run(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(app, list(args))
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res.exit_code, res.stdout, res.stderr


def _one_sentence(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: ") and "Traceback" not in stderr
    return lines[0]


@pytest.mark.parametrize(
    "args",
    [
        ("credits", "grant", "0xnotanaddress", "5"),
        ("credits", "balance", "0x1234"),
        ("usage", "show", "alice"),
        ("usage", "log", "alice"),
        ("keys", "create", "--account", "0x" + "g" * 40),
        ("keys", "list", "--account", "0x" + "1" * 39),
    ],
)
def test_malformed_address_is_one_sentence(db: list[str], args: tuple[str, ...]) -> None:
    code, out, err = _run(*args, *db)
    assert code == 2 and out == ""
    line = _one_sentence(err)
    assert "is not a wallet address (0x followed by 40 hex digits)" in line


def test_wrong_checksum_is_refused(db: list[str]) -> None:
    typo = GOOD[:-2] + "e7"  # mixed case now, and the checksum no longer matches
    code, _, err = _run("credits", "grant", typo, "1", *db)
    assert code == 2 and "wrong EIP-55 checksum" in _one_sentence(err)
    code, out, _ = _run("credits", "grant", GOOD, "1", *db)
    assert code == 0 and GOOD.lower() in out


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (
            ("credits", "grant", GOOD, "-5"),
            "error: -5 is a negative number: amounts must be positive.",
        ),
        (("credits", "grant", GOOD, "-0.5"), "error: -0.5 is a negative number"),
        (("credits", "grant", GOOD, "0"), "error: The amount must be positive (got '0')."),
        (("credits", "grant", GOOD, "ten"), "is not a decimal USD amount"),
        (("credits", "grant", GOOD, "0.0000000001"), "not a whole number of nano-USD"),
        (("usage", "show", GOOD, "--days", "0"), "--days must be at least 1"),
        (("usage", "log", GOOD, "--limit", "0"), "--limit must be an integer from 1 to 500."),
        (("usage", "log", GOOD, "--limit", "501"), "--limit must be an integer from 1 to 500."),
        (("usage", "log", GOOD, "--offset", "-1"), "--offset must be an integer from 0 to"),
        (("usage", "log", GOOD, "--model", ""), "--model must be a model id of 1 to 160 printable"),
    ],
)
def test_bad_amounts_are_one_sentence(db: list[str], args: tuple[str, ...], sentence: str) -> None:
    code, out, err = _run(*args, *db)
    assert code == 2 and out == ""
    assert sentence in _one_sentence(err)


def test_negative_amount_to_chain_commands_is_a_sentence() -> None:
    # Parsing fails before anything connects: no chain needed.
    for args in (("launch", "buy", "QWEN", "-5"), ("stake", "stake", "QWEN", "-1000")):
        code, _, err = _run(*args)
        assert code == 2
        assert "is a negative number: amounts must be positive." in _one_sentence(err)


def test_database_not_migrated_is_one_sentence(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    code, out, err = _run("credits", "balance", GOOD, "--database-url", url)
    assert code == 1 and out == ""
    line = _one_sentence(err)
    assert "is not ready (no such table" in line and "fomo db upgrade" in line


def test_unknown_key_and_missing_credentials_are_sentences(db: list[str]) -> None:
    code, _, err = _run("keys", "revoke", "5", "--operator", *db)
    assert code == 1 and _one_sentence(err) == "error: There is no API key 5."
    code, _, err = _run("keys", "create")
    assert code == 2
    assert _one_sentence(err) == (
        "error: Give --private-key or --dev-account (sign in), or --account (operator)."
    )


def test_bad_day_is_a_sentence(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        app, ["epoch", "show", "--day", "notaday"], env={"FOMO_DATA_DIR": str(tmp_path)}
    )
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "error: The day 'notaday' is neither YYYY-MM-DD nor a day number." in res.stderr
