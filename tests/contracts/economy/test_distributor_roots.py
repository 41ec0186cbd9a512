"""RewardDistributor root lifecycle: propose, dispute window, supersede, cancel, activate."""

from __future__ import annotations

from typing import Any

import boa
import pytest

from fomo.economics.merkle import MerkleTree

from .helpers import DAY, HOUR, ZERO32, deployer, fund

ALICE = "0x" + "a1" * 20


@pytest.fixture(autouse=True)
def _isolate(isolate: None) -> None:
    pass


def _tree(token: str, amount: int) -> MerkleTree:
    return MerkleTree([(ALICE, token, amount), ("0x" + "b2" * 20, token, 7)])


def _claim(dist: Any, tree: MerkleTree, token: str) -> int:
    leaf, proof = tree.proof_for(ALICE, token)
    return int(dist.claim(*leaf, proof))


def test_initial_state(distributor: Any, admin: Any, treasury: Any) -> None:
    assert distributor.root() == ZERO32
    assert distributor.epoch() == 0
    assert distributor.pending_root() == ZERO32
    assert distributor.dispute_window() == HOUR
    assert distributor.treasury() == treasury
    assert distributor.admin() == admin
    assert distributor.live_root() == (ZERO32, 0, ZERO32)


def test_propose_sets_pending_and_logs(distributor: Any, publisher: Any, flock: Any) -> None:
    tree = _tree(flock.address, 100)
    distributor.propose_root(tree.root(), 1, b"\x09" * 32, sender=publisher)
    (event,) = distributor.get_logs()
    assert type(event).__name__ == "RootProposed"
    assert event.root == tree.root()
    assert event.epoch == 1
    assert event.data_hash == b"\x09" * 32
    assert event.activates_at == boa.env.evm.patch.timestamp + HOUR
    assert event.proposer == publisher
    assert distributor.pending_root() == tree.root()
    assert distributor.pending_epoch() == 1
    assert distributor.pending_activates_at() == event.activates_at
    assert distributor.root() == ZERO32  # not live yet
    assert distributor.live_root() == (ZERO32, 0, ZERO32)


def test_propose_requires_publisher(distributor: Any, admin: Any, guardian: Any) -> None:
    for who in (admin, guardian, boa.env.generate_address()):
        with boa.reverts("missing role"):
            distributor.propose_root(b"\x01" * 32, 1, ZERO32, sender=who)


def test_propose_rejects_empty_root(distributor: Any, publisher: Any) -> None:
    with boa.reverts("empty root"):
        distributor.propose_root(ZERO32, 1, ZERO32, sender=publisher)


def test_not_claimable_during_dispute_window(distributor: Any, publisher: Any, flock: Any) -> None:
    fund(distributor, flock, 1000)
    tree = _tree(flock.address, 100)
    distributor.propose_root(tree.root(), 1, ZERO32, sender=publisher)
    boa.env.time_travel(seconds=HOUR - 1)
    with boa.reverts("no root"):
        _claim(distributor, tree, flock.address)
    with boa.reverts("dispute window"):
        distributor.activate()
    boa.env.time_travel(seconds=1)
    assert distributor.live_root() == (tree.root(), 1, ZERO32)
    assert _claim(distributor, tree, flock.address) == 100
    assert distributor.root() == tree.root()
    assert distributor.epoch() == 1
    assert distributor.pending_root() == ZERO32


def test_activate_promotes_and_logs(distributor: Any, publisher: Any, flock: Any) -> None:
    with boa.reverts("no pending root"):
        distributor.activate()
    tree = _tree(flock.address, 100)
    distributor.propose_root(tree.root(), 3, b"\x05" * 32, sender=publisher)
    boa.env.time_travel(seconds=HOUR)
    distributor.activate(sender=boa.env.generate_address())
    (event,) = distributor.get_logs()
    assert type(event).__name__ == "RootActivated"
    assert (event.root, event.epoch, event.data_hash) == (tree.root(), 3, b"\x05" * 32)
    assert distributor.root() == tree.root()
    assert distributor.data_hash() == b"\x05" * 32
    with boa.reverts("no pending root"):
        distributor.activate()


def test_new_proposal_supersedes_pending(distributor: Any, publisher: Any, flock: Any) -> None:
    fund(distributor, flock, 1000)
    old = _tree(flock.address, 100)
    new = _tree(flock.address, 60)
    distributor.propose_root(old.root(), 1, ZERO32, sender=publisher)
    boa.env.time_travel(seconds=HOUR // 2)
    distributor.propose_root(new.root(), 1, ZERO32, sender=publisher)  # same epoch: a correction
    superseded, proposed = distributor.get_logs()
    assert type(superseded).__name__ == "RootSuperseded"
    assert (superseded.root, superseded.epoch, superseded.by_root) == (old.root(), 1, new.root())
    assert type(proposed).__name__ == "RootProposed"
    # the old root's window would have ended here; it must never become live
    boa.env.time_travel(seconds=HOUR // 2)
    with boa.reverts("no root"):
        _claim(distributor, old, flock.address)
    boa.env.time_travel(seconds=HOUR // 2)
    with boa.reverts("invalid proof"):
        _claim(distributor, old, flock.address)
    assert _claim(distributor, new, flock.address) == 60


def test_matured_pending_is_promoted_by_next_proposal(
    distributor: Any, publisher: Any, flock: Any
) -> None:
    fund(distributor, flock, 1000)
    first = _tree(flock.address, 100)
    second = _tree(flock.address, 150)
    distributor.propose_root(first.root(), 1, ZERO32, sender=publisher)
    boa.env.time_travel(seconds=HOUR)
    distributor.propose_root(second.root(), 2, ZERO32, sender=publisher)
    names = [type(e).__name__ for e in distributor.get_logs()]
    assert names == ["RootActivated", "RootProposed"]
    assert distributor.root() == first.root()
    assert distributor.pending_root() == second.root()
    assert _claim(distributor, first, flock.address) == 100
    boa.env.time_travel(seconds=HOUR)
    assert _claim(distributor, second, flock.address) == 50


def test_epochs_strictly_increase(distributor: Any, publisher: Any) -> None:
    distributor.propose_root(b"\x01" * 32, 5, ZERO32, sender=publisher)
    with boa.reverts("stale epoch"):
        distributor.propose_root(b"\x02" * 32, 4, ZERO32, sender=publisher)
    distributor.propose_root(b"\x02" * 32, 5, ZERO32, sender=publisher)
    boa.env.time_travel(seconds=HOUR)
    with boa.reverts("stale epoch"):  # promotes epoch 5 first, then 5 is not > 5
        distributor.propose_root(b"\x03" * 32, 5, ZERO32, sender=publisher)
    distributor.propose_root(b"\x03" * 32, 6, ZERO32, sender=publisher)
    assert distributor.epoch() == 5
    assert distributor.pending_epoch() == 6


def test_epoch_zero_rejected(distributor: Any, publisher: Any) -> None:
    with boa.reverts("stale epoch"):
        distributor.propose_root(b"\x01" * 32, 0, ZERO32, sender=publisher)


def _set_time(timestamp: int) -> None:
    boa.env.evm.patch.timestamp = timestamp


def test_epoch_bound_is_the_last_finished_day(distributor: Any, publisher: Any) -> None:
    """`epoch < block.timestamp // 86400`: the bound (the day that just ended) is accepted,
    bound + 1 (today, not over) is rejected, on both sides of midnight."""
    today = int(boa.env.evm.patch.timestamp) // DAY + 1
    _set_time(today * DAY - 1)  # one second before midnight: day today-1 is still running
    with boa.reverts("future epoch"):
        distributor.propose_root(b"\x01" * 32, today - 1, ZERO32, sender=publisher)
    distributor.propose_root(b"\x01" * 32, today - 2, ZERO32, sender=publisher)
    _set_time(today * DAY)  # midnight: day today-1 is over, day today has begun
    distributor.propose_root(b"\x02" * 32, today - 1, ZERO32, sender=publisher)
    assert distributor.pending_epoch() == today - 1
    with boa.reverts("future epoch"):
        distributor.propose_root(b"\x03" * 32, today, ZERO32, sender=publisher)
    assert distributor.pending_root() == b"\x02" * 32  # a rejected proposal changes nothing


def test_far_future_typo_cannot_brick_the_distributor(
    distributor: Any, publisher: Any, guardian: Any
) -> None:
    """The audit's case: a typo'd far-future epoch went live and every real proposal after it
    reverted "stale epoch", forever. Now the typo itself is refused."""
    today = int(boa.env.evm.patch.timestamp) // DAY
    with boa.reverts("future epoch"):
        distributor.propose_root(b"\x01" * 32, today * 1000, ZERO32, sender=publisher)
    with boa.reverts("future epoch"):
        distributor.propose_root(b"\x01" * 32, 2**256 - 1, ZERO32, sender=publisher)
    boa.env.time_travel(seconds=2 * HOUR)
    assert distributor.live_root()[0] == ZERO32
    distributor.propose_root(b"\x02" * 32, today - 1, ZERO32, sender=publisher)
    # the guardian and the dispute window work as before
    distributor.cancel_root(b"\x02" * 32, sender=guardian)
    distributor.propose_root(b"\x03" * 32, today - 1, ZERO32, sender=publisher)
    boa.env.time_travel(seconds=distributor.dispute_window())
    assert distributor.live_root()[:2] == (b"\x03" * 32, today - 1)
    boa.env.time_travel(seconds=DAY)  # the next day ends
    distributor.propose_root(b"\x04" * 32, today, ZERO32, sender=publisher)
    assert distributor.pending_epoch() == today


def test_guardian_cancels_pending(
    distributor: Any, publisher: Any, guardian: Any, flock: Any
) -> None:
    fund(distributor, flock, 1000)
    tree = _tree(flock.address, 100)
    distributor.propose_root(tree.root(), 1, ZERO32, sender=publisher)
    distributor.cancel_root(tree.root(), sender=guardian)
    (event,) = distributor.get_logs()
    assert type(event).__name__ == "RootCancelled"
    assert (event.root, event.epoch, event.guardian) == (tree.root(), 1, guardian)
    assert distributor.pending_root() == ZERO32
    boa.env.time_travel(seconds=2 * HOUR)
    with boa.reverts("no root"):
        _claim(distributor, tree, flock.address)
    # after a cancel the same epoch can be proposed again
    fixed = _tree(flock.address, 90)
    distributor.propose_root(fixed.root(), 1, ZERO32, sender=publisher)
    boa.env.time_travel(seconds=HOUR)
    assert _claim(distributor, fixed, flock.address) == 90


def test_cancel_checks(distributor: Any, publisher: Any, guardian: Any, admin: Any) -> None:
    with boa.reverts("no pending root"):
        distributor.cancel_root(b"\x01" * 32, sender=guardian)
    distributor.propose_root(b"\x01" * 32, 1, ZERO32, sender=publisher)
    for who in (admin, publisher):
        with boa.reverts("missing role"):
            distributor.cancel_root(b"\x01" * 32, sender=who)
    with boa.reverts("not pending"):
        distributor.cancel_root(b"\x02" * 32, sender=guardian)
    boa.env.time_travel(seconds=HOUR)
    with boa.reverts("no pending root"):  # its window has passed: it is live, not pending
        distributor.cancel_root(b"\x01" * 32, sender=guardian)


def test_cancelled_root_cannot_come_back_when_live_root_exists(
    distributor: Any, publisher: Any, guardian: Any, flock: Any
) -> None:
    fund(distributor, flock, 1000)
    live = _tree(flock.address, 40)
    bad = _tree(flock.address, 900)
    distributor.propose_root(live.root(), 1, ZERO32, sender=publisher)
    boa.env.time_travel(seconds=HOUR)
    distributor.propose_root(bad.root(), 2, ZERO32, sender=publisher)
    distributor.cancel_root(bad.root(), sender=guardian)
    boa.env.time_travel(seconds=3 * HOUR)
    with boa.reverts("invalid proof"):
        _claim(distributor, bad, flock.address)
    assert _claim(distributor, live, flock.address) == 40


def test_dispute_window_setter(distributor: Any, admin: Any, publisher: Any) -> None:
    with boa.reverts("not admin"):
        distributor.set_dispute_window(2 * HOUR, sender=publisher)
    with boa.reverts("window too short"):
        distributor.set_dispute_window(15 * 60 - 1, sender=admin)
    with boa.reverts("window too long"):
        distributor.set_dispute_window(7 * 86400 + 1, sender=admin)
    distributor.propose_root(b"\x01" * 32, 1, ZERO32, sender=publisher)
    distributor.set_dispute_window(15 * 60, sender=admin)
    (event,) = distributor.get_logs()
    assert (event.old_window, event.new_window) == (HOUR, 15 * 60)
    # the pending root keeps the window it was proposed with
    boa.env.time_travel(seconds=15 * 60)
    assert distributor.live_root()[0] == ZERO32
    distributor.set_dispute_window(7 * 86400, sender=admin)
    assert distributor.dispute_window() == 7 * 86400


def test_treasury_setter(distributor: Any, admin: Any, publisher: Any) -> None:
    new = boa.env.generate_address()
    with boa.reverts("not admin"):
        distributor.set_treasury(new, sender=publisher)
    with boa.reverts("zero address"):
        distributor.set_treasury("0x" + "00" * 20, sender=admin)
    distributor.set_treasury(new, sender=admin)
    assert distributor.treasury() == new


def test_constructor_rejects_zero_treasury(admin: Any) -> None:
    with boa.reverts("zero address"):
        deployer("economy/RewardDistributor.vy").deploy(admin, "0x" + "00" * 20)
