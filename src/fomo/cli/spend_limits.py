"""`fomo keys limit` and `fomo credits limit`: spend limits of a key or of an account.

As the wallet owner through a running gateway (Sign-In with Ethereum: ``--private-key`` or
``--dev-account``, + ``--gateway``), or as the operator directly on the database (``--operator``
for a key, ``--account`` for an account). A running gateway applies a limit set on the database
within one poll interval. The rules (amounts, periods) are ``fomo.economics.spend_limits``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import typer

from fomo.cli.credits import credits_app
from fomo.cli.gatewaykit import (
    DB_OPTION,
    DEV_OPTION,
    GATEWAY_OPTION,
    PK_OPTION,
    SIGN_IN,
    SIGN_IN_OR_OPERATOR,
    database_errors,
    fail,
    gateway_store,
    owner_request,
    parse_address,
    wallet_key,
)
from fomo.cli.keys import keys_app
from fomo.economics.spend_limits import SpendLimit

USD_ARG = typer.Argument(
    None, help="The limit in USD, e.g. 5 or 0.25 (exact; at most 9 decimals). Omit to show it."
)
RESET_OPTION = typer.Option(
    None, "--reset", help="Reset period: daily, weekly, monthly (UTC calendar) or none (never)."
)
REMOVE_OPTION = typer.Option(False, "--remove", help="Remove the limit.")
JSON_OPTION = typer.Option(False, "--json", help="Machine-readable output.")


def _request(usd: str | None, reset: str | None, remove: bool) -> dict[str, Any] | None:
    """The PATCH body these options ask for (None: only show), checked here first so bad input
    is one sentence before any sign-in."""
    if remove:
        if usd is not None or reset is not None:
            fail("Give either --remove or a limit, not both.")
        return {"limit_usd": None}
    body: dict[str, Any] = {}
    if usd is not None:
        body["limit_usd"] = usd.strip()
    if reset is not None:
        body["limit_reset"] = reset
    if body:
        _apply(body, SpendLimit(0, None))  # the same checks and sentences as the gateway's
    return body or None


def _apply(body: dict[str, Any], current: SpendLimit | None) -> SpendLimit | None:
    from fomo.gateway.ledger import MAX_EXACT_NANO
    from fomo.gateway.limits import LimitInputError, parse_limit_body

    try:
        return parse_limit_body(body, current, MAX_EXACT_NANO)
    except LimitInputError as exc:
        fail(str(exc))


def _render(what: str, fields: dict[str, Any], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(fields))
        return
    if fields.get("limit") is None:
        typer.echo(f"{what}: no spend limit")
        return
    period = fields.get("limit_reset") or "lifetime (never resets)"
    line = f"{what}: limit {fields['limit']} USD, {period}"
    if fields.get("limit_remaining") is not None:
        line += f"; {fields['limit_remaining']} USD left"
    if fields.get("limit_resets_at"):
        line += f"; resets at {fields['limit_resets_at']}"
    typer.echo(line)


def _db_fields(store: Any, account: str, key_id: int | None, limit: SpendLimit | None) -> Any:
    from fomo.gateway.limits import limit_json

    now = datetime.now(UTC)
    used = 0 if limit is None else store.spent_in_period(account, key_id, limit, now)
    return limit_json(limit, used, now)


def _owner(
    gateway: str | None, private_key: str | None, method: str, path: str, body: Any, why: str
) -> Any:
    r = owner_request(gateway, private_key, method, path, body, otherwise=why)
    if r.status_code != 200:
        fail(f"The gateway refused: {r.json()['error']['message']}", 1)
    return r.json()


@keys_app.command("limit")
@database_errors
def keys_limit(
    key_id: int = typer.Argument(..., help="Key id (from `fomo keys list`)."),
    usd: str | None = USD_ARG,
    reset: str | None = RESET_OPTION,
    remove: bool = REMOVE_OPTION,
    private_key: str | None = PK_OPTION,
    dev_account: int | None = DEV_OPTION,
    gateway: str | None = GATEWAY_OPTION,
    operator: bool = typer.Option(False, help="Operator: set it directly in the database."),
    database_url: str | None = DB_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Show or set a key's spend limit (HTTP 402 once the key's spend in the period reaches it).

    Example: fomo keys limit 3 5 --reset daily --dev-account 2
    """
    body = _request(usd, reset, remove)
    if operator:
        store = gateway_store(database_url)
        info = store.get_key(key_id)
        if info is None:
            fail(f"There is no API key {key_id}.", 1)
        from fomo.gateway.limits import key_limit_of

        limit = key_limit_of(info)
        if body is not None:
            limit = _apply(body, limit)
            store.set_key_limit(key_id, None, limit)
        _render(f"key {key_id}", _db_fields(store, info.account, key_id, limit), as_json)
        return
    private_key = wallet_key(private_key, dev_account)
    method = "GET" if body is None else "PATCH"
    fields = _owner(gateway, private_key, method, f"/v1/keys/{key_id}", body, SIGN_IN_OR_OPERATOR)
    _render(f"key {key_id}", fields, as_json)


@credits_app.command("limit")
@database_errors
def credits_limit(
    usd: str | None = USD_ARG,
    reset: str | None = RESET_OPTION,
    remove: bool = REMOVE_OPTION,
    private_key: str | None = PK_OPTION,
    dev_account: int | None = DEV_OPTION,
    gateway: str | None = GATEWAY_OPTION,
    account: str | None = typer.Option(None, help="Operator: this address, on the database."),
    database_url: str | None = DB_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Show or set the account's spend limit, over all its keys.

    Example: fomo credits limit 50 --reset monthly --dev-account 2
    """
    body = _request(usd, reset, remove)
    if account:
        address = parse_address(account)
        store = gateway_store(database_url)
        limit = store.account_limit(address)
        if body is not None:
            limit = _apply(body, limit)
            store.set_account_limit(address, limit)
        _render(f"account {address}", _db_fields(store, address, None, limit), as_json)
        return
    private_key = wallet_key(private_key, dev_account)
    method = "GET" if body is None else "PATCH"
    fields = _owner(gateway, private_key, method, "/v1/account/limit", body, SIGN_IN)
    _render(f"account {fields['account']}", fields, as_json)
