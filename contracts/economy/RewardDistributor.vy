# pragma version ~=0.4.3
"""
@title RewardDistributor
@license AGPL-3.0-only
@notice Holds reward tokens and pays cumulative claims against a Merkle root (SPEC §8.5).
        The publisher proposes `(root, epoch, data_hash)`; the root goes live after the
        dispute window unless the guardian cancels it first. Each leaf is
        `keccak256(keccak256(abi.encode(account, token, cumulative_amount)))` in an
        OpenZeppelin StandardMerkleTree (sorted-pair keccak256), built off-chain by
        `fomo.economics.merkle`. A claim pays `cumulative_amount - claimed[account][token]`.
@dev Invariants, per token:
         claimed_total[token] <= funded[token] - retired[token]   (claims never exceed funding)
         balanceOf(self) >= funded[token] - retired[token] - claimed_total[token]
     Root lifecycle: at most one pending root; a newer proposal supersedes it; once its
     dispute window has passed it is promoted (lazily, by the first propose, cancel, claim
     or `activate` after that moment) and replaces the live root. Only the live root pays.
     Leaf and proof check live in `reward_leaf` (snekmate's `merkle_proof_verification`,
     AGPL-3.0-only).
"""

from ethereum.ercs import IERC20

from contracts.auth import roles
from contracts.economy import reward_leaf
from contracts.interfaces import IBurnableERC20
from contracts.interfaces import IRewardDistributor

implements: IRewardDistributor

initializes: roles
exports: roles.__interface__


event Funded:
    token: indexed(address)
    pool: indexed(address)
    funder: indexed(address)
    amount: uint256

event RootProposed:
    root: indexed(bytes32)
    epoch: indexed(uint256)
    data_hash: bytes32
    activates_at: uint256
    proposer: address

event RootSuperseded:
    root: indexed(bytes32)
    epoch: indexed(uint256)
    by_root: bytes32

event RootCancelled:
    root: indexed(bytes32)
    epoch: indexed(uint256)
    guardian: address

event RootActivated:
    root: indexed(bytes32)
    epoch: indexed(uint256)
    data_hash: bytes32

event Claimed:
    account: indexed(address)
    token: indexed(address)
    amount: uint256
    cumulative_amount: uint256
    epoch: uint256
    caller: address

event Retired:
    token: indexed(address)
    pool: indexed(address)
    amount: uint256
    burned: bool
    to: address

event DisputeWindowUpdated:
    old_window: uint256
    new_window: uint256

event TreasuryUpdated:
    old_treasury: address
    new_treasury: address


SECONDS_PER_DAY: constant(uint256) = 86400
MIN_DISPUTE_WINDOW: public(constant(uint256)) = 15 * 60
MAX_DISPUTE_WINDOW: public(constant(uint256)) = 7 * 86400
DEFAULT_DISPUTE_WINDOW: public(constant(uint256)) = 3600
MAX_PROOF_LENGTH: public(constant(uint256)) = reward_leaf.MAX_PROOF_LENGTH

# live root: the one claims are checked against
root: public(bytes32)
epoch: public(uint256)
data_hash: public(bytes32)

pending_root: public(bytes32)
pending_epoch: public(uint256)
pending_data_hash: public(bytes32)
pending_activates_at: public(uint256)

dispute_window: public(uint256)
treasury: public(address)

claimed: public(HashMap[address, HashMap[address, uint256]])
funded: public(HashMap[address, uint256])
claimed_total: public(HashMap[address, uint256])
retired: public(HashMap[address, uint256])


@deploy
def __init__(admin: address, treasury: address):
    """
    @notice Deploy with `admin` as the only privileged account; roles are granted afterwards.
    @param admin Holder of the admin seat (a multisig on a real chain).
    @param treasury Receiver of retired (unallocatable) FLOCK.
    """
    roles.__init__(admin)
    assert treasury != empty(address), "zero address"
    self.treasury = treasury
    self.dispute_window = DEFAULT_DISPUTE_WINDOW


# -- funding -------------------------------------------------------------------------------


@external
@nonreentrant
def fund(token: address, amount: uint256, pool: address):
    """
    @notice Pull `amount` of `token` from the caller into the reward pot. Anyone may fund.
    @dev The Launchpad funds the MT Reward and Reserved FLOCK pools at graduation (`pool` =
         the MT), the treasury the global emission (`pool` = empty(address)). Only what
         actually arrived is credited, so a fee-on-transfer token cannot inflate `funded`.
    @param token The reward token.
    @param amount Base units to pull (caller must have approved them).
    @param pool The MT the funding belongs to, or empty(address) for the global emission.
    """
    assert amount > 0, "zero amount"
    before: uint256 = staticcall IERC20(token).balanceOf(self)
    assert extcall IERC20(token).transferFrom(msg.sender, self, amount, default_return_value=True), "transfer failed"
    received: uint256 = staticcall IERC20(token).balanceOf(self) - before
    assert received > 0, "nothing received"
    self.funded[token] += received
    log Funded(token=token, pool=pool, funder=msg.sender, amount=received)


@external
@nonreentrant
def fund_transferred(token: address, amount: uint256, pool: address):
    """
    @notice Credit `amount` of `token` that the caller has already transferred here (or had
            minted here), like `fund` without the approval and the pull. FUNDER role only.
    @dev The Launchpad mints the MT Reward pool straight to the distributor and transfers the
         Reserved FLOCK pool at graduation, then credits each (docs/launch-lifecycle.md#gas).
         Only tokens that arrived and are not yet owed can be credited: the balance must cover
         what is already available plus `amount`. The role keeps anyone else from crediting a
         plain transfer (a donation) to a pool of their choosing.
    @param token The reward token.
    @param amount Base units already transferred here.
    @param pool The MT the funding belongs to, or empty(address) for the global emission.
    """
    roles._check_role(roles.FUNDER_ROLE)
    assert amount > 0, "zero amount"
    funded: uint256 = self.funded[token]
    owed: uint256 = 0
    if funded != 0:
        # Retired and claimed amounts never exceed `funded`, so they are 0 when it is (a new
        # MT): two cold reads saved.
        owed = self._available(token)
    assert staticcall IERC20(token).balanceOf(self) >= owed + amount, "not received"
    self.funded[token] = funded + amount
    log Funded(token=token, pool=pool, funder=msg.sender, amount=amount)


# -- roots ---------------------------------------------------------------------------------


@internal
@view
def _effective_root() -> (bytes32, uint256, bytes32):
    # The one statement of "which root pays now": a pending root whose dispute window has
    # passed is live even before `_promote` writes it down. Views use it; `_promote` makes
    # storage agree with it.
    if self.pending_root != empty(bytes32) and block.timestamp >= self.pending_activates_at:
        return self.pending_root, self.pending_epoch, self.pending_data_hash
    return self.root, self.epoch, self.data_hash


@internal
def _promote():
    # Time alone makes a pending root live; this writes it down (and logs it) the first
    # time anything touches the contract after its window.
    pending: bytes32 = self.pending_root
    if pending != empty(bytes32) and block.timestamp >= self.pending_activates_at:
        self.root = pending
        self.epoch = self.pending_epoch
        self.data_hash = self.pending_data_hash
        log RootActivated(root=pending, epoch=self.pending_epoch, data_hash=self.pending_data_hash)
        self._clear_pending()


@internal
def _clear_pending():
    self.pending_root = empty(bytes32)
    self.pending_epoch = 0
    self.pending_data_hash = empty(bytes32)
    self.pending_activates_at = 0


@external
def propose_root(root: bytes32, epoch: uint256, data_hash: bytes32):
    """
    @notice Propose a new cumulative root; it goes live after the dispute window.
    @dev Publisher only. A pending root still inside its window is superseded (never paid);
         one whose window has passed is first made live. `epoch` must exceed the live epoch
         and not go below a superseded pending one (re-proposing the same epoch corrects it).
         `epoch` must also be a UTC day that is over (`epoch < block.timestamp // 86400`),
         as the engine only publishes finished days: a far-future epoch that went live would
         otherwise make every real proposal "stale epoch" for good.
    @param root Merkle root over every (account, token, cumulative_amount) to date.
    @param epoch Epoch number (UTC day, `timestamp // 86400`) the root covers up to.
    @param data_hash keccak256 of the published epoch data file, for `fomo epoch verify`.
    """
    roles._check_role(roles.PUBLISHER_ROLE)
    assert root != empty(bytes32), "empty root"
    assert epoch < block.timestamp // SECONDS_PER_DAY, "future epoch"
    self._promote()
    assert epoch > self.epoch, "stale epoch"
    pending: bytes32 = self.pending_root
    if pending != empty(bytes32):
        assert epoch >= self.pending_epoch, "stale epoch"
        log RootSuperseded(root=pending, epoch=self.pending_epoch, by_root=root)
    activates_at: uint256 = block.timestamp + self.dispute_window
    self.pending_root = root
    self.pending_epoch = epoch
    self.pending_data_hash = data_hash
    self.pending_activates_at = activates_at
    log RootProposed(
        root=root, epoch=epoch, data_hash=data_hash, activates_at=activates_at, proposer=msg.sender
    )


@external
def cancel_root(root: bytes32):
    """
    @notice Cancel the pending root during its dispute window. Guardian only.
    @dev Naming the root guards against cancelling a newer proposal by mistake in a race.
    @param root The pending root to cancel.
    """
    roles._check_role(roles.GUARDIAN_ROLE)
    self._promote()
    assert self.pending_root != empty(bytes32), "no pending root"
    assert self.pending_root == root, "not pending"
    log RootCancelled(root=root, epoch=self.pending_epoch, guardian=msg.sender)
    self._clear_pending()


@external
def activate():
    """
    @notice Make a pending root whose dispute window has passed live. Anyone may call.
    @dev Optional: claims and proposals do the same on their own.
    """
    assert self.pending_root != empty(bytes32), "no pending root"
    assert block.timestamp >= self.pending_activates_at, "dispute window"
    self._promote()


@view
@external
def live_root() -> (bytes32, uint256, bytes32):
    """
    @notice The root claims are checked against right now, counting a pending root whose
            dispute window has passed even before anyone promoted it.
    @return (root, epoch, data_hash); root is empty before the first activation.
    """
    return self._effective_root()


# -- claims --------------------------------------------------------------------------------


@external
@nonreentrant
def claim(
    account: address,
    token: address,
    cumulative_amount: uint256,
    proof: DynArray[bytes32, MAX_PROOF_LENGTH],
) -> uint256:
    """
    @notice Pay `account` what the live root owes it in `token` beyond what it has claimed.
            Anyone may submit; the tokens always go to `account`.
    @param account The beneficiary in the leaf.
    @param token The reward token in the leaf.
    @param cumulative_amount The cumulative amount in the leaf.
    @param proof Sibling hashes from the leaf to the live root.
    @return The amount paid.
    """
    self._promote()
    live: bytes32 = self.root
    assert live != empty(bytes32), "no root"
    assert reward_leaf._verify(live, account, token, cumulative_amount, proof), "invalid proof"
    already: uint256 = self.claimed[account][token]
    assert cumulative_amount > already, "nothing to claim"
    amount: uint256 = cumulative_amount - already
    assert amount <= self._available(token), "underfunded"
    self.claimed[account][token] = cumulative_amount
    self.claimed_total[token] += amount
    assert extcall IERC20(token).transfer(account, amount, default_return_value=True), "transfer failed"
    log Claimed(
        account=account,
        token=token,
        amount=amount,
        cumulative_amount=cumulative_amount,
        epoch=self.epoch,
        caller=msg.sender,
    )
    return amount


@view
@external
def verify_claim(
    account: address,
    token: address,
    cumulative_amount: uint256,
    proof: DynArray[bytes32, MAX_PROOF_LENGTH],
) -> uint256:
    """
    @notice What `claim` would pay now with these arguments (0 if the proof does not match
            the live root or nothing is due). Ignores funding.
    @param account The beneficiary in the leaf.
    @param token The reward token in the leaf.
    @param cumulative_amount The cumulative amount in the leaf.
    @param proof Sibling hashes from the leaf to the root.
    @return The claimable amount.
    """
    live: bytes32 = empty(bytes32)
    epoch: uint256 = 0
    data_hash: bytes32 = empty(bytes32)
    live, epoch, data_hash = self._effective_root()
    if live == empty(bytes32):
        return 0
    if not reward_leaf._verify(live, account, token, cumulative_amount, proof):
        return 0
    already: uint256 = self.claimed[account][token]
    if cumulative_amount <= already:
        return 0
    return cumulative_amount - already


# -- accounting ----------------------------------------------------------------------------


@internal
@view
def _available(token: address) -> uint256:
    # Funding not yet paid out or retired; `claim` and `retire` are both bounded by it.
    return self.funded[token] - self.retired[token] - self.claimed_total[token]


@view
@external
def available(token: address) -> uint256:
    """
    @notice Funding not yet paid out or retired: what the distributor still owes its pools.
    @param token The reward token.
    @return funded - retired - claimed_total.
    """
    return self._available(token)


@view
@external
def held(token: address) -> uint256:
    """
    @notice The distributor's actual balance of `token` (>= `available`; more only if
            someone transferred tokens in without `fund`).
    @param token The reward token.
    @return balanceOf(self).
    """
    return staticcall IERC20(token).balanceOf(self)


@external
@nonreentrant
def retire(token: address, amount: uint256, pool: address, burn: bool):
    """
    @notice Take funding that can never be allocated out of the pot: the leftover of a
            180-day pool (SPEC §8.3) is burned (MT) or returned to the treasury (FLOCK).
    @dev Admin only. Bounded by `available`, so it can never take paid-out tokens; the admin
         (multisig) is trusted not to retire what a live root still owes.
    @param token The reward token.
    @param amount Base units to retire.
    @param pool The MT pool the amount belonged to (for the event).
    @param burn True to burn (token must be burnable), false to send to the treasury.
    """
    roles._check_admin()
    assert amount > 0, "zero amount"
    assert amount <= self._available(token), "exceeds available"
    self.retired[token] += amount
    to: address = empty(address)
    if burn:
        extcall IBurnableERC20(token).burn(amount)
    else:
        to = self.treasury
        assert extcall IERC20(token).transfer(to, amount, default_return_value=True), "transfer failed"
    log Retired(token=token, pool=pool, amount=amount, burned=burn, to=to)


# -- parameters ----------------------------------------------------------------------------


@external
def set_dispute_window(new_window: uint256):
    """
    @notice Set the dispute window for future proposals (a pending root keeps its own).
    @dev Admin only. Bounded to [15 minutes, 7 days].
    @param new_window Seconds.
    """
    roles._check_admin()
    assert new_window >= MIN_DISPUTE_WINDOW, "window too short"
    assert new_window <= MAX_DISPUTE_WINDOW, "window too long"
    log DisputeWindowUpdated(old_window=self.dispute_window, new_window=new_window)
    self.dispute_window = new_window


@external
def set_treasury(new_treasury: address):
    """
    @notice Set the receiver of retired FLOCK. Admin only.
    @param new_treasury The treasury address.
    """
    roles._check_admin()
    assert new_treasury != empty(address), "zero address"
    log TreasuryUpdated(old_treasury=self.treasury, new_treasury=new_treasury)
    self.treasury = new_treasury
