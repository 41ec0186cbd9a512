"""`fomo vesting list|release`: the issuer's and treasury's MT vesting schedules."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from fomo.chain.staking import vesting_schedule, vesting_schedules
from fomo.cli.chainkit import (
    Conn,
    DevAccountOpt,
    JsonOpt,
    KeyOpt,
    KeystoreOpt,
    ManifestOpt,
    Out,
    RpcOpt,
    YesOpt,
    checksum,
    connect,
    fmt_time,
    fmt_units,
    handled,
    simulate_and_send,
    tx_json,
)

vesting_app = typer.Typer(help="Vesting schedules (issuer and treasury MT).")


@vesting_app.command("list")
def vesting_list(
    account: Annotated[
        str | None, typer.Option("--account", help="Only this beneficiary's schedules.")
    ] = None,
    rpc: RpcOpt = None,
    manifest: ManifestOpt = None,
    key: KeyOpt = None,
    keystore: KeystoreOpt = None,
    dev_account: DevAccountOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List vesting schedules (yours when a key is given).

    Example: fomo vesting list --dev-account 0
    """
    out = Out(as_json)
    with handled(out):
        client = connect(Conn(rpc, manifest, key, keystore, dev_account), need_key=False)
        who = (
            checksum(account)
            if account
            else (client.account.address if client.account is not None else None)
        )
        rows = vesting_schedules(client)
        if who is not None:
            rows = [r for r in rows if r["beneficiary"].lower() == who.lower()]

        def human() -> None:
            t = Table(title="vesting schedules")
            for col in (
                "id",
                "token",
                "beneficiary",
                "amount",
                "released",
                "releasable",
                "cliff",
                "end",
            ):
                t.add_column(col)
            for r in rows:
                t.add_row(
                    str(r["id"]),
                    r["token"],
                    r["beneficiary"],
                    fmt_units(int(r["amount"]), 18),
                    fmt_units(int(r["released"]), 18),
                    fmt_units(int(r["releasable"]), 18),
                    fmt_time(r["cliff_end"]),
                    fmt_time(r["end"]),
                )
            out.console.print(t)

        out.result({"schedules": rows}, human)


@vesting_app.command("release")
def vesting_release(
    schedule_id: Annotated[int, typer.Argument(help="Schedule id (see `fomo vesting list`).")],
    rpc: RpcOpt = None,
    manifest: ManifestOpt = None,
    key: KeyOpt = None,
    keystore: KeystoreOpt = None,
    dev_account: DevAccountOpt = None,
    as_json: JsonOpt = False,
    yes: YesOpt = False,
) -> None:
    """Release the vested part of a schedule to its beneficiary (anyone may call).

    Example: fomo vesting release 1
    """
    out = Out(as_json)
    with handled(out):
        client = connect(Conn(rpc, manifest, key, keystore, dev_account))
        v = client.contract("Vesting")
        sched = vesting_schedule(client, schedule_id)
        fn = v.functions.release(schedule_id)
        result = simulate_and_send(
            out,
            client,
            fn,
            "Vesting",
            "releasing",
            f"Release {fmt_units(int(sched['releasable']), 18)} to {sched['beneficiary']}?",
            yes,
        )
        evs = client.events(result, v, "Released")
        amount = int(evs[0]["amount"]) if evs else 0
        out.result(
            {
                "action": "release",
                "id": schedule_id,
                "amount": str(amount),
                "beneficiary": sched["beneficiary"],
                **tx_json(result),
            },
            lambda: out.console.print(
                f"[green]released[/] {fmt_units(amount, 18)} to {sched['beneficiary']}"
            ),
        )
