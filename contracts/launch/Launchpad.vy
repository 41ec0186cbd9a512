# pragma version ~=0.4.3
"""
@title Launchpad
@license AGPL-3.0-only
@notice The Real Model Asset Offering (SPEC §2–§3): one contract holds every launch, keyed by
        its Model Token (MT) address. A launch sells 400k MT on a constant-product bonding curve
        with virtual reserves for up to 7 days. Nothing is minted during the sale: buys are
        pledges (net FLOCK principal, MT allocation). Reaching `max_raise` graduates in the same
        transaction; after the window anyone may `graduate` if `min_raise` was reached, otherwise
        buyers `redeem` their principal (fees are kept).
        The math is `fomo.economics.curve` to the wei (tests are differential against it):
            V  = R*L*10000 // (lp_bps*S - L*10000),  Yv = V*S // R,  x0 = V,  y0 = S + Yv
            mt_out = (y0 - sold) - ceil(x0*y0 / (x0 + raised + net))
        and the buy that reaches R receives exactly the remaining sale supply S - sold.
        Status codes (`status`): 0 none, 1 Live, 2 Failed, 3 Graduating, 4 Graduated.
        Tickers are 2-16 ASCII letters or digits, unique case-insensitively among launches that
        are not Failed (a failed launch frees its ticker), so the platform's model id
        `<base model>-<ticker lower>` names exactly one live or graduated deployment.
        The money routes of a launch (treasury, RewardDistributor, Vesting) are snapshotted at
        creation like its fees: an admin change only affects launches created afterwards.
@dev Invariants (checked by the stateful tests):
     - FLOCK held by this contract == sum over not-yet-graduated launches of the principal not
       yet redeemed (fees are pushed out at buy time, graduation empties a launch);
     - a launch's sold MT <= 400k and its minted supply <= 1,000,000 MT;
     - the DEX pool opens holding exactly (lp_flock, lp_mt), i.e. at the curve's final price,
       whatever was donated to the pair beforehand.
     LP tokens minted at graduation are held by this contract, which has no function that can
     move them: they are locked forever (`Launch.lp_tokens` records the amount).
"""

from ethereum.ercs import IERC20
from contracts.auth import roles
from contracts.interfaces import ILaunchpad
from contracts.interfaces import IRewardDistributor
from contracts.interfaces import IUniswapV2Factory
from contracts.interfaces import IUniswapV2Pair
from contracts.interfaces import IVesting

implements: ILaunchpad

initializes: roles

exports: (
    roles.admin,
    roles.pending_admin,
    roles.transfer_admin,
    roles.accept_admin,
)


interface IModelToken:
    def mint_once(receivers: DynArray[address, 8], amounts: DynArray[uint256, 8]): nonpayable
    def transfer(to: address, amount: uint256) -> bool: nonpayable
    def approve(spender: address, amount: uint256) -> bool: nonpayable
    def balanceOf(owner: address) -> uint256: view


# ---------------------------------------------------------------- constants (SPEC §3)

BPS: constant(uint256) = 10_000
WAD: constant(uint256) = 10**18
TOTAL_SUPPLY: public(constant(uint256)) = 1_000_000 * WAD
SALE_SUPPLY: public(constant(uint256)) = 400_000 * WAD
LP_SUPPLY: public(constant(uint256)) = 200_000 * WAD
INCENTIVE_RESERVE: public(constant(uint256)) = 200_000 * WAD
ISSUER_ALLOCATION: public(constant(uint256)) = 100_000 * WAD
TREASURY_ALLOCATION: public(constant(uint256)) = 100_000 * WAD
SALE_DURATION: public(constant(uint256)) = 7 * 86400
TAX_DECAY_BPS_PER_MINUTE: public(constant(uint256)) = 100
VESTING_CLIFF: public(constant(uint256)) = 90 * 86400
VESTING_DURATION: public(constant(uint256)) = 365 * 86400

DEFAULT_MIN_RAISE: public(constant(uint256)) = 100_000 * WAD
DEFAULT_MAX_RAISE: public(constant(uint256)) = 500_000 * WAD

# Hard bounds on admin parameters.
MAX_TAX_START_BPS: public(constant(uint256)) = 9900
MAX_BASE_FEE_BPS: public(constant(uint256)) = 1000
MAX_BUNDLE_BPS: public(constant(uint256)) = 2500
MAX_LAUNCH_FEE: public(constant(uint256)) = 1_000_000 * WAD
MIN_RAISE_FLOOR: public(constant(uint256)) = 1_000 * WAD
MAX_RAISE_CAP: public(constant(uint256)) = 100_000_000 * WAD

# Ticker: MIN_TICKER_LEN..16 ASCII letters/digits (the type caps it at 16). Name: 1..32
# printable ASCII characters, no leading or trailing space.
MIN_TICKER_LEN: public(constant(uint256)) = 2
MAX_TICKER_LEN: public(constant(uint256)) = 16
MAX_NAME_LEN: public(constant(uint256)) = 32

# MT swapped into a pre-created pair to buy out a FLOCK donation of at least lp_flock: against
# a 1-wei MT reserve the donation is priced absurdly high, so 1 MT takes out all but
# ~donation/1e18 wei of it. Both the probe MT and the FLOCK left behind count toward the LP.
DONATION_PROBE_MT: constant(uint256) = WAD

STATUS_NONE: public(constant(uint8)) = 0
STATUS_LIVE: public(constant(uint8)) = 1
STATUS_FAILED: public(constant(uint8)) = 2
STATUS_GRADUATING: public(constant(uint8)) = 3
STATUS_GRADUATED: public(constant(uint8)) = 4


# ---------------------------------------------------------------- types

struct ModelType:
    base_model: String[64]
    pricing_tier: bytes32
    min_raise: uint256
    max_raise: uint256
    lp_bps: uint256
    reserved_bps: uint256
    protocol_bps: uint256
    enabled: bool


# Where a launch's money goes. Every admin change to one of them appends a new version;
# a launch records the version in force at its creation (`Launch.payees_id`).
struct Payees:
    fee_recipient: address
    reward_distributor: address
    vesting: address


# Model-type parameters, the fee config and the payees are copied into the launch at creation
# (the payees by version), so neither an admin change nor a model-type change can alter a sale
# already under way.
struct Launch:
    creator: address
    model_type_id: bytes32
    min_raise: uint256
    max_raise: uint256
    lp_bps: uint256
    reserved_bps: uint256
    x0: uint256
    y0: uint256
    base_fee_bps: uint256
    creator_fee_bps: uint256
    tax_start_bps: uint256
    sale_start: uint256
    sale_end: uint256
    raised: uint256
    sold: uint256
    graduated: bool
    pair: address
    lp_tokens: uint256
    payees_id: uint256


struct Fill:
    tax_bps: uint256
    gross_used: uint256
    net: uint256
    protocol_fee: uint256
    creator_fee: uint256
    anti_sniper_fee: uint256
    mt_out: uint256
    graduates: bool


# ---------------------------------------------------------------- events (SPEC §3)

event LaunchCreated:
    token: indexed(address)
    creator: indexed(address)
    modelTypeId: indexed(bytes32)
    targetRaiseMin: uint256
    targetRaiseMax: uint256
    targetSale: uint256
    saleStart: uint64
    saleEnd: uint64
    mtName: String[32]
    mtSymbol: String[16]
    isBundled: bool

# flockIn is the gross FLOCK actually taken (net + fees); a partial fill never pulls the rest.
event Purchased:
    token: indexed(address)
    buyer: indexed(address)
    flockIn: uint256
    netUsed: uint256
    mtAllocated: uint256
    protocolFee: uint256
    creatorFee: uint256
    antiSniperFee: uint256

event FeeConfigUpdated:
    feeRecipient: address
    baseFeeBps: uint16
    creatorFeeBps: uint16
    launchCreationFee: uint256
    antiSniperTaxStartValue: uint16
    maxBundleBps: uint16

# mintedMt + unmintedMt == 1,000,000 MT; donatedFlock is FLOCK found in the pair beforehand,
# forwarded to the treasury (see `_seed_pool`).
event Graduated:
    token: indexed(address)
    pair: indexed(address)
    raised: uint256
    lpFlock: uint256
    reservedFlock: uint256
    protocolFlock: uint256
    donatedFlock: uint256
    soldMt: uint256
    lpMt: uint256
    mintedMt: uint256
    unmintedMt: uint256
    lpTokens: uint256
    issuerVestingId: uint256
    treasuryVestingId: uint256

event Claimed:
    token: indexed(address)
    buyer: indexed(address)
    amount: uint256

event Redeemed:
    token: indexed(address)
    buyer: indexed(address)
    amount: uint256

event ModelTypeRegistered:
    modelTypeId: indexed(bytes32)
    baseModel: String[64]
    pricingTier: bytes32
    minRaise: uint256
    maxRaise: uint256
    lpBps: uint256
    reservedBps: uint256
    protocolBps: uint256

event ModelTypeEnabled:
    modelTypeId: indexed(bytes32)
    enabled: bool

event RewardDistributorUpdated:
    rewardDistributor: address

event VestingUpdated:
    vesting: address

# sha256 of the launch's metadata document (description, image, links; docs/launch-lifecycle.md),
# set once by the creator. The platform serves the document at /api/metadata/{contentHash}.
event MetadataSet:
    token: indexed(address)
    contentHash: bytes32


# ---------------------------------------------------------------- storage

FLOCK: public(immutable(address))
FACTORY: public(immutable(address))
MT_BLUEPRINT: public(immutable(address))

# Payees versions (see `Payees`); the current one is `payees[payees_id]`.
payees: public(HashMap[uint256, Payees])
payees_id: public(uint256)

base_fee_bps: public(uint256)
creator_fee_bps: public(uint256)
launch_creation_fee: public(uint256)
anti_sniper_tax_start: public(uint256)
max_bundle_bps: public(uint256)

model_types: public(HashMap[bytes32, ModelType])
model_type_count: public(uint256)
model_type_at: public(HashMap[uint256, bytes32])

launches: public(HashMap[address, Launch])
launch_count: public(uint256)
launch_at: public(HashMap[uint256, address])

# lower-case ticker (left-aligned ASCII) -> the last launch created with it
ticker_token: HashMap[bytes32, address]
# token -> sha256 of its metadata document (empty until the creator sets it)
metadata_hash: public(HashMap[address, bytes32])

# token -> buyer -> net FLOCK principal pledged (what `redeem` returns on failure)
principal_of: public(HashMap[address, HashMap[address, uint256]])
# token -> buyer -> MT allocated and not yet claimed
allocation_of: public(HashMap[address, HashMap[address, uint256]])


@deploy
def __init__(
    flock: address,
    factory: address,
    mt_blueprint: address,
    fee_recipient: address,
    reward_distributor: address,
    vesting: address,
    admin: address,
):
    """
    @notice Deploy the launchpad with the default fee config (base 150 bps = protocol 100 +
            creator 50, tax start 9900 bps, launch fee 32,768 FLOCK, bundle cap 2500 bps).
    @param flock The FLOCK token.
    @param factory The Uniswap V2-compatible DEX factory used at graduation.
    @param mt_blueprint ERC-5202 blueprint of contracts/tokens/ModelToken.vy.
    @param fee_recipient Treasury: launch fees, protocol and anti-sniper fees, vested MT.
    @param reward_distributor Receives the MT Reward and Reserved FLOCK pools via `fund`.
    @param vesting Vesting contract for the issuer and treasury MT.
    @param admin Admin (two-step transferable).
    """
    assert flock != empty(address), "zero address"
    assert factory != empty(address), "zero address"
    assert mt_blueprint != empty(address), "zero address"
    assert reward_distributor != empty(address), "zero address"
    assert vesting != empty(address), "zero address"
    roles.__init__(admin)
    FLOCK = flock
    FACTORY = factory
    MT_BLUEPRINT = mt_blueprint
    self.payees[0] = Payees(
        fee_recipient=fee_recipient, reward_distributor=reward_distributor, vesting=vesting
    )
    self._set_fee_config(fee_recipient, 150, 50, 32_768 * WAD, 9900, 2500)


# ---------------------------------------------------------------- admin

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
def register_model_type(
    model_type_id: bytes32,
    base_model: String[64],
    pricing_tier: bytes32,
    min_raise: uint256,
    max_raise: uint256,
    lp_bps: uint256,
    reserved_bps: uint256,
    protocol_bps: uint256,
):
    """
    @notice Register a model type. Admin only. Its parameters can never change afterwards
            (it can only be disabled for new launches).
    @param model_type_id keccak256 of `base_model` (checked).
    @param base_model Base model name, e.g. "qwen3-30b-a3b-instruct".
    @param pricing_tier Off-chain pricing tier id.
    @param min_raise Minimum raise in FLOCK wei (>= 1,000 FLOCK).
    @param max_raise Maximum raise in FLOCK wei (min_raise <= max_raise <= 100M FLOCK).
    @param lp_bps Share of the raise paired in the DEX pool (> 5000).
    @param reserved_bps Share sent to the RewardDistributor as Reserved FLOCK.
    @param protocol_bps Share sent to the treasury; the three sum to 10000.
    """
    roles._check_admin()
    assert model_type_id == keccak256(base_model), "id mismatch"
    assert self.model_types[model_type_id].max_raise == 0, "model type exists"
    assert min_raise >= MIN_RAISE_FLOOR, "min raise too low"
    assert min_raise <= max_raise, "min above max"
    assert max_raise <= MAX_RAISE_CAP, "max raise too high"
    assert lp_bps > 5000, "lp share too low"
    assert lp_bps + reserved_bps + protocol_bps == BPS, "shares must sum to 10000"
    self.model_types[model_type_id] = ModelType(
        base_model=base_model,
        pricing_tier=pricing_tier,
        min_raise=min_raise,
        max_raise=max_raise,
        lp_bps=lp_bps,
        reserved_bps=reserved_bps,
        protocol_bps=protocol_bps,
        enabled=True,
    )
    n: uint256 = self.model_type_count
    self.model_type_at[n] = model_type_id
    self.model_type_count = n + 1
    log ModelTypeRegistered(
        modelTypeId=model_type_id,
        baseModel=base_model,
        pricingTier=pricing_tier,
        minRaise=min_raise,
        maxRaise=max_raise,
        lpBps=lp_bps,
        reservedBps=reserved_bps,
        protocolBps=protocol_bps,
    )


@external
def set_model_type_enabled(model_type_id: bytes32, enabled: bool):
    """
    @notice Allow or stop new launches of a model type. Admin only; live launches are unaffected.
    @param model_type_id The model type.
    @param enabled Whether `create_launch` accepts it.
    """
    roles._check_admin()
    assert self.model_types[model_type_id].max_raise != 0, "unknown model type"
    self.model_types[model_type_id].enabled = enabled
    log ModelTypeEnabled(modelTypeId=model_type_id, enabled=enabled)


@external
def set_reward_distributor(reward_distributor: address):
    """
    @notice Set the RewardDistributor funded at the graduation of launches created from now on.
            Admin only.
    @param reward_distributor The distributor (implements IRewardDistributor.fund).
    """
    roles._check_admin()
    assert reward_distributor != empty(address), "zero address"
    p: Payees = self.payees[self.payees_id]
    p.reward_distributor = reward_distributor
    self._push_payees(p)
    log RewardDistributorUpdated(rewardDistributor=reward_distributor)


@external
def set_vesting(vesting: address):
    """
    @notice Set the Vesting contract used at the graduation of launches created from now on.
            Admin only.
    @param vesting The vesting contract (implements IVesting.create_schedule).
    """
    roles._check_admin()
    assert vesting != empty(address), "zero address"
    p: Payees = self.payees[self.payees_id]
    p.vesting = vesting
    self._push_payees(p)
    log VestingUpdated(vesting=vesting)


# ---------------------------------------------------------------- math

@internal
@pure
def _ceil_div(a: uint256, b: uint256) -> uint256:
    return (a + b - 1) // b


@internal
@view
def _tax_bps(l: Launch, t: uint256) -> uint256:
    decay: uint256 = TAX_DECAY_BPS_PER_MINUTE * ((t - l.sale_start) // 60)
    if decay >= l.tax_start_bps:
        return l.base_fee_bps
    return max(l.base_fee_bps, l.tax_start_bps - decay)


@internal
@view
def _quote(l: Launch, flock_in: uint256, tax: uint256) -> Fill:
    assert flock_in > 0, "zero amount"
    gross_used: uint256 = flock_in
    total_fee: uint256 = self._ceil_div(flock_in * tax, BPS)
    net: uint256 = flock_in - total_fee
    mt_out: uint256 = 0
    graduates: bool = l.raised + net >= l.max_raise
    if graduates:
        # Partial fill: only what reaches R enters the curve; fees are charged on that part.
        net = l.max_raise - l.raised
        gross_used = self._ceil_div(net * BPS, BPS - tax)
        total_fee = gross_used - net
        mt_out = SALE_SUPPLY - l.sold
    else:
        assert net > 0, "zero net"
        mt_out = (l.y0 - l.sold) - self._ceil_div(l.x0 * l.y0, l.x0 + l.raised + net)
    base_fee: uint256 = min(total_fee, self._ceil_div(gross_used * l.base_fee_bps, BPS))
    creator_fee: uint256 = 0
    if l.base_fee_bps > 0:
        creator_fee = base_fee * l.creator_fee_bps // l.base_fee_bps
    return Fill(
        tax_bps=tax,
        gross_used=gross_used,
        net=net,
        protocol_fee=base_fee - creator_fee,
        creator_fee=creator_fee,
        anti_sniper_fee=total_fee - base_fee,
        mt_out=mt_out,
        graduates=graduates,
    )


@internal
@view
def _status(l: Launch) -> uint8:
    if l.creator == empty(address):
        return STATUS_NONE
    if l.graduated:
        return STATUS_GRADUATED
    if block.timestamp < l.sale_end:
        return STATUS_LIVE
    if l.raised >= l.min_raise:
        return STATUS_GRADUATING
    return STATUS_FAILED


@internal
@view
def _sale_view(token: address) -> Launch:
    # What a buy reads: 13 of the record's 19 slots (not model_type_id, lp/reserved shares,
    # pair, LP tokens, min_raise). Without min_raise, `_status` may say Graduating for a
    # Failed launch; a buy only asks "Live or not", which does not depend on it.
    l: Launch = empty(Launch)
    l.creator = self.launches[token].creator
    l.max_raise = self.launches[token].max_raise
    l.x0 = self.launches[token].x0
    l.y0 = self.launches[token].y0
    l.base_fee_bps = self.launches[token].base_fee_bps
    l.creator_fee_bps = self.launches[token].creator_fee_bps
    l.tax_start_bps = self.launches[token].tax_start_bps
    l.sale_start = self.launches[token].sale_start
    l.sale_end = self.launches[token].sale_end
    l.raised = self.launches[token].raised
    l.sold = self.launches[token].sold
    l.graduated = self.launches[token].graduated
    l.payees_id = self.launches[token].payees_id
    return l


@internal
@view
def _status_of(token: address) -> uint8:
    # `_status` reading only the fields it needs from storage (at most five of the record's
    # nineteen slots), for the calls that do not need the whole launch in memory.
    if self.launches[token].creator == empty(address):
        return STATUS_NONE
    if self.launches[token].graduated:
        return STATUS_GRADUATED
    if block.timestamp < self.launches[token].sale_end:
        return STATUS_LIVE
    if self.launches[token].raised >= self.launches[token].min_raise:
        return STATUS_GRADUATING
    return STATUS_FAILED


# ---------------------------------------------------------------- token moves

@internal
def _pull(src: address, dst: address, amount: uint256):
    if amount > 0:
        assert extcall IERC20(FLOCK).transferFrom(src, dst, amount, default_return_value=True), "transfer failed"


@internal
def _push(token: address, dst: address, amount: uint256):
    if amount > 0:
        assert extcall IERC20(token).transfer(dst, amount, default_return_value=True), "transfer failed"


# ---------------------------------------------------------------- launch and buy

@internal
def _execute(token: address, l: Launch, f: Fill, min_mt_out: uint256) -> uint256:
    assert f.mt_out >= min_mt_out, "slippage"
    self.launches[token].raised = l.raised + f.net
    self.launches[token].sold = l.sold + f.mt_out
    self.principal_of[token][msg.sender] += f.net
    self.allocation_of[token][msg.sender] += f.mt_out
    # Fees go straight out, so this contract only ever holds principal.
    self._pull(msg.sender, self, f.net)
    self._pull(msg.sender, self.payees[l.payees_id].fee_recipient, f.protocol_fee + f.anti_sniper_fee)
    self._pull(msg.sender, l.creator, f.creator_fee)
    log Purchased(
        token=token,
        buyer=msg.sender,
        flockIn=f.gross_used,
        netUsed=f.net,
        mtAllocated=f.mt_out,
        protocolFee=f.protocol_fee,
        creatorFee=f.creator_fee,
        antiSniperFee=f.anti_sniper_fee,
    )
    if f.graduates:
        self._graduate(token)
    return f.mt_out


@external
@nonreentrant
def create_launch(
    model_type_id: bytes32,
    name: String[32],
    symbol: String[16],
    first_buy_flock: uint256,
    min_mt_out: uint256,
    deadline: uint256,
) -> address:
    """
    @notice Launch a Model Token: pay the launch fee to the treasury, deploy the (unminted) MT,
            open a 7-day sale and optionally make a bundled first buy in the same transaction.
    @dev Reverts "bad ticker" unless `symbol` is 2-16 ASCII letters/digits, "bad name" unless
         `name` is 1-32 printable ASCII characters without a leading or trailing space, and
         "ticker taken" if a launch that is not Failed has the same ticker in any case.
         The bundled first buy pays the base fee only (no anti-sniper tax) and may allocate at
         most `max_bundle_bps` of the total supply (250,000 MT by default), else reverts.
         The caller approves launch fee + first buy FLOCK beforehand.
    @param model_type_id A registered, enabled model type.
    @param name MT name (also its EIP-712 domain name).
    @param symbol MT ticker (its case is kept; uniqueness ignores case).
    @param first_buy_flock Gross FLOCK for the bundled first buy (0 for none).
    @param min_mt_out Least MT the first buy must allocate (ignored without a first buy).
    @param deadline Latest block timestamp for this transaction.
    @return The new Model Token address (the launch key).
    """
    assert block.timestamp <= deadline, "expired"
    mtype: ModelType = self.model_types[model_type_id]
    assert mtype.max_raise != 0, "unknown model type"
    assert mtype.enabled, "model type disabled"
    self._check_name(name)
    ticker: bytes32 = self._ticker_key(symbol)
    holder: address = self.ticker_token[ticker]
    assert holder == empty(address) or self._failed(holder), "ticker taken"
    payees_id: uint256 = self.payees_id
    self._pull(msg.sender, self.payees[payees_id].fee_recipient, self.launch_creation_fee)

    token: address = create_from_blueprint(MT_BLUEPRINT, name, symbol)
    self.ticker_token[ticker] = token

    r: uint256 = mtype.max_raise
    virtual_flock: uint256 = r * LP_SUPPLY * BPS // (mtype.lp_bps * SALE_SUPPLY - LP_SUPPLY * BPS)
    virtual_mt: uint256 = virtual_flock * SALE_SUPPLY // r
    l: Launch = Launch(
        creator=msg.sender,
        model_type_id=model_type_id,
        min_raise=mtype.min_raise,
        max_raise=r,
        lp_bps=mtype.lp_bps,
        reserved_bps=mtype.reserved_bps,
        x0=virtual_flock,
        y0=SALE_SUPPLY + virtual_mt,
        base_fee_bps=self.base_fee_bps,
        creator_fee_bps=self.creator_fee_bps,
        tax_start_bps=self.anti_sniper_tax_start,
        sale_start=block.timestamp,
        sale_end=block.timestamp + SALE_DURATION,
        raised=0,
        sold=0,
        graduated=False,
        pair=empty(address),
        lp_tokens=0,
        payees_id=payees_id,
    )
    self.launches[token] = l
    n: uint256 = self.launch_count
    self.launch_at[n] = token
    self.launch_count = n + 1
    log LaunchCreated(
        token=token,
        creator=msg.sender,
        modelTypeId=model_type_id,
        targetRaiseMin=l.min_raise,
        targetRaiseMax=r,
        targetSale=SALE_SUPPLY,
        saleStart=convert(l.sale_start, uint64),
        saleEnd=convert(l.sale_end, uint64),
        mtName=name,
        mtSymbol=symbol,
        isBundled=first_buy_flock > 0,
    )
    if first_buy_flock > 0:
        f: Fill = self._quote(l, first_buy_flock, l.base_fee_bps)
        assert f.mt_out <= TOTAL_SUPPLY * self.max_bundle_bps // BPS, "over bundle cap"
        self._execute(token, l, f, min_mt_out)
    return token


@external
@nonreentrant
def buy(token: address, flock_in: uint256, min_mt_out: uint256, deadline: uint256) -> uint256:
    """
    @notice Pledge FLOCK to a live launch for an MT allocation (claimable after graduation).
    @dev Takes at most `flock_in`: a buy that reaches `max_raise` is partially filled (only the
         gross needed to reach it is pulled) and graduates the launch in the same transaction.
    @param token The launch (its MT address).
    @param flock_in Gross FLOCK offered (fees included); approve it first.
    @param min_mt_out Least MT allocation accepted.
    @param deadline Latest block timestamp for this transaction.
    @return The MT allocated.
    """
    assert block.timestamp <= deadline, "expired"
    l: Launch = self._sale_view(token)
    assert l.creator != empty(address), "unknown token"
    assert self._status(l) == STATUS_LIVE, "sale closed"
    f: Fill = self._quote(l, flock_in, self._tax_bps(l, block.timestamp))
    return self._execute(token, l, f, min_mt_out)


# ---------------------------------------------------------------- graduation

@internal
def _seed_pool(token: address, lp_flock: uint256, lp_mt: uint256) -> (address, uint256, uint256):
    """
    Create or reuse the MT/FLOCK pair and make it hold exactly (lp_flock, lp_mt), so it opens
    at the curve's final price whatever was donated to it. MT cannot be in the pair before
    graduation (it did not exist), but FLOCK can. Our Pair refuses `sync` before its first
    mint, so a donation is never a reserve and `skim` takes all of it back. A standard
    Uniswap V2 pair lets anyone `sync` a donation into the reserves; that part cannot be
    skimmed, so it counts toward lp_flock (only the difference is sent), and if it is at least
    lp_flock it is first bought out with DONATION_PROBE_MT. In every case this contract ends
    up holding raised FLOCK equal to the donation, which the caller forwards to the treasury.
    Returns (pair, LP tokens minted, FLOCK donated).
    """
    pair: address = staticcall IUniswapV2Factory(FACTORY).getPair(token, FLOCK)
    if pair == empty(address):
        pair = extcall IUniswapV2Factory(FACTORY).createPair(token, FLOCK)
    assert staticcall IUniswapV2Pair(pair).totalSupply() == 0, "pair has liquidity"
    donated: uint256 = staticcall IERC20(FLOCK).balanceOf(pair)
    if donated > 0:
        extcall IUniswapV2Pair(pair).skim(self)
        held: uint256 = staticcall IERC20(FLOCK).balanceOf(pair)
        if held >= lp_flock:
            assert lp_mt > DONATION_PROBE_MT, "lp too small"
            # A 1-wei MT reserve lets the pair price a swap; against it the synced FLOCK is
            # priced so high that DONATION_PROBE_MT buys out all but ~held/1e18 wei of it.
            self._push(token, pair, 1)
            extcall IUniswapV2Pair(pair).sync()
            self._push(token, pair, DONATION_PROBE_MT)
            # Uniswap V2 getAmountOut (0.30% fee) against reserves (held FLOCK, 1 wei MT).
            out: uint256 = DONATION_PROBE_MT * 997 * held // (1000 + DONATION_PROBE_MT * 997)
            if convert(FLOCK, uint256) < convert(token, uint256):
                extcall IUniswapV2Pair(pair).swap(out, 0, self, b"")
            else:
                extcall IUniswapV2Pair(pair).swap(0, out, self, b"")
    self._push(FLOCK, pair, lp_flock - staticcall IERC20(FLOCK).balanceOf(pair))
    self._push(token, pair, lp_mt - staticcall IModelToken(token).balanceOf(pair))
    lp_tokens: uint256 = extcall IUniswapV2Pair(pair).mint(self)
    return pair, lp_tokens, donated


@internal
def _graduate(token: address):
    l: Launch = self.launches[token]
    self.launches[token].graduated = True
    raised: uint256 = l.raised
    lp_flock: uint256 = raised * l.lp_bps // BPS
    reserved_flock: uint256 = raised * l.reserved_bps // BPS
    protocol_flock: uint256 = raised - lp_flock - reserved_flock
    # LP MT at the curve's price x/y at P: the pool opens where the curve ended.
    lp_mt: uint256 = min(LP_SUPPLY, lp_flock * (l.y0 - l.sold) // (l.x0 + raised))
    minted: uint256 = l.sold + lp_mt + INCENTIVE_RESERVE + ISSUER_ALLOCATION + TREASURY_ALLOCATION
    extcall IModelToken(token).mint_once([self], [minted])

    pair: address = empty(address)
    lp_tokens: uint256 = 0
    donated: uint256 = 0
    pair, lp_tokens, donated = self._seed_pool(token, lp_flock, lp_mt)
    self.launches[token].pair = pair
    self.launches[token].lp_tokens = lp_tokens

    payees: Payees = self.payees[l.payees_id]
    distributor: address = payees.reward_distributor
    extcall IModelToken(token).approve(distributor, INCENTIVE_RESERVE)
    extcall IRewardDistributor(distributor).fund(token, INCENTIVE_RESERVE, token)
    if reserved_flock > 0:
        extcall IERC20(FLOCK).approve(distributor, reserved_flock)
        extcall IRewardDistributor(distributor).fund(FLOCK, reserved_flock, token)

    treasury: address = payees.fee_recipient
    self._push(FLOCK, treasury, protocol_flock + donated)

    vest: address = payees.vesting
    extcall IModelToken(token).approve(vest, ISSUER_ALLOCATION + TREASURY_ALLOCATION)
    issuer_id: uint256 = extcall IVesting(vest).create_schedule(
        token, l.creator, ISSUER_ALLOCATION, block.timestamp, VESTING_CLIFF, VESTING_DURATION
    )
    treasury_id: uint256 = extcall IVesting(vest).create_schedule(
        token, treasury, TREASURY_ALLOCATION, block.timestamp, VESTING_CLIFF, VESTING_DURATION
    )
    log Graduated(
        token=token,
        pair=pair,
        raised=raised,
        lpFlock=lp_flock,
        reservedFlock=reserved_flock,
        protocolFlock=protocol_flock,
        donatedFlock=donated,
        soldMt=l.sold,
        lpMt=lp_mt,
        mintedMt=minted,
        unmintedMt=TOTAL_SUPPLY - minted,
        lpTokens=lp_tokens,
        issuerVestingId=issuer_id,
        treasuryVestingId=treasury_id,
    )


@external
@nonreentrant
def graduate(token: address):
    """
    @notice Graduate a launch whose window closed with at least `min_raise`. Anyone may call.
    @param token The launch (its MT address).
    """
    s: uint8 = self._status_of(token)
    assert s != STATUS_NONE, "unknown token"
    assert s != STATUS_GRADUATED, "already graduated"
    assert s != STATUS_LIVE, "sale live"
    assert s == STATUS_GRADUATING, "below min"
    self._graduate(token)


@external
@nonreentrant
def claim(token: address) -> uint256:
    """
    @notice Send the caller's MT allocation after graduation.
    @param token The launch (its MT address).
    @return The MT sent.
    """
    # Two fields, not the whole launch record: claims are the most frequent call after buys.
    assert self.launches[token].creator != empty(address), "unknown token"
    assert self.launches[token].graduated, "not graduated"
    amount: uint256 = self.allocation_of[token][msg.sender]
    assert amount > 0, "nothing to claim"
    self.allocation_of[token][msg.sender] = 0
    self._push(token, msg.sender, amount)
    log Claimed(token=token, buyer=msg.sender, amount=amount)
    return amount


@external
@nonreentrant
def redeem(token: address) -> uint256:
    """
    @notice Return the caller's principal (net FLOCK, fees excluded) after a failed launch.
    @param token The launch (its MT address).
    @return The FLOCK returned.
    """
    s: uint8 = self._status_of(token)
    assert s != STATUS_NONE, "unknown token"
    assert s != STATUS_LIVE, "sale live"
    assert s == STATUS_FAILED, "launch succeeded"
    amount: uint256 = self.principal_of[token][msg.sender]
    assert amount > 0, "nothing to redeem"
    self.principal_of[token][msg.sender] = 0
    self.allocation_of[token][msg.sender] = 0
    self._push(FLOCK, msg.sender, amount)
    log Redeemed(token=token, buyer=msg.sender, amount=amount)
    return amount


# ---------------------------------------------------------------- metadata

@external
def set_metadata(token: address, content_hash: bytes32):
    """
    @notice Commit the launch's metadata document (description, image, links) by its sha256.
            Creator only, once per launch, at any status.
    @dev The document is off-chain and content-addressed (docs/launch-lifecycle.md): anyone can
         check what the platform serves at /api/metadata/{hash} against this hash.
    @param token The launch (its MT address).
    @param content_hash sha256 of the canonical JSON document (non-zero).
    """
    creator: address = self.launches[token].creator
    assert creator != empty(address), "unknown token"
    assert msg.sender == creator, "not creator"
    assert content_hash != empty(bytes32), "empty hash"
    assert self.metadata_hash[token] == empty(bytes32), "metadata already set"
    self.metadata_hash[token] = content_hash
    log MetadataSet(token=token, contentHash=content_hash)


# ---------------------------------------------------------------- names

@internal
@pure
def _check_name(name: String[32]):
    n: uint256 = len(name)
    assert n > 0, "bad name"
    word: uint256 = convert(convert(convert(name, Bytes[32]), bytes32), uint256)
    for i: uint256 in range(MAX_NAME_LEN):
        if i == n:
            break
        c: uint256 = (word >> (248 - 8 * i)) & 255
        assert c >= 32 and c <= 126, "bad name"
    assert (word >> 248) != 32, "bad name"
    assert (word >> (256 - 8 * n)) & 255 != 32, "bad name"


@internal
@pure
def _ticker_key(symbol: String[16]) -> bytes32:
    # The lower-cased ASCII bytes, left-aligned in one word: the case-insensitive identity.
    n: uint256 = len(symbol)
    assert n >= MIN_TICKER_LEN, "bad ticker"
    word: uint256 = convert(convert(convert(symbol, Bytes[16]), bytes32), uint256)
    for i: uint256 in range(MAX_TICKER_LEN):
        if i == n:
            break
        at: uint256 = 248 - 8 * i
        c: uint256 = (word >> at) & 255
        if c >= 65 and c <= 90:
            word |= 32 << at
        else:
            assert (c >= 97 and c <= 122) or (c >= 48 and c <= 57), "bad ticker"
    return convert(word, bytes32)


@internal
@view
def _failed(token: address) -> bool:
    return self._status_of(token) == STATUS_FAILED


# ---------------------------------------------------------------- views

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


@external
@view
def payees_of(token: address) -> Payees:
    """
    @notice The treasury, RewardDistributor and Vesting a launch was created with (what its
            fees and graduation pay), whatever the admin changed since.
    @param token The launch (its MT address).
    """
    l_id: uint256 = self.launches[token].payees_id
    assert self.launches[token].creator != empty(address), "unknown token"
    return self.payees[l_id]


@external
@view
def token_of_ticker(symbol: String[16]) -> address:
    """
    @notice The latest launch created with this ticker, in any case (empty if none). Reverts
            "bad ticker" if `symbol` is not 2-16 ASCII letters/digits.
    @dev When that launch is not Failed it is the only non-failed launch with the ticker.
    @param symbol A ticker.
    """
    return self.ticker_token[self._ticker_key(symbol)]


@external
@view
def ticker_available(symbol: String[16]) -> bool:
    """
    @notice Whether `create_launch` would accept this ticker now (valid and not held by a
            launch that is not Failed).
    @param symbol A ticker.
    """
    holder: address = self.ticker_token[self._ticker_key(symbol)]
    return holder == empty(address) or self._failed(holder)


@external
@view
def status(token: address) -> uint8:
    """
    @notice Launch status: 0 none, 1 Live, 2 Failed, 3 Graduating, 4 Graduated.
    @param token The launch (its MT address).
    """
    return self._status_of(token)


@external
@view
def tax_bps(token: address) -> uint256:
    """
    @notice Combined tax a buy pays now (base fee + anti-sniper part), in bps.
    @param token A live launch.
    """
    l: Launch = self.launches[token]
    assert l.creator != empty(address), "unknown token"
    return self._tax_bps(l, block.timestamp)


@external
@view
def quote_buy(token: address, flock_in: uint256) -> (uint256, uint256, uint256, uint256, uint256, uint256):
    """
    @notice What `buy(token, flock_in, ...)` would do in this block.
    @param token A live launch.
    @param flock_in Gross FLOCK offered.
    @return (mt_out, net, protocol_fee, creator_fee, anti_sniper_fee, refund); refund is the
            part of `flock_in` a partial fill does not take.
    """
    l: Launch = self._sale_view(token)
    assert l.creator != empty(address), "unknown token"
    assert self._status(l) == STATUS_LIVE, "sale closed"
    f: Fill = self._quote(l, flock_in, self._tax_bps(l, block.timestamp))
    return f.mt_out, f.net, f.protocol_fee, f.creator_fee, f.anti_sniper_fee, flock_in - f.gross_used


@external
@view
def quote_first_buy(model_type_id: bytes32, flock_in: uint256) -> (uint256, uint256, uint256, uint256):
    """
    @notice What a bundled first buy of `flock_in` would allocate in `create_launch` now.
    @param model_type_id A registered model type.
    @param flock_in Gross FLOCK for the first buy.
    @return (mt_out, net, protocol_fee, creator_fee); reverts "over bundle cap" like the real one.
    """
    mtype: ModelType = self.model_types[model_type_id]
    assert mtype.max_raise != 0, "unknown model type"
    r: uint256 = mtype.max_raise
    virtual_flock: uint256 = r * LP_SUPPLY * BPS // (mtype.lp_bps * SALE_SUPPLY - LP_SUPPLY * BPS)
    l: Launch = empty(Launch)
    l.max_raise = r
    l.x0 = virtual_flock
    l.y0 = SALE_SUPPLY + virtual_flock * SALE_SUPPLY // r
    l.base_fee_bps = self.base_fee_bps
    l.creator_fee_bps = self.creator_fee_bps
    f: Fill = self._quote(l, flock_in, l.base_fee_bps)
    assert f.mt_out <= TOTAL_SUPPLY * self.max_bundle_bps // BPS, "over bundle cap"
    return f.mt_out, f.net, f.protocol_fee, f.creator_fee


@external
@view
def creator_of(token: address) -> address:
    """
    @notice The account that created the launch of `token` (empty if none).
    @param token A Model Token.
    """
    return self.launches[token].creator


@external
@view
def is_graduated(token: address) -> bool:
    """
    @notice Whether `token`'s launch has graduated (MT minted and tradable).
    @param token A Model Token.
    """
    return self.launches[token].graduated
