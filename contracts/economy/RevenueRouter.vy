# pragma version ~=0.4.3
"""
@title RevenueRouter
@license AGPL-3.0-only
@notice Splits each deployment's settled net revenue (USDC) 30/30/30/10 (SPEC §7):
        30% FLOCK buyback reserve, 30% treasury, 30% buyback reserve of the deployment's
        MT, 10% credited to the MT's issuer (`ILaunchpad.creator_of`), who withdraws it with
        `claim_issuer_revenue` (a pull payment: an issuer the USDC contract refuses to pay
        cannot block the waterfall). A keeper spends the reserves
        through the DEX (USDC→FLOCK, USDC→FLOCK→MT) and burns what it buys. Each execution
        is bounded twice by `impact_bound_bps`: no hop's spot price may move more than the
        bound from its pre-trade value, and the output may not be more than the bound worse
        than a TWAP reference kept by this contract from the pairs' cumulative price
        accumulators; the rest waits in the reserve.
@dev Invariants:
         settle: flock + treasury + mt + issuer == usdc_amount (treasury takes the dust)
         USDC.balanceOf(self) >= total_reserved + total_issuer_owed
         total_reserved == sum(buyback_reserve)
         total_issuer_owed == sum(issuer_revenue[issuer][token])
         every buyback, per hop: spot_after >= spot_before * (10000 - impact_bound_bps) / 10000
         every buyback: out >= reference_out * (10000 - impact_bound_bps) / 10000, where
         reference_out values the input at the TWAP price after the 0.30% pool fee(s), so the
         bound is on price movement and spot-vs-TWAP deviation, not on the fixed fee.
     TWAP: per pair the contract keeps two observations of the cumulative prices taken at
     least `twap_window` apart (`poke`, also done by every buyback). The reference is the
     average price from the newest observation at least `twap_window` old up to now.
"""

from ethereum.ercs import IERC20

from contracts.auth import roles
from contracts.interfaces import IBurnableERC20
from contracts.interfaces import ILaunchpad
from contracts.interfaces import IUniswapV2Factory
from contracts.interfaces import IUniswapV2Pair
from contracts.interfaces import IUniswapV2Router

initializes: roles
exports: roles.__interface__


event Settled:
    token: indexed(address)
    epoch: indexed(uint256)
    usdc_amount: uint256
    flock_buyback: uint256
    treasury_amount: uint256
    mt_buyback: uint256
    issuer_amount: uint256
    issuer: address
    pulled: uint256

event IssuerCredited:
    issuer: indexed(address)
    token: indexed(address)
    epoch: indexed(uint256)
    amount: uint256
    owed: uint256

event IssuerRevenueClaimed:
    issuer: indexed(address)
    token: indexed(address)
    recipient: indexed(address)
    amount: uint256

event BuybackExecuted:
    token: indexed(address)
    usdc_in: uint256
    amount_out: uint256
    min_out: uint256
    reserve_left: uint256
    keeper: address

event Burned:
    token: indexed(address)
    amount: uint256

event Observed:
    pair: indexed(address)
    price0_cumulative: uint256
    price1_cumulative: uint256
    timestamp: uint256

event ImpactBoundUpdated:
    old_bps: uint256
    new_bps: uint256

event TwapWindowUpdated:
    old_window: uint256
    new_window: uint256

event TreasuryUpdated:
    old_treasury: address
    new_treasury: address


struct Observation:
    price0_cumulative: uint256
    price1_cumulative: uint256
    timestamp: uint256


BPS: constant(uint256) = 10_000
FLOCK_BUYBACK_BPS: public(constant(uint256)) = 3_000
TREASURY_BPS: public(constant(uint256)) = 3_000
MT_BUYBACK_BPS: public(constant(uint256)) = 3_000
ISSUER_BPS: public(constant(uint256)) = 1_000

MIN_IMPACT_BPS: public(constant(uint256)) = 10
MAX_IMPACT_BPS: public(constant(uint256)) = 1_000
DEFAULT_IMPACT_BPS: public(constant(uint256)) = 100
MIN_TWAP_WINDOW: public(constant(uint256)) = 5 * 60
MAX_TWAP_WINDOW: public(constant(uint256)) = 86400
DEFAULT_TWAP_WINDOW: public(constant(uint256)) = 30 * 60

# Uniswap V2 fee: 997/1000 of the input trades
_FEE_NUM: constant(uint256) = 997
_FEE_DEN: constant(uint256) = 1000
_Q112: constant(uint256) = 2**112
# fixed-point scale of the spot-bound estimate
_SCALE: constant(uint256) = 10**18

USDC: public(immutable(address))
FLOCK: public(immutable(address))
DEX_ROUTER: public(immutable(address))
DEX_FACTORY: public(immutable(address))
LAUNCHPAD: public(immutable(address))

treasury: public(address)
impact_bound_bps: public(uint256)
twap_window: public(uint256)

settled: public(HashMap[address, HashMap[uint256, bool]])
# USDC earmarked to buy back `token` (FLOCK, or an MT)
buyback_reserve: public(HashMap[address, uint256])
total_reserved: public(uint256)
# USDC owed to an issuer for one MT, until they claim it (issuer => MT => amount)
issuer_revenue: public(HashMap[address, HashMap[address, uint256]])
total_issuer_owed: public(uint256)

# per pair: the older and the newer observation
observation_old: public(HashMap[address, Observation])
observation_new: public(HashMap[address, Observation])


@deploy
def __init__(
    admin: address,
    usdc: address,
    flock: address,
    dex_router: address,
    launchpad: address,
    treasury: address,
):
    """
    @notice Deploy the router; roles (settler, keeper) are granted by the admin afterwards.
    @param admin Holder of the admin seat.
    @param usdc The USDC token revenue is settled in.
    @param flock The FLOCK token (bought back and burned).
    @param dex_router Uniswap V2-compatible router used for buybacks.
    @param launchpad Source of `creator_of` (issuer) and `is_graduated`.
    @param treasury Receiver of the treasury share.
    """
    roles.__init__(admin)
    assert usdc != empty(address) and flock != empty(address), "zero address"
    assert dex_router != empty(address) and launchpad != empty(address), "zero address"
    assert treasury != empty(address), "zero address"
    assert usdc != flock, "same token"
    USDC = usdc
    FLOCK = flock
    DEX_ROUTER = dex_router
    DEX_FACTORY = staticcall IUniswapV2Router(dex_router).factory()
    LAUNCHPAD = launchpad
    self.treasury = treasury
    self.impact_bound_bps = DEFAULT_IMPACT_BPS
    self.twap_window = DEFAULT_TWAP_WINDOW


# -- settlement ----------------------------------------------------------------------------


@external
@nonreentrant
def settle(token: address, usdc_amount: uint256, epoch: uint256):
    """
    @notice Split one epoch's net revenue of deployment `token` (SPEC §7). Settler only;
            once per (token, epoch).
    @dev USDC the router holds beyond its reserves and unclaimed issuer credits (e.g. withdrawn
         to it by the PaymentVault) is used first; the rest is pulled from the caller, who must
         have approved it. The issuer's share is credited, not sent (`claim_issuer_revenue`).
    @param token The deployment's MT.
    @param usdc_amount Net revenue in USDC base units.
    @param epoch The epoch (UTC day) the revenue belongs to.
    """
    roles._check_role(roles.SETTLER_ROLE)
    assert usdc_amount > 0, "zero amount"
    assert token != empty(address) and token != FLOCK and token != USDC, "bad token"
    assert not self.settled[token][epoch], "already settled"
    assert staticcall ILaunchpad(LAUNCHPAD).is_graduated(token), "not graduated"
    issuer: address = staticcall ILaunchpad(LAUNCHPAD).creator_of(token)
    assert issuer != empty(address), "no issuer"
    self.settled[token][epoch] = True

    loose: uint256 = staticcall IERC20(USDC).balanceOf(self) - self.total_reserved - self.total_issuer_owed
    pulled: uint256 = usdc_amount - min(loose, usdc_amount)
    if pulled > 0:
        assert extcall IERC20(USDC).transferFrom(msg.sender, self, pulled, default_return_value=True), "transfer failed"

    flock_part: uint256 = usdc_amount * FLOCK_BUYBACK_BPS // BPS
    mt_part: uint256 = usdc_amount * MT_BUYBACK_BPS // BPS
    issuer_part: uint256 = usdc_amount * ISSUER_BPS // BPS
    treasury_part: uint256 = usdc_amount - flock_part - mt_part - issuer_part

    self.buyback_reserve[FLOCK] += flock_part
    self.buyback_reserve[token] += mt_part
    self.total_reserved += flock_part + mt_part
    assert extcall IERC20(USDC).transfer(self.treasury, treasury_part, default_return_value=True), "transfer failed"
    if issuer_part > 0:
        owed: uint256 = self.issuer_revenue[issuer][token] + issuer_part
        self.issuer_revenue[issuer][token] = owed
        self.total_issuer_owed += issuer_part
        log IssuerCredited(issuer=issuer, token=token, epoch=epoch, amount=issuer_part, owed=owed)
    log Settled(
        token=token,
        epoch=epoch,
        usdc_amount=usdc_amount,
        flock_buyback=flock_part,
        treasury_amount=treasury_part,
        mt_buyback=mt_part,
        issuer_amount=issuer_part,
        issuer=issuer,
        pulled=pulled,
    )


@external
@nonreentrant
def claim_issuer_revenue(token: address, recipient: address) -> uint256:
    """
    @notice Withdraw the USDC credited to the caller as the issuer of MT `token`, to
            `recipient` (the caller itself, or any address it chooses, e.g. when the caller
            cannot receive USDC).
    @param token The MT whose issuer share to withdraw.
    @param recipient Receiver of the USDC.
    @return The amount paid.
    """
    assert recipient != empty(address), "zero address"
    amount: uint256 = self.issuer_revenue[msg.sender][token]
    assert amount > 0, "nothing to claim"
    self.issuer_revenue[msg.sender][token] = 0
    self.total_issuer_owed -= amount
    assert extcall IERC20(USDC).transfer(recipient, amount, default_return_value=True), "transfer failed"
    log IssuerRevenueClaimed(issuer=msg.sender, token=token, recipient=recipient, amount=amount)
    return amount


# -- TWAP ----------------------------------------------------------------------------------


@view
@internal
def _pair(a: address, b: address) -> address:
    pair: address = staticcall IUniswapV2Factory(DEX_FACTORY).getPair(a, b)
    assert pair != empty(address), "no pair"
    return pair


@view
@internal
def _cumulative(pair: address) -> (uint256, uint256):
    # As UniswapV2OracleLibrary.currentCumulativePrices: extend the stored accumulators to
    # now with the current reserves, so no sync is needed. Accumulators wrap mod 2**256.
    p0: uint256 = staticcall IUniswapV2Pair(pair).price0CumulativeLast()
    p1: uint256 = staticcall IUniswapV2Pair(pair).price1CumulativeLast()
    r0: uint112 = 0
    r1: uint112 = 0
    last: uint32 = 0
    r0, r1, last = staticcall IUniswapV2Pair(pair).getReserves()
    now32: uint256 = block.timestamp % 2**32
    elapsed: uint256 = (now32 + 2**32 - convert(last, uint256)) % 2**32
    if elapsed > 0 and r0 != 0 and r1 != 0:
        x: uint256 = convert(r0, uint256)
        y: uint256 = convert(r1, uint256)
        p0 = unsafe_add(p0, (y * _Q112 // x) * elapsed)
        p1 = unsafe_add(p1, (x * _Q112 // y) * elapsed)
    return p0, p1


@internal
def _poke(pair: address):
    newer: Observation = self.observation_new[pair]
    if newer.timestamp != 0 and block.timestamp < newer.timestamp + self.twap_window:
        return
    p0: uint256 = 0
    p1: uint256 = 0
    p0, p1 = self._cumulative(pair)
    if newer.timestamp != 0:
        self.observation_old[pair] = newer
    self.observation_new[pair] = Observation(
        price0_cumulative=p0, price1_cumulative=p1, timestamp=block.timestamp
    )
    log Observed(pair=pair, price0_cumulative=p0, price1_cumulative=p1, timestamp=block.timestamp)


@view
@internal
def _twap(pair: address, token_in: address) -> uint256:
    # UQ112x112 average price of token_in in units of the other token
    window: uint256 = self.twap_window
    base: Observation = self.observation_new[pair]
    if base.timestamp == 0 or block.timestamp < base.timestamp + window:
        base = self.observation_old[pair]
        assert base.timestamp != 0 and block.timestamp >= base.timestamp + window, "twap not ready"
    p0: uint256 = 0
    p1: uint256 = 0
    p0, p1 = self._cumulative(pair)
    elapsed: uint256 = block.timestamp - base.timestamp
    price: uint256 = 0
    if token_in == staticcall IUniswapV2Pair(pair).token0():
        price = unsafe_sub(p0, base.price0_cumulative) // elapsed
    else:
        price = unsafe_sub(p1, base.price1_cumulative) // elapsed
    assert price > 0, "no price"
    return price


@view
@internal
def _reserves(pair: address, token_in: address) -> (uint256, uint256):
    r0: uint112 = 0
    r1: uint112 = 0
    last: uint32 = 0
    r0, r1, last = staticcall IUniswapV2Pair(pair).getReserves()
    if token_in == staticcall IUniswapV2Pair(pair).token0():
        return convert(r0, uint256), convert(r1, uint256)
    return convert(r1, uint256), convert(r0, uint256)


@external
def poke(token: address):
    """
    @notice Record price observations for the pairs a buyback of `token` trades through
            (USDC/FLOCK, and FLOCK/`token` for an MT). Anyone may call; an observation is
            only taken once `twap_window` has passed since the previous one.
    @param token FLOCK, or an MT.
    """
    self._poke(self._pair(USDC, FLOCK))
    if token != FLOCK:
        self._poke(self._pair(FLOCK, token))


# -- buybacks ------------------------------------------------------------------------------


@pure
@internal
def _amount_out(amount_in: uint256, reserve_in: uint256, reserve_out: uint256) -> uint256:
    # UniswapV2Library.getAmountOut
    if amount_in == 0:
        return 0
    with_fee: uint256 = amount_in * _FEE_NUM
    return with_fee * reserve_out // (reserve_in * _FEE_DEN + with_fee)


@pure
@internal
def _ceil_div(a: uint256, b: uint256) -> uint256:
    return (a + b - 1) // b


@pure
@internal
def _min_out(amount_in: uint256, prices: DynArray[uint256, 2], bound_bps: uint256) -> uint256:
    # Reference output at the TWAP prices after the pool fee on each hop, rounded up at every
    # step so the bound is never looser than stated; then the allowed impact comes off.
    ref: uint256 = amount_in
    for price: uint256 in prices:
        ref = self._ceil_div(ref * _FEE_NUM * price, _FEE_DEN * _Q112)
    return self._ceil_div(ref * (BPS - bound_bps), BPS)


@pure
@internal
def _quote(amount_in: uint256, reserves: DynArray[uint256, 4]) -> uint256:
    out: uint256 = amount_in
    for i: uint256 in range(2):
        if 2 * i >= len(reserves):
            break
        out = self._amount_out(out, reserves[2 * i], reserves[2 * i + 1])
    return out


@view
@internal
def _spot_within(
    amount: uint256, reserves: DynArray[uint256, 4], held_in: DynArray[uint256, 2], bound: uint256
) -> bool:
    # Each hop's spot price (out per in) after the trade may fall at most `bound` below the
    # pre-trade spot: (y - o) / x' >= (y / x) * (1 - b), with x' the pair's token-in balance
    # after the trade (tokens donated to the pair and not yet synced count as input, as the
    # pair's swap counts them). Exact integer cross-multiplication, no rounding to exploit.
    moved: uint256 = amount
    for i: uint256 in range(2):
        if 2 * i >= len(reserves):
            break
        x: uint256 = reserves[2 * i]
        y: uint256 = reserves[2 * i + 1]
        out: uint256 = self._amount_out(moved, x, y)
        if (y - out) * x * BPS < y * (max(held_in[i], x) + moved) * (BPS - bound):
            return False
        moved = out
    return True


@view
@internal
def _within(
    amount: uint256,
    reserves: DynArray[uint256, 4],
    held_in: DynArray[uint256, 2],
    prices: DynArray[uint256, 2],
    bound: uint256,
) -> bool:
    # Both bounds: the pool moves at most `bound` from its pre-trade spot (SPEC §7 "price
    # impact per execution"), and the execution pays at most `bound` worse than the TWAP
    # (refuses a spot pushed up by a sandwicher). Either alone is exploitable: the TWAP bound
    # alone lets one execution move a pool whose spot sits below the TWAP far beyond `bound`.
    if not self._spot_within(amount, reserves, held_in, bound):
        return False
    return self._quote(amount, reserves) >= self._min_out(amount, prices, bound)


@pure
@internal
def _spot_step(bound: uint256) -> uint256:
    # Largest input, as a fraction of the input reserve (scaled by _SCALE), that moves one
    # hop's spot by `bound` (real-valued, no donation): with r = a / x and g = 0.997,
    #   x^2 / ((x + g a)(x + a)) = 1 - b   <=>   g r^2 + (1 + g) r - b / (1 - b) = 0
    # (here with 1000ths: 997 r^2 + 1997 r - 1000 b / (1 - b) = 0).
    disc: uint256 = 1997 * 1997 * _SCALE * _SCALE + 3_988_000 * _SCALE * _SCALE * bound // (BPS - bound)
    return (isqrt(disc) - 1997 * _SCALE) // 1994


@pure
@internal
def _spot_estimate(reserves: DynArray[uint256, 4], bound: uint256) -> uint256:
    # Largest first-hop input that keeps every hop's spot movement within `bound`; the
    # caller checks it exactly and steps down from it.
    step: uint256 = self._spot_step(bound)
    limit: uint256 = reserves[0] * step // _SCALE
    if len(reserves) == 4:
        # the second hop can take `flock_max` FLOCK; the USDC that buys that much on hop one
        flock_max: uint256 = reserves[2] * step // _SCALE
        if flock_max < reserves[1]:
            limit = min(limit, reserves[0] * flock_max * _FEE_DEN // ((reserves[1] - flock_max) * _FEE_NUM))
    return limit


@pure
@internal
def _estimate(reserves: DynArray[uint256, 4], prices: DynArray[uint256, 2], bound: uint256) -> uint256:
    # Real-valued largest input within the bound. With g = 0.997, reference prices p_i and
    # reserves (x_i in, y_i out), out/in falls as the input grows and meets the bound at
    #   one hop:  a = (y1/p1 / (1-b) - x1) / g
    #   two hops: a = ((y1/p1)(y2/p2) / (1-b) - x1 x2) / (g (x2 + g y1))
    # The integer AMM floors, so the caller checks the estimate and steps down from it.
    scaled: uint256 = BPS
    for i: uint256 in range(2):
        if i >= len(prices):
            break
        scaled = scaled * (reserves[2 * i + 1] * _Q112 // prices[i])
    scaled = scaled // (BPS - bound)
    if len(prices) == 1:
        if scaled <= reserves[0]:
            return 0
        return (scaled - reserves[0]) * _FEE_DEN // _FEE_NUM
    base: uint256 = reserves[0] * reserves[2]
    if scaled <= base:
        return 0
    return (scaled - base) * _FEE_DEN * _FEE_DEN // (
        _FEE_NUM * (reserves[2] * _FEE_DEN + reserves[1] * _FEE_NUM)
    )


@view
@internal
def _largest_within_bound(
    budget: uint256,
    reserves: DynArray[uint256, 4],
    held_in: DynArray[uint256, 2],
    prices: DynArray[uint256, 2],
    bound: uint256,
) -> uint256:
    candidate: uint256 = min(
        budget,
        min(self._estimate(reserves, prices, bound), self._spot_estimate(reserves, bound)),
    )
    for _: uint256 in range(4):
        if candidate == 0:
            return 0
        if self._within(candidate, reserves, held_in, prices, bound):
            return candidate
        candidate -= candidate // 10_000 + 1
    # tiny amounts where rounding dominates, or a donation the estimate ignores: bisect
    # (both bounds only get harder to meet as the input grows)
    lo: uint256 = 0
    hi: uint256 = candidate + 1
    for _: uint256 in range(256):
        if hi - lo <= 1:
            break
        mid: uint256 = (lo + hi) // 2
        if self._within(mid, reserves, held_in, prices, bound):
            lo = mid
        else:
            hi = mid
    return lo


@external
@nonreentrant
def execute_buyback(token: address, max_usdc: uint256) -> (uint256, uint256):
    """
    @notice Spend up to `max_usdc` of `token`'s buyback reserve on `token` through the DEX and
            burn it. Keeper only. Spends the largest amount that moves no hop's spot price
            by more than `impact_bound_bps` and whose output stays within `impact_bound_bps`
            of the TWAP reference; the rest stays in the reserve.
    @dev `token` == FLOCK buys FLOCK (USDC→FLOCK); any other token is an MT (USDC→FLOCK→MT).
         Reverts "impact bound" if not even one base unit can be spent within the bound.
    @param token FLOCK, or the MT to buy back.
    @param max_usdc Most USDC to spend in this execution.
    @return (USDC spent, tokens bought and burned).
    """
    roles._check_role(roles.KEEPER_ROLE)
    reserve: uint256 = self.buyback_reserve[token]
    assert reserve > 0, "empty reserve"
    budget: uint256 = min(reserve, max_usdc)
    assert budget > 0, "zero amount"

    path: DynArray[address, 4] = [USDC, FLOCK]
    pairs: DynArray[address, 2] = [self._pair(USDC, FLOCK)]
    if token != FLOCK:
        path.append(token)
        pairs.append(self._pair(FLOCK, token))

    prices: DynArray[uint256, 2] = []
    reserves: DynArray[uint256, 4] = []
    held_in: DynArray[uint256, 2] = []
    for i: uint256 in range(2):
        if i >= len(pairs):
            break
        prices.append(self._twap(pairs[i], path[i]))
        r_in: uint256 = 0
        r_out: uint256 = 0
        r_in, r_out = self._reserves(pairs[i], path[i])
        reserves.append(r_in)
        reserves.append(r_out)
        held_in.append(staticcall IERC20(path[i]).balanceOf(pairs[i]))
    for pair: address in pairs:
        self._poke(pair)

    bound: uint256 = self.impact_bound_bps
    spend: uint256 = budget
    if not self._within(spend, reserves, held_in, prices, bound):
        spend = self._largest_within_bound(budget, reserves, held_in, prices, bound)
    assert spend > 0, "impact bound"
    min_out: uint256 = self._min_out(spend, prices, bound)

    self.buyback_reserve[token] = reserve - spend
    self.total_reserved -= spend
    assert extcall IERC20(USDC).approve(DEX_ROUTER, spend, default_return_value=True), "approve failed"
    # burn what actually arrived, not what the router reports (tokens donated to this
    # contract are never counted)
    before: uint256 = staticcall IERC20(token).balanceOf(self)
    extcall IUniswapV2Router(DEX_ROUTER).swapExactTokensForTokens(
        spend, min_out, path, self, block.timestamp
    )
    bought: uint256 = staticcall IERC20(token).balanceOf(self) - before
    assert bought >= min_out, "impact bound"
    extcall IBurnableERC20(token).burn(bought)
    log BuybackExecuted(
        token=token,
        usdc_in=spend,
        amount_out=bought,
        min_out=min_out,
        reserve_left=reserve - spend,
        keeper=msg.sender,
    )
    log Burned(token=token, amount=bought)
    return spend, bought


@view
@external
def reference_prices(token: address) -> DynArray[uint256, 2]:
    """
    @notice The TWAP prices a buyback of `token` would be checked against now, one per hop:
            UQ112x112 FLOCK per USDC, then (for an MT) MT per FLOCK, in base units.
    @dev Reverts "twap not ready" until an observation at least `twap_window` old exists.
    @param token FLOCK, or an MT.
    @return The per-hop reference prices, UQ112x112.
    """
    prices: DynArray[uint256, 2] = [self._twap(self._pair(USDC, FLOCK), USDC)]
    if token != FLOCK:
        prices.append(self._twap(self._pair(FLOCK, token), FLOCK))
    return prices


# -- parameters ----------------------------------------------------------------------------


@external
def set_impact_bound(new_bps: uint256):
    """
    @notice Set the largest price impact one buyback may have: on each hop's spot price, and
            on its execution price against the TWAP reference.
    @dev Admin only. Bounded to [10, 1000] bps.
    @param new_bps Basis points.
    """
    roles._check_admin()
    assert new_bps >= MIN_IMPACT_BPS and new_bps <= MAX_IMPACT_BPS, "bound out of range"
    log ImpactBoundUpdated(old_bps=self.impact_bound_bps, new_bps=new_bps)
    self.impact_bound_bps = new_bps


@external
def set_twap_window(new_window: uint256):
    """
    @notice Set the minimum TWAP averaging window (and spacing between observations).
    @dev Admin only. Bounded to [5 minutes, 1 day].
    @param new_window Seconds.
    """
    roles._check_admin()
    assert new_window >= MIN_TWAP_WINDOW and new_window <= MAX_TWAP_WINDOW, "window out of range"
    log TwapWindowUpdated(old_window=self.twap_window, new_window=new_window)
    self.twap_window = new_window


@external
def set_treasury(new_treasury: address):
    """
    @notice Set the receiver of the treasury share. Admin only.
    @param new_treasury The treasury address.
    """
    roles._check_admin()
    assert new_treasury != empty(address), "zero address"
    log TreasuryUpdated(old_treasury=self.treasury, new_treasury=new_treasury)
    self.treasury = new_treasury
