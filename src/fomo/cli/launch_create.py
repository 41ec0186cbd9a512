"""`fomo launch models` and `fomo launch create`: the model types a launch may use, and a new launch
(with its optional bundled first buy and metadata)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from fomo.chain.launchpad import (
    check_ticker_free,
    creation_fee,
    model_type,
    model_types,
    quote_first_buy,
)
from fomo.chain.spend import Spend
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
    TokenSpend,
    YesOpt,
    approve_step,
    check_spend,
    connect,
    fmt_units,
    handled,
    parse_amount,
    send_step,
    settings,
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
from fomo.economics.curve import min_out_after_slippage
from fomo.economics.units import (
    FLOCK_DECIMALS,
)


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
        mid, _ = model_type(client, model)
        launch_meta.check_names(name, symbol)
        metadata = launch_meta.read_metadata(description, image, link)
        check_ticker_free(lp, symbol)
        fee = creation_fee(client)
        first = parse_amount(first_buy, FLOCK_DECIMALS, what="first buy") if first_buy else 0
        first_quote: dict[str, Any] | None = None
        min_out = 0
        if first:
            quoted = quote_first_buy(client, mid, first)
            min_out = min_out_after_slippage(quoted["mt_out"], slippage_bps)
            first_quote = {k: str(v) for k, v in quoted.items()}
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
        spend = TokenSpend(
            Spend(flock, lp.address, fee + first, action, "Launchpad"),
            **FLOCK_SPEND,
            what="this launch (fee and first buy)",
        )
        check_spend(out, client, spend)
        out.confirm("Create this launch?", yes)
        content_hash = (
            None if metadata is None else launch_meta.store_metadata(settings().db_url, *metadata)
        )
        approve_step(out, client, spend.spend)
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
