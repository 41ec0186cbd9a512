"""The suite's fixed choices: the model types seeded on every deployment, the roles and who checks
them, the dev faucets, pool and emission runway, and the on-chain ids derived from names.

Values and pure derivations only (no transactions): the deployment (:mod:`fomo.chain.deploy`),
its seeding (:mod:`fomo.chain.seed`) and the launchpad client read them from here.
"""

from __future__ import annotations

from web3 import Web3

from fomo.config import DEV_CHAIN_IDS
from fomo.economics.units import USDC_UNIT, WAD

# SPEC §2: model types seeded on every deployment (raise range default 100k–500k FLOCK, split
# LP 7000 / reserved 2000 / protocol 1000).
DEFAULT_MODEL_TYPES: tuple[str, ...] = (
    "qwen3-30b-a3b-instruct",
    "deepseek-v3.2",
    "qwen3-235b-a22b-instruct",
    "kimi-k2-thinking",
)
DEFAULT_MIN_RAISE = 100_000 * WAD
DEFAULT_MAX_RAISE = 500_000 * WAD
DEFAULT_SPLIT = (7000, 2000, 1000)

# Dev faucets: one call gives at most this much (enough for a launch fee plus a first buy).
DEV_FLOCK_FAUCET_CAP = 1_000_000 * WAD
DEV_USDC_FAUCET_CAP = 100_000 * USDC_UNIT
# Dev FLOCK/USDC pool for revenue buybacks: 1,000,000 FLOCK against 50,000 USDC ($0.05/FLOCK).
DEV_POOL_FLOCK = 1_000_000 * WAD
DEV_POOL_USDC = 50_000 * USDC_UNIT
# `fomo up` funds this many days of the configured global emission on a fresh devnet.
DEV_EMISSION_RUNWAY_DAYS = 30

ROLE_NAMES = ("PUBLISHER", "GUARDIAN", "SETTLER", "KEEPER", "OPERATOR")
# Which roles each contract checks (contract name -> role names), granted at deployment.
CONTRACT_ROLES: dict[str, tuple[str, ...]] = {
    "RewardDistributor": ("PUBLISHER", "GUARDIAN"),
    "RevenueRouter": ("SETTLER", "KEEPER"),
    "PaymentVault": ("SETTLER", "OPERATOR"),
}


def role_id(name: str) -> bytes:
    """On-chain role id: keccak256 of the plain role name (see contracts/auth/roles.vy)."""
    return bytes(Web3.keccak(text=name))


def model_type_id(base_model: str) -> bytes:
    """The launchpad's model type id: keccak256 of the base model name."""
    return bytes(Web3.keccak(text=base_model))


def pricing_tier_id(base_model: str) -> bytes:
    """Pricing tier id on-chain: the tier (= base model) name, ASCII, right-padded to 32 bytes."""
    raw = base_model.encode()
    if len(raw) > 32:
        raise ValueError(f"tier name longer than 32 bytes: {base_model}")
    return raw.ljust(32, b"\0")


def is_dev_chain(chain_id: int) -> bool:
    return chain_id in DEV_CHAIN_IDS
