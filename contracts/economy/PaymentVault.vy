# pragma version ~=0.4.3
"""
@title PaymentVault
@license AGPL-3.0-only
@notice Holds the USDC that pays for inference credits. Anyone deposits for any account; the
        gateway credits the account after confirmations from the `Deposited` event.
@dev Money only leaves as settled revenue, in two steps held by two roles:
       1. SETTLER_ROLE records the revenue the epoch engine settled for a finished UTC day
          (`record_settlement`, once per epoch; never more in total than was deposited);
       2. OPERATOR_ROLE withdraws at most the recorded-but-not-withdrawn amount, and only to
          the RevenueRouter or the treasury (`withdraw`).
     Invariants: total_withdrawn <= total_settled <= total_deposited and
     USDC.balanceOf(self) >= total_deposited - total_withdrawn (direct transfers only add).
     Deposits are prepaid credit: there is no on-chain refund path.
"""

from ethereum.ercs import IERC20

from contracts.auth import roles


interface IERC20Permit:
    def permit(
        owner: address,
        spender: address,
        amount: uint256,
        deadline: uint256,
        v: uint8,
        r: bytes32,
        s: bytes32,
    ): nonpayable


initializes: roles
exports: roles.__interface__

event Deposited:
    payer: indexed(address)
    account: indexed(address)
    amount: uint256

event RevenueSettled:
    epoch: indexed(uint256)
    amount: uint256
    total_settled: uint256
    settler: indexed(address)

event RevenueWithdrawn:
    to: indexed(address)
    amount: uint256
    total_withdrawn: uint256
    operator: indexed(address)

event RouterUpdated:
    previous_router: indexed(address)
    new_router: indexed(address)

event TreasuryUpdated:
    previous_treasury: indexed(address)
    new_treasury: indexed(address)

DAY: constant(uint256) = 86400

USDC: public(immutable(address))

router: public(address)
treasury: public(address)

deposits: public(HashMap[address, uint256])
total_deposited: public(uint256)
settled: public(HashMap[uint256, uint256])
is_settled: public(HashMap[uint256, bool])
total_settled: public(uint256)
total_withdrawn: public(uint256)


@deploy
def __init__(admin: address, usdc: address, router: address, treasury: address):
    """
    @param admin The admin (destinations, role grants).
    @param usdc The USDC token.
    @param router The RevenueRouter, a permitted withdrawal destination.
    @param treasury The platform treasury, the other permitted destination.
    """
    assert usdc != empty(address), "zero address"
    roles.__init__(admin)
    USDC = usdc
    self._set_router(router)
    self._set_treasury(treasury)


@internal
@view
def _check_destination(dest: address):
    assert dest != empty(address), "zero address"
    assert dest != self, "bad destination"
    assert dest != USDC, "bad destination"


@internal
def _set_router(router: address):
    self._check_destination(router)
    log RouterUpdated(previous_router=self.router, new_router=router)
    self.router = router


@internal
def _set_treasury(treasury: address):
    self._check_destination(treasury)
    log TreasuryUpdated(previous_treasury=self.treasury, new_treasury=treasury)
    self.treasury = treasury


@internal
def _deposit(payer: address, account: address, amount: uint256):
    assert amount > 0, "zero amount"
    assert account != empty(address), "zero address"
    self.deposits[account] += amount
    self.total_deposited += amount
    assert extcall IERC20(USDC).transferFrom(
        payer, self, amount, default_return_value=True
    ), "transfer failed"
    log Deposited(payer=payer, account=account, amount=amount)


@external
@nonreentrant
def deposit(account: address, amount: uint256):
    """
    @notice Pay `amount` USDC from the caller into prepaid credit for `account`.
    @dev Pulls with transferFrom: approve this contract first. Credit is applied off-chain
         once the `Deposited` event is deep enough.
    @param account The account (wallet address) to credit.
    @param amount USDC in base units (6 decimals).
    """
    self._deposit(msg.sender, account, amount)


@external
@nonreentrant
def deposit_with_permit(
    account: address, amount: uint256, deadline: uint256, v: uint8, r: bytes32, s: bytes32
):
    """
    @notice `deposit` in one transaction, approving through an EIP-2612 permit signed by the
            caller for exactly this vault.
    @dev The permit is skipped when the allowance already covers `amount`, so someone who
         front-runs the permit from the mempool cannot make the deposit fail.
    @param account The account to credit.
    @param amount USDC in base units.
    @param deadline Permit deadline.
    @param v Permit signature v.
    @param r Permit signature r.
    @param s Permit signature s.
    """
    if staticcall IERC20(USDC).allowance(msg.sender, self) < amount:
        extcall IERC20Permit(USDC).permit(msg.sender, self, amount, deadline, v, r, s)
    self._deposit(msg.sender, account, amount)


@external
def record_settlement(epoch: uint256, amount: uint256):
    """
    @notice Record the USDC revenue settled for a finished epoch (UTC day number).
    @dev SETTLER_ROLE only; once per epoch; the running total can never exceed deposits.
    @param epoch Days since 1970-01-01; must be before today.
    @param amount USDC in base units consumed from deposits during that epoch (may be 0).
    """
    roles._check_role(roles.SETTLER_ROLE)
    assert epoch < block.timestamp // DAY, "epoch not over"
    assert not self.is_settled[epoch], "epoch settled"
    total: uint256 = self.total_settled + amount
    assert total <= self.total_deposited, "exceeds deposits"
    self.is_settled[epoch] = True
    self.settled[epoch] = amount
    self.total_settled = total
    log RevenueSettled(epoch=epoch, amount=amount, total_settled=total, settler=msg.sender)


@external
@nonreentrant
def withdraw(to: address, amount: uint256):
    """
    @notice Withdraw settled revenue to the RevenueRouter or the treasury.
    @dev OPERATOR_ROLE only; at most total_settled - total_withdrawn.
    @param to The router or the treasury.
    @param amount USDC in base units.
    """
    roles._check_role(roles.OPERATOR_ROLE)
    assert to == self.router or to == self.treasury, "bad destination"
    assert amount > 0, "zero amount"
    total: uint256 = self.total_withdrawn + amount
    assert total <= self.total_settled, "exceeds settled"
    self.total_withdrawn = total
    assert extcall IERC20(USDC).transfer(to, amount, default_return_value=True), "transfer failed"
    log RevenueWithdrawn(to=to, amount=amount, total_withdrawn=total, operator=msg.sender)


@external
@view
def withdrawable() -> uint256:
    """
    @notice Settled revenue not yet withdrawn.
    """
    return self.total_settled - self.total_withdrawn


@external
def set_router(router: address):
    """
    @notice Change the RevenueRouter destination. Admin only.
    @param router New router; not zero, not this vault, not USDC.
    """
    roles._check_admin()
    self._set_router(router)


@external
def set_treasury(treasury: address):
    """
    @notice Change the treasury destination. Admin only.
    @param treasury New treasury; not zero, not this vault, not USDC.
    """
    roles._check_admin()
    self._set_treasury(treasury)
