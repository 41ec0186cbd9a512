"""`fomo launch …` (create, buy, quote, graduate, claim, redeem, list, show, models) and
`fomo faucet`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from web3.contract import Contract

from fomo.chain.client import ChainClient
from fomo.chain.deploy import model_type_id
from fomo.chain.errors import ChainActionError
from fomo.chain.launchpad import (
    LaunchView,
    all_tokens,
    check_ticker_free,
    model_types,
    quote_now,
    read_launch,
    read_struct,
    resolve_token,
)
from fomo.cli import launch_meta
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
    approve_step,
    check_spend,
    checksum,
    connect,
    fmt_bps,
    fmt_units,
    handled,
    parse_amount,
    send_step,
    settings,
    tx_json,
)
from fomo.economics.curve import BuyQuote, min_out_after_slippage, price_impact, tax_bps
from fomo.economics.units import (
    BPS,
    FLOCK_DECIMALS,
    MT_DECIMALS,
    SECONDS_PER_DAY,
    fraction_text,
)

launch_app = typer.Typer(help="Fair launches: create, buy, graduate, claim, redeem, inspect.")

FLOCK_SPEND: dict[str, Any] = {"symbol": "FLOCK", "decimals": FLOCK_DECIMALS}
DEFAULT_SLIPPAGE_BPS = 100
DEFAULT_DEADLINE_SECONDS = 600

SlippageOpt = Annotated[
    int,
    typer.Option(
        "--slippage-bps", min=0, max=5000, help="Accept up to this much less MT than quoted."
    ),
]
DeadlineOpt = Annotated[
    int,
    typer.Option("--deadline", min=1, help="Seconds (chain time) before the buy expires."),
]


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


# --- commands ----------------------------------------------------------------------------------


@launch_app.command("models")
def models(rpc: RpcOpt = None, manifest: ManifestOpt = None, as_json: JsonOpt = False) -> None:
    """List the registered model types (what `launch create` accepts).

    Example: fomo launch models
    """
    out = Out(as_json)
    with handled(out):
        client = connect(Conn(rpc, manifest), need_key=False)
        rows = model_types(client)

        def human() -> None:
            t = Table(title="model types")
            for col in ("base model", "min raise", "max raise", "LP/reserved/protocol", "enabled"):
                t.add_column(col)
            for r in rows:
                t.add_row(
                    r["base_model"],
                    fmt_units(int(r["min_raise"]), 18),
                    fmt_units(int(r["max_raise"]), 18),
                    f"{r['lp_bps']}/{r['reserved_bps']}/{r['protocol_bps']}",
                    "yes" if r["enabled"] else "no",
                )
            out.console.print(t)

        out.result({"model_types": rows}, human)


@launch_app.command("create")
def create(
    model: Annotated[str, typer.Argument(help="Base model, e.g. qwen3-30b-a3b-instruct.")],
    name: Annotated[str, typer.Argument(help="MT name: 1-32 printable ASCII characters.")],
    symbol: Annotated[
        str,
        typer.Argument(
            help="MT ticker: 2-16 ASCII letters/digits, unique in any case, e.g. QWENALICE."
        ),
    ],
    first_buy: Annotated[
        str | None,
        typer.Option("--first-buy", help="Bundled first buy in FLOCK (base fee only, ≤ 250k MT)."),
    ] = None,
    description: Annotated[
        str | None,
        typer.Option("--description", help="What the deployment is (≤ 2,000 characters)."),
    ] = None,
    image: Annotated[
        Path | None,
        typer.Option("--image", help="Logo: PNG, JPEG or WebP file, ≤ 256 KiB."),
    ] = None,
    link: Annotated[
        list[str] | None,
        typer.Option("--link", help="An https:// link (repeat, up to 5)."),
    ] = None,
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
    """Launch a Model Token: pays the launch fee (32,768 FLOCK), opens a 7-day sale.

    With --description/--image/--link the metadata document is stored in the platform database
    and its sha256 committed on-chain (`set_metadata`, a second transaction).

    Example: fomo launch create qwen3-30b-a3b-instruct "Qwen Alice" QWENALICE --first-buy 20000
    """
    out = Out(as_json)
    with handled(out):
        client = connect(Conn(rpc, manifest, key, keystore, dev_account))
        lp = client.contract("Launchpad")
        mid = model_type_id(model)
        mtype = read_struct(lp, "model_types", mid)
        if int(mtype["max_raise"]) == 0:
            raise ChainActionError(f"Unknown model type {model!r}: see `fomo launch models`.")
        launch_meta.check_names(name, symbol)
        metadata = launch_meta.read_metadata(description, image, link)
        check_ticker_free(lp, symbol)
        fee = int(lp.functions.launch_creation_fee().call())
        first = parse_amount(first_buy, FLOCK_DECIMALS, what="first buy") if first_buy else 0
        first_quote: dict[str, Any] | None = None
        min_out = 0
        if first:
            mt_out, net, pfee, cfee = client.call(
                lp.functions.quote_first_buy(mid, first), contract="Launchpad"
            )
            min_out = min_out_after_slippage(int(mt_out), slippage_bps)
            first_quote = {
                "flock_in": str(first),
                "net": str(net),
                "protocol_fee": str(pfee),
                "creator_fee": str(cfee),
                "mt_out": str(mt_out),
            }
        out.info(
            f"Launch [bold]{symbol}[/] ({name}) on {model}: launch fee "
            f"{fmt_units(fee, 18)} FLOCK (non-refundable)"
            + (
                f", first buy {fmt_units(first, 18)} FLOCK → "
                f"{fmt_units(int(first_quote['mt_out']), 18)} MT"
                if first_quote
                else ""
            )
        )

        def create_call() -> Any:  # built again after the prompt: the deadline counts from then
            return lp.functions.create_launch(
                mid, name, symbol, first, min_out, client.timestamp() + deadline
            )

        action = create_call()
        flock = client.manifest.address("FLOCK")  # type: ignore[union-attr]
        check_spend(
            out,
            client,
            token=flock,
            spender=lp.address,
            amount=fee + first,
            **FLOCK_SPEND,
            action=action,
            contract="Launchpad",
            what="this launch (fee and first buy)",
        )
        out.confirm("Create this launch?", yes)
        content_hash = (
            None if metadata is None else launch_meta.store_metadata(settings().db_url, *metadata)
        )
        approve_step(out, client, flock, lp.address, fee + first)
        result = send_step(out, client, "creating launch", create_call(), "Launchpad")
        created = client.events(result, lp, "LaunchCreated")
        token = str(created[0]["token"])
        bought = client.events(result, lp, "Purchased")
        data: dict[str, Any] = {
            "action": "create",
            "token": token,
            "symbol": symbol,
            "name": name,
            "model": model,
            "sale_end": int(created[0]["saleEnd"]),
            "launch_fee": str(fee),
            **tx_json(result),
        }
        if bought:
            data["first_buy"] = {
                "flock_in": str(bought[0]["flockIn"]),
                "mt_allocated": str(bought[0]["mtAllocated"]),
            }
        if content_hash is not None:
            meta_tx = send_step(
                out,
                client,
                "committing metadata",
                lp.functions.set_metadata(token, bytes.fromhex(content_hash[2:])),
                "Launchpad",
            )
            data["metadata"] = {"content_hash": content_hash, "tx": meta_tx.tx_hash}
        out.result(
            data,
            lambda: out.console.print(
                f"[green]launched[/] {symbol} at {token}"
                + (f"; metadata {content_hash} committed" if content_hash else "")
            ),
        )


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
        check_spend(
            out,
            client,
            token=flock,
            spender=lp.address,
            amount=q.gross_used,
            **FLOCK_SPEND,
            action=action,
            contract="Launchpad",
            what="this buy",
        )
        out.confirm("Send this buy?", yes)
        approve_step(out, client, flock, lp.address, q.gross_used)
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
            raise _claimed_already(client, lp, address, exc) from None
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


def _claimed_already(
    client: ChainClient, lp: Contract, token: str, exc: ChainActionError
) -> ChainActionError:
    """A second `claim` reverts "nothing to claim", like a claim by someone who never bought;
    the principal (kept after a claim, zeroed only by a redeem) tells the two apart."""
    if exc.reason != "nothing to claim" or client.account is None:
        return exc
    if int(lp.functions.principal_of(token, client.account.address).call()) == 0:
        return exc
    return ChainActionError(
        "You already claimed your MT from this launch; there is nothing left to claim.",
        reason=exc.reason,
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
        committed = bytes(client.contract("Launchpad").functions.metadata_hash(view.token).call())
        data["metadata_hash"] = "0x" + committed.hex() if any(committed) else None
        who = (
            checksum(account)
            if account
            else (client.account.address if client.account is not None else None)
        )
        if who is not None:
            lp = client.contract("Launchpad")
            data["account"] = {
                "address": who,
                "principal": str(lp.functions.principal_of(view.token, who).call()),
                "allocation": str(lp.functions.allocation_of(view.token, who).call()),
                "mt_balance": str(
                    client.at("ModelToken", view.token).functions.balanceOf(who).call()
                ),
            }

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
