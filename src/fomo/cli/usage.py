"""`fomo usage show|log`: metered usage and the discount in force."""

from __future__ import annotations

import json
import time

import typer

from fomo.cli.gatewaykit import (
    DB_OPTION,
    database_errors,
    fail,
    gateway_store,
    parse_address,
)
from fomo.economics.units import SECONDS_PER_DAY, usd_text

usage_app = typer.Typer(help="Metered usage and the discount in force.", no_args_is_help=True)


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
    store = gateway_store(database_url)
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
    store = gateway_store(database_url)
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
