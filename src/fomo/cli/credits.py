"""`fomo credits grant|balance|deposit|sync-deposits`: prepaid credits in integer nano-USD."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from fomo.cli.gatewaykit import (
    DB_OPTION,
    GATEWAY_OPTION,
    database_errors,
    gateway_store,
    parse_address,
    usd_to_nano,
)
from fomo.economics.units import usd_text

credits_app = typer.Typer(help="Prepaid credits (integer nano-USD).", no_args_is_help=True)


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
    amount = usd_to_nano(usd)
    entry = gateway_store(database_url).grant(account, amount, note)
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
    bal = gateway_store(database_url).balance(account)
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
    n = gateway_store(database_url).credit_confirmed_deposits(confirmations)
    if as_json:
        typer.echo(json.dumps({"credited": n}))
        return
    typer.echo(f"credited {n} deposit(s)")
