"""What every section of the demo report reads: the run, the contracts, the router's events, the
graduations, and the names accounts and pools are shown under; plus the price and number
formatting the sections share."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from fomo.chain.launchpad import read_launch
from fomo.demo.chain import checksum, events
from fomo.demo.report_checks import Check
from fomo.demo.run import DemoRun
from fomo.economics.units import fraction_text


class ReportContext:
    """Read once per report; the sections append their checks to :attr:`checks`."""

    def __init__(self, run: DemoRun, factory: sessionmaker[Session]) -> None:
        self.run, self.factory = run, factory
        self.w3, self.m = run.w3, run.manifest
        op = self.op = run.actors["operator"].client
        self.start = run.start_block
        self.checks: list[Check] = []
        self.flock_addr, self.usdc_addr = self.m.address("FLOCK"), self.m.address("USDC")
        self.lp = op.contract("Launchpad")
        self.router = op.contract("RevenueRouter")
        self.vault = op.contract("PaymentVault")
        self.dist = op.contract("RewardDistributor")
        self.flock = op.contract("FLOCK")
        self.usdc = op.contract("USDC")
        self.names = run.actor_names()
        contract_names = {c.address.lower(): n for n, c in self.m.contracts.items()}
        contract_names[flock_usdc_pair(op, self.flock_addr, self.usdc_addr).lower()] = (
            "FLOCK/USDC pool"
        )
        for sym, token in run.tokens.items():
            pair = str(read_launch(op, token).data["pair"])
            if int(pair, 16):
                contract_names[pair.lower()] = f"{sym}/FLOCK pool"
        self.contract_names = contract_names
        # Router events (revenue, buybacks, burns) and the distributor's retirements.
        start = self.start
        self.settled = events(self.router, "Settled", start)
        self.buybacks = events(self.router, "BuybackExecuted", start)
        self.burned_by_token: dict[str, int] = defaultdict(int)
        for b in events(self.router, "Burned", start):
            self.burned_by_token[str(b["token"]).lower()] += int(b["amount"])
        self.retired = events(self.dist, "Retired", start)
        self.grads = {str(g["token"]).lower(): g for g in events(self.lp, "Graduated", start)}
        self.sym_of = {t.lower(): s for s, t in run.tokens.items()} | {
            self.flock_addr.lower(): "FLOCK"
        }

    def who(self, addr: str) -> str:
        """An actor's name, a contract's or pool's name, else the address."""
        a = addr.lower()
        return self.names.get(a) or self.contract_names.get(a) or a


def decimal(value: Fraction, places: int = 12) -> str:
    """An exact rational as a truncated decimal string (display only), 12 places by default."""
    return fraction_text(value, places)


def pair_price(client: Any, pair: str, base: str) -> Fraction | None:
    """Quote-token per ``base`` token at the pair's reserves (raw base units ratio)."""
    if int(pair, 16) == 0:
        return None
    p = client.at("Pair", pair)
    r0, r1, _ = p.functions.getReserves().call()
    token0 = str(p.functions.token0().call()).lower()
    if r0 == 0 or r1 == 0:
        return None
    if token0 == base.lower():
        return Fraction(int(r1), int(r0))
    return Fraction(int(r0), int(r1))


def flock_usdc_pair(client: Any, flock: str, usdc: str) -> str:
    factory = client.contract("Factory")
    return str(factory.functions.getPair(checksum(flock), checksum(usdc)).call())
