"""`fomo launch list|show`: every launch at a glance, and one launch with your position in it."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from fomo.chain.launchpad import (
    LaunchView,
    all_tokens,
    committed_metadata,
    position,
    read_launch,
    resolve_token,
)
from fomo.cli.chainkit import (
    Conn,
    DevAccountOpt,
    JsonOpt,
    KeyOpt,
    KeystoreOpt,
    ManifestOpt,
    Out,
    RpcOpt,
    checksum,
    connect,
    fmt_bps,
    fmt_units,
    handled,
)
from fomo.cli.launch import launch_app
from fomo.economics.curve import tax_bps
from fomo.economics.units import (
    SECONDS_PER_DAY,
    fraction_text,
)


def _countdown(seconds: int) -> str:
    if seconds <= 0:
        return "ended"
    d, rem = divmod(seconds, SECONDS_PER_DAY)
    h, rem = divmod(rem, 3600)
    m = rem // 60
    return f"{d}d {h}h {m}m" if d else f"{h}h {m}m"


def _progress(raised: int, target: int) -> str:
    return f"{raised * 100 // target}%" if target else "-"


@launch_app.command("list")
def list_cmd(
    rpc: RpcOpt = None,
    manifest: ManifestOpt = None,
    key: KeyOpt = None,
    keystore: KeystoreOpt = None,
    dev_account: DevAccountOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List every launch with status, raise progress, price and time left.

    With a key, launches you created are marked Owned.

    Example: fomo launch list
    """
    out = Out(as_json)
    with handled(out):
        client = connect(Conn(rpc, manifest, key, keystore, dev_account), need_key=False)
        now = client.timestamp()
        views = [read_launch(client, t) for t in all_tokens(client)]
        me = client.account.address if client.account is not None else None

        def owned(v: LaunchView) -> bool:
            return me is not None and str(v.data["creator"]).lower() == me.lower()

        def human() -> None:
            t = Table(title=f"launches ({len(views)})")
            t.add_column("ticker", no_wrap=True)
            for col in (
                "token",
                "status",
                "raised (FLOCK)",
                "to min",
                "to max",
                "price (FLOCK/MT)",
                "ends in",
            ):
                t.add_column(col)
            for v in views:
                d = v.data
                t.add_row(
                    v.symbol,
                    f"{v.token[:6]}…{v.token[-4:]}",
                    v.status_name + (" · Owned" if owned(v) else ""),
                    fmt_units(int(d["raised"]), 18),
                    _progress(int(d["raised"]), int(d["min_raise"])),
                    _progress(int(d["raised"]), int(d["max_raise"])),
                    fraction_text(v.spot_price(), 6),
                    _countdown(int(d["sale_end"]) - now),
                )
            out.console.print(t)

        out.result(
            {"launches": [{**v.to_json(), "owned": owned(v)} for v in views], "now": now}, human
        )


@launch_app.command("show")
def show(
    token: Annotated[str, typer.Argument(help="Launch: MT address or ticker.")],
    account: Annotated[
        str | None, typer.Option("--account", help="Show this account's pledge too.")
    ] = None,
    rpc: RpcOpt = None,
    manifest: ManifestOpt = None,
    key: KeyOpt = None,
    keystore: KeystoreOpt = None,
    dev_account: DevAccountOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show one launch; with a key (or --account) also your pledge and allocation.

    Example: fomo launch show QWENALICE --dev-account 1
    """
    out = Out(as_json)
    with handled(out):
        conn = Conn(rpc, manifest, key, keystore, dev_account)
        client = connect(conn, need_key=False)
        view = read_launch(client, resolve_token(client, token))
        now = client.timestamp()
        data = view.to_json()
        data["tax_bps_now"] = (
            # Clamped: a chain clock set back before the sale start must not crash a read.
            tax_bps(view.fees, max(now - int(view.data["sale_start"]), 0))
            if view.status == 1
            else None
        )
        data["metadata_hash"] = committed_metadata(client, view.token)
        who = (
            checksum(account)
            if account
            else (client.account.address if client.account is not None else None)
        )
        if who is not None:
            held = position(client, view.token, who)
            data["account"] = {"address": who, **{k: str(v) for k, v in held.items()}}

        def human() -> None:
            d = view.data
            t = Table(title=f"{view.symbol} — {view.name}", show_header=False)
            t.add_row("token", view.token)
            t.add_row("status", view.status_name)
            t.add_row("creator", str(d["creator"]))
            if data["metadata_hash"] is not None:
                t.add_row("metadata", f"{data['metadata_hash']} (sha256, see /api/metadata)")
            t.add_row("raised", f"{fmt_units(int(d['raised']), 18)} FLOCK")
            t.add_row(
                "min / max raise",
                f"{fmt_units(int(d['min_raise']), 18)} / "
                f"{fmt_units(int(d['max_raise']), 18)} FLOCK "
                f"({_progress(int(d['raised']), int(d['min_raise']))} of min)",
            )
            t.add_row("sold", f"{fmt_units(int(d['sold']), 18)} / 400,000 MT")
            t.add_row("price", f"{fraction_text(view.spot_price(), 6)} FLOCK per MT")
            t.add_row("ends in", _countdown(int(d["sale_end"]) - now))
            if data["tax_bps_now"] is not None:
                t.add_row("tax now", fmt_bps(int(data["tax_bps_now"])))
            if d["graduated"]:
                t.add_row("DEX pair", str(d["pair"]))
            if "account" in data:
                a = data["account"]
                t.add_row("your principal", f"{fmt_units(int(a['principal']), 18)} FLOCK")
                t.add_row("your allocation", f"{fmt_units(int(a['allocation']), 18)} MT")
                t.add_row("your MT balance", f"{fmt_units(int(a['mt_balance']), 18)} MT")
            out.console.print(t)

        out.result(data, human)
