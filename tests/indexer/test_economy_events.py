"""PaymentVault deposits, RevenueRouter settlements and RewardDistributor roots, funding and
claims become their domain rows (and vanish with a reorg that removes them)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select
from web3 import Web3

from fomo.db.models import Burn, Buyback, Deposit, RewardClaim
from fomo.db.models_indexer import RevenueSettlement, RewardFunding, RewardRootEvent
from fomo.economics.merkle import MerkleTree
from tests.indexer.conftest import WAD, Chain, Db, Scenario, make_indexer

pytestmark = pytest.mark.anvil

USDC = 10**6


@pytest.fixture
def economy(chain: Chain, scenario: Scenario) -> Iterator[dict[str, Any]]:
    snaps = [chain.snapshot()]

    def rewind() -> None:
        chain.revert(snaps.pop())
        snaps.append(chain.snapshot())

    try:
        yield from _economy(chain, scenario, rewind)
    finally:
        chain.revert(snaps.pop())


def _economy(chain: Chain, scenario: Scenario, rewind: Any) -> Iterator[dict[str, Any]]:
    deployer, alice, bob, carol = (
        chain.accounts[0],
        scenario.alice,
        scenario.bob,
        scenario.carol,
    )
    token = Web3.to_checksum_address(scenario.graduated)
    # A USDC credit deposit for carol, paid by carol.
    c = chain.client(carol)
    vault, usdc = c.contract("PaymentVault"), c.contract("USDC")
    c.send(usdc.functions.approve(vault.address, 1_234 * USDC))
    c.send(vault.functions.deposit(carol.address, 1_234 * USDC))
    # One epoch's revenue for ALPHA settled by the settler (the deployer holds every role).
    d = chain.client(deployer)
    router = d.contract("RevenueRouter")
    d.send(d.contract("USDC").functions.approve(router.address, 100 * USDC))
    d.send(router.functions.settle(token, 100 * USDC, 20_000))
    # Buybacks once the TWAP window has passed: USDC→FLOCK and USDC→FLOCK→MT, both burned.
    flock = Web3.to_checksum_address(chain.manifest.contracts["FLOCK"].address)
    d.send(router.functions.poke(token))
    chain.travel(31 * 60)
    for bought in (flock, token):
        # A fixed gas limit: the search for the largest in-bound amount costs more or less gas
        # depending on the block's timestamp, so an estimate from the previous block can fall short.
        data = router.encode_abi("execute_buyback", args=[bought, 30 * USDC])
        d.send_raw({"to": router.address, "data": data, "gas": 5_000_000})
    # A reward root: alice 50 MT, bob 20 MT (cumulative); live after the dispute window.
    tree = MerkleTree([(alice.address, token, 50 * WAD), (bob.address, token, 20 * WAD)])
    distributor = d.contract("RewardDistributor")
    d.send(distributor.functions.propose_root(tree.root(), 20_000, b"\x11" * 32))
    chain.travel(3_601)
    leaf = tree.get(alice.address, token)
    d.send(distributor.functions.claim(alice.address, token, 50 * WAD, tree.proof(leaf)))
    yield {"root": "0x" + tree.root().hex(), "token": scenario.graduated, "rewind": rewind}


def test_vault_router_distributor_rows(
    chain: Chain, scenario: Scenario, db: Db, economy: dict[str, Any]
) -> None:
    make_indexer(chain, db).sync()
    usdc = chain.manifest.contracts["USDC"].address.lower()
    with db.session() as s:
        (deposit,) = s.scalars(select(Deposit)).all()
        assert deposit.account == scenario.carol.address.lower()
        assert (deposit.token, deposit.amount, deposit.credited_at) == (usdc, 1_234 * USDC, None)

        (settled,) = s.scalars(select(RevenueSettlement)).all()
        assert (settled.token, settled.epoch, settled.usdc_amount) == (
            economy["token"],
            20_000,
            100 * USDC,
        )
        parts = (
            settled.flock_buyback,
            settled.treasury_amount,
            settled.mt_buyback,
            settled.issuer_amount,
        )
        assert sum(parts) == 100 * USDC and settled.issuer == scenario.creator.address.lower()

        buybacks = {b.kind: b for b in s.scalars(select(Buyback))}
        assert set(buybacks) == {"flock", "mt"}
        assert buybacks["mt"].token == economy["token"]
        assert 0 < buybacks["flock"].usdc_in <= 30 * USDC and buybacks["flock"].amount_out > 0
        burns = {(b.token, b.amount) for b in s.scalars(select(Burn))}
        assert burns == {(b.token, b.amount_out) for b in buybacks.values()}

        kinds = [
            (e.kind, e.root, e.epoch)
            for e in s.scalars(
                select(RewardRootEvent).order_by(
                    RewardRootEvent.block_number, RewardRootEvent.log_index
                )
            )
        ]
        assert kinds == [
            ("proposed", economy["root"], 20_000),
            ("activated", economy["root"], 20_000),
        ]
        (claim,) = s.scalars(select(RewardClaim)).all()
        assert (claim.account, claim.token, claim.amount) == (
            scenario.alice.address.lower(),
            economy["token"],
            50 * WAD,
        )
        pools = {
            (f.token, f.pool): f.amount
            for f in s.scalars(select(RewardFunding).where(RewardFunding.pool == economy["token"]))
        }
        # Graduation funded the MT Reward pool (200k MT) and the Reserved FLOCK pool.
        assert pools[(economy["token"], economy["token"])] == 200_000 * WAD
        flock = chain.manifest.contracts["FLOCK"].address.lower()
        assert pools[(flock, economy["token"])] > 0


def test_reorg_removes_economy_rows(
    chain: Chain, scenario: Scenario, sqlite_db: Db, economy: dict[str, Any]
) -> None:
    indexer = make_indexer(chain, sqlite_db)
    indexer.sync()
    with sqlite_db.session() as s:
        assert s.scalars(select(RewardClaim)).all() and s.scalars(select(Deposit)).all()
    economy["rewind"]()  # the chain before the deposit, settlement and root
    chain.mine(3)
    results = indexer.sync()
    assert results[0].action == "reorg"
    with sqlite_db.session() as s:
        for model in (Deposit, RevenueSettlement, RewardRootEvent, RewardClaim, Buyback, Burn):
            assert s.scalars(select(model)).all() == [], model.__name__
