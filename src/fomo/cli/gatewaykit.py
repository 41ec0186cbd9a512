"""What the gateway commands share: their options, the database and gateway they reach, input
checks that end in one sentence, and Sign-In with Ethereum against a running gateway.

Light on purpose (`fomo keys|credits|usage --help` must not load SQLAlchemy or web3): the store,
httpx and eth-account are imported inside the functions that use them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

import typer

from fomo.economics.units import parse_units

DB_OPTION = typer.Option(
    None, "--database-url", help="Database URL (default: FOMO_DATABASE_URL, else the data dir)."
)


GATEWAY_OPTION = typer.Option(
    None,
    "--gateway",
    envvar="FOMO_GATEWAY_URL",
    help="Gateway base URL (default: the platform's HTTP address, as served by `fomo up`).",
)


PK_OPTION = typer.Option(
    None, "--private-key", envvar="FOMO_PRIVATE_KEY", help="Wallet key for Sign-In with Ethereum."
)


DEV_OPTION = typer.Option(
    None, "--dev-account", min=0, help="Sign in as dev account N of the anvil mnemonic (devnet)."
)


def wallet_key(private_key: str | None, dev_account: int | None) -> str | None:
    if dev_account is None:
        return private_key
    from fomo.chain.dev_accounts import dev_accounts
    from fomo.config import Settings

    s = Settings.load()
    if not s.is_dev_chain:
        fail("--dev-account works on a dev chain (31337/1337) only.")
    return dev_accounts(s.anvil_mnemonic, dev_account + 1)[dev_account].private_key


def gateway_url(url: str | None) -> str:
    if url:
        return url.rstrip("/")
    from fomo.config import Settings

    return Settings.load().http_url


def db_url(url: str | None) -> str:
    if url:
        return url
    from fomo.config import Settings

    return Settings.load().db_url


def database_errors(fn: Callable[..., None]) -> Callable[..., None]:
    """A command whose database is missing, not migrated or unreachable says so in one
    sentence (exit 1) instead of an SQLAlchemy traceback."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            fn(*args, **kwargs)
        except Exception as exc:
            if not type(exc).__module__.startswith("sqlalchemy"):
                raise
            from fomo.db.session import redact_url

            url = redact_url(db_url(kwargs.get("database_url")))
            first = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            fail(
                f"The database {url} is not ready ({first}): run `fomo up` or "
                "`fomo db upgrade` first, or pass --database-url.",
                1,
            )

    return run


def gateway_store(url: str | None) -> Any:
    from fomo.db.session import make_engine
    from fomo.gateway.store import GatewayStore

    return GatewayStore(make_engine(db_url(url)))


def fail(sentence: str, code: int = 2) -> NoReturn:
    """Bad input: one sentence on stderr and exit code 2 (usage error), never a traceback."""
    typer.echo(f"error: {sentence}", err=True)
    raise typer.Exit(code)


ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")


def parse_address(text: str, what: str = "account") -> str:
    """A wallet address typed by a user → lower-case hex, or one sentence and exit 2.

    A mixed-case address carries an EIP-55 checksum; a wrong one is refused (a typo would
    otherwise credit or show some other account).
    """
    candidate = text.strip()
    if not ADDRESS.fullmatch(candidate):
        fail(f"The {what} {text!r} is not a wallet address (0x followed by 40 hex digits).")
    body = candidate[2:]
    if body != body.lower() and body != body.upper():
        from eth_utils.address import is_checksum_address

        if not is_checksum_address(candidate):
            fail(f"The {what} {text!r} has a wrong EIP-55 checksum (a typo?).")
    return candidate.lower()


def usd_to_nano(text: str) -> int:
    try:
        d = Decimal(text.strip().replace("_", ""))
    except InvalidOperation:
        fail(f"The amount {text!r} is not a decimal USD amount (e.g. 25 or 0.50).")
    if d.is_finite() and d <= 0:
        fail(f"The amount must be positive (got {text!r}).")
    try:
        # Exact scaling: Decimal arithmetic would round past 28 significant digits.
        nano = parse_units(text.strip().replace("_", ""), 9) if d.is_finite() else 0
    except ValueError:
        nano = 0
    if nano <= 0:
        fail(f"The amount {text!r} is not a whole number of nano-USD (at most 9 decimals).")
    return nano


@contextmanager
def reaching_gateway(url: str | None) -> Iterator[None]:
    """An unreachable or failing gateway is one sentence (exit 1), not an httpx traceback."""
    import httpx

    try:
        yield
    except httpx.HTTPStatusError as exc:
        fail(f"The gateway at {gateway_url(url)} answered HTTP {exc.response.status_code}.", 1)
    except httpx.HTTPError as exc:
        fail(
            f"The gateway at {gateway_url(url)} does not answer ({type(exc).__name__}): is "
            "`fomo up` or `fomo serve-gateway` running there?",
            1,
        )


SIGN_IN = "Give --private-key or --dev-account (sign in), or --account (operator)."
SIGN_IN_OR_OPERATOR = "Give --private-key or --dev-account (sign in), or --operator."
"""What a command that acts as the owner says without a wallet key (``--account`` or
``--operator`` being the operator's way round it, on the database)."""


def owner_request(
    gateway: str | None,
    private_key: str | None,
    method: str,
    path: str,
    body: Any = None,
    *,
    otherwise: str,
    check: bool = False,
) -> Any:
    """One request to the gateway as the account's owner: signed in with the wallet key (a
    missing key is the sentence ``otherwise``, naming the operator's alternative), an
    unreachable gateway one sentence; with ``check`` an error status is one sentence too.
    Returns the ``httpx.Response``."""
    if not private_key:
        fail(otherwise)
    import httpx

    with reaching_gateway(gateway):
        session, _ = siwe_session(gateway, private_key)
        r = httpx.request(
            method,
            gateway_url(gateway) + path,
            json=body,
            headers={"authorization": f"Bearer {session}"},
            timeout=30,
        )
        if check:
            r.raise_for_status()
    return r


def siwe_session(gateway: str | None, private_key: str) -> tuple[str, str]:
    """Sign in to a gateway with a wallet key: returns (session token, account)."""
    import httpx

    gateway = gateway_url(gateway)
    from eth_account import Account

    from fomo.gateway import siwe

    acct = Account.from_key(private_key)
    with httpx.Client(base_url=gateway, timeout=30) as c:
        n = c.post("/v1/auth/nonce").raise_for_status().json()
        msg = siwe.SiweMessage(
            domain=n["domain"],
            address=acct.address,
            uri=gateway,
            version="1",
            chain_id=int(n.get("chain_id") or 1),
            nonce=n["nonce"],
            issued_at=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            statement="Sign in to the FOMO API platform.",
        )
        r = c.post(
            "/v1/auth/verify",
            json={"message": msg.text(), "signature": siwe.sign(msg, private_key)},
        )
        if r.status_code != 200:
            fail(f"The gateway refused the sign-in: {r.json()['error']['message']}.", 1)
        body = r.json()
        return str(body["session"]), str(body["account"])
