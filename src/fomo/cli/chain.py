"""`fomo chain deploy|artifacts|info`, and registration of every chain-facing command group."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from web3 import Web3

from fomo.chain.artifacts import compile_errors, load_artifacts, sources_hash, write_artifacts
from fomo.chain.client import KEYSTORE_ENV, PRIVATE_KEY_ENV, load_key
from fomo.chain.deploy import DEV_EMISSION_RUNWAY_DAYS, DeployOptions, deploy_suite
from fomo.chain.errors import ChainActionError
from fomo.chain.manifest import DeployedContract, load_manifest
from fomo.cli.chainkit import (
    JsonOpt,
    KeyOpt,
    KeystoreOpt,
    ManifestOpt,
    Out,
    RpcOpt,
    YesOpt,
    checksum,
    handled,
    settings,
)
from fomo.config import DEV_CHAIN_IDS
from fomo.economics.units import SECONDS_PER_DAY

chain_app = typer.Typer(help="Contract artifacts and deployment.")


def _cache_dir(cache: Path | None) -> Path:
    return cache if cache is not None else settings().data_dir / "artifacts"


CacheOpt = Annotated[
    Path | None,
    typer.Option("--cache", help="Compiled-artifact cache (default: <data_dir>/artifacts)."),
]


@chain_app.command("artifacts")
def artifacts(
    out_dir: Annotated[Path, typer.Option("--out", help="Directory for <Contract>.json files.")],
    cache: CacheOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Compile the suite (vyper 0.4.3, cached by source hash) and write ABI + bytecode JSON.

    Example: fomo chain artifacts --out build/contracts
    """
    out = Out(as_json)
    with handled(out):
        out.progress("compiling (cached by source hash) …")
        cache_dir = _cache_dir(cache)
        digest = sources_hash()  # reads every contract source: once for both look-ups
        arts = load_artifacts(cache_dir, digest=digest)
        written = write_artifacts(out_dir, arts)
        skipped = compile_errors(cache_dir, digest=digest)
        out.result(
            {"written": [str(p) for p in written], "skipped": skipped},
            lambda: out.console.print(
                f"wrote {len(written)} artifacts to {out_dir}"
                + (f" (skipped: {', '.join(skipped)})" if skipped else "")
            ),
        )


@chain_app.command("deploy")
def deploy(
    rpc: RpcOpt = None,
    key: KeyOpt = None,
    keystore: KeystoreOpt = None,
    dev: Annotated[
        bool, typer.Option("--dev", help="Dev tokens with faucets + funded dev accounts.")
    ] = False,
    treasury: Annotated[str | None, typer.Option(help="Treasury (default: deployer).")] = None,
    admin: Annotated[
        str | None, typer.Option(help="Start a two-step admin transfer to this account.")
    ] = None,
    flock: Annotated[str | None, typer.Option(help="Existing FLOCK token (real chain).")] = None,
    usdc: Annotated[str | None, typer.Option(help="Existing USDC token (real chain).")] = None,
    publisher: Annotated[str | None, typer.Option(help="PUBLISHER role holder.")] = None,
    guardian: Annotated[str | None, typer.Option(help="GUARDIAN role holder.")] = None,
    settler: Annotated[str | None, typer.Option(help="SETTLER role holder.")] = None,
    keeper: Annotated[str | None, typer.Option(help="KEEPER role holder.")] = None,
    operator: Annotated[str | None, typer.Option(help="OPERATOR role holder.")] = None,
    dev_accounts: Annotated[
        int | None,
        typer.Option(
            help="With --dev: fund this many anvil-mnemonic accounts (FOMO_DEV_ACCOUNTS)."
        ),
    ] = None,
    manifest: ManifestOpt = None,
    cache: CacheOpt = None,
    force: Annotated[
        bool, typer.Option("--force", help="Deploy even if the manifest's suite is still there.")
    ] = False,
    as_json: JsonOpt = False,
    yes: YesOpt = False,
) -> None:
    """Deploy the whole suite to an EVM RPC and write the deployment manifest.

    Example: fomo chain deploy --rpc http://127.0.0.1:8545 --dev --yes
    """
    out = Out(as_json)
    with handled(out):
        s = settings()
        url = rpc or s.chain_rpc_url
        manifest_path = manifest or s.manifest_file
        w3 = Web3(Web3.HTTPProvider(url, request_kwargs={"timeout": 60}))
        try:
            chain_id = int(w3.eth.chain_id)
        except Exception as exc:
            raise ChainActionError(
                f"The chain RPC at {url} does not answer ({type(exc).__name__})."
            ) from None
        if dev and chain_id not in DEV_CHAIN_IDS:
            raise ChainActionError(
                f"Refusing to deploy dev tokens with public faucets on chain id {chain_id}: "
                "dev chains are 1337 and 31337."
            )
        existing = load_manifest(manifest_path) if manifest_path.is_file() else None
        if existing is not None and not force:
            from fomo.chain.deploy import is_deployed

            if is_deployed(w3, existing):
                raise ChainActionError(
                    f"{manifest_path} describes a suite that is still deployed on this chain; "
                    "use --force to deploy a new one or --manifest for another file."
                )
        from fomo.chain.dev_accounts import dev_accounts as derive

        no_key_given = key is None and keystore is None
        if no_key_given and not (os.environ.get(PRIVATE_KEY_ENV) or os.environ.get(KEYSTORE_ENV)):
            # Fallbacks: the configured deployer key, then (dev chains only) anvil account 0.
            if s.deployer_key is not None:
                key = s.deployer_key.get_secret_value()
            elif chain_id in DEV_CHAIN_IDS:
                key = derive(s.anvil_mnemonic, 1)[0].private_key
        account = load_key(key, keystore)
        n_dev = s.dev_accounts if dev_accounts is None else dev_accounts
        funded = [a.address for a in derive(s.anvil_mnemonic, n_dev)] if dev else []
        roles = {
            name: checksum(value, f"{name.lower()} address")
            for name, value in (
                ("PUBLISHER", publisher),
                ("GUARDIAN", guardian),
                ("SETTLER", settler),
                ("KEEPER", keeper),
                ("OPERATOR", operator),
            )
            if value
        }
        out.info(
            f"Deploying the FOMO suite to chain {chain_id} ({url}) from {account.address}"
            + (" with dev tokens and faucets" if dev else "")
        )
        out.confirm("Deploy?", yes)
        result = deploy_suite(
            w3,
            account,
            dev=dev,
            treasury=checksum(treasury, "treasury") if treasury else None,
            artifacts_dir=_cache_dir(cache),
            manifest_path=manifest_path,
            options=DeployOptions(
                admin=checksum(admin, "admin") if admin else None,
                flock=checksum(flock, "FLOCK address") if flock else None,
                usdc=checksum(usdc, "USDC address") if usdc else None,
                roles=roles,
                dev_accounts=funded,
                dev_flock_per_account=s.dev_flock_per_account,
                dev_usdc_per_account=s.dev_usdc_per_account,
                # The same emission runway `fomo up` funds: a devnet deployed here and then
                # served by `fomo up` (which reuses the manifest) must publish rewards too.
                dev_emission_fund=DEV_EMISSION_RUNWAY_DAYS * s.emission_per_epoch if dev else 0,
            ),
            echo=out.progress,
        )

        def human() -> None:
            title = f"deployed on chain {result.chain_id} (block {result.block})"
            out.console.print(_contracts_table(title, result.contracts))
            out.console.print(f"manifest: {manifest_path}")
            for name, why in result.skipped.items():
                out.console.print(f"[yellow]skipped[/] {name}: {why}")

        out.result(
            {
                "manifest": str(manifest_path),
                "chain_id": result.chain_id,
                "block": result.block,
                "contracts": {n: c.address for n, c in result.contracts.items()},
                "skipped": result.skipped,
                "dev_accounts": result.dev_accounts,
            },
            human,
        )


def _contracts_table(title: str, contracts: Mapping[str, DeployedContract]) -> Table:
    """Contract name → address, as ``deploy`` and ``info`` show them."""
    t = Table(title=title)
    t.add_column("contract")
    t.add_column("address")
    for name, c in contracts.items():
        t.add_row(name, c.address)
    return t


@chain_app.command("info")
def info(manifest: ManifestOpt = None, as_json: JsonOpt = False) -> None:
    """Show the deployment manifest (chain, block, addresses).

    Example: fomo chain info
    """
    out = Out(as_json)
    with handled(out):
        path = manifest or settings().manifest_file
        m = load_manifest(path)
        if m is None:
            raise ChainActionError(f"No deployment manifest at {path}.")

        def human() -> None:
            title = f"chain {m.chain_id}, deployed at block {m.block}"
            out.console.print(_contracts_table(title, m.contracts))

        out.result(
            {
                "chain_id": m.chain_id,
                "block": m.block,
                "dev": m.dev,
                "contracts": {n: c.address for n, c in m.contracts.items()},
            },
            human,
        )


@chain_app.command("advance")
def advance(
    days: Annotated[int, typer.Option("--days", min=0, help="Days to skip.")] = 0,
    hours: Annotated[int, typer.Option("--hours", min=0, help="Hours to skip.")] = 0,
    minutes: Annotated[int, typer.Option("--minutes", min=0, help="Minutes to skip.")] = 0,
    rpc: RpcOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Move a dev chain's clock forward and mine a block (evm_increaseTime + evm_mine).

    Example: fomo chain advance --days 7
    """
    out = Out(as_json)
    with handled(out):
        from fomo.chain.client import ChainClient
        from fomo.chain.devclock import advance_chain_time

        seconds = days * SECONDS_PER_DAY + hours * 3_600 + minutes * 60
        if seconds <= 0:
            raise ChainActionError("Give --days, --hours or --minutes.")
        client = ChainClient.connect(rpc or settings().chain_rpc_url)
        before = client.timestamp()
        now = advance_chain_time(client, seconds)
        out.result(
            {"advanced": seconds, "timestamp": now, "block": client.block_number()},
            lambda: out.console.print(f"chain time moved {now - before} s forward"),
        )


__all__ = ["YesOpt", "chain_app"]
