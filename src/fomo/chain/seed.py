"""Seeding a freshly deployed suite (steps 5–6 of :mod:`fomo.chain.deploy`): roles granted, the
model types registered, and on a dev chain the dev accounts funded, the FLOCK/USDC pool seeded
and the global emission pool funded; the admin seat handed over last."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from web3 import Web3
from web3.contract import Contract

from fomo.chain.artifacts import Artifact
from fomo.chain.client import ChainClient
from fomo.chain.manifest import DeployedContract
from fomo.chain.suite import (
    CONTRACT_ROLES,
    DEFAULT_SPLIT,
    DEV_POOL_FLOCK,
    DEV_POOL_USDC,
    model_type_id,
    pricing_tier_id,
    role_id,
)
from fomo.economics.units import WAD

if TYPE_CHECKING:
    from fomo.chain.deploy import DeployOptions

Echo = Callable[[str], None]


def contract_at(w3: Web3, address: str, abi: list[dict[str, Any]]) -> Contract:
    return w3.eth.contract(address=Web3.to_checksum_address(address), abi=abi)


def grant_roles(
    client: ChainClient,
    contracts: Mapping[str, DeployedContract],
    artifacts: Mapping[str, Artifact],
    role_holders: Mapping[str, str],
) -> dict[str, dict[str, list[str]]]:
    """Grant each contract the roles it checks (:data:`CONTRACT_ROLES`), and the Launchpad the
    distributor's FUNDER seat; returns who got what."""
    w3 = client.w3
    # 5. roles and model types
    granted: dict[str, dict[str, list[str]]] = {}
    for name, role_names in CONTRACT_ROLES.items():
        if name not in contracts:
            continue
        contract = contract_at(w3, contracts[name].address, artifacts[name].abi)
        for role in role_names:
            holder = role_holders[role]
            client.send(contract.functions.grant_role(role_id(role), holder), contract=name)
            granted.setdefault(name, {}).setdefault(role, []).append(holder)
    # A contract's seat, not a person's: the Launchpad credits the MT Reward and Reserved FLOCK
    # pools it sends the distributor at graduation (`fund_transferred`, FUNDER only).
    launchpad = contracts["Launchpad"].address
    dist = contract_at(
        w3, contracts["RewardDistributor"].address, artifacts["RewardDistributor"].abi
    )
    client.send(
        dist.functions.grant_role(role_id("FUNDER"), launchpad), contract="RewardDistributor"
    )
    granted.setdefault("RewardDistributor", {})["FUNDER"] = [launchpad]
    return granted


def register_model_types(
    client: ChainClient,
    launchpad: str,
    artifacts: Mapping[str, Artifact],
    opts: DeployOptions,
    echo: Echo,
) -> list[dict[str, Any]]:
    """Register ``opts.model_types`` on the launchpad with the default split; returns them."""
    w3 = client.w3
    lp = contract_at(w3, launchpad, artifacts["Launchpad"].abi)
    lp_bps, reserved_bps, protocol_bps = DEFAULT_SPLIT
    seeded: list[dict[str, Any]] = []
    for base in opts.model_types:
        client.send(
            lp.functions.register_model_type(
                model_type_id(base),
                base,
                pricing_tier_id(base),
                opts.min_raise,
                opts.max_raise,
                lp_bps,
                reserved_bps,
                protocol_bps,
            ),
            contract="Launchpad",
        )
        seeded.append(
            {
                "id": "0x" + model_type_id(base).hex(),
                "base_model": base,
                "min_raise": str(opts.min_raise),
                "max_raise": str(opts.max_raise),
                "lp_bps": lp_bps,
                "reserved_bps": reserved_bps,
                "protocol_bps": protocol_bps,
            }
        )
    echo(f"  registered {len(seeded)} model types")

    return seeded


def fund_dev_chain(
    client: ChainClient,
    addresses: Mapping[str, str],
    artifacts: Mapping[str, Artifact],
    opts: DeployOptions,
    echo: Echo,
) -> list[str]:
    """Dev chain only: FLOCK/USDC for the dev accounts, the FLOCK/USDC pool, the emission pool.

    ``addresses`` names the deployed FLOCK, USDC, Router, RewardDistributor, the deployer and
    the treasury (which receives the pool's LP tokens). Returns the funded accounts."""
    w3 = client.w3
    flock, usdc, router = addresses["FLOCK"], addresses["USDC"], addresses["Router"]
    distributor, deployer = addresses["RewardDistributor"], addresses["deployer"]
    treasury = addresses["treasury"]
    funded: list[str] = []
    token_abi = artifacts["DevToken"].abi
    flock_c = contract_at(w3, flock, token_abi)
    usdc_c = contract_at(w3, usdc, token_abi)
    for raw_holder in opts.dev_accounts:
        holder = Web3.to_checksum_address(raw_holder)
        if opts.dev_flock_per_account:
            client.send(flock_c.functions.mint(holder, opts.dev_flock_per_account))
        if opts.dev_usdc_per_account:
            client.send(usdc_c.functions.mint(holder, opts.dev_usdc_per_account))
        funded.append(holder)
    echo(f"  funded {len(funded)} dev accounts with FLOCK and USDC")
    client.send(flock_c.functions.mint(deployer, DEV_POOL_FLOCK))
    client.send(usdc_c.functions.mint(deployer, DEV_POOL_USDC))
    client.send(flock_c.functions.approve(router, DEV_POOL_FLOCK))
    client.send(usdc_c.functions.approve(router, DEV_POOL_USDC))
    router_c = contract_at(w3, router, artifacts["Router"].abi)
    client.send(
        router_c.functions.addLiquidity(
            flock,
            usdc,
            DEV_POOL_FLOCK,
            DEV_POOL_USDC,
            DEV_POOL_FLOCK,
            DEV_POOL_USDC,
            treasury,
            client.timestamp() + 3600,
        ),
        contract="Router",
    )
    echo("  seeded the FLOCK/USDC pool (1,000,000 FLOCK / 50,000 USDC)")
    if opts.dev_emission_fund:
        dist_c = contract_at(w3, distributor, artifacts["RewardDistributor"].abi)
        client.send(flock_c.functions.mint(deployer, opts.dev_emission_fund))
        client.send(flock_c.functions.approve(distributor, opts.dev_emission_fund))
        zero = "0x" + "00" * 20
        client.send(
            dist_c.functions.fund(flock, opts.dev_emission_fund, zero),
            contract="RewardDistributor",
        )
        echo(f"  funded the global emission pool with {opts.dev_emission_fund // WAD:,} FLOCK")

    return funded


def hand_over_admin(
    client: ChainClient,
    contracts: Mapping[str, DeployedContract],
    artifacts: Mapping[str, Artifact],
    deployer: str,
    admin: str | None,
    echo: Echo,
) -> None:
    """Admin last: a different admin must accept (two-step) before it holds the seat."""
    w3 = client.w3
    if admin is not None and Web3.to_checksum_address(admin) != deployer:
        new_admin = Web3.to_checksum_address(admin)
        for name in ("Launchpad", "Staking", "RewardDistributor", "RevenueRouter", "PaymentVault"):
            if name in contracts:
                c = contract_at(w3, contracts[name].address, artifacts[name].abi)
                client.send(c.functions.transfer_admin(new_admin), contract=name)
        echo(f"  admin transfer to {new_admin} started (it must call accept_admin)")
