"""`fomo keys create|list|revoke`: API keys, as the wallet owner (through a running gateway, with
Sign-In with Ethereum: ``--private-key`` + ``--gateway``) or as the operator (on the database,
``--account``)."""

from __future__ import annotations

import json

import typer

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

keys_app = typer.Typer(help="API keys: create (shown once), list, revoke.", no_args_is_help=True)


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
    private_key = wallet_key(private_key, dev_account)
    if account:
        account = parse_address(account)
        info, key = gateway_store(database_url).create_key(account, name, rpm, tpm)
        typer.echo(json.dumps({"id": info.id, "account": info.account, "key": key}))
        return
    body = {"name": name, "rpm_limit": rpm, "tpm_limit": tpm}
    r = owner_request(gateway, private_key, "POST", "/v1/keys", body, otherwise=SIGN_IN, check=True)
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
    private_key = wallet_key(private_key, dev_account)
    if account:
        keys = gateway_store(database_url).list_keys(parse_address(account))
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
    r = owner_request(gateway, private_key, "GET", "/v1/keys", otherwise=SIGN_IN, check=True)
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
    private_key = wallet_key(private_key, dev_account)
    if operator:
        if gateway_store(database_url).revoke_key(key_id) is None:
            fail(f"There is no API key {key_id}.", 1)
        _revoked(key_id, as_json)
        return
    r = owner_request(
        gateway, private_key, "DELETE", f"/v1/keys/{key_id}", otherwise=SIGN_IN_OR_OPERATOR
    )
    if r.status_code != 200:
        fail(f"The gateway refused: {r.json()['error']['message']}.", 1)
    _revoked(key_id, as_json)


def _revoked(key_id: int, as_json: bool) -> None:
    typer.echo(json.dumps({"revoked": key_id}) if as_json else f"revoked key {key_id}")
