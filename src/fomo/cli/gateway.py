"""Gateway commands: ``fomo dev-upstream``, ``fomo serve-gateway``, ``fomo keys|credits|usage``.

Key management works two ways: as the wallet owner, through a running gateway with Sign-In with
Ethereum (``--private-key`` + ``--gateway``), or as the operator, directly on the database
(``--account``).
"""

from __future__ import annotations

import functools
import json
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NoReturn

import typer

from fomo.devtools.dev_upstream import DEFAULT_MODELS, DevUpstreamConfig, create_app
from fomo.economics.units import SECONDS_PER_DAY, parse_units, usd_text

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


def _wallet(private_key: str | None, dev_account: int | None) -> str | None:
    if dev_account is None:
        return private_key
    from fomo.chain.dev_accounts import dev_accounts
    from fomo.config import Settings

    s = Settings.load()
    if not s.is_dev_chain:
        fail("--dev-account works on a dev chain (31337/1337) only.")
    return dev_accounts(s.anvil_mnemonic, dev_account + 1)[dev_account].private_key


def _gateway_url(url: str | None) -> str:
    if url:
        return url.rstrip("/")
    from fomo.config import Settings

    return Settings.load().http_url


keys_app = typer.Typer(help="API keys: create (shown once), list, revoke.", no_args_is_help=True)
credits_app = typer.Typer(help="Prepaid credits (integer nano-USD).", no_args_is_help=True)
usage_app = typer.Typer(help="Metered usage and the discount in force.", no_args_is_help=True)


def _db_url(url: str | None) -> str:
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

            url = redact_url(_db_url(kwargs.get("database_url")))
            first = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            fail(
                f"The database {url} is not ready ({first}): run `fomo up` or "
                "`fomo db upgrade` first, or pass --database-url.",
                1,
            )

    return run


def _store(url: str | None) -> Any:
    from fomo.db.session import make_engine
    from fomo.gateway.store import GatewayStore

    return GatewayStore(make_engine(_db_url(url)))


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


def _usd_to_nano(text: str) -> int:
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


def dev_upstream(
    host: str = typer.Option("127.0.0.1", help="Listen address (loopback by default)."),
    port: int = typer.Option(8100, help="Listen port."),
    models: str = typer.Option(",".join(DEFAULT_MODELS), help="Comma-separated model ids."),
    reasoning_models: str = typer.Option("kimi-k2-thinking", help="Models that emit reasoning."),
    latency_ms: float = typer.Option(0.0, help="Delay before each response starts."),
    chunk_latency_ms: float = typer.Option(0.0, help="Delay between stream chunks."),
    fail_status: int = typer.Option(0, help="Inject this HTTP status (0 = never)."),
    fail_every: int = typer.Option(1, help="... on every Nth request."),
    cut_after_chunks: int = typer.Option(0, help="Drop streams after N content chunks."),
    no_usage: bool = typer.Option(False, help="Omit usage from responses."),
    api_key: str = typer.Option("", help="Require this bearer key."),
) -> None:
    """Run the development upstream: a fake, deterministic OpenAI-compatible server."""
    import uvicorn

    cfg = DevUpstreamConfig(
        models=tuple(m for m in models.split(",") if m),
        reasoning_models=tuple(m for m in reasoning_models.split(",") if m),
        latency_ms=latency_ms,
        chunk_latency_ms=chunk_latency_ms,
        fail_status=fail_status,
        fail_every=fail_every,
        cut_after_chunks=cut_after_chunks,
        no_usage=no_usage,
        api_key=api_key,
    )
    uvicorn.run(create_app(cfg), host=host, port=port, log_level="warning", access_log=False)


def serve_gateway(
    config: Path | None = typer.Option(None, "--config", help="Gateway TOML configuration."),
    host: str = typer.Option("127.0.0.1", help="Listen address."),
    port: int = typer.Option(8000, help="Listen port."),
    database_url: str | None = DB_OPTION,
    upstream: str | None = typer.Option(
        None, help="Default upstream base URL (e.g. http://127.0.0.1:8100/v1)."
    ),
    workers: int = typer.Option(
        1, "--workers", min=1, max=256, help="Worker processes (more than 1 needs redis_url)."
    ),
    redis_url: str | None = typer.Option(
        None,
        "--redis-url",
        help="Redis for the shared credit ledger (default: the redis_url setting).",
    ),
) -> None:
    """Run the OpenAI-compatible API gateway; several workers share a Redis credit ledger.

    Settings: defaults < the platform config file and --config < environment < these flags
    (see `fomo config show --gateway-config FILE`).
    """
    from fomo.config import Settings
    from fomo.db.migrate import upgrade
    from fomo.gateway.config import load_gateway_config
    from fomo.gateway.serve import WorkersNeedRedis, check_workers, run

    try:
        settings = Settings.load(database_url=database_url)
        cfg, _sources = load_gateway_config(
            settings, config, default_upstream=upstream, redis_url=redis_url
        )
        check_workers(cfg, workers)
    except WorkersNeedRedis as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    except (ValueError, FileNotFoundError) as exc:
        typer.echo(f"error: invalid configuration: {exc}", err=True)
        raise typer.Exit(2) from None
    upgrade(cfg.database_url)
    run(cfg, host, port, workers)


# --- keys --------------------------------------------------------------------------------------


@contextmanager
def reaching_gateway(url: str | None) -> Iterator[None]:
    """An unreachable or failing gateway is one sentence (exit 1), not an httpx traceback."""
    import httpx

    try:
        yield
    except httpx.HTTPStatusError as exc:
        fail(f"The gateway at {_gateway_url(url)} answered HTTP {exc.response.status_code}.", 1)
    except httpx.HTTPError as exc:
        fail(
            f"The gateway at {_gateway_url(url)} does not answer ({type(exc).__name__}): is "
            "`fomo up` or `fomo serve-gateway` running there?",
            1,
        )


def siwe_session(gateway: str | None, private_key: str) -> tuple[str, str]:
    """Sign in to a gateway with a wallet key: returns (session token, account)."""
    import httpx

    gateway = _gateway_url(gateway)
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


@keys_app.command("create")
@database_errors
def keys_create(
    name: str = typer.Option("", help="A label for the key."),
    rpm: int | None = typer.Option(None, min=1, help="Requests-per-minute limit."),
    tpm: int | None = typer.Option(None, min=1, help="Tokens-per-minute limit."),
    private_key: str | None = PK_OPTION,
    dev_account: int | None = DEV_OPTION,
    gateway: str | None = GATEWAY_OPTION,
    account: str | None = typer.Option(None, help="Operator: create directly for this address."),
    database_url: str | None = DB_OPTION,
    as_json: bool = typer.Option(
        False, "--json", help="Accepted for symmetry: the output is always JSON (shown once)."
    ),
) -> None:
    """Create an API key. The key is printed once, as JSON; only its hash is stored."""
    private_key = _wallet(private_key, dev_account)
    if account:
        account = parse_address(account)
        info, key = _store(database_url).create_key(account, name, rpm, tpm)
        typer.echo(json.dumps({"id": info.id, "account": info.account, "key": key}))
        return
    if not private_key:
        fail("Give --private-key or --dev-account (sign in), or --account (operator).")
    import httpx

    with reaching_gateway(gateway):
        session, _ = siwe_session(gateway, private_key)
        r = httpx.post(
            _gateway_url(gateway) + "/v1/keys",
            json={"name": name, "rpm_limit": rpm, "tpm_limit": tpm},
            headers={"authorization": f"Bearer {session}"},
        )
        r.raise_for_status()
    typer.echo(json.dumps(r.json()))


@keys_app.command("list")
@database_errors
def keys_list(
    private_key: str | None = PK_OPTION,
    dev_account: int | None = DEV_OPTION,
    gateway: str | None = GATEWAY_OPTION,
    account: str | None = typer.Option(None, help="Operator: list this address's keys."),
    database_url: str | None = DB_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """List keys (prefix, name, limits, revoked)."""
    private_key = _wallet(private_key, dev_account)
    if account:
        keys = _store(database_url).list_keys(parse_address(account))
        if as_json:
            typer.echo(
                json.dumps(
                    [
                        {
                            "id": k.id,
                            "prefix": k.prefix,
                            "name": k.name,
                            "revoked": k.revoked,
                            "rpm_limit": k.rpm_limit,
                            "tpm_limit": k.tpm_limit,
                        }
                        for k in keys
                    ]
                )
            )
            return
        for k in keys:
            typer.echo(
                f"{k.id:>5}  {k.prefix}…  {'REVOKED' if k.revoked else 'active ':7}  "
                f"{k.name}  rpm={k.rpm_limit} tpm={k.tpm_limit}"
            )
        return
    if not private_key:
        fail("Give --private-key or --dev-account (sign in), or --account (operator).")
    import httpx

    with reaching_gateway(gateway):
        session, _ = siwe_session(gateway, private_key)
        r = httpx.get(
            _gateway_url(gateway) + "/v1/keys", headers={"authorization": f"Bearer {session}"}
        )
        r.raise_for_status()
    data = r.json()["data"]
    if as_json:
        typer.echo(json.dumps(data))
        return
    for k in data:
        state = "REVOKED" if k.get("revoked") else "active "
        typer.echo(
            f"{k['id']:>5}  {k['prefix']}…  {state}  {k.get('name', '')}  "
            f"rpm={k.get('rpm_limit')} tpm={k.get('tpm_limit')}"
        )


@keys_app.command("revoke")
@database_errors
def keys_revoke(
    key_id: int = typer.Argument(..., help="Key id (from `fomo keys list`)."),
    private_key: str | None = PK_OPTION,
    dev_account: int | None = DEV_OPTION,
    gateway: str | None = GATEWAY_OPTION,
    operator: bool = typer.Option(False, help="Operator: revoke directly in the database."),
    database_url: str | None = DB_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Revoke a key (a running gateway refuses it within its poll interval)."""
    private_key = _wallet(private_key, dev_account)
    if operator:
        if _store(database_url).revoke_key(key_id) is None:
            fail(f"There is no API key {key_id}.", 1)
        _revoked(key_id, as_json)
        return
    if not private_key:
        fail("Give --private-key or --dev-account (sign in), or --operator.")
    import httpx

    with reaching_gateway(gateway):
        session, _ = siwe_session(gateway, private_key)
        r = httpx.delete(
            f"{_gateway_url(gateway)}/v1/keys/{key_id}",
            headers={"authorization": f"Bearer {session}"},
        )
    if r.status_code != 200:
        fail(f"The gateway refused: {r.json()['error']['message']}.", 1)
    _revoked(key_id, as_json)


def _revoked(key_id: int, as_json: bool) -> None:
    typer.echo(json.dumps({"revoked": key_id}) if as_json else f"revoked key {key_id}")


# --- credits -----------------------------------------------------------------------------------


@credits_app.command("grant")
@database_errors
def credits_grant(
    account: str = typer.Argument(..., help="Wallet address."),
    usd: str = typer.Argument(..., help="Amount in USD, e.g. 25 or 0.50 (exact decimal)."),
    note: str = typer.Option("operator grant", help="Ledger note."),
    database_url: str | None = DB_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Credit an account (fiat top-up by the operator)."""
    account = parse_address(account)
    amount = _usd_to_nano(usd)
    entry = _store(database_url).grant(account, amount, note)
    if as_json:
        payload = {"entry": entry, "account": account.lower(), "amount_nano_usd": str(amount)}
        typer.echo(json.dumps(payload))
        return
    typer.echo(
        f"ledger entry {entry}: +{usd_text(amount)} ({amount} nano-USD) to {account.lower()}"
    )


@credits_app.command("balance")
@database_errors
def credits_balance(
    account: str = typer.Argument(..., help="Wallet address."),
    database_url: str | None = DB_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Balance = credits − charged usage (in-flight holds are not shown here)."""
    account = parse_address(account)
    bal = _store(database_url).balance(account)
    if as_json:
        typer.echo(json.dumps({"account": account.lower(), "balance_nano_usd": str(bal)}))
        return
    typer.echo(f"{account.lower()}  {usd_text(bal)}  ({bal} nano-USD)")


@credits_app.command("deposit")
def credits_deposit(
    amount: str = typer.Argument(..., help="USDC to deposit, e.g. 25 or 0.50 (6 decimals)."),
    to: str | None = typer.Option(None, "--to", help="Credit this account (default: yours)."),
    gateway: str | None = GATEWAY_OPTION,
    wait: bool = typer.Option(
        True, "--wait/--no-wait", help="Wait until the gateway credits it, then show the balance."
    ),
    timeout: float = typer.Option(120.0, min=1, help="Seconds to wait for the credit."),
    rpc: str | None = typer.Option(None, "--rpc", help="Chain RPC URL."),
    manifest: Path | None = typer.Option(None, "--manifest", help="Deployment manifest."),
    key: str | None = typer.Option(None, "--key", help="Private key (prefer FOMO_PRIVATE_KEY)."),
    keystore: Path | None = typer.Option(None, "--keystore", help="Encrypted JSON keystore."),
    dev_account: int | None = typer.Option(
        None, "--dev-account", min=0, help="Use dev account N of the anvil mnemonic (devnet)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Deposit USDC into the PaymentVault for API credits (EIP-2612 permit: one transaction).

    Waits for the confirmations and shows the new balance once the gateway credits it.
    Example: fomo credits deposit 25 --dev-account 2
    """
    from fomo.cli.chainkit import Conn
    from fomo.cli.deposit import deposit

    deposit(
        amount,
        to=to,
        conn=Conn(rpc, manifest, key, keystore, dev_account),
        gateway=gateway,
        wait=wait,
        timeout=timeout,
        as_json=as_json,
        yes=yes,
    )


@credits_app.command("sync-deposits")
@database_errors
def credits_sync_deposits(
    confirmations: int = typer.Option(3, min=1, help="Blocks deep a deposit must be."),
    database_url: str | None = DB_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Credit indexed PaymentVault deposits that are deep enough (a gateway does this itself)."""
    n = _store(database_url).credit_confirmed_deposits(confirmations)
    if as_json:
        typer.echo(json.dumps({"credited": n}))
        return
    typer.echo(f"credited {n} deposit(s)")


# --- usage -------------------------------------------------------------------------------------


@usage_app.command("show")
@database_errors
def usage_show(
    account: str = typer.Argument(..., help="Wallet address."),
    days: int = typer.Option(30, help="How many UTC days back."),
    database_url: str | None = DB_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Usage by day and model, then the stake discount in force per deployment."""
    from fomo.economics.discounts import discount_bps

    account = parse_address(account)
    if days < 1:
        fail(f"--days must be at least 1 (got {days}).")
    store = _store(database_url)
    today = int(time.time() // SECONDS_PER_DAY)
    rows = store.usage_by_day_model(account, today - max(days, 1) + 1)
    try:
        stakes = store.stakes_of(account)
    except Exception:
        stakes = {}
    disc = {t: discount_bps(s) for t, s in stakes.items()}
    if as_json:
        typer.echo(json.dumps({"usage": rows, "discount_bps": disc}, indent=2))
        return
    typer.echo(
        f"{'day':10}  {'model':40} {'reqs':>6} {'in':>9} {'cached':>8} {'out':>9} "
        f"{'reason':>8} {'gross':>16} {'paid':>16}"
    )
    for r in rows:
        typer.echo(
            f"{r['day']:10}  {r['model'][:40]:40} {r['requests']:>6} {r['input_tokens']:>9} "
            f"{r['cached_input_tokens']:>8} {r['output_tokens']:>9} {r['reasoning_tokens']:>8} "
            f"{usd_text(int(r['gross_nano_usd'])):>16} {usd_text(int(r['paid_nano_usd'])):>16}"
        )
    if disc:
        typer.echo("discount in force (active MT stake):")
        for t, bps in sorted(disc.items()):
            typer.echo(f"  {t}  {bps / 100:.2f}%")
    else:
        typer.echo("no MT staked: no discount")


@usage_app.command("log")
@database_errors
def usage_log(
    account: str = typer.Argument(..., help="Wallet address (any account: operator view)."),
    limit: int = typer.Option(50, help="Requests to show, newest first (1-500)."),
    offset: int = typer.Option(0, help="Skip this many of the newest requests."),
    model: str | None = typer.Option(None, help="Only this model id."),
    database_url: str | None = DB_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """One account's requests, newest first, read from the database (as /v1/account/requests).

    Requests a running gateway has not flushed yet (at most its flush interval) are not shown.
    """
    from fomo.gateway import requests_log

    account = parse_address(account)
    qs = {"limit": [str(limit)], "offset": [str(offset)]}
    if model is not None:
        qs["model"] = [model]
    try:
        q = requests_log.parse_query(qs)
    except requests_log.BadQuery as exc:
        option = "--" + exc.param.replace("_", "-")
        fail(str(exc).replace(f"'{exc.param}'", option) + ".")
    store = _store(database_url)
    rows, more = requests_log.list_requests(store.factory, account, q)
    if as_json:
        typer.echo(json.dumps(requests_log.page_json(account, q, rows, more), indent=2))
        return
    typer.echo(
        f"{'time (UTC)':19}  {'key':>5} {'model':32} {'in':>7} {'cached':>7} {'out':>7} "
        f"{'reason':>7} {'gross':>14} {'disc':>5} {'paid':>14} {'ms':>9} {'status':>6}"
    )
    for r in rows:
        typer.echo(
            f"{r['created_at'][:19]:19}  {r['key_id'] if r['key_id'] is not None else '-':>5} "
            f"{r['model'][:32]:32} {r['input_tokens']:>7} {r['cached_input_tokens']:>7} "
            f"{r['output_tokens']:>7} {r['reasoning_tokens']:>7} "
            f"{usd_text(int(r['gross_nano_usd'])):>14} {r['discount_bps']:>5} "
            f"{usd_text(int(r['paid_nano_usd'])):>14} {r['latency_ms']:>9} {r['status']:>6}"
        )
    if not rows:
        typer.echo("no requests")
    elif more:
        typer.echo(f"more: --offset {offset + len(rows)}")


def register(app: typer.Typer) -> None:
    """Attach the gateway commands to the root ``fomo`` app."""
    app.command("dev-upstream")(dev_upstream)
    app.command("serve-gateway")(serve_gateway)
    app.add_typer(keys_app, name="keys")
    app.add_typer(credits_app, name="credits")
    app.add_typer(usage_app, name="usage")
