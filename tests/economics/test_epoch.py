"""Pure epoch assembly: seeds' examples as cumulative leaves, vintage roll-over and expiry,
byte-identical re-runs, tamper detection and the solvency refusal."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from fomo.economics.epoch import Epoch, assemble, verify_bytes
from fomo.economics.epoch_file import EpochDataError, EpochFile
from fomo.economics.epoch_input import EpochInput, InsolventEpoch, MTState
from fomo.economics.merkle import MerkleTree, verify
from fomo.economics.units import FLOCK_UNIT
from fomo.epochs.engine import previous_state

FLOCK = "0x" + "f1" * 20
MT = "0x" + "a0" * 20
MT2 = "0x" + "b0" * 20
ISSUER = "0x" + "15" * 20
ALICE = "0x" + "a1" * 20
BOB = "0x" + "b1" * 20
CAROL = "0x" + "c1" * 20
DAY0 = 20_000


def _next_carry(e: Epoch) -> dict[str, tuple[int, int]]:
    """The vintage carry the engine reads back from this epoch's data file for the next one."""
    return previous_state(EpochFile.from_bytes(e.data))[1]


BIG = 10**30
GCAP = 1_000_000 * FLOCK_UNIT


def mt(token: str = MT, grad: int = DAY0, **kw: int) -> MTState:
    kw.setdefault("paid_revenue", 10**9)
    return MTState(token=token, issuer=ISSUER, graduation_epoch=grad, **kw)


def inp(
    epoch: int = DAY0,
    deployments: tuple[MTState, ...] | None = None,
    spend: dict[tuple[str, str], int] | None = None,
    stake: dict[tuple[str, str], int] | None = None,
    gm: dict[str, int] | None = None,
    previous: dict[tuple[str, str], int] | None = None,
    capacity: dict[str, int] | None = None,
    emission: int = 100 * FLOCK_UNIT,
) -> EpochInput:
    return EpochInput(
        epoch=epoch,
        flock_token=FLOCK,
        deployments=deployments if deployments is not None else (mt(),),
        spend=spend if spend is not None else {(ALICE, MT): 5 * 10**8, (BOB, MT): 5 * 10**8},
        stake=stake if stake is not None else {(ALICE, MT): 86_400 * FLOCK_UNIT},
        gmflock=gm or {},
        previous=previous or {},
        capacity=capacity if capacity is not None else {FLOCK: BIG, MT: BIG, MT2: BIG},
        global_emission=emission,
        issuer_bonus_bps=0,
    )


def flock(e: object, account: str) -> int:
    return e.cumulative.get((account, FLOCK), 0)  # type: ignore[attr-defined]


# (age days → α, stake setup, gmFLOCK) → seeds' Alice/Bob FLOCK (docs/reward-math.md table)
SEEDS = [
    (0, {(ALICE, MT): 1}, {}, "52.631578947368421052", "47.368421052631578947"),
    (0, {(ALICE, MT): 1, (CAROL, MT): 9}, {}, "50.863244795971454584", "49.136755204028545415"),
    (180, {(ALICE, MT): 1}, {}, "66.666666666666666666", "33.333333333333333333"),
    (180, {(ALICE, MT): 1, (CAROL, MT): 9}, {}, "56.826352974790716235", "43.173647025209283764"),
    (0, {(ALICE, MT): 1}, {BOB: GCAP}, "35.714285714285714285", "64.285714285714285714"),
    (180, {(ALICE, MT): 1}, {BOB: GCAP}, "50", "50"),
]


def wei(text: str) -> int:
    return int(Fraction(text) * FLOCK_UNIT)


@pytest.mark.parametrize(("age", "stake", "gm", "alice", "bob"), SEEDS)
def test_seed_examples_become_cumulative_leaves(
    age: int, stake: dict[tuple[str, str], int], gm: dict[str, int], alice: str, bob: str
) -> None:
    e = assemble(
        inp(
            epoch=DAY0 + age,
            stake=stake,
            gm=gm,
            deployments=(mt(reserved_flock_pool=10**21, mt_reward_pool=10**21),),
        )
    )
    d = e.result.deployments[0]
    # Reserved FLOCK and MT Reward go to Alice only: Bob has no stake, Carol no usage.
    assert all(
        p.reserved_flock == 0 and p.mt_reward == 0 for p in d.participants if p.account != ALICE
    )
    assert e.cumulative.get((BOB, MT), 0) == 0
    alice_global = next(p.global_flock for p in d.participants if p.account == ALICE)
    bob_global = next(p.global_flock for p in d.participants if p.account == BOB)
    assert alice_global == wei(alice)
    assert bob_global == wei(bob)
    assert flock(e, BOB) == wei(bob)
    assert flock(e, ALICE) == wei(alice) + d.reserved_flock_paid
    # at age 180 the 180-day vintage is over: nothing more is released
    assert e.cumulative.get((ALICE, MT), 0) == d.mt_reward_paid
    assert (d.mt_reward_paid > 0) == (age < 180)
    assert e.tree is not None
    for (a, t), v in e.cumulative.items():
        if v:
            leaf, proof = e.tree.proof_for(a, t)
            assert leaf.amount == v and verify(e.tree.root(), leaf, proof)


def test_cumulative_adds_previous_and_keeps_untouched_leaves() -> None:
    old = "0x" + "0d" * 20
    e = assemble(inp(previous={(ALICE, FLOCK): 7, (old, MT): 11}))
    assert e.cumulative[(old, MT)] == 11
    assert e.cumulative[(ALICE, FLOCK)] == 7 + e.payouts[(ALICE, FLOCK)]
    assert e.tree is not None and e.tree.get(old, MT).amount == 11


def test_unused_mt_gets_no_emission_and_its_pools_roll_over() -> None:
    e = assemble(
        inp(
            deployments=(
                mt(),
                mt(MT2, paid_revenue=0, reserved_flock_pool=16_290, mt_reward_pool=16_290),
            ),
            stake={(ALICE, MT): 1, (ALICE, MT2): 1},
        )
    )
    by = {d.token: d for d in e.result.deployments}
    assert by[MT2].emission == 0 and by[MT].emission == 100 * FLOCK_UNIT
    v = {x.token: x for x in e.vintages}[MT2]
    # day 0 releases 180/16290 of the pool; nobody used MT2, so all of it rolls over
    assert v.mt_reward.released == 180 and v.mt_reward.carried_out == 180
    assert v.reserved_flock.carried_out == 180
    assert _next_carry(e)[MT2] == (180, 180)
    assert not any(t == MT2 for (_, t) in e.payouts)


def test_zero_stake_user_gets_no_reserved_or_mt_reward() -> None:
    e = assemble(
        inp(stake={}, deployments=(mt(reserved_flock_pool=10**21, mt_reward_pool=10**21),))
    )
    d = e.result.deployments[0]
    assert d.reserved_flock_paid == 0 and d.mt_reward_paid == 0
    assert all(t == FLOCK for (_, t) in e.payouts)
    assert e.vintages[0].mt_reward.carried_out == e.vintages[0].mt_reward.released


def test_roll_over_then_end_of_vintage() -> None:
    pool = 16_290 * 10**12
    # day 178: nobody staked → everything (release + carry) rolls over
    e1 = assemble(
        inp(
            epoch=DAY0 + 178,
            deployments=(
                mt(
                    reserved_flock_pool=pool,
                    mt_reward_pool=pool,
                    mt_reward_carry=5,
                    reserved_flock_carry=5,
                ),
            ),
            stake={},
        )
    )
    carry_r, carry_m = _next_carry(e1)[MT]
    assert carry_m == 2 * 10**12 + 5 and carry_r == 2 * 10**12 + 5
    # day 179 (the last): Alice stakes, takes it all; nothing carries, nothing expires
    last = MTState(MT, ISSUER, DAY0, 10**9, 0, pool, pool, carry_r, carry_m)
    e2 = assemble(inp(epoch=DAY0 + 179, deployments=(last,)))
    v = e2.vintages[0]
    assert v.mt_reward.available == 10**12 + carry_m
    assert v.mt_reward.paid == v.mt_reward.available and v.mt_reward.expired == 0
    assert e2.cumulative[(ALICE, MT)] == v.mt_reward.available
    # day 179 without stakers: the rest expires (MT burned, FLOCK returned), no carry
    e3 = assemble(inp(epoch=DAY0 + 179, deployments=(last,), stake={}))
    v3 = e3.vintages[0]
    assert v3.mt_reward.expired == v3.mt_reward.available and v3.mt_reward.carried_out == 0
    assert v3.reserved_flock.expired == v3.reserved_flock.available
    # after the vintage nothing more is released
    e4 = assemble(
        inp(epoch=DAY0 + 180, deployments=(mt(reserved_flock_pool=pool, mt_reward_pool=pool),))
    )
    assert e4.vintages[0].mt_reward.released == 0 and (ALICE, MT) not in e4.payouts


def test_rerun_is_byte_identical_whatever_the_input_order() -> None:
    a = inp(spend={(BOB, MT): 3, (ALICE, MT): 5}, stake={(CAROL, MT): 2, (ALICE, MT): 1})
    b = inp(spend={(ALICE, MT): 5, (BOB, MT): 3}, stake={(ALICE, MT): 1, (CAROL, MT): 2})
    ea, eb = assemble(a), assemble(b)
    assert ea.data == eb.data and ea.root == eb.root
    assert assemble(a).data == ea.data
    # canonical: exactly json.dumps(sort_keys, no whitespace) of its own content
    canon = json.dumps(json.loads(ea.data), sort_keys=True, separators=(",", ":")).encode()
    assert canon == ea.data
    doc = json.loads(ea.data)
    for table in (
        doc["inputs"]["spend_nano_usd"],
        doc["outputs"]["payouts"],
        doc["tree"]["leaves"],
    ):
        assert table == sorted(table, key=lambda r: (r[0], r[1])) and table
    v = verify_bytes(ea.data)
    assert v.root == ea.root == v.recorded_root and v.data_hash == ea.data_hash
    # the published leaves rebuild the same tree
    leaves = json.loads(ea.data)["tree"]["leaves"]
    assert MerkleTree((x, y, int(z)) for x, y, z in leaves).root_hex() == ea.root


@pytest.mark.parametrize(
    "tamper",
    [
        lambda d: d["inputs"]["spend_nano_usd"][0].__setitem__(2, "999999999"),
        lambda d: d["outputs"]["payouts"][0].__setitem__(2, "1"),
        lambda d: d["tree"]["leaves"][0].__setitem__(2, "123"),
        lambda d: d["tree"].__setitem__("root", "0x" + "00" * 32),
        lambda d: d["inputs"]["params"].__setitem__("alpha_start", "0.8"),
    ],
)
def test_verify_detects_a_tampered_file(tamper: object) -> None:
    e = assemble(inp())
    doc = json.loads(e.data)
    tamper(doc)  # type: ignore[operator]
    bad = json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()
    assert bad != e.data
    with pytest.raises(EpochDataError, match="does not follow"):
        verify_bytes(bad)


def test_verify_rejects_non_canonical_bytes() -> None:
    e = assemble(inp())
    with pytest.raises(EpochDataError):
        verify_bytes(json.dumps(json.loads(e.data), indent=1).encode())
    with pytest.raises(EpochDataError):
        verify_bytes(b"not json")


def test_solvency_refusal_lists_every_shortfall() -> None:
    e = assemble(inp(deployments=(mt(reserved_flock_pool=10**21, mt_reward_pool=10**21),)))
    need_flock = sum(v for (_, t), v in e.cumulative.items() if t == FLOCK)
    need_mt = e.cumulative[(ALICE, MT)]
    with pytest.raises(InsolventEpoch) as info:
        assemble(
            inp(
                deployments=(mt(reserved_flock_pool=10**21, mt_reward_pool=10**21),),
                capacity={FLOCK: need_flock - 1, MT: need_mt - 5},
            )
        )
    s = {x.token: x.missing for x in info.value.shortfalls}
    assert s == {FLOCK: 1, MT: 5}
    assert "REFUSING TO PUBLISH" in str(info.value)
    # exactly enough is fine
    assemble(
        inp(
            deployments=(mt(reserved_flock_pool=10**21, mt_reward_pool=10**21),),
            capacity={FLOCK: need_flock, MT: need_mt},
        )
    )


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="lower-case"):
        assemble(inp(spend={(ALICE.upper().replace("0X", "0x"), MT): 1}))
    with pytest.raises(ValueError, match="unknown deployment"):
        assemble(inp(spend={(ALICE, MT2): 1}))
    with pytest.raises(ValueError, match="graduates after"):
        assemble(inp(deployments=(mt(grad=DAY0 + 1),)))
