# pragma version ~=0.4.3
"""
@title fee_config
@license AGPL-3.0-only
@notice The Launchpad's fee config and payees (SPEC §3): the fees a new launch copies at
        creation, and where its money goes (treasury, RewardDistributor, Vesting). Payees are
        versioned: every admin change appends a version and a launch records the version in
        force at its creation, so an admin change only affects launches created afterwards.
        Admin-only setters with hard bounds; the Launchpad exports every function here.
"""

from contracts.auth import roles
from contracts.interfaces import IRewardDistributor

uses: roles

WAD: constant(uint256) = 10**18

# Hard bounds on admin parameters.
MAX_TAX_START_BPS: constant(uint256) = 9900
MAX_BASE_FEE_BPS: constant(uint256) = 1000
MAX_BUNDLE_BPS: constant(uint256) = 2500
MAX_LAUNCH_FEE: constant(uint256) = 1_000_000 * WAD


# Where a launch's money goes. Every admin change to one of them appends a new version;
# a launch records the version in force at its creation (`Launch.payees_id`).
struct Payees:
    fee_recipient: address
    reward_distributor: address
    vesting: address


event FeeConfigUpdated:
    feeRecipient: address
    baseFeeBps: uint16
    creatorFeeBps: uint16
    launchCreationFee: uint256
    antiSniperTaxStartValue: uint16
    maxBundleBps: uint16


event RewardDistributorUpdated:
    rewardDistributor: address

event VestingUpdated:
    vesting: address


# Payees versions (see `Payees`); the current one is `payees[payees_id]`.
payees: public(HashMap[uint256, Payees])
payees_id: public(uint256)

base_fee_bps: public(uint256)
creator_fee_bps: public(uint256)
launch_creation_fee: public(uint256)
anti_sniper_tax_start: public(uint256)
max_bundle_bps: public(uint256)


@deploy
def __init__(fee_recipient: address, reward_distributor: address, vesting: address):
    # Version 0 of the payees, then the default fee config (base 150 bps = protocol 100 +
    # creator 50, tax start 9900 bps, launch fee 32,768 FLOCK, bundle cap 2500 bps).
    assert reward_distributor != empty(address), "zero address"
    assert vesting != empty(address), "zero address"
    self.payees[0] = Payees(
        fee_recipient=fee_recipient, reward_distributor=reward_distributor, vesting=vesting
    )
    self._set_fee_config(fee_recipient, 150, 50, 32_768 * WAD, 9900, 2500)


@internal
def _set_fee_config(
    fee_recipient: address,
    base_fee_bps: uint256,
    creator_fee_bps: uint256,
    launch_creation_fee: uint256,
    tax_start_bps: uint256,
    max_bundle_bps: uint256,
):
    assert fee_recipient != empty(address), "zero address"
    assert base_fee_bps <= MAX_BASE_FEE_BPS, "base fee too high"
    assert creator_fee_bps <= base_fee_bps, "creator fee above base"
    assert tax_start_bps <= MAX_TAX_START_BPS, "tax start too high"
    assert tax_start_bps >= base_fee_bps, "tax start below base"
    assert launch_creation_fee <= MAX_LAUNCH_FEE, "launch fee too high"
    assert max_bundle_bps <= MAX_BUNDLE_BPS, "bundle cap too high"
    if fee_recipient != self.payees[self.payees_id].fee_recipient:
        p: Payees = self.payees[self.payees_id]
        p.fee_recipient = fee_recipient
        self._push_payees(p)
    self.base_fee_bps = base_fee_bps
    self.creator_fee_bps = creator_fee_bps
    self.launch_creation_fee = launch_creation_fee
    self.anti_sniper_tax_start = tax_start_bps
    self.max_bundle_bps = max_bundle_bps
    log FeeConfigUpdated(
        feeRecipient=fee_recipient,
        baseFeeBps=convert(base_fee_bps, uint16),
        creatorFeeBps=convert(creator_fee_bps, uint16),
        launchCreationFee=launch_creation_fee,
        antiSniperTaxStartValue=convert(tax_start_bps, uint16),
        maxBundleBps=convert(max_bundle_bps, uint16),
    )


@internal
def _push_payees(p: Payees):
    # Appended, never overwritten: launches point at the version they were created under.
    n: uint256 = self.payees_id + 1
    self.payees[n] = p
    self.payees_id = n


@external
def set_fee_config(
    fee_recipient: address,
    base_fee_bps: uint256,
    creator_fee_bps: uint256,
    launch_creation_fee: uint256,
    anti_sniper_tax_start: uint256,
    max_bundle_bps: uint256,
):
    """
    @notice Update the fee config for launches created from now on. Admin only.
    @dev Bounds: base fee <= 1000 bps, creator fee <= base fee, base fee <= tax start <= 9900,
         launch fee <= 1,000,000 FLOCK, bundle cap <= 2500 bps of total supply.
    @param fee_recipient Treasury receiving launch, protocol and anti-sniper fees.
    @param base_fee_bps Platform fee on every buy (protocol + creator).
    @param creator_fee_bps Creator's part of the base fee.
    @param launch_creation_fee FLOCK paid by `create_launch`.
    @param anti_sniper_tax_start Combined tax at sale start, decaying 100 bps per minute.
    @param max_bundle_bps Cap on the MT a bundled first buy may allocate, bps of total supply.
    """
    roles._check_admin()
    self._set_fee_config(
        fee_recipient,
        base_fee_bps,
        creator_fee_bps,
        launch_creation_fee,
        anti_sniper_tax_start,
        max_bundle_bps,
    )



@external
def set_reward_distributor(reward_distributor: address):
    """
    @notice Set the RewardDistributor funded at the graduation of launches created from now on.
            Admin only.
    @dev The distributor must already have granted this launchpad its FUNDER role: graduation
         credits the MT Reward and Reserved FLOCK pools with `fund_transferred`, so without
         the role every graduation of those launches (and the buy that reaches max_raise)
         would revert.
    @param reward_distributor The distributor (implements IRewardDistributor).
    """
    roles._check_admin()
    assert reward_distributor != empty(address), "zero address"
    assert staticcall IRewardDistributor(reward_distributor).has_role(roles.FUNDER_ROLE, self), "launchpad not funder"
    p: Payees = self.payees[self.payees_id]
    p.reward_distributor = reward_distributor
    self._push_payees(p)
    log RewardDistributorUpdated(rewardDistributor=reward_distributor)


@external
def set_vesting(vesting: address):
    """
    @notice Set the Vesting contract used at the graduation of launches created from now on.
            Admin only.
    @param vesting The vesting contract (implements IVesting).
    """
    roles._check_admin()
    assert vesting != empty(address), "zero address"
    p: Payees = self.payees[self.payees_id]
    p.vesting = vesting
    self._push_payees(p)
    log VestingUpdated(vesting=vesting)


@external
@view
def fee_recipient() -> address:
    """
    @notice Treasury for launches created from now on (each launch keeps its own snapshot).
    """
    return self.payees[self.payees_id].fee_recipient


@external
@view
def reward_distributor() -> address:
    """
    @notice RewardDistributor for launches created from now on.
    """
    return self.payees[self.payees_id].reward_distributor


@external
@view
def vesting() -> address:
    """
    @notice Vesting contract for launches created from now on.
    """
    return self.payees[self.payees_id].vesting
