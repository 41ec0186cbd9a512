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
        Rooms: `model_registry.vy` (model types) and `fee_config.vy` (fees and versioned
        payees), both admin-only and exported from here; `launch_curve.vy` (the curve's pure
        maths and pricing: x0/y0 in one function, tax, fees and the MT out of a buy);
        `launch_record.vy` (the launch record and its packed storage layout);
        `launch_names.vy` (pure name and ticker rules). This file keeps the sale, pool seeding and the graduation's funding of
        vesting and rewards.
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
from contracts.launch import launch_curve
from contracts.launch import fee_config
from contracts.launch import launch_names
from contracts.launch import launch_record
from contracts.launch import model_registry

implements: ILaunchpad

initializes: roles
initializes: model_registry[roles := roles]
initializes: fee_config[roles := roles]

exports: (
    roles.admin,
    roles.pending_admin,
    roles.transfer_admin,
    roles.accept_admin,
    model_registry.register_model_type,
    model_registry.set_model_type_enabled,
    model_registry.model_types,
    model_registry.model_type_count,
    model_registry.model_type_at,
    fee_config.set_fee_config,
    fee_config.set_reward_distributor,
    fee_config.set_vesting,
    fee_config.fee_recipient,
    fee_config.reward_distributor,
    fee_config.vesting,
    fee_config.payees,
    fee_config.payees_id,
    fee_config.base_fee_bps,
    fee_config.creator_fee_bps,
    fee_config.launch_creation_fee,
    fee_config.anti_sniper_tax_start,
    fee_config.max_bundle_bps,
)


interface IModelToken:
    def initialize(name_: String[32], symbol_: String[16]): nonpayable
    def mint_once(receivers: DynArray[address, 8], amounts: DynArray[uint256, 8]): nonpayable
    def transfer(to: address, amount: uint256) -> bool: nonpayable
    def approve(spender: address, amount: uint256) -> bool: nonpayable
    def balanceOf(owner: address) -> uint256: view


# ---------------------------------------------------------------- constants (SPEC §3)

BPS: constant(uint256) = 10_000
WAD: constant(uint256) = 10**18
TOTAL_SUPPLY: public(constant(uint256)) = 1_000_000 * WAD
SALE_SUPPLY: public(constant(uint256)) = launch_curve.SALE_SUPPLY
LP_SUPPLY: public(constant(uint256)) = launch_curve.LP_SUPPLY
INCENTIVE_RESERVE: public(constant(uint256)) = 200_000 * WAD
# The issuer and the treasury each get the same vested amount (one twin-schedule record).
VESTED_ALLOCATION: constant(uint256) = 100_000 * WAD
ISSUER_ALLOCATION: public(constant(uint256)) = VESTED_ALLOCATION
TREASURY_ALLOCATION: public(constant(uint256)) = VESTED_ALLOCATION
SALE_DURATION: public(constant(uint256)) = launch_record.SALE_DURATION
TAX_DECAY_BPS_PER_MINUTE: public(constant(uint256)) = launch_curve.TAX_DECAY_BPS_PER_MINUTE
VESTING_CLIFF: public(constant(uint256)) = 90 * 86400
VESTING_DURATION: public(constant(uint256)) = 365 * 86400

DEFAULT_MIN_RAISE: public(constant(uint256)) = 100_000 * WAD
DEFAULT_MAX_RAISE: public(constant(uint256)) = 500_000 * WAD

MAX_TAX_START_BPS: public(constant(uint256)) = fee_config.MAX_TAX_START_BPS
MAX_BASE_FEE_BPS: public(constant(uint256)) = fee_config.MAX_BASE_FEE_BPS
MAX_BUNDLE_BPS: public(constant(uint256)) = fee_config.MAX_BUNDLE_BPS
MAX_LAUNCH_FEE: public(constant(uint256)) = fee_config.MAX_LAUNCH_FEE
MIN_RAISE_FLOOR: public(constant(uint256)) = model_registry.MIN_RAISE_FLOOR
MAX_RAISE_CAP: public(constant(uint256)) = model_registry.MAX_RAISE_CAP

# Ticker: MIN_TICKER_LEN..16 ASCII letters/digits (the type caps it at 16). Name: 1..32
# printable ASCII characters, no leading or trailing space.
MIN_TICKER_LEN: public(constant(uint256)) = launch_names.MIN_TICKER_LEN
MAX_TICKER_LEN: public(constant(uint256)) = launch_names.MAX_TICKER_LEN
MAX_NAME_LEN: public(constant(uint256)) = launch_names.MAX_NAME_LEN

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


# sha256 of the launch's metadata document (description, image, links; docs/launch-lifecycle.md),
# set once by the creator. The platform serves the document at /api/metadata/{contentHash}.
event MetadataSet:
    token: indexed(address)
    contentHash: bytes32


# ---------------------------------------------------------------- storage

FLOCK: public(immutable(address))
FACTORY: public(immutable(address))
MT_BLUEPRINT: public(immutable(address))
# The one full ModelToken every launch's token delegates to (EIP-1167 proxies). Deployed here,
# so this launchpad is its `minter`, the only account that may name or mint a proxy.
MT_IMPLEMENTATION: public(immutable(address))

# The launch record, packed into 6 slots (the `Launch` struct has 19 fields, one slot each):
# a buy reads 5 of them and writes 1, `create_launch` writes 5. `launches(token)` unpacks it.
_records: HashMap[address, launch_record.Packed]
launch_count: public(uint256)
launch_at: public(HashMap[uint256, address])

# lower-case ticker (left-aligned ASCII) -> the last launch created with it
ticker_token: HashMap[bytes32, address]
# token -> sha256 of its metadata document (empty until the creator sets it)
metadata_hash: public(HashMap[address, bytes32])

# token -> buyer -> pledge packed in one slot: net FLOCK principal pledged (what `redeem`
# returns on failure) in the low 128 bits, MT allocated and not yet claimed in the high 128
# (views `principal_of`, `allocation_of`).
_pledges: HashMap[address, HashMap[address, uint256]]


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
    @param reward_distributor Receives the MT Reward and Reserved FLOCK pools at graduation
           and credits them with `fund_transferred`: it must grant this launchpad its FUNDER
           role before the first graduation (`fomo.chain.deploy` does).
    @param vesting Vesting contract for the issuer and treasury MT.
    @param admin Admin (two-step transferable).
    """
    assert flock != empty(address), "zero address"
    assert factory != empty(address), "zero address"
    assert mt_blueprint != empty(address), "zero address"
    roles.__init__(admin)
    FLOCK = flock
    FACTORY = factory
    MT_BLUEPRINT = mt_blueprint
    MT_IMPLEMENTATION = create_from_blueprint(mt_blueprint, "FOMO Model Token", "MT")
    fee_config.__init__(fee_recipient, reward_distributor, vesting)


# ---------------------------------------------------------------- math


@internal
@view
def _status(l: launch_record.Launch) -> uint8:
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
def _sale_view(token: address) -> launch_record.Launch:
    # What a buy reads: 5 of the record's 6 slots (not model_type_id).
    l: launch_record.Launch = launch_record.unpack_head(empty(launch_record.Launch), self._records[token].head)
    fill: uint256 = self._records[token].fill
    curve: uint256 = self._records[token].curve
    raises: uint256 = self._records[token].raises
    shares: uint256 = self._records[token].shares
    l.raised = launch_record.lo(fill)
    l.sold = launch_record.hi(fill)
    l.x0 = launch_record.lo(curve)
    l.y0 = launch_record.hi(curve)
    l.min_raise = launch_record.lo(raises)
    l.max_raise = launch_record.hi(raises)
    l.lp_bps = shares & 65535
    l.reserved_bps = (shares >> 16) & 65535
    l.payees_id = (shares >> 32) & (2**64 - 1)
    l.lp_tokens = shares >> 96
    return l


@internal
@view
def _launch(token: address) -> launch_record.Launch:
    # The whole record, as the `launches` view returns it.
    l: launch_record.Launch = self._sale_view(token)
    l.model_type_id = self._records[token].model_type_id
    if l.graduated:
        l.pair = staticcall IUniswapV2Factory(FACTORY).getPair(token, FLOCK)
    return l


@internal
@view
def _status_of(token: address) -> uint8:
    # `_status` reading only the slots it needs (head, fill, raises).
    l: launch_record.Launch = launch_record.unpack_head(empty(launch_record.Launch), self._records[token].head)
    if l.creator == empty(address):
        return STATUS_NONE
    if l.graduated:
        return STATUS_GRADUATED
    if block.timestamp < l.sale_end:
        return STATUS_LIVE
    if launch_record.lo(self._records[token].fill) >= launch_record.lo(self._records[token].raises):
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
def _execute(token: address, l: launch_record.Launch, f: launch_curve.Fill, min_mt_out: uint256) -> uint256:
    assert f.mt_out >= min_mt_out, "slippage"
    # One slot for the launch (raised | sold), one for the buyer (principal | allocation); both
    # halves stay far below 2**128 (see `Packed`), so the additions cannot carry over.
    self._records[token].fill = (l.raised + f.net) | ((l.sold + f.mt_out) << 128)
    self._pledges[token][msg.sender] += f.net | (f.mt_out << 128)
    # Fees go straight out, so this contract only ever holds principal.
    self._pull(msg.sender, self, f.net)
    self._pull(msg.sender, fee_config.payees[l.payees_id].fee_recipient, f.protocol_fee + f.anti_sniper_fee)
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
    # Five of the model type's ten slots (not its name or pricing tier).
    r: uint256 = model_registry.model_types[model_type_id].max_raise
    assert r != 0, "unknown model type"
    assert model_registry.model_types[model_type_id].enabled, "model type disabled"
    launch_names.check_name(name)
    ticker: bytes32 = launch_names.ticker_key(symbol)
    holder: address = self.ticker_token[ticker]
    assert holder == empty(address) or self._failed(holder), "ticker taken"
    payees_id: uint256 = fee_config.payees_id
    self._pull(msg.sender, fee_config.payees[payees_id].fee_recipient, fee_config.launch_creation_fee)

    # A ~45-byte proxy instead of the full token: ~0.1 M gas instead of ~1.3 M.
    token: address = create_minimal_proxy_to(MT_IMPLEMENTATION)
    extcall IModelToken(token).initialize(name, symbol)
    self.ticker_token[ticker] = token

    lp_bps: uint256 = model_registry.model_types[model_type_id].lp_bps
    x0: uint256 = 0
    y0: uint256 = 0
    x0, y0 = launch_curve.start(r, lp_bps)
    assert block.timestamp < 2**40, "timestamp too large"
    l: launch_record.Launch = launch_record.Launch(
        creator=msg.sender,
        model_type_id=model_type_id,
        min_raise=model_registry.model_types[model_type_id].min_raise,
        max_raise=r,
        lp_bps=lp_bps,
        reserved_bps=model_registry.model_types[model_type_id].reserved_bps,
        x0=x0,
        y0=y0,
        base_fee_bps=fee_config.base_fee_bps,
        creator_fee_bps=fee_config.creator_fee_bps,
        tax_start_bps=fee_config.anti_sniper_tax_start,
        sale_start=block.timestamp,
        sale_end=block.timestamp + SALE_DURATION,
        raised=0,
        sold=0,
        graduated=False,
        pair=empty(address),
        lp_tokens=0,
        payees_id=payees_id,
    )
    # 5 slots written (the fill slot starts at zero).
    self._records[token] = launch_record.Packed(
        head=launch_record.pack_head(l),
        fill=0,
        curve=x0 | (y0 << 128),
        raises=l.min_raise | (r << 128),
        shares=lp_bps | (l.reserved_bps << 16) | (payees_id << 32),
        model_type_id=model_type_id,
    )
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
        f: launch_curve.Fill = launch_curve.quote(l, first_buy_flock, l.base_fee_bps)
        assert f.mt_out <= TOTAL_SUPPLY * fee_config.max_bundle_bps // BPS, "over bundle cap"
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
    l: launch_record.Launch = self._sale_view(token)
    assert l.creator != empty(address), "unknown token"
    assert self._status(l) == STATUS_LIVE, "sale closed"
    f: launch_curve.Fill = launch_curve.quote(l, flock_in, launch_curve.tax_bps(l, block.timestamp))
    return self._execute(token, l, f, min_mt_out)


# ---------------------------------------------------------------- graduation

@internal
def _open_pair(token: address) -> (address, uint256):
    """
    Create or reuse the MT/FLOCK pair; returns it and the FLOCK found in it (donated).
    A pair created before graduation can hold no LP (that needs MT, which did not exist),
    but it, or the CREATE2 address of one, can hold FLOCK sent to it.
    """
    pair: address = staticcall IUniswapV2Factory(FACTORY).getPair(token, FLOCK)
    if pair == empty(address):
        pair = extcall IUniswapV2Factory(FACTORY).createPair(token, FLOCK)
    else:
        # Cannot fail with our MT (see above); kept as a guard for a pair that was reused.
        assert staticcall IUniswapV2Pair(pair).totalSupply() == 0, "pair has liquidity"
    return pair, staticcall IERC20(FLOCK).balanceOf(pair)


@internal
def _seed_pool(token: address, pair: address, donated: uint256, lp_flock: uint256, lp_mt: uint256) -> uint256:
    """
    Make the pair hold exactly (lp_flock, lp_mt) and mint the LP tokens to this contract, so
    the pool opens at the curve's final price whatever was donated to it. Without a donation
    the pair is empty (MT did not exist before this transaction). With one: our Pair refuses
    `sync` before its first mint, so a donation is never a reserve and `skim` takes all of it
    back. A standard Uniswap V2 pair lets anyone `sync` a donation into the reserves; that
    part cannot be skimmed, so it counts toward lp_flock (only the difference is sent), and
    if it is at least lp_flock it is first bought out with DONATION_PROBE_MT. In every case
    this contract ends up holding raised FLOCK equal to the donation, which the caller
    forwards to the treasury. Returns the LP tokens minted.
    """
    if donated == 0:
        self._push(FLOCK, pair, lp_flock)
        self._push(token, pair, lp_mt)
        return extcall IUniswapV2Pair(pair).mint(self)
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
    return extcall IUniswapV2Pair(pair).mint(self)


@internal
def _graduate(token: address):
    l: launch_record.Launch = self._sale_view(token)
    l.graduated = True
    self._records[token].head = launch_record.pack_head(l)
    raised: uint256 = l.raised
    lp_flock: uint256 = raised * l.lp_bps // BPS
    reserved_flock: uint256 = raised * l.reserved_bps // BPS
    protocol_flock: uint256 = raised - lp_flock - reserved_flock
    # LP MT at the curve's price x/y at P: the pool opens where the curve ended.
    lp_mt: uint256 = min(LP_SUPPLY, lp_flock * (l.y0 - l.sold) // (l.x0 + raised))
    minted: uint256 = l.sold + lp_mt + INCENTIVE_RESERVE + ISSUER_ALLOCATION + TREASURY_ALLOCATION
    payees: fee_config.Payees = fee_config.payees[l.payees_id]
    distributor: address = payees.reward_distributor

    # The MT Reward pool is minted straight to the distributor and credited there below
    # (`fund_transferred`): no approval and no pull. The rest (buyers' claims, LP, vested MT)
    # comes here first.
    extcall IModelToken(token).mint_once([self, distributor], [minted - INCENTIVE_RESERVE, INCENTIVE_RESERVE])
    pair: address = empty(address)
    donated: uint256 = 0
    pair, donated = self._open_pair(token)
    lp_tokens: uint256 = self._seed_pool(token, pair, donated, lp_flock, lp_mt)
    assert lp_tokens < 2**96, "lp tokens overflow"
    # `shares` was read (cold) by `_sale_view`; rewriting it costs ~3k where a fresh slot
    # for the LP amount would cost ~22k.
    self._records[token].shares |= lp_tokens << 96

    extcall IRewardDistributor(distributor).fund_transferred(token, INCENTIVE_RESERVE, token)
    if reserved_flock > 0:
        self._push(FLOCK, distributor, reserved_flock)
        extcall IRewardDistributor(distributor).fund_transferred(FLOCK, reserved_flock, token)

    treasury: address = payees.fee_recipient
    self._push(FLOCK, treasury, protocol_flock + donated)

    vest: address = payees.vesting
    extcall IModelToken(token).approve(vest, ISSUER_ALLOCATION + TREASURY_ALLOCATION)
    # The issuer's and the treasury's schedules are twins (same amount and timing, SPEC §3),
    # so one Vesting record holds both: half the fresh storage of two schedules.
    issuer_id: uint256 = 0
    treasury_id: uint256 = 0
    issuer_id, treasury_id = extcall IVesting(vest).create_schedule_pair(
        token, l.creator, treasury, VESTED_ALLOCATION, block.timestamp, VESTING_CLIFF, VESTING_DURATION
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
    # One slot of the launch record (head), one of the pledge.
    l: launch_record.Launch = launch_record.unpack_head(empty(launch_record.Launch), self._records[token].head)
    assert l.creator != empty(address), "unknown token"
    assert l.graduated, "not graduated"
    pledge: uint256 = self._pledges[token][msg.sender]
    amount: uint256 = launch_record.hi(pledge)
    assert amount > 0, "nothing to claim"
    self._pledges[token][msg.sender] = launch_record.lo(pledge)
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
    amount: uint256 = launch_record.lo(self._pledges[token][msg.sender])
    assert amount > 0, "nothing to redeem"
    self._pledges[token][msg.sender] = 0
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
    creator: address = launch_record.unpack_head(empty(launch_record.Launch), self._records[token].head).creator
    assert creator != empty(address), "unknown token"
    assert msg.sender == creator, "not creator"
    assert content_hash != empty(bytes32), "empty hash"
    assert self.metadata_hash[token] == empty(bytes32), "metadata already set"
    self.metadata_hash[token] = content_hash
    log MetadataSet(token=token, contentHash=content_hash)


# ---------------------------------------------------------------- status


@internal
@view
def _failed(token: address) -> bool:
    return self._status_of(token) == STATUS_FAILED


# ---------------------------------------------------------------- views

@external
@view
def payees_of(token: address) -> fee_config.Payees:
    """
    @notice The treasury, RewardDistributor and Vesting a launch was created with (what its
            fees and graduation pay), whatever the admin changed since.
    @param token The launch (its MT address).
    """
    l: launch_record.Launch = self._sale_view(token)
    assert l.creator != empty(address), "unknown token"
    return fee_config.payees[l.payees_id]


@external
@view
def token_of_ticker(symbol: String[16]) -> address:
    """
    @notice The latest launch created with this ticker, in any case (empty if none). Reverts
            "bad ticker" if `symbol` is not 2-16 ASCII letters/digits.
    @dev When that launch is not Failed it is the only non-failed launch with the ticker.
    @param symbol A ticker.
    """
    return self.ticker_token[launch_names.ticker_key(symbol)]


@external
@view
def ticker_available(symbol: String[16]) -> bool:
    """
    @notice Whether `create_launch` would accept this ticker now (valid and not held by a
            launch that is not Failed).
    @param symbol A ticker.
    """
    holder: address = self.ticker_token[launch_names.ticker_key(symbol)]
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
    l: launch_record.Launch = launch_record.unpack_head(empty(launch_record.Launch), self._records[token].head)
    assert l.creator != empty(address), "unknown token"
    return launch_curve.tax_bps(l, block.timestamp)


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
    l: launch_record.Launch = self._sale_view(token)
    assert l.creator != empty(address), "unknown token"
    assert self._status(l) == STATUS_LIVE, "sale closed"
    f: launch_curve.Fill = launch_curve.quote(l, flock_in, launch_curve.tax_bps(l, block.timestamp))
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
    r: uint256 = model_registry.model_types[model_type_id].max_raise
    assert r != 0, "unknown model type"
    l: launch_record.Launch = empty(launch_record.Launch)
    l.max_raise = r
    l.x0, l.y0 = launch_curve.start(r, model_registry.model_types[model_type_id].lp_bps)
    l.base_fee_bps = fee_config.base_fee_bps
    l.creator_fee_bps = fee_config.creator_fee_bps
    f: launch_curve.Fill = launch_curve.quote(l, flock_in, l.base_fee_bps)
    assert f.mt_out <= TOTAL_SUPPLY * fee_config.max_bundle_bps // BPS, "over bundle cap"
    return f.mt_out, f.net, f.protocol_fee, f.creator_fee


@external
@view
def creator_of(token: address) -> address:
    """
    @notice The account that created the launch of `token` (empty if none).
    @param token A Model Token.
    """
    return launch_record.unpack_head(empty(launch_record.Launch), self._records[token].head).creator


@external
@view
def is_graduated(token: address) -> bool:
    """
    @notice Whether `token`'s launch has graduated (MT minted and tradable).
    @param token A Model Token.
    """
    return launch_record.unpack_head(empty(launch_record.Launch), self._records[token].head).graduated


@external
@view
def launches(token: address) -> launch_record.Launch:
    """
    @notice The whole launch record (all fields zero for an unknown token).
    @param token A Model Token.
    """
    return self._launch(token)


@external
@view
def principal_of(token: address, buyer: address) -> uint256:
    """
    @notice Net FLOCK principal `buyer` pledged to `token`'s launch (what `redeem` returns).
    @param token A Model Token.
    @param buyer A buyer.
    """
    return launch_record.lo(self._pledges[token][buyer])


@external
@view
def allocation_of(token: address, buyer: address) -> uint256:
    """
    @notice MT allocated to `buyer` in `token`'s launch and not yet claimed.
    @param token A Model Token.
    @param buyer A buyer.
    """
    return launch_record.hi(self._pledges[token][buyer])
