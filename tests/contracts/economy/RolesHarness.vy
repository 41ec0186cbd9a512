# pragma version ~=0.4.3
"""
@title RolesHarness
@notice Test-only contract: exposes the roles module's internal checks.
"""

from contracts.auth import roles

initializes: roles
exports: roles.__interface__


@deploy
def __init__(admin: address):
    roles.__init__(admin)


@external
@view
def only_admin() -> bool:
    roles._check_admin()
    return True


@external
@view
def only_role(role: bytes32) -> bool:
    roles._check_role(role)
    return True


@external
@view
def settler_role_id() -> bytes32:
    return roles.SETTLER_ROLE
