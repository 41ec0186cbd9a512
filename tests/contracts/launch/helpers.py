"""Shared launch-test helpers: the deployed stack, constants and event filters."""

from __future__ import annotations

from typing import Any

import boa
from eth_utils import keccak

from fomo.chain.sources import contract_path
from fomo.economics.curve import WAD

BASE_MODEL = "qwen3-30b-a3b-instruct"
MODEL_TYPE_ID = keccak(text=BASE_MODEL)
TIER = keccak(text="tier-qwen3-30b")
FAR = 2**64
DAY = 86_400
SALE = 7 * DAY
LIVE, FAILED, GRADUATING, GRADUATED = 1, 2, 3, 4


def events(contract: Any, name: str) -> list[Any]:
    """Decoded logs named `name` emitted by the last call (any emitter)."""
    return [e for e in contract.get_logs() if type(e).__name__ == name]


def grant_funder(distributor: Any, launchpad: Any, admin: Any) -> None:
    """Let `launchpad` credit the pools it pays at graduation (`fund_transferred`), as
    `fomo.chain.deploy` does."""
    with boa.env.prank(admin):
        distributor.grant_role(distributor.FUNDER_ROLE(), launchpad.address)


class Stack:
    """The deployed launch stack plus small helpers the tests share."""

    def __init__(self) -> None:
        self.admin = boa.env.generate_address("lp-admin")
        self.treasury = boa.env.generate_address("treasury")
        self.creator = boa.env.generate_address("creator")
        self.users = [boa.env.generate_address(f"user{i}") for i in range(4)]
        token = boa.load_partial(str(contract_path("tokens/DevToken.vy")))
        self.token_deployer = token
        with boa.env.prank(self.admin):
            self.flock = token.deploy("Flock", "FLOCK", 18, True, 10**24)
        self.pair_deployer = boa.load_partial(str(contract_path("dex/Pair.vy")))
        pair_bp = self.pair_deployer.deploy_as_blueprint()
        self.factory = boa.load(str(contract_path("dex/Factory.vy")), pair_bp.address, self.admin)
        self.router = boa.load(str(contract_path("dex/Router.vy")), self.factory.address)
        self.vesting = boa.load(str(contract_path("economy/Vesting.vy")))
        self.distributor = boa.load(
            str(contract_path("economy/RewardDistributor.vy")), self.admin, self.treasury
        )
        self.mt_deployer = boa.load_partial(str(contract_path("tokens/ModelToken.vy")))
        mt_bp = self.mt_deployer.deploy_as_blueprint()
        self.launchpad = boa.load(
            str(contract_path("launch/Launchpad.vy")),
            self.flock.address,
            self.factory.address,
            mt_bp.address,
            self.treasury,
            self.distributor.address,
            self.vesting.address,
            self.admin,
        )
        with boa.env.prank(self.admin):
            self.launchpad.register_model_type(
                MODEL_TYPE_ID, BASE_MODEL, TIER, 100_000 * WAD, 500_000 * WAD, 7000, 2000, 1000
            )
        grant_funder(self.distributor, self.launchpad, self.admin)
        for who in [self.creator, *self.users]:
            self.fund(who, 10_000_000 * WAD)

    def fund(self, who: Any, amount: int) -> None:
        with boa.env.prank(self.admin):
            self.flock.mint(who, amount)
        with boa.env.prank(who):
            self.flock.approve(self.launchpad.address, 2**256 - 1)

    def create(
        self,
        first_buy: int = 0,
        min_mt_out: int = 0,
        who: Any = None,
        model_type_id: bytes = MODEL_TYPE_ID,
        symbol: str | None = None,
    ) -> Any:
        """A new launch; tickers are unique among live launches, so each call gets its own
        (QWENALICE, QWENALICE1, QWENALICE2 …) unless ``symbol`` is given."""
        if symbol is None:
            n = int(self.launchpad.launch_count())
            symbol = "QWENALICE" + (str(n) if n else "")
        with boa.env.prank(who or self.creator):
            addr = self.launchpad.create_launch(
                model_type_id, "Qwen Alice", symbol, first_buy, min_mt_out, FAR
            )
        return self.mt_deployer.at(addr)

    def buy(self, mt: Any, who: Any, amount: int, min_mt_out: int = 0) -> int:
        with boa.env.prank(who):
            return int(self.launchpad.buy(mt.address, amount, min_mt_out, FAR))

    def pair_of(self, mt: Any) -> Any:
        return self.pair_deployer.at(self.factory.getPair(mt.address, self.flock.address))

    def register(
        self,
        base_model: str,
        min_raise: int,
        max_raise: int,
        lp_bps: int = 7000,
        reserved_bps: int = 2000,
        protocol_bps: int = 1000,
    ) -> bytes:
        mid = keccak(text=base_model)
        with boa.env.prank(self.admin):
            self.launchpad.register_model_type(
                mid, base_model, TIER, min_raise, max_raise, lp_bps, reserved_bps, protocol_bps
            )
        return mid

    def fill_to_max(self, mt: Any, who: Any) -> int:
        """Buy at the base fee (after the tax decayed) with more than enough to graduate."""
        boa.env.time_travel(seconds=2 * 3600)
        return self.buy(mt, who, 2_000_000 * WAD)
