"""contracts/auth/roles.vy: two-step admin, role grants, and the internal checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boa
import pytest
from eth_utils import keccak

HARNESS = Path(__file__).resolve().parent / "RolesHarness.vy"

ROLE_NAMES = ["PUBLISHER", "GUARDIAN", "SETTLER", "KEEPER", "OPERATOR", "FUNDER"]


@pytest.fixture(scope="module")
def harness(admin: Any) -> Any:
    return boa.load(str(HARNESS), admin)


def _role(name: str) -> bytes:
    return keccak(text=name)


def test_constructor_rejects_zero_admin() -> None:
    with boa.reverts("zero address"):
        boa.load(str(HARNESS), "0x" + "00" * 20)


def test_initial_state(harness: Any, admin: Any) -> None:
    assert harness.admin() == admin
    assert harness.pending_admin() == "0x" + "00" * 20


@pytest.mark.parametrize("name", ROLE_NAMES)
def test_role_ids_are_keccak_of_name(harness: Any, name: str) -> None:
    assert getattr(harness, f"{name}_ROLE")() == _role(name)


def test_module_constant_visible_inside_contract(harness: Any) -> None:
    assert harness.settler_role_id() == _role("SETTLER")


def test_check_admin(harness: Any, admin: Any, alice: Any) -> None:
    with boa.env.prank(admin):
        assert harness.only_admin()
    with boa.env.prank(alice), boa.reverts("not admin"):
        harness.only_admin()


def test_two_step_transfer(harness: Any, admin: Any, alice: Any) -> None:
    with boa.env.prank(admin):
        harness.transfer_admin(alice)
    logs = harness.get_logs()
    assert len(logs) == 1
    assert type(logs[0]).__name__ == "AdminTransferStarted"
    assert logs[0].previous_admin == admin
    assert logs[0].new_admin == alice
    # Nothing changes until the new admin accepts.
    assert harness.admin() == admin
    assert harness.pending_admin() == alice
    with boa.env.prank(alice), boa.reverts("not admin"):
        harness.only_admin()

    with boa.env.prank(alice):
        harness.accept_admin()
    logs = harness.get_logs()
    assert type(logs[0]).__name__ == "AdminTransferred"
    assert logs[0].previous_admin == admin
    assert logs[0].new_admin == alice
    assert harness.admin() == alice
    assert harness.pending_admin() == "0x" + "00" * 20
    with boa.env.prank(admin), boa.reverts("not admin"):
        harness.only_admin()
    with boa.env.prank(alice):
        assert harness.only_admin()


def test_transfer_admin_only_admin(harness: Any, alice: Any) -> None:
    with boa.env.prank(alice), boa.reverts("not admin"):
        harness.transfer_admin(alice)


def test_accept_requires_pending(harness: Any, admin: Any, alice: Any, bob: Any) -> None:
    with boa.env.prank(alice), boa.reverts("no pending admin"):
        harness.accept_admin()
    with boa.env.prank(admin):
        harness.transfer_admin(alice)
    with boa.env.prank(bob), boa.reverts("not pending admin"):
        harness.accept_admin()
    with boa.env.prank(admin), boa.reverts("not pending admin"):
        harness.accept_admin()


def test_transfer_can_be_cancelled_and_redirected(
    harness: Any, admin: Any, alice: Any, bob: Any
) -> None:
    with boa.env.prank(admin):
        harness.transfer_admin(alice)
        harness.transfer_admin(bob)
    with boa.env.prank(alice), boa.reverts("not pending admin"):
        harness.accept_admin()
    with boa.env.prank(admin):
        harness.transfer_admin("0x" + "00" * 20)
    with boa.env.prank(bob), boa.reverts("no pending admin"):
        harness.accept_admin()
    assert harness.admin() == admin


def test_accept_twice_fails(harness: Any, admin: Any, alice: Any) -> None:
    with boa.env.prank(admin):
        harness.transfer_admin(alice)
    with boa.env.prank(alice):
        harness.accept_admin()
    with boa.env.prank(alice), boa.reverts("no pending admin"):
        harness.accept_admin()


def test_grant_and_check_role(harness: Any, admin: Any, alice: Any) -> None:
    role = _role("KEEPER")
    with boa.env.prank(alice), boa.reverts("missing role"):
        harness.only_role(role)
    with boa.env.prank(admin):
        harness.grant_role(role, alice)
    logs = harness.get_logs()
    assert len(logs) == 1
    assert type(logs[0]).__name__ == "RoleGranted"
    assert (logs[0].role, logs[0].account, logs[0].sender) == (role, alice, admin)
    assert harness.has_role(role, alice)
    with boa.env.prank(alice):
        assert harness.only_role(role)
    # Holding one role grants nothing else; the admin holds no role implicitly.
    with boa.env.prank(alice), boa.reverts("missing role"):
        harness.only_role(_role("SETTLER"))
    with boa.env.prank(admin), boa.reverts("missing role"):
        harness.only_role(role)


def test_grant_is_idempotent(harness: Any, admin: Any, alice: Any) -> None:
    role = _role("KEEPER")
    with boa.env.prank(admin):
        harness.grant_role(role, alice)
        harness.grant_role(role, alice)
    assert harness.get_logs() == []
    assert harness.has_role(role, alice)


def test_grant_rejects_zero_address(harness: Any, admin: Any) -> None:
    with boa.env.prank(admin), boa.reverts("zero address"):
        harness.grant_role(_role("KEEPER"), "0x" + "00" * 20)


def test_grant_and_revoke_only_admin(harness: Any, admin: Any, alice: Any) -> None:
    role = _role("GUARDIAN")
    with boa.env.prank(alice), boa.reverts("not admin"):
        harness.grant_role(role, alice)
    with boa.env.prank(admin):
        harness.grant_role(role, alice)
    with boa.env.prank(alice), boa.reverts("not admin"):
        harness.revoke_role(role, alice)


def test_revoke(harness: Any, admin: Any, alice: Any) -> None:
    role = _role("PUBLISHER")
    with boa.env.prank(admin):
        harness.grant_role(role, alice)
        harness.revoke_role(role, alice)
    logs = harness.get_logs()
    assert type(logs[0]).__name__ == "RoleRevoked"
    assert (logs[0].role, logs[0].account, logs[0].sender) == (role, alice, admin)
    assert not harness.has_role(role, alice)
    with boa.env.prank(alice), boa.reverts("missing role"):
        harness.only_role(role)
    # Revoking a role not held is a silent no-op.
    with boa.env.prank(admin):
        harness.revoke_role(role, alice)
    assert harness.get_logs() == []


def test_renounce(harness: Any, admin: Any, alice: Any) -> None:
    role = _role("OPERATOR")
    with boa.env.prank(alice), boa.reverts("missing role"):
        harness.renounce_role(role)
    with boa.env.prank(admin):
        harness.grant_role(role, alice)
    with boa.env.prank(alice):
        harness.renounce_role(role)
    logs = harness.get_logs()
    assert type(logs[0]).__name__ == "RoleRevoked"
    assert (logs[0].role, logs[0].account, logs[0].sender) == (role, alice, alice)
    assert not harness.has_role(role, alice)


def test_roles_survive_admin_transfer(harness: Any, admin: Any, alice: Any, bob: Any) -> None:
    role = _role("SETTLER")
    with boa.env.prank(admin):
        harness.grant_role(role, bob)
        harness.transfer_admin(alice)
    with boa.env.prank(alice):
        harness.accept_admin()
        harness.revoke_role(role, bob)
    assert not harness.has_role(role, bob)
    with boa.env.prank(admin), boa.reverts("not admin"):
        harness.grant_role(role, bob)
