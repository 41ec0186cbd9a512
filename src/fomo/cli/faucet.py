"""`fomo faucet`: mint dev FLOCK/USDC from the dev tokens' faucet (dev chains only)."""

from __future__ import annotations

from typing import Annotated

import typer
from web3 import Web3

from fomo.chain.errors import ChainActionError
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
    fmt_units,
    handled,
    parse_amount,
    send_step,
)
from fomo.config import DEV_CHAIN_IDS
from fomo.economics.units import FLOCK_DECIMALS, USDC_DECIMALS


def faucet(
    flock: Annotated[str, typer.Option("--flock", help="FLOCK to mint (0 for none).")] = "100000",
    usdc: Annotated[str, typer.Option("--usdc", help="USDC to mint (0 for none).")] = "10000",
    to: Annotated[
        str | None, typer.Option("--to", help="Receiver (default: your account).")
    ] = None,
    rpc: RpcOpt = None,
    manifest: ManifestOpt = None,
    key: KeyOpt = None,
    keystore: KeystoreOpt = None,
    dev_account: DevAccountOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Mint dev FLOCK/USDC from the faucet (dev chains only: 31337/1337).

    Example: fomo faucet --flock 100000 --usdc 5000 --dev-account 2
    """
    out = Out(as_json)
    with handled(out):
        client = connect(Conn(rpc, manifest, key, keystore, dev_account))
        if client.chain_id not in DEV_CHAIN_IDS or not client.manifest.dev:  # type: ignore[union-attr]
            raise ChainActionError(
                f"The faucet exists only on a dev chain (31337/1337) with dev tokens; chain "
                f"{client.chain_id} is not one."
            )
        receiver = checksum(to) if to else client.address
        minted: dict[str, str] = {}
        txs = []
        for sym, text, decimals in (
            ("FLOCK", flock, FLOCK_DECIMALS),
            ("USDC", usdc, USDC_DECIMALS),
        ):
            if text.strip() in ("0", ""):
                continue
            amount = parse_amount(text, decimals, what=f"{sym} amount")
            token = client.at("DevToken", client.manifest.address(sym))  # type: ignore[union-attr]
            result = send_step(
                out,
                client,
                f"faucet {sym}",
                token.functions.faucet(Web3.to_checksum_address(receiver), amount),
                sym,
            )
            minted[sym] = str(amount)
            txs.append(result.tx_hash)
        out.result(
            {"action": "faucet", "to": receiver, "minted": minted, "txs": txs},
            lambda: out.console.print(
                "[green]minted[/] "
                + ", ".join(
                    f"{fmt_units(int(v), FLOCK_DECIMALS if k == 'FLOCK' else 6)} {k}"
                    for k, v in minted.items()
                )
                + f" to {receiver}"
            ),
        )
