"""`fomo launch quote|buy|graduate|claim|redeem`: a buy's quote and the sale's transactions."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from fomo.chain.errors import ChainActionError
from fomo.chain.launchpad import (
    LaunchView,
    explain_claim_revert,
    quote_now,
    read_launch,
    resolve_token,
)
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
    approve_step,
    check_spend,
    connect,
    fmt_bps,
    fmt_units,
    handled,
    parse_amount,
    send_step,
    tx_json,
)
from fomo.cli.launch import (
    DEFAULT_DEADLINE_SECONDS,
    DEFAULT_SLIPPAGE_BPS,
    FLOCK_SPEND,
    DeadlineOpt,
    SlippageOpt,
    launch_app,
)
from fomo.economics.curve import BuyQuote, min_out_after_slippage, price_impact
from fomo.economics.units import (
    BPS,
    FLOCK_DECIMALS,
    MT_DECIMALS,
    fraction_text,
)


def quote_json(view: LaunchView, quote: BuyQuote) -> dict[str, Any]:
    return {
        "tax_bps": quote.tax_bps,
        "flock_in": str(quote.gross_used + quote.refund),
        "gross_used": str(quote.gross_used),
        "refund": str(quote.refund),
        "net": str(quote.net),
        "protocol_fee": str(quote.protocol_fee),
        "creator_fee": str(quote.creator_fee),
        "anti_sniper_fee": str(quote.anti_sniper_fee),
        "mt_out": str(quote.mt_out),
        "graduates": quote.graduates,
        "price_impact_bps": int(price_impact(quote, view.spot_price()) * BPS),
    }


def quote_table(view: LaunchView, quote: BuyQuote) -> Table:
    f, m = FLOCK_DECIMALS, MT_DECIMALS
    t = Table(title=f"buy {view.symbol} — quote", show_header=False)
    t.add_row("you pay", f"{fmt_units(quote.gross_used, f)} FLOCK")
    if quote.refund:
        t.add_row("returned (partial fill)", f"{fmt_units(quote.refund, f)} FLOCK")
    t.add_row("combined tax", fmt_bps(quote.tax_bps))
    t.add_row("  platform fee", f"{fmt_units(quote.protocol_fee, f)} FLOCK")
    t.add_row("  creator fee", f"{fmt_units(quote.creator_fee, f)} FLOCK")
    t.add_row("  anti-sniper fee", f"{fmt_units(quote.anti_sniper_fee, f)} FLOCK")
    t.add_row("principal (redeemable if it fails)", f"{fmt_units(quote.net, f)} FLOCK")
    t.add_row("MT allocated", f"{fmt_units(quote.mt_out, m)} {view.symbol}")
    impact = price_impact(quote, view.spot_price())
    t.add_row("price impact", f"{fraction_text(impact * 100, 4)}%")
    if quote.graduates:
        t.add_row("note", "this buy fills the raise and graduates the launch")
    return t


@launch_app.command("quote")
def quote_cmd(
    token: Annotated[str, typer.Argument(help="Launch: MT address or ticker.")],
    amount: Annotated[str, typer.Argument(help="FLOCK to spend (fees included).")],
    rpc: RpcOpt = None,
    manifest: ManifestOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Quote a buy (fees, anti-sniper tax, MT out, price impact) without sending anything.

    Example: fomo launch quote QWENALICE 5000
    """
    out = Out(as_json)
    with handled(out):
        client = connect(Conn(rpc, manifest), need_key=False)
        view = read_launch(client, resolve_token(client, token))
        q = quote_now(client, view, parse_amount(amount, FLOCK_DECIMALS))
        out.result(
            {"action": "quote", "token": view.token, "quote": quote_json(view, q)},
            lambda: out.console.print(quote_table(view, q)),
        )


@launch_app.command("buy")
def buy(
    token: Annotated[str, typer.Argument(help="Launch: MT address or ticker.")],
    amount: Annotated[str, typer.Argument(help="FLOCK to spend (fees included).")],
    slippage_bps: SlippageOpt = DEFAULT_SLIPPAGE_BPS,
    deadline: DeadlineOpt = DEFAULT_DEADLINE_SECONDS,
    rpc: RpcOpt = None,
    manifest: ManifestOpt = None,
    key: KeyOpt = None,
    keystore: KeystoreOpt = None,
    dev_account: DevAccountOpt = None,
    as_json: JsonOpt = False,
    yes: YesOpt = False,
) -> None:
    """Buy into a live launch: shows the quote (fees, tax, price impact) and asks to confirm.

    Example: fomo launch buy QWENALICE 5000
    """
    out = Out(as_json)
    with handled(out):
        client = connect(Conn(rpc, manifest, key, keystore, dev_account))
        view = read_launch(client, resolve_token(client, token))
        flock_in = parse_amount(amount, FLOCK_DECIMALS)
        q = quote_now(client, view, flock_in)
        if not as_json:
            out.console.print(quote_table(view, q))
            if q.anti_sniper_fee:
                out.console.print(
                    f"[yellow]warning:[/] the anti-sniper tax is {fmt_bps(q.tax_bps)} right now; "
                    "it falls 1 point per minute to the 1.5% base fee."
                )
        lp = client.contract("Launchpad")
        min_out = min_out_after_slippage(q.mt_out, slippage_bps)

        def buy_call() -> Any:  # built again after the prompt: the deadline counts from then
            return lp.functions.buy(
                view.token, q.gross_used, min_out, client.timestamp() + deadline
            )

        action = buy_call()
        flock = client.manifest.address("FLOCK")  # type: ignore[union-attr]
        spend = TokenSpend(
            Spend(flock, lp.address, q.gross_used, action, "Launchpad"),
            **FLOCK_SPEND,
            what="this buy",
        )
        check_spend(out, client, spend)
        out.confirm("Send this buy?", yes)
        approve_step(out, client, spend.spend)
        result = send_step(out, client, "buying", buy_call(), "Launchpad")
        ev = client.events(result, lp, "Purchased")[0]
        graduated = bool(client.events(result, lp, "Graduated"))
        data = {
            "action": "buy",
            "token": view.token,
            "flock_in": str(ev["flockIn"]),
            "net": str(ev["netUsed"]),
            "mt_allocated": str(ev["mtAllocated"]),
            "protocol_fee": str(ev["protocolFee"]),
            "creator_fee": str(ev["creatorFee"]),
            "anti_sniper_fee": str(ev["antiSniperFee"]),
            "graduated": graduated,
            "quote": quote_json(view, q),
            **tx_json(result),
        }
        out.result(
            data,
            lambda: out.console.print(
                f"[green]bought[/] {fmt_units(int(ev['mtAllocated']), 18)} {view.symbol} for "
                f"{fmt_units(int(ev['flockIn']), 18)} FLOCK"
                + (" — the launch graduated" if graduated else "")
            ),
        )


def _simple_action(
    action: str,
    fn_name: str,
    token: str,
    conn: Conn,
    as_json: bool,
    yes: bool,
    event: str | None,
    amount_field: str | None,
) -> None:
    out = Out(as_json)
    with handled(out):
        client = connect(conn)
        address = resolve_token(client, token)
        view = read_launch(client, address)
        lp = client.contract("Launchpad")
        fn = lp.get_function_by_name(fn_name)(address)
        try:
            client.call(fn, contract="Launchpad")  # surface a revert before asking
        except ChainActionError as exc:
            raise explain_claim_revert(client, address, exc) from None
        out.confirm(f"{action.capitalize()} {view.symbol}?", yes)
        result = send_step(out, client, action, fn, "Launchpad")
        data: dict[str, Any] = {"action": action, "token": address, **tx_json(result)}
        if event is not None and amount_field is not None:
            evs = client.events(result, lp, event)
            if evs:
                data[amount_field] = str(evs[0]["amount"])
        out.result(
            data,
            lambda: out.console.print(
                f"[green]{action}[/] {view.symbol} done"
                + (
                    f": {fmt_units(int(data[amount_field]), 18)}"
                    f" {'FLOCK' if action == 'redeem' else view.symbol}"
                    if amount_field in data
                    else ""
                )
            ),
        )


@launch_app.command("graduate")
def graduate(
    token: Annotated[str, typer.Argument(help="Launch: MT address or ticker.")],
    rpc: RpcOpt = None,
    manifest: ManifestOpt = None,
    key: KeyOpt = None,
    keystore: KeystoreOpt = None,
    dev_account: DevAccountOpt = None,
    as_json: JsonOpt = False,
    yes: YesOpt = False,
) -> None:
    """Graduate a launch whose window ended at ≥ min raise (anyone may call).

    Example: fomo launch graduate QWENALICE
    """
    _simple_action(
        "graduate",
        "graduate",
        token,
        Conn(rpc, manifest, key, keystore, dev_account),
        as_json,
        yes,
        None,
        None,
    )


@launch_app.command("claim")
def claim(
    token: Annotated[str, typer.Argument(help="Launch: MT address or ticker.")],
    rpc: RpcOpt = None,
    manifest: ManifestOpt = None,
    key: KeyOpt = None,
    keystore: KeystoreOpt = None,
    dev_account: DevAccountOpt = None,
    as_json: JsonOpt = False,
    yes: YesOpt = False,
) -> None:
    """Claim your MT allocation after graduation.

    Example: fomo launch claim QWENALICE
    """
    _simple_action(
        "claim",
        "claim",
        token,
        Conn(rpc, manifest, key, keystore, dev_account),
        as_json,
        yes,
        "Claimed",
        "amount",
    )


@launch_app.command("redeem")
def redeem(
    token: Annotated[str, typer.Argument(help="Launch: MT address or ticker.")],
    rpc: RpcOpt = None,
    manifest: ManifestOpt = None,
    key: KeyOpt = None,
    keystore: KeystoreOpt = None,
    dev_account: DevAccountOpt = None,
    as_json: JsonOpt = False,
    yes: YesOpt = False,
) -> None:
    """Get your principal back from a failed launch (fees are not refunded).

    Example: fomo launch redeem QWENBOB
    """
    _simple_action(
        "redeem",
        "redeem",
        token,
        Conn(rpc, manifest, key, keystore, dev_account),
        as_json,
        yes,
        "Redeemed",
        "amount",
    )
