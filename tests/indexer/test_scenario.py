"""A whole season indexed from a real anvil: every log once, domain rows equal to the chain's
own state (views), block times on every row, exact time-weighted stake."""

from __future__ import annotations

from fractions import Fraction

import pytest
from sqlalchemy import select
from web3 import Web3

from fomo.db.models import (
    Claim,
    EventLog,
    GmLock,
    IndexedBlock,
    IndexerCursor,
    Launch,
    Purchase,
    Redeem,
    Stake,
    StakeEvent,
    VestingSchedule,
)
from fomo.db.models_indexer import ChainModelType, Graduation, LaunchParams, TokenBalance
from fomo.indexer.queries import account_stake_seconds, stake_seconds_by_account
from tests.indexer.conftest import (
    Chain,
    Db,
    Scenario,
    chain_log_keys,
    make_indexer,
    stored_log_keys,
)

pytestmark = pytest.mark.anvil


def cs(address: str) -> str:
    return Web3.to_checksum_address(address)


@pytest.fixture
def indexed(chain: Chain, scenario: Scenario, db: Db) -> Db:
    results = make_indexer(chain, db).sync()
    assert results[-1].action == "idle"
    return db


def test_every_log_once_no_gaps(chain: Chain, indexed: Db) -> None:
    stored = stored_log_keys(indexed)
    assert len(stored) == len(set(stored))
    assert set(stored) == chain_log_keys(chain)


def test_launch_rows_equal_chain_state(chain: Chain, scenario: Scenario, indexed: Db) -> None:
    lp = chain.contract("Launchpad")
    with indexed.session() as s:
        for token in (scenario.graduated, scenario.failed):
            onchain = lp.functions.launches(cs(token)).call()
            row = s.get(Launch, token)
            params = s.get(LaunchParams, token)
            assert row is not None and params is not None
            assert row.creator == onchain[0].lower()
            assert (row.raised, row.mt_sold) == (onchain[13], onchain[14])
            assert (params.x0, params.y0, params.lp_bps) == (onchain[6], onchain[7], onchain[4])
            assert (params.base_fee_bps, params.creator_fee_bps, params.tax_start_bps) == (
                onchain[8],
                onchain[9],
                onchain[10],
            )
        alpha = s.get(Launch, scenario.graduated)
        assert alpha is not None and alpha.status == "graduated" and alpha.is_bundled
        assert alpha.pair == lp.functions.launches(cs(scenario.graduated)).call()[16].lower()
        assert alpha.buyers == 3
        grad = s.scalars(select(Graduation).where(Graduation.token == scenario.graduated)).one()
        assert grad.minted_mt + grad.unminted_mt == 1_000_000 * 10**18
        assert grad.raised == alpha.raised
        beta = s.get(Launch, scenario.failed)
        assert beta is not None and beta.status == "failed" and not beta.is_bundled
        (redeem,) = s.scalars(select(Redeem).where(Redeem.token == scenario.failed)).all()
        (pledge,) = s.scalars(select(Purchase).where(Purchase.token == scenario.failed)).all()
        assert redeem.account == scenario.dave.address.lower()
        assert redeem.flock_amount == pledge.net_used
        types = s.scalars(select(ChainModelType)).all()
        assert {t.base_model for t in types} >= {"qwen3-30b-a3b-instruct", "deepseek-v3.2"}


def test_claims_balances_and_supply(chain: Chain, scenario: Scenario, indexed: Db) -> None:
    token = scenario.graduated
    mt = chain.token(token)
    with indexed.session() as s:
        for who in (scenario.alice, scenario.creator):
            addr = who.address.lower()
            allocated = sum(
                p.mt_allocated
                for p in s.scalars(
                    select(Purchase).where(Purchase.token == token, Purchase.buyer == addr)
                )
            )
            (claim,) = s.scalars(
                select(Claim).where(Claim.token == token, Claim.account == addr)
            ).all()
            assert claim.mt_amount == allocated > 0
        balances = s.scalars(select(TokenBalance).where(TokenBalance.token == token)).all()
        assert balances
        for b in balances:
            assert b.balance == mt.functions.balanceOf(cs(b.account)).call(), b.account
        assert sum(b.balance for b in balances) == mt.functions.totalSupply().call()


def test_stake_gm_vesting_equal_chain(chain: Chain, scenario: Scenario, indexed: Db) -> None:
    staking = chain.contract("Staking")
    gm = chain.contract("GmFlock")
    vesting = chain.contract("Vesting")
    alice = scenario.alice.address
    with indexed.session() as s:
        st = s.get(Stake, (scenario.graduated, alice.lower()))
        assert st is not None
        assert st.staked == staking.functions.active_stake(cs(scenario.graduated), alice).call()
        assert (st.cooling, st.cooldown_end) == (0, None)  # withdrawn after the cooldown
        kinds = [
            e.kind
            for e in s.scalars(
                select(StakeEvent).order_by(StakeEvent.block_number, StakeEvent.log_index)
            )
        ]
        assert kinds == ["stake", "unstake", "withdraw"]
        lock = s.get(GmLock, alice.lower())
        onchain_lock = gm.functions.locks(alice).call()
        assert lock is not None and (lock.amount, lock.unlock_time) == tuple(onchain_lock)
        sched = s.get(VestingSchedule, scenario.issuer_vesting_id)
        assert sched is not None
        assert sched.released == vesting.functions.schedules(sched.schedule_id).call()[3] > 0
        assert sched.beneficiary == scenario.creator.address.lower()


def test_block_time_and_hash_on_every_row(chain: Chain, indexed: Db) -> None:
    with indexed.session() as s:
        rows = s.scalars(select(EventLog)).all()
        blocks = {n: chain.w3.eth.get_block(n) for n in {r.block_number for r in rows}}
        for r in rows:
            assert r.block_time == blocks[r.block_number]["timestamp"]
            assert r.block_hash == "0x" + bytes(blocks[r.block_number]["hash"]).hex()
        # Hashes are kept for the reorg window (plus one older anchor), not forever.
        kept = s.scalars(select(IndexedBlock)).all()
        cursor = s.get(IndexerCursor, "chain")
        assert cursor is not None
        assert sum(1 for b in kept if b.block_number < cursor.block_number - 64) <= 1
        for b in kept:
            assert (
                b.block_hash == "0x" + bytes(chain.w3.eth.get_block(b.block_number)["hash"]).hex()
            )


def test_time_weighted_stake_is_exact(scenario: Scenario, indexed: Db) -> None:
    (t_stake, after_stake), (t_unstake, after_unstake) = scenario.stake_times
    start, end = t_stake - 100, t_unstake + 5000
    expected = after_stake * (t_unstake - t_stake) + after_unstake * (end - t_unstake)
    with indexed.session() as s:
        got = account_stake_seconds(s, scenario.graduated, scenario.alice.address, start, end)
        assert got == expected
        # A window starting mid-stake starts from the active stake at that moment.
        mid = t_stake + 10
        assert account_stake_seconds(
            s, scenario.graduated, scenario.alice.address, mid, end
        ) == after_stake * (t_unstake - mid) + after_unstake * (end - t_unstake)
        per = stake_seconds_by_account(s, scenario.graduated, start, end)
        assert per == {scenario.alice.address.lower(): expected}
    assert Fraction(expected, end - start) < after_stake
