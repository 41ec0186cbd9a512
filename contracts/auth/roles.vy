# pragma version ~=0.4.3
"""
@title Roles
@license AGPL-3.0-only
@notice Two-step admin plus named roles, shared by the economy contracts.
@dev Use it as a module:
         from contracts.auth import roles
         initializes: roles
         exports: roles.__interface__
     and call `roles.__init__(admin)` from the contract's constructor.
     Guard functions with `roles._check_admin()` or `roles._check_role(roles.SETTLER_ROLE)`.
     The admin does not implicitly hold any role: every role is granted explicitly, so an
     indexer sees every privileged account in `RoleGranted` events.
"""

# Role ids are keccak256 of the plain role name so off-chain code can derive them.
PUBLISHER_ROLE: public(constant(bytes32)) = keccak256("PUBLISHER")
GUARDIAN_ROLE: public(constant(bytes32)) = keccak256("GUARDIAN")
SETTLER_ROLE: public(constant(bytes32)) = keccak256("SETTLER")
KEEPER_ROLE: public(constant(bytes32)) = keccak256("KEEPER")
OPERATOR_ROLE: public(constant(bytes32)) = keccak256("OPERATOR")
# Held by a contract (the Launchpad) that transfers reward tokens to the RewardDistributor and
# then credits them with `fund_transferred`, instead of approving them for `fund` to pull.
FUNDER_ROLE: public(constant(bytes32)) = keccak256("FUNDER")

event AdminTransferStarted:
    previous_admin: indexed(address)
    new_admin: indexed(address)

event AdminTransferred:
    previous_admin: indexed(address)
    new_admin: indexed(address)

event RoleGranted:
    role: indexed(bytes32)
    account: indexed(address)
    sender: indexed(address)

event RoleRevoked:
    role: indexed(bytes32)
    account: indexed(address)
    sender: indexed(address)

admin: public(address)
pending_admin: public(address)
has_role: public(HashMap[bytes32, HashMap[address, bool]])


@deploy
def __init__(admin: address):
    assert admin != empty(address), "zero address"
    self.admin = admin
    log AdminTransferred(previous_admin=empty(address), new_admin=admin)


@internal
@view
def _check_admin():
    assert msg.sender == self.admin, "not admin"


@internal
@view
def _check_role(role: bytes32):
    assert self.has_role[role][msg.sender], "missing role"


@external
def transfer_admin(new_admin: address):
    """
    @notice Start a two-step admin transfer; `new_admin` must call `accept_admin`.
    @dev Passing the zero address cancels a pending transfer. Admin only.
    @param new_admin The proposed admin.
    """
    self._check_admin()
    self.pending_admin = new_admin
    log AdminTransferStarted(previous_admin=self.admin, new_admin=new_admin)


@external
def accept_admin():
    """
    @notice Complete a pending admin transfer. Pending admin only.
    """
    pending: address = self.pending_admin
    assert pending != empty(address), "no pending admin"
    assert msg.sender == pending, "not pending admin"
    previous: address = self.admin
    self.admin = pending
    self.pending_admin = empty(address)
    log AdminTransferred(previous_admin=previous, new_admin=pending)


@external
def grant_role(role: bytes32, account: address):
    """
    @notice Give `account` the role `role`. Admin only; granting a held role is a no-op.
    @param role Role id, e.g. keccak256("SETTLER").
    @param account The account receiving the role.
    """
    self._check_admin()
    assert account != empty(address), "zero address"
    if not self.has_role[role][account]:
        self.has_role[role][account] = True
        log RoleGranted(role=role, account=account, sender=msg.sender)


@external
def revoke_role(role: bytes32, account: address):
    """
    @notice Take the role `role` from `account`. Admin only; revoking an unheld role is a no-op.
    @param role Role id.
    @param account The account losing the role.
    """
    self._check_admin()
    if self.has_role[role][account]:
        self.has_role[role][account] = False
        log RoleRevoked(role=role, account=account, sender=msg.sender)


@external
def renounce_role(role: bytes32):
    """
    @notice Give up a role held by the caller (e.g. a compromised keeper key).
    @param role Role id.
    """
    assert self.has_role[role][msg.sender], "missing role"
    self.has_role[role][msg.sender] = False
    log RoleRevoked(role=role, account=msg.sender, sender=msg.sender)
