"""Deploy the whole contract suite, seed it, and write the deployment manifest.

Order (each step needs the ones before it):

1. FLOCK and USDC — dev tokens with a faucet on a dev chain (31337/1337), the configured
   existing tokens on a real chain (or, for a test network, dev tokens *without* faucet);
2. the Model Token and Pair blueprints (ERC-5202), the DEX Factory and Router;
3. Vesting, RewardDistributor, Launchpad, Staking, GmFlock;
4. RevenueRouter and PaymentVault (when their sources have landed);
5. roles (publisher, guardian, settler, keeper, operator), the SPEC §2 model types;
6. dev chain only: FLOCK/USDC for the dev accounts and a seeded FLOCK/USDC DEX pool.

The suite's fixed choices (model types, roles, dev amounts, ids) are :mod:`fomo.chain.suite`;
steps 5–6 are :mod:`fomo.chain.seed`. A restart reuses the manifest when the chain still has
code at every address (:func:`ensure_deployed`, the `fomo up` hook); otherwise the suite is
deployed again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eth_account import Account
from eth_account.signers.local import LocalAccount
from web3 import Web3

from fomo.chain.artifacts import Artifact, load_artifacts, sources_hash
from fomo.chain.client import ChainClient
from fomo.chain.errors import ChainActionError
from fomo.chain.manifest import DeployedContract, Manifest, load_manifest
from fomo.chain.seed import fund_dev_chain, grant_roles, hand_over_admin, register_model_types
from fomo.chain.suite import (
    DEFAULT_MAX_RAISE,
    DEFAULT_MIN_RAISE,
    DEFAULT_MODEL_TYPES,
    DEV_EMISSION_RUNWAY_DAYS,
    DEV_FLOCK_FAUCET_CAP,
    DEV_USDC_FAUCET_CAP,
    ROLE_NAMES,
    is_dev_chain,
    model_type_id,
)
from fomo.config import DEV_CHAIN_IDS
from fomo.economics.units import USDC_UNIT, WAD

if TYPE_CHECKING:
    from fomo.context import RuntimeContext

# Callers (the CLI, the demo, tests) import these with the deployment.
__all__ = [
    "DEFAULT_MODEL_TYPES",
    "DEV_EMISSION_RUNWAY_DAYS",
    "DeployError",
    "DeployOptions",
    "constructor_args",
    "deploy_suite",
    "ensure_deployed",
    "is_deployed",
    "is_dev_chain",
    "missing_contracts",
    "model_type_id",
]


class DeployError(ChainActionError):
    """The suite cannot be deployed as asked."""


@dataclass
class DeployOptions:
    """Everything :func:`deploy_suite` may be told beyond the deployer and the chain."""

    treasury: str | None = None
    admin: str | None = None
    flock: str | None = None
    usdc: str | None = None
    roles: dict[str, str] = field(default_factory=dict)
    dev_accounts: Sequence[str] = ()
    dev_flock_per_account: int = 1_000_000 * WAD
    dev_usdc_per_account: int = 100_000 * USDC_UNIT
    model_types: Sequence[str] = DEFAULT_MODEL_TYPES
    min_raise: int = DEFAULT_MIN_RAISE
    max_raise: int = DEFAULT_MAX_RAISE
    # Dev chain only: FLOCK minted and funded into the RewardDistributor as the global emission
    # pool (SPEC §8.1), so epochs on a fresh devnet have something to distribute; 0 = none.
    dev_emission_fund: int = 0


def deploy_suite(
    w3: Web3,
    deployer_key: str | LocalAccount,
    *,
    dev: bool,
    treasury: str | None = None,
    artifacts_dir: Path,
    manifest_path: Path | None = None,
    options: DeployOptions | None = None,
    echo: Callable[[str], None] = lambda _line: None,
) -> Manifest:
    """Deploy, wire and seed the suite; write the manifest to ``manifest_path`` when given.

    ``dev`` deploys FLOCK/USDC dev tokens with public faucets and funds ``options.dev_accounts``;
    it is refused on a chain id that is not a dev chain (31337, 1337). ``treasury`` defaults to
    the deployer; so do the admin and every role unless ``options`` names other accounts.
    """
    opts = options or DeployOptions()
    account = (
        deployer_key if isinstance(deployer_key, LocalAccount) else Account.from_key(deployer_key)
    )
    client = ChainClient(w3, account=account)
    chain_id = client.chain_id
    if dev and not is_dev_chain(chain_id):
        raise DeployError(
            f"Refusing to deploy dev tokens with public faucets on chain id {chain_id}: "
            f"dev chains are {', '.join(map(str, sorted(DEV_CHAIN_IDS)))}."
        )
    if not dev and (opts.flock is None) != (opts.usdc is None):
        raise DeployError("Give both --flock and --usdc token addresses, or neither.")
    deployer = str(account.address)
    treasury = Web3.to_checksum_address(treasury or opts.treasury or deployer)
    role_holders = {
        name: Web3.to_checksum_address(opts.roles.get(name, deployer)) for name in ROLE_NAMES
    }

    echo("compiling contracts (cached by source hash)")
    digest = sources_hash()  # the cache key and the manifest's record: read the sources once
    artifacts = load_artifacts(artifacts_dir, digest=digest)
    start_block = client.block_number() + 1
    contracts: dict[str, DeployedContract] = {}
    skipped: dict[str, str] = {}

    def record(name: str, artifact: Artifact, address: str, block: int) -> str:
        checksummed = Web3.to_checksum_address(address)
        contracts[name] = DeployedContract(checksummed, artifact.name, artifact.abi_hash, block)
        echo(f"  {name:<20} {checksummed}")
        return checksummed

    def deploy(name: str, artifact_name: str, *args: Any) -> str:
        artifact = artifacts[artifact_name]
        result = client.deploy(artifact.abi, artifact.bytecode, *args)
        address = result.receipt["contractAddress"]
        assert address is not None
        return record(name, artifact, address, result.block)

    def deploy_blueprint(name: str, artifact_name: str) -> str:
        artifact = artifacts[artifact_name]
        result = client.send_raw({"data": artifact.blueprint_bytecode})  # type: ignore[typeddict-item]
        address = result.receipt["contractAddress"]
        assert address is not None
        return record(name, artifact, address, result.block)

    echo(f"deploying the suite on chain {chain_id} from {deployer}")
    # 1. tokens
    if opts.flock is not None and opts.usdc is not None:
        if dev:
            raise DeployError("--dev deploys its own FLOCK/USDC; do not pass token addresses.")
        for name, address in (("FLOCK", opts.flock), ("USDC", opts.usdc)):
            if not client.has_code(address):
                raise DeployError(f"There is no contract at the {name} address {address}.")
            record(name, artifacts["DevToken"], address, 0)
    else:
        flock_cap = DEV_FLOCK_FAUCET_CAP if dev else 0
        usdc_cap = DEV_USDC_FAUCET_CAP if dev else 0
        deploy("FLOCK", "DevToken", "FLOCK", "FLOCK", 18, dev, flock_cap)
        deploy("USDC", "DevToken", "USD Coin", "USDC", 6, dev, usdc_cap)
    flock, usdc = contracts["FLOCK"].address, contracts["USDC"].address

    # 2. blueprints and the DEX
    mt_blueprint = deploy_blueprint("ModelTokenBlueprint", "ModelToken")
    pair_blueprint = deploy_blueprint("PairBlueprint", "Pair")
    factory = deploy("Factory", "Factory", pair_blueprint, deployer)
    router = deploy("Router", "Router", factory)

    # 3. launch and economy
    vesting = deploy("Vesting", "Vesting")
    distributor = deploy("RewardDistributor", "RewardDistributor", deployer, treasury)
    launchpad = deploy(
        "Launchpad",
        "Launchpad",
        flock,
        factory,
        mt_blueprint,
        treasury,
        distributor,
        vesting,
        deployer,
    )
    deploy("Staking", "Staking", deployer, launchpad)
    if "GmFlock" in artifacts:
        deploy("GmFlock", "GmFlock", flock)
    else:
        skipped["GmFlock"] = "source not available"

    # 4. revenue (optional until those contracts land): constructor arguments by name
    known = {
        "admin": deployer,
        "flock": flock,
        "usdc": usdc,
        "factory": factory,
        "dex_router": router,
        "treasury": treasury,
        "launchpad": launchpad,
        "distributor": distributor,
        "reward_distributor": distributor,
    }
    for name in ("RevenueRouter", "PaymentVault"):
        if name not in artifacts:
            skipped[name] = "source not available"
            continue
        if name == "PaymentVault":
            # Its `router` is the RevenueRouter; the treasury stands in until that lands.
            known["router"] = (
                contracts["RevenueRouter"].address if "RevenueRouter" in contracts else treasury
            )
        else:
            known["router"] = router
        try:
            args = constructor_args(artifacts[name].abi, known)
        except KeyError as exc:
            skipped[name] = f"unknown constructor argument {exc.args[0]!r}"
            echo(f"  {name:<20} skipped: {skipped[name]}")
            continue
        deploy(name, name, *args)

    # 5. roles and model types
    granted = grant_roles(client, contracts, artifacts, role_holders)
    seeded = register_model_types(client, launchpad, artifacts, opts, echo)

    # 6. dev funding and the FLOCK/USDC pool
    funded: list[str] = []
    if dev:
        addresses = {name: contracts[name].address for name in ("Router", "RewardDistributor")}
        addresses |= {"FLOCK": flock, "USDC": usdc, "deployer": deployer, "treasury": treasury}
        funded = fund_dev_chain(client, addresses, artifacts, opts, echo)

    hand_over_admin(client, contracts, artifacts, deployer, opts.admin, echo)

    used = {c.artifact for c in contracts.values()}
    manifest = Manifest(
        chain_id=chain_id,
        block=start_block,
        deployer=deployer,
        dev=dev,
        treasury=treasury,
        sources_hash=digest,
        contracts=contracts,
        abis={name: artifacts[name].abi for name in sorted(used | {"ModelToken", "Pair"})},
        model_types=seeded,
        dev_accounts=funded,
        roles=granted,
        skipped=skipped,
    )
    if manifest_path is not None:
        manifest.save(manifest_path)
        echo(f"manifest written to {manifest_path}")
    return manifest


def constructor_args(abi: list[dict[str, Any]], known: dict[str, str]) -> list[Any]:
    """Constructor arguments matched by parameter name (trailing underscores ignored)."""
    ctor = next((item for item in abi if item.get("type") == "constructor"), None)
    if ctor is None:
        return []
    return [known[str(param["name"]).strip("_")] for param in ctor["inputs"]]


def missing_contracts(w3: Web3, manifest: Manifest) -> list[str]:
    """Names of manifest contracts with no code on the chain (empty: still deployed)."""
    return [
        name
        for name, c in manifest.contracts.items()
        if len(w3.eth.get_code(Web3.to_checksum_address(c.address))) == 0
    ]


def is_deployed(w3: Web3, manifest: Manifest) -> bool:
    """True when ``manifest`` describes this chain and every contract still has code."""
    return int(w3.eth.chain_id) == manifest.chain_id and not missing_contracts(w3, manifest)


def ensure_deployed(ctx: RuntimeContext) -> Manifest | None:
    """`fomo up` deploy hook: reuse ``<data_dir>/deployment.json`` when it still matches the
    chain, else deploy the suite (dev tokens, dev accounts funded on a dev chain)."""
    settings = ctx.settings
    w3 = Web3(Web3.HTTPProvider(ctx.rpc_url, request_kwargs={"timeout": 60}))
    path = settings.manifest_file
    existing = load_manifest(path)
    if existing is not None:
        # ctx.chain_id was checked at start-up: no need to ask the RPC again.
        if existing.chain_id == ctx.chain_id and not missing_contracts(w3, existing):
            return existing
        stale = path.with_suffix(f".stale-{int(time.time())}.json")
        path.replace(stale)
        ctx.notes.append(
            f"the manifest did not match the chain (contracts gone); redeployed, old one kept "
            f"as {stale.name}"
        )
    if settings.deployer_key is not None:
        key = settings.deployer_key.get_secret_value()
    elif is_dev_chain(ctx.chain_id):
        from fomo.chain.dev_accounts import dev_accounts

        key = dev_accounts(settings.anvil_mnemonic, 1)[0].private_key
    else:
        ctx.notes.append("contracts: not deployed (no deployer key on a non-dev chain)")
        return None
    dev = is_dev_chain(ctx.chain_id)
    manifest = deploy_suite(
        w3,
        key,
        dev=dev,
        artifacts_dir=settings.data_dir / "artifacts",
        manifest_path=path,
        options=DeployOptions(
            dev_accounts=[a.address for a in ctx.accounts] if dev else (),
            dev_flock_per_account=settings.dev_flock_per_account,
            dev_usdc_per_account=settings.dev_usdc_per_account,
            # What the epoch engine will distribute per day (settings), not the library default.
            dev_emission_fund=DEV_EMISSION_RUNWAY_DAYS * settings.emission_per_epoch,
        ),
    )
    return manifest
