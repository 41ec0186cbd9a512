"""Epoch roots on the real RewardDistributor (titanoboa, in-process): the engine proposes, the
root goes live after the dispute window, proofs from the data file claim exactly the cumulative
amounts, a cancelled root pays nothing, an underfunded distributor stops the epoch."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import boa
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from fomo.chain.sources import contract_path
from fomo.db.migrate import upgrade
from fomo.db.models import Epoch as EpochRow
from fomo.db.session import make_engine, make_session_factory
from fomo.economics.epoch import assemble
from fomo.economics.epoch_claims import claims_for
from fomo.economics.epoch_input import EpochInput, InsolventEpoch, MTState
from fomo.economics.params import DEFAULT_PARAMS
from fomo.economics.units import FLOCK_UNIT
from fomo.epochs import engine as eng
from tests.epochs.test_gather_run import DAY, T0, USERS, seed

CAP = 10**30


class BoaPort:
    """The engine's ChainPort over an in-process RewardDistributor. No RevenueRouter here:
    settlement is exercised by the router's own tests, so ``settle`` records the request only."""

    def __init__(self, dist: Any, publisher: Any) -> None:
        self.dist, self.publisher = dist, publisher
        self.settled: list[tuple[int, dict[str, int]]] = []

    def capacity(self, tokens: list[str]) -> dict[str, int]:
        return {t: self.dist.funded(t) - self.dist.retired(t) for t in tokens}

    def settle(self, epoch: int, amounts: Mapping[str, int]) -> dict[str, str | None]:
        self.settled.append((epoch, dict(amounts)))
        return {}

    def buybacks(self, tokens: list[str]) -> list[dict[str, Any]]:
        return []

    def propose(self, root: str, epoch: int, data_hash: str) -> str:
        self.dist.propose_root(
            bytes.fromhex(root[2:]), epoch, bytes.fromhex(data_hash[2:]), sender=self.publisher
        )
        return "0x" + "00" * 32

    def live_root(self) -> tuple[str, int, str]:
        r, e, h = self.dist.live_root()
        return "0x" + r.hex(), e, "0x" + h.hex()


@pytest.fixture(scope="module")
def chain() -> dict[str, Any]:
    admin = boa.env.generate_address("ep-admin")
    tok = boa.load_partial(str(contract_path("tokens/DevToken.vy")))
    with boa.env.prank(admin):
        flock = tok.deploy("Dev FLOCK", "FLOCK", 18, True, CAP)
        mt_a = tok.deploy("Model A", "MTA", 18, True, CAP)
        mt_b = tok.deploy("Model B", "MTB", 18, True, CAP)
        dist = boa.load(str(contract_path("economy/RewardDistributor.vy")), admin, admin)
        publisher = boa.env.generate_address("ep-publisher")
        guardian = boa.env.generate_address("ep-guardian")
        dist.grant_role(dist.PUBLISHER_ROLE(), publisher)
        dist.grant_role(dist.GUARDIAN_ROLE(), guardian)
    return {
        "flock": flock,
        "mt_a": mt_a,
        "mt_b": mt_b,
        "dist": dist,
        "publisher": publisher,
        "guardian": guardian,
    }


@pytest.fixture(autouse=True)
def _anchor() -> Iterator[None]:
    with boa.env.anchor():
        yield


def fund(c: dict[str, Any], token: Any, amount: int) -> None:
    funder = boa.env.generate_address()
    while amount:
        part = min(amount, CAP)
        token.faucet(funder, part, sender=funder)
        token.approve(c["dist"].address, part, sender=funder)
        c["dist"].fund(token.address, part, "0x" + "00" * 20, sender=funder)
        amount -= part


def addr(x: Any) -> str:
    return str(x.address).lower()


def db_for(tmp: Path, c: dict[str, Any]) -> sessionmaker[Session]:
    url = f"sqlite:///{tmp / 'fomo.db'}"
    upgrade(url)
    factory = make_session_factory(make_engine(url))
    with factory() as s, s.begin():
        seed(s, random.Random(5), addr(c["flock"]), addr(c["mt_a"]), addr(c["mt_b"]))
    return factory


def test_engine_proposes_and_data_file_proofs_claim(tmp_path: Path, chain: dict[str, Any]) -> None:
    c, dist = chain, chain["dist"]
    fund(c, c["flock"], 10**24)
    fund(c, c["mt_a"], 10**25)
    fund(c, c["mt_b"], 10**25)
    factory = db_for(tmp_path, c)
    port = BoaPort(dist, c["publisher"])
    runs = eng.catch_up(
        factory, tmp_path, first=DAY, now=T0 + 2 * 86_400, flock_token=addr(c["flock"]), chain=port
    )
    assert [r.status for r in runs] == ["proposed", "proposed"]
    assert [e for e, _ in port.settled] == [DAY, DAY + 1]
    with factory() as s:
        assert {r.status for r in s.scalars(select(EpochRow))} == {"proposed"}
    # inside the dispute window nothing is claimable yet
    data = runs[1].path.read_bytes()
    doc, items = claims_for(data, json.loads(data)["tree"]["leaves"][0][0])
    assert dist.pending_root() == bytes.fromhex(runs[1].root[2:])
    with boa.reverts("no root"):
        dist.claim(
            next(iter(doc.leaves))[0],
            items[0].token,
            items[0].cumulative,
            [bytes.fromhex(p[2:]) for p in items[0].proof],
        )
    boa.env.time_travel(seconds=dist.dispute_window())
    assert port.live_root()[0] == runs[1].root and port.live_root()[1] == DAY + 1
    # every leaf of the live file pays exactly its cumulative amount
    for (a, t), v in doc.leaves.items():
        _, mine = claims_for(data, a)
        item = next(i for i in mine if i.token == t)
        before = {"flock": c["flock"], "mt_a": c["mt_a"], "mt_b": c["mt_b"]}
        token = next(x for x in before.values() if addr(x) == t)
        bal = token.balanceOf(a)
        assert dist.claim(a, t, item.cumulative, [bytes.fromhex(p[2:]) for p in item.proof]) == int(
            v
        )
        assert token.balanceOf(a) - bal == int(v)
    # the next catch-up records that the roots went live (day 2's root covers day 1)
    assert eng.catch_up(factory, tmp_path, first=DAY, now=T0 + 2 * 86_400,
                        flock_token=addr(c["flock"]), chain=port) == []  # fmt: skip
    with factory() as s:
        assert {r.epoch: r.status for r in s.scalars(select(EpochRow))} == {
            DAY: "live", DAY + 1: "live"}  # fmt: skip
    # re-running a proposed day does nothing on-chain
    again = eng.run_day(factory, tmp_path, DAY + 1, flock_token=addr(c["flock"]), chain=port)
    assert again.reused and again.root == runs[1].root


def test_seed_example_claimable_on_chain_and_cancelled_root_pays_nothing(
    chain: dict[str, Any],
) -> None:
    c, dist = chain, chain["dist"]
    flock, mt = addr(c["flock"]), addr(c["mt_a"])
    alice, bob, carol = USERS[0], USERS[1], USERS[2]
    pools = 16_290 * FLOCK_UNIT
    fund(c, c["flock"], 10**24)
    fund(c, c["mt_a"], pools)
    base = EpochInput(
        epoch=DAY,
        flock_token=flock,
        deployments=(MTState(mt, USERS[5], DAY, 10**9, 0, pools, pools),),
        spend={(alice, mt): 5 * 10**8, (bob, mt): 5 * 10**8},
        stake={(alice, mt): 1},
        gmflock={},
        previous={},
        capacity=BoaPort(dist, None).capacity([flock, mt]),
        global_emission=100 * FLOCK_UNIT,
        issuer_bonus_bps=0,
        params=DEFAULT_PARAMS,
    )
    e1 = assemble(base)
    port = BoaPort(dist, c["publisher"])
    port.propose(e1.root or "", DAY, e1.data_hash)
    boa.env.time_travel(seconds=dist.dispute_window())
    assert e1.tree is not None
    leaf, proof = e1.tree.proof_for(bob, flock)
    dist.claim(*leaf, proof)
    # α = 0.9, Alice the only staker: Bob 47.368421052631578947 FLOCK, no MT Reward
    assert c["flock"].balanceOf(bob) == int(Fraction("47.368421052631578947") * FLOCK_UNIT)
    assert (bob, mt) not in e1.cumulative and e1.cumulative[(alice, mt)] == 180 * 10**18
    leaf, proof = e1.tree.proof_for(alice, mt)
    dist.claim(*leaf, proof)
    assert c["mt_a"].balanceOf(alice) == 180 * 10**18  # day 0 of the vintage: 180/16290
    # day 2 pays Carol; the guardian cancels the root: nothing of it can be claimed
    e2 = assemble(
        EpochInput(
            **{
                **{f: getattr(base, f) for f in base.__dataclass_fields__},
                "epoch": DAY + 1,
                "previous": e1.cumulative,
                "spend": {(carol, mt): 10**9},
            }
        )
    )
    port.propose(e2.root or "", DAY + 1, e2.data_hash)
    dist.cancel_root(bytes.fromhex((e2.root or "")[2:]), sender=c["guardian"])
    boa.env.time_travel(seconds=dist.dispute_window() + 1)
    assert e2.tree is not None
    leaf, proof = e2.tree.proof_for(carol, flock)
    with boa.reverts("invalid proof"):
        dist.claim(*leaf, proof)
    assert port.live_root()[0] == e1.root


def test_underfunded_distributor_stops_the_epoch(tmp_path: Path, chain: dict[str, Any]) -> None:
    c, dist = chain, chain["dist"]
    fund(c, c["flock"], 10 * FLOCK_UNIT)  # far below one day's emission
    factory = db_for(tmp_path, c)
    port = BoaPort(dist, c["publisher"])
    with pytest.raises(InsolventEpoch) as info:
        eng.run_day(factory, tmp_path, DAY, flock_token=addr(c["flock"]), chain=port)
    assert addr(c["flock"]) in {s.token for s in info.value.shortfalls}
    assert dist.pending_root() == b"\x00" * 32 and port.settled == []
    assert not eng.data_path(tmp_path, DAY).exists()
    with factory() as s:
        assert s.get(EpochRow, DAY) is None
