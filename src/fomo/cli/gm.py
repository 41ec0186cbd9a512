"""`fomo gm lock|add|extend|withdraw|show`: gmFLOCK, FLOCK locked 30–365 days for a global reward
multiplier."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from fomo.chain.gmflock import lock_state, unlock_time_for
from fomo.chain.spend import Spend
from fomo.cli.chainkit import (
    Conn,
    DevAccountOpt,
    JsonOpt,
    KeyOpt,
    KeystoreOpt,
    ManifestOpt,
    Out,
    RpcOpt,
    TokenSpend,
    YesOpt,
    checksum,
    connect,
    fmt_time,
    fmt_units,
    handled,
    parse_amount,
    simulate_and_send,
    spend_and_send,
    tx_json,
)
from fomo.economics.units import FLOCK_DECIMALS

if TYPE_CHECKING:
    from fomo.chain.client import ChainClient, TxResult

gm_app = typer.Typer(help="gmFLOCK: lock FLOCK for 30–365 days for a global reward multiplier.")


DaysOpt = Annotated[int, typer.Option("--days", help="Lock length in days (30–365).")]


@gm_app.command("lock")
def gm_lock(
    amount: Annotated[str, typer.Argument(help="FLOCK to lock.")],
    days: DaysOpt = 365,
    rpc: RpcOpt = None,
    manifest: ManifestOpt = None,
    key: KeyOpt = None,
    keystore: KeystoreOpt = None,
    dev_account: DevAccountOpt = None,
    as_json: JsonOpt = False,
    yes: YesOpt = False,
) -> None:
    """Lock FLOCK into gmFLOCK (non-transferable; weight = amount × time left / 365 days).

    Example: fomo gm lock 10000 --days 180
    """
    out = Out(as_json)
    with handled(out):
        client = connect(Conn(rpc, manifest, key, keystore, dev_account))
        gm = client.contract("GmFlock")
        value = parse_amount(amount, FLOCK_DECIMALS)
        unlock = unlock_time_for(client.timestamp(), days)
        action = gm.functions.create_lock(value, unlock)
        result = _spend_flock_on_gm(
            out,
            client,
            gm,
            value,
            action,
            "this lock",
            f"Lock {fmt_units(value, 18)} FLOCK until {fmt_time(unlock)}?",
            yes,
            "locking",
        )
        state = lock_state(client, client.address)
        out.result(
            {"action": "lock", "amount": str(value), **state, **tx_json(result)},
            lambda: out.console.print(
                f"[green]locked[/] {fmt_units(value, 18)} FLOCK until "
                f"{fmt_time(int(state['unlock_time']))}; gmFLOCK now "
                f"{fmt_units(int(state['gmflock']), 18)}"
            ),
        )


@gm_app.command("add")
def gm_add(
    amount: Annotated[str, typer.Argument(help="FLOCK to add to your lock.")],
    rpc: RpcOpt = None,
    manifest: ManifestOpt = None,
    key: KeyOpt = None,
    keystore: KeystoreOpt = None,
    dev_account: DevAccountOpt = None,
    as_json: JsonOpt = False,
    yes: YesOpt = False,
) -> None:
    """Add FLOCK to your live lock (unlock time unchanged).

    Example: fomo gm add 5000
    """
    out = Out(as_json)
    with handled(out):
        client = connect(Conn(rpc, manifest, key, keystore, dev_account))
        gm = client.contract("GmFlock")
        value = parse_amount(amount, FLOCK_DECIMALS)
        action = gm.functions.increase_amount(value)
        result = _spend_flock_on_gm(
            out,
            client,
            gm,
            value,
            action,
            "adding to the lock",
            f"Add {fmt_units(value, 18)} FLOCK to your lock?",
            yes,
            "adding",
        )
        state = lock_state(client, client.address)
        out.result(
            {"action": "add", "amount": str(value), **state, **tx_json(result)},
            lambda: out.console.print(
                f"[green]lock is now[/] {fmt_units(int(state['locked']), 18)} FLOCK"
            ),
        )


@gm_app.command("extend")
def gm_extend(
    days: DaysOpt = 365,
    rpc: RpcOpt = None,
    manifest: ManifestOpt = None,
    key: KeyOpt = None,
    keystore: KeystoreOpt = None,
    dev_account: DevAccountOpt = None,
    as_json: JsonOpt = False,
    yes: YesOpt = False,
) -> None:
    """Move your lock's unlock time to `--days` days from now (must be later than today's).

    Example: fomo gm extend --days 365
    """
    out = Out(as_json)
    with handled(out):
        client = connect(Conn(rpc, manifest, key, keystore, dev_account))
        gm = client.contract("GmFlock")
        unlock = unlock_time_for(client.timestamp(), days)
        fn = gm.functions.extend_lock(unlock)
        result = simulate_and_send(
            out, client, fn, "GmFlock", "extending", f"Extend your lock to {fmt_time(unlock)}?", yes
        )
        state = lock_state(client, client.address)
        out.result(
            {"action": "extend", **state, **tx_json(result)},
            lambda: out.console.print(
                f"[green]lock extended[/] to {fmt_time(int(state['unlock_time']))}"
            ),
        )


@gm_app.command("withdraw")
def gm_withdraw(
    rpc: RpcOpt = None,
    manifest: ManifestOpt = None,
    key: KeyOpt = None,
    keystore: KeystoreOpt = None,
    dev_account: DevAccountOpt = None,
    as_json: JsonOpt = False,
    yes: YesOpt = False,
) -> None:
    """Withdraw your FLOCK after the lock expired.

    Example: fomo gm withdraw
    """
    out = Out(as_json)
    with handled(out):
        client = connect(Conn(rpc, manifest, key, keystore, dev_account))
        gm = client.contract("GmFlock")
        fn = gm.functions.withdraw()
        result = simulate_and_send(
            out, client, fn, "GmFlock", "withdrawing", "Withdraw your expired lock?", yes
        )
        evs = client.events(result, gm, "Withdrawn")
        amount = int(evs[0]["amount"]) if evs else 0
        out.result(
            {"action": "withdraw", "amount": str(amount), **tx_json(result)},
            lambda: out.console.print(f"[green]withdrew[/] {fmt_units(amount, 18)} FLOCK"),
        )


@gm_app.command("show")
def gm_show(
    account: Annotated[str | None, typer.Option("--account", help="Account to show.")] = None,
    rpc: RpcOpt = None,
    manifest: ManifestOpt = None,
    key: KeyOpt = None,
    keystore: KeystoreOpt = None,
    dev_account: DevAccountOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show a gmFLOCK lock and its current weight.

    Example: fomo gm show --dev-account 1
    """
    out = Out(as_json)
    with handled(out):
        client = connect(Conn(rpc, manifest, key, keystore, dev_account), need_key=account is None)
        who = checksum(account) if account else client.address
        state = lock_state(client, who)
        out.result(
            {"account": who, **state},
            lambda: out.console.print(
                f"{who}: {fmt_units(int(state['locked']), 18)} FLOCK locked until "
                f"{fmt_time(int(state['unlock_time']))}, "
                f"gmFLOCK {fmt_units(int(state['gmflock']), 18)}"
            ),
        )


def _spend_flock_on_gm(
    out: Out,
    client: ChainClient,
    gm: Any,
    value: int,
    action: Any,
    what: str,
    prompt: str,
    yes: bool,
    doing: str,
) -> TxResult:
    """Lock or add: FLOCK pulled into GmFlock through the one spend flow."""
    flock = client.manifest.address("FLOCK")  # type: ignore[union-attr]
    return spend_and_send(
        out,
        client,
        TokenSpend(
            Spend(flock, gm.address, value, action, "GmFlock"), "FLOCK", FLOCK_DECIMALS, what
        ),
        prompt=prompt,
        yes=yes,
        doing=doing,
    )
