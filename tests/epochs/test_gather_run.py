"""Gathering an epoch from the database (SQL aggregates) and running days in order, once."""

from __future__ import annotations

import itertools
import json
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from fomo.db.migrate import upgrade
from fomo.db.models import Epoch as EpochRow
from fomo.db.models import GmLockEvent, Launch, Reward, Settlement, StakeEvent
from fomo.db.models_gateway import UsageRecord
from fomo.db.models_indexer import RewardFunding
from fomo.db.session import make_engine, make_session_factory
from fomo.economics import gmflock
from fomo.economics.epoch import verify_bytes
from fomo.economics.staking import stake_seconds as reference_stake_seconds
from fomo.epochs import engine as eng
from fomo.epochs import gather
from fomo.indexer.queries import account_stake_seconds

DAY = 20_100
T0 = DAY * 86_400
FLOCK = "0x" + "f1" * 20
MT_A = "0x" + "a0" * 20
MT_B = "0x" + "b0" * 20
ISSUER = "0x" + "15" * 20
USERS = ["0x" + f"{i:02x}" * 20 for i in range(1, 9)]
_seq = itertools.count(1)


def ref() -> dict[str, object]:
    n = next(_seq)
    return {
        "block_number": n,
        "block_hash": "0x" + f"{n:064x}",
        "tx_hash": "0x" + f"{n:064x}",
        "log_index": 0,
    }


def launch(token: str, grad_time: int) -> Launch:
    return Launch(
        token=token, creator=ISSUER, model_type_id="0x" + "11" * 32, target_raise_min=1,
        target_raise_max=2, target_sale=1, sale_start=0, sale_end=1, mt_name="M", mt_symbol="M",
        status="graduated", graduated_time=grad_time, graduated_block=1, created_block=1,
        created_tx="0x" + "22" * 32, created_log_index=0,
    )  # fmt: skip


def usage(account: str, token: str | None, day: int, gross: int, **kw: object) -> UsageRecord:
    n = next(_seq)
    return UsageRecord(
        request_id=f"r{n}", created_at=datetime.fromtimestamp(day * 86_400 + 5, UTC), day=day,
        account=account, endpoint="chat", model_id="m", base_model="b", deployment=token,
        gross_nano_usd=gross, paid_nano_usd=kw.get("paid", gross),
        compute_cost_nano_usd=kw.get("compute", gross // 4), status=200,
        charged=kw.get("charged", True),
    )  # fmt: skip


@pytest.fixture
def db(tmp_path: Path) -> sessionmaker[Session]:
    url = f"sqlite:///{tmp_path / 'fomo.db'}"
    upgrade(url)
    return make_session_factory(make_engine(url))


def seed(
    s: Session,
    rng: random.Random,
    flock: str = FLOCK,
    mt_a: str = MT_A,
    mt_b: str = MT_B,
) -> list[tuple[int, str, str, str, int]]:
    """Two graduated MTs, random stake histories, gmFLOCK locks and two days of usage."""
    FLOCK, MT_A, MT_B = flock, mt_a, mt_b
    s.add_all([launch(MT_A, T0 - 3 * 86_400 + 100), launch(MT_B, T0 - 86_400 + 7)])
    s.add_all(
        [
            RewardFunding(**ref(), block_time=T0 - 10, token=FLOCK, pool=MT_A, funder=ISSUER,
                          amount=16_290 * 10**18),
            RewardFunding(**ref(), block_time=T0 - 10, token=MT_A, pool=MT_A, funder=ISSUER,
                          amount=16_290 * 10**20),
            RewardFunding(**ref(), block_time=T0 - 10, token=MT_B, pool=MT_B, funder=ISSUER,
                          amount=10**24),
            RewardFunding(**ref(), block_time=T0 - 10, token=FLOCK, pool="0x" + "00" * 20,
                          funder=ISSUER, amount=10**30),
        ]
    )  # fmt: skip
    events = []
    times = sorted(T0 + rng.randrange(-2 * 86_400, 2 * 86_400) for _ in range(60))
    active: dict[tuple[str, str], int] = {}
    for t in times:
        a, tok = rng.choice(USERS), rng.choice([MT_A, MT_B])
        have = active.get((a, tok), 0)
        if have and rng.random() < 0.35:
            kind, amt = "unstake", rng.randrange(1, have + 1)
            active[(a, tok)] = have - amt
        else:
            # huge amounts exercise the exact sum over the text-encoded uint256
            kind, amt = "stake", rng.randrange(1, 10**27)
            active[(a, tok)] = have + amt
        events.append((t, a, tok, kind, amt))
        if kind == "unstake" and rng.random() < 0.5:
            events.append((t + 1, a, tok, "withdraw", amt))
    for t, a, tok, kind, amt in events:
        s.add(StakeEvent(**ref(), block_time=t, token=tok, account=a, kind=kind, amount=amt))
    s.add_all(
        [
            GmLockEvent(**ref(), block_time=T0 - 50, account=USERS[0], kind="create",
                        amount=10**24, unlock_time=T0 + 200 * 86_400),
            GmLockEvent(**ref(), block_time=T0 + 50, account=USERS[0], kind="increase",
                        amount=10**24, unlock_time=T0 + 200 * 86_400),
            GmLockEvent(**ref(), block_time=T0 - 50, account=USERS[1], kind="create",
                        amount=10**22, unlock_time=T0 + 20 * 86_400),
            GmLockEvent(**ref(), block_time=T0 + 86_400 + 1, account=USERS[1], kind="withdraw",
                        amount=10**22, unlock_time=0),
        ]
    )  # fmt: skip
    for day in (DAY, DAY + 1):
        for _ in range(40):
            s.add(
                usage(
                    rng.choice(USERS[:6]),
                    rng.choice([MT_A, MT_B, None]),
                    day,
                    rng.randrange(1, 10**7),
                )
            )
    s.add(usage(USERS[7], MT_A, DAY, 10**9, charged=False))  # refused requests never count
    return events


def test_sql_aggregates_match_the_python_reference(db: sessionmaker[Session]) -> None:
    rng = random.Random(7)
    with db() as s, s.begin():
        seed(s, rng)
    with db() as s:
        conn = s.connection()
        got = gather.stake_seconds(conn, DAY)
        for a in USERS:
            for tok in (MT_A, MT_B):
                want = account_stake_seconds(s, tok, a, T0, T0 + 86_400)
                assert got.get((a, tok), 0) == want
        assert any(v > 2**64 for v in got.values())
        rows = s.scalars(select(UsageRecord).where(UsageRecord.day == DAY)).all()
        want_spend: dict[tuple[str, str], int] = {}
        for r in rows:
            if r.deployment and r.charged:
                k = (r.account, r.deployment)
                want_spend[k] = want_spend.get(k, 0) + r.gross_nano_usd
        assert gather.spend(conn, DAY) == want_spend
        assert gather.usage(conn, DAY)[1] == gather.revenue(conn, DAY)
        gm = gather.effective_gmflock(conn, DAY)
        end = T0 + 86_400
        assert gm[USERS[0]] == gmflock.effective_balance(2 * 10**24, 199 * 86_400)
        assert gm[USERS[1]] == gmflock.effective_balance(10**22, 20 * 86_400 - 86_400)
        assert USERS[1] not in gather.effective_gmflock(conn, DAY + 1)
        assert [g.graduation_epoch for g in gather.graduated(conn, DAY)] == [DAY - 3, DAY - 1]
        assert gather.pools(conn, FLOCK)[MT_A] == (16_290 * 10**18, 16_290 * 10**20)
        assert reference_stake_seconds(0, [], 0, 1) == 0 and end > T0


def test_run_days_in_order_once_and_byte_identical(
    tmp_path: Path, db: sessionmaker[Session]
) -> None:
    rng = random.Random(11)
    with db() as s, s.begin():
        seed(s, rng)
    data = tmp_path / "data"
    with pytest.raises(eng.EpochError, match="not over"):
        eng.run_day(db, data, DAY, flock_token=FLOCK, now=T0 + 3600)
    runs = eng.catch_up(db, data, first=DAY, now=T0 + 2 * 86_400 + 1, flock_token=FLOCK)
    assert [r.epoch for r in runs] == [DAY, DAY + 1]
    assert all(r.status == "computed" and r.root and not r.reused for r in runs)
    d1 = eng.data_path(data, DAY).read_bytes()
    d2 = eng.data_path(data, DAY + 1).read_bytes()
    assert verify_bytes(d1).root == runs[0].root and verify_bytes(d2).root == runs[1].root
    # never twice
    again = eng.run_day(db, data, DAY + 1, flock_token=FLOCK)
    assert again.reused and eng.data_path(data, DAY + 1).read_bytes() == d2
    with pytest.raises(eng.EpochError, match="precedes"):
        eng.run_day(db, data, DAY - 5, flock_token=FLOCK)
    with pytest.raises(eng.EpochError, match="in order"):
        eng.run_day(db, data, DAY + 5, flock_token=FLOCK)
    # day 2 carries day 1's cumulative leaves and vintage roll-over
    doc1, doc2 = json.loads(d1), json.loads(d2)
    prev = {(a, t): v for a, t, v in doc2["inputs"]["previous_cumulative"]}
    assert prev == {(a, t): v for a, t, v in doc1["tree"]["leaves"]}
    with db() as s:
        rows = {r.epoch: r for r in s.scalars(select(EpochRow))}
        assert rows[DAY].merkle_root == runs[0].root and rows[DAY].status == "computed"
        rewards = s.scalars(select(Reward).where(Reward.epoch == DAY + 1)).all()
        leaves2 = {(a, t): int(v) for a, t, v in doc2["tree"]["leaves"]}
        assert rewards and all(leaves2[(r.account, r.token)] == r.cumulative for r in rewards)
        sett = s.scalars(select(Settlement).where(Settlement.epoch == DAY)).all()
        assert {x.token for x in sett} == {MT_A, MT_B}
        rev = gather.revenue(s.connection(), DAY)
        for x in sett:
            assert x.usdc_amount * 1000 + x.carry_forward_nano_usd == x.net_nano_usd
            assert (x.gross_nano_usd, x.paid_nano_usd) == (rev[x.token].gross, rev[x.token].paid)
    # the same inputs in a fresh database give the same bytes
    other = tmp_path / "other"
    url = f"sqlite:///{tmp_path / 'again.db'}"
    upgrade(url)
    f2 = make_session_factory(make_engine(url))
    with f2() as s, s.begin():
        seed(s, random.Random(11))
    eng.catch_up(f2, other, first=DAY, now=T0 + 2 * 86_400 + 1, flock_token=FLOCK)
    assert eng.data_path(other, DAY).read_bytes() == d1
    assert eng.data_path(other, DAY + 1).read_bytes() == d2
