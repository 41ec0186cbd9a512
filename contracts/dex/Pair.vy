# pragma version ~=0.4.3
"""
@title Pair
@license AGPL-3.0-only
@notice Constant-product pool of two ERC-20 tokens with the Uniswap V2 pair interface: the pool
        share is an ERC-20 (+ EIP-2612 permit, snekmate `erc20`), swaps charge 0.30% to liquidity
        providers, and UQ112x112 price accumulators give manipulation-resistant TWAPs.
        Invariant: after every call reserve0 * reserve1 never decreases except through `burn`,
        and the stored reserves equal the pair's token balances (modulo donations, which `sync`
        adopts or `skim` returns).
        The Factory deploys one implementation of this contract (from a blueprint) and every
        pair is an EIP-1167 minimal proxy to it, created with CREATE2 (the init code is the same
        for every pair) and given its tokens once by `initialize`. The implementation's
        immutables (`factory`, the LP token's name and EIP-712 fields) are shared by every
        proxy; the tokens are per-pair storage. The implementation itself is never initialized
        and holds nothing.
"""

from ethereum.ercs import IERC20

from contracts.interfaces import IUniswapV2Pair

implements: IUniswapV2Pair

from snekmate.auth import ownable
from snekmate.tokens import erc20

initializes: ownable
initializes: erc20[ownable := ownable]

exports: (
    erc20.name,
    erc20.symbol,
    erc20.decimals,
    erc20.totalSupply,
    erc20.balanceOf,
    erc20.allowance,
    erc20.approve,
    erc20.transfer,
    erc20.transferFrom,
    erc20.permit,
    erc20.nonces,
    erc20.DOMAIN_SEPARATOR,
)


interface IPairDeployer:
    def feeTo() -> address: view


interface IUniswapV2Callee:
    def uniswapV2Call(sender: address, amount0: uint256, amount1: uint256, data: Bytes[1024]): nonpayable


event Mint:
    sender: indexed(address)
    amount0: uint256
    amount1: uint256


event Burn:
    sender: indexed(address)
    amount0: uint256
    amount1: uint256
    to: indexed(address)


event Swap:
    sender: indexed(address)
    amount0In: uint256
    amount1In: uint256
    amount0Out: uint256
    amount1Out: uint256
    to: indexed(address)


event Sync:
    reserve0: uint112
    reserve1: uint112


MINIMUM_LIQUIDITY: public(constant(uint256)) = 10**3
# snekmate refuses to mint to address(0), so the permanently locked first 1000 LP units go to
# the conventional dead address instead (Uniswap V2 mints them to address(0)).
DEAD: public(constant(address)) = 0x000000000000000000000000000000000000dEaD
PERMIT_TYPEHASH: public(constant(bytes32)) = keccak256(
    "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
)

_MASK112: constant(uint256) = 2**112 - 1
_Q112: constant(uint256) = 2**112

# The Factory that deployed the implementation: the only account that may `initialize` a pair.
factory: public(immutable(address))
token0: public(address)
token1: public(address)

# reserve0 (bits 0-111) | reserve1 (bits 112-223) | blockTimestampLast (bits 224-255): one slot,
# as in Uniswap V2, so a swap reads and writes the reserves with one SLOAD and one SSTORE.
_slot0: uint256

price0CumulativeLast: public(uint256)
price1CumulativeLast: public(uint256)
# reserve0 * reserve1 right after the last liquidity event, only while the protocol fee is on
kLast: public(uint256)


@deploy
def __init__():
    ownable.__init__()
    erc20.__init__("FOMO DEX LP", "FLP", 18, "FOMO DEX LP", "1")
    factory = msg.sender


@external
def initialize(t0: address, t1: address):
    """
    @notice Give a freshly created pair proxy its tokens. Factory only, once per pair.
    @dev The Factory calls this in `createPair`, in the transaction that creates the proxy,
         so no one else can ever set a pair's tokens.
    @param t0 The lower token address.
    @param t1 The higher token address.
    """
    assert msg.sender == factory, "FORBIDDEN"
    assert self.token0 == empty(address), "ALREADY_INITIALIZED"
    assert t0 != empty(address) and t1 != empty(address), "ZERO_ADDRESS"
    self.token0 = t0
    self.token1 = t1


@view
@internal
def _reserves() -> (uint256, uint256, uint256):
    s: uint256 = self._slot0
    return s & _MASK112, (s >> 112) & _MASK112, s >> 224


@view
@external
def getReserves() -> (uint112, uint112, uint32):
    """
    @notice Reserves as of the last interaction and the block timestamp (mod 2**32) of it.
    @return reserve0, reserve1, blockTimestampLast
    """
    r0: uint256 = 0
    r1: uint256 = 0
    ts: uint256 = 0
    r0, r1, ts = self._reserves()
    return convert(r0, uint112), convert(r1, uint112), convert(ts, uint32)


@internal
def _safe_transfer(token: address, to: address, amount: uint256):
    assert extcall IERC20(token).transfer(to, amount, default_return_value=True), "TRANSFER_FAILED"


@internal
def _update(balance0: uint256, balance1: uint256, reserve0: uint256, reserve1: uint256):
    assert balance0 <= _MASK112 and balance1 <= _MASK112, "OVERFLOW"
    now: uint256 = block.timestamp % 2**32
    last: uint256 = self._slot0 >> 224
    # uint32 wrap-around is intended: only differences of timestamps are ever used
    elapsed: uint256 = (now + 2**32 - last) % 2**32
    if elapsed > 0 and reserve0 != 0 and reserve1 != 0:
        # accumulators overflow by design; TWAP readers take differences modulo 2**256
        self.price0CumulativeLast = unsafe_add(
            self.price0CumulativeLast, (reserve1 * _Q112 // reserve0) * elapsed
        )
        self.price1CumulativeLast = unsafe_add(
            self.price1CumulativeLast, (reserve0 * _Q112 // reserve1) * elapsed
        )
    self._slot0 = balance0 | (balance1 << 112) | (now << 224)
    log Sync(reserve0=convert(balance0, uint112), reserve1=convert(balance1, uint112))


@internal
def _mint_fee(reserve0: uint256, reserve1: uint256) -> bool:
    # protocol fee = 1/6 of the growth in sqrt(k) since the last liquidity event
    fee_to: address = staticcall IPairDeployer(factory).feeTo()
    fee_on: bool = fee_to != empty(address)
    k_last: uint256 = self.kLast
    if fee_on:
        if k_last != 0:
            root_k: uint256 = isqrt(reserve0 * reserve1)
            root_k_last: uint256 = isqrt(k_last)
            if root_k > root_k_last:
                numerator: uint256 = erc20.totalSupply * (root_k - root_k_last)
                denominator: uint256 = root_k * 5 + root_k_last
                liquidity: uint256 = numerator // denominator
                if liquidity > 0:
                    erc20._mint(fee_to, liquidity)
    elif k_last != 0:
        self.kLast = 0
    return fee_on


@external
@nonreentrant
def mint(to: address) -> uint256:
    """
    @notice Mint LP tokens for the tokens sent to the pair since the last update. Meant to be
            called by a contract (the Router) in the same transaction as the transfers.
    @param to Receiver of the LP tokens.
    @return liquidity LP tokens minted to `to`.
    """
    reserve0: uint256 = 0
    reserve1: uint256 = 0
    ts: uint256 = 0
    reserve0, reserve1, ts = self._reserves()
    balance0: uint256 = staticcall IERC20(self.token0).balanceOf(self)
    balance1: uint256 = staticcall IERC20(self.token1).balanceOf(self)
    amount0: uint256 = balance0 - reserve0
    amount1: uint256 = balance1 - reserve1

    fee_on: bool = self._mint_fee(reserve0, reserve1)
    total: uint256 = erc20.totalSupply
    liquidity: uint256 = 0
    if total == 0:
        root: uint256 = isqrt(amount0 * amount1)
        assert root > MINIMUM_LIQUIDITY, "INSUFFICIENT_LIQUIDITY_MINTED"
        liquidity = root - MINIMUM_LIQUIDITY
        erc20._mint(DEAD, MINIMUM_LIQUIDITY)
    else:
        liquidity = min(amount0 * total // reserve0, amount1 * total // reserve1)
    assert liquidity > 0, "INSUFFICIENT_LIQUIDITY_MINTED"
    erc20._mint(to, liquidity)

    self._update(balance0, balance1, reserve0, reserve1)
    if fee_on:
        self.kLast = balance0 * balance1
    log Mint(sender=msg.sender, amount0=amount0, amount1=amount1)
    return liquidity


@external
@nonreentrant
def burn(to: address) -> (uint256, uint256):
    """
    @notice Burn the LP tokens held by the pair and send the pro-rata share of both reserves to
            `to`. The caller first transfers LP tokens to the pair (the Router does it).
    @param to Receiver of the underlying tokens.
    @return amount0, amount1 sent to `to`.
    """
    reserve0: uint256 = 0
    reserve1: uint256 = 0
    ts: uint256 = 0
    reserve0, reserve1, ts = self._reserves()
    balance0: uint256 = staticcall IERC20(self.token0).balanceOf(self)
    balance1: uint256 = staticcall IERC20(self.token1).balanceOf(self)
    liquidity: uint256 = erc20.balanceOf[self]

    fee_on: bool = self._mint_fee(reserve0, reserve1)
    total: uint256 = erc20.totalSupply
    # floor division: the withdrawer never gets more than the exact share
    amount0: uint256 = liquidity * balance0 // total
    amount1: uint256 = liquidity * balance1 // total
    assert amount0 > 0 and amount1 > 0, "INSUFFICIENT_LIQUIDITY_BURNED"
    erc20._burn(self, liquidity)
    self._safe_transfer(self.token0, to, amount0)
    self._safe_transfer(self.token1, to, amount1)
    balance0 = staticcall IERC20(self.token0).balanceOf(self)
    balance1 = staticcall IERC20(self.token1).balanceOf(self)

    self._update(balance0, balance1, reserve0, reserve1)
    if fee_on:
        self.kLast = balance0 * balance1
    log Burn(sender=msg.sender, amount0=amount0, amount1=amount1, to=to)
    return amount0, amount1


@external
@nonreentrant
def swap(amount0Out: uint256, amount1Out: uint256, to: address, data: Bytes[1024]):
    """
    @notice Send `amount0Out`/`amount1Out` to `to`, then require that the tokens paid in keep
            k (net of the 0.30% fee) from decreasing. With non-empty `data` this is a flash
            swap: `to.uniswapV2Call(msg.sender, amount0Out, amount1Out, data)` runs before the
            check and must pay in.
    @param amount0Out Amount of token0 out.
    @param amount1Out Amount of token1 out.
    @param to Receiver (and flash-swap callee).
    @param data Callback payload; empty for a plain swap.
    """
    assert amount0Out > 0 or amount1Out > 0, "INSUFFICIENT_OUTPUT_AMOUNT"
    reserve0: uint256 = 0
    reserve1: uint256 = 0
    ts: uint256 = 0
    reserve0, reserve1, ts = self._reserves()
    assert amount0Out < reserve0 and amount1Out < reserve1, "INSUFFICIENT_LIQUIDITY"
    assert to != self.token0 and to != self.token1, "INVALID_TO"

    if amount0Out > 0:
        self._safe_transfer(self.token0, to, amount0Out)
    if amount1Out > 0:
        self._safe_transfer(self.token1, to, amount1Out)
    if len(data) > 0:
        extcall IUniswapV2Callee(to).uniswapV2Call(msg.sender, amount0Out, amount1Out, data)
    balance0: uint256 = staticcall IERC20(self.token0).balanceOf(self)
    balance1: uint256 = staticcall IERC20(self.token1).balanceOf(self)

    amount0In: uint256 = 0
    amount1In: uint256 = 0
    if balance0 > reserve0 - amount0Out:
        amount0In = balance0 - (reserve0 - amount0Out)
    if balance1 > reserve1 - amount1Out:
        amount1In = balance1 - (reserve1 - amount1Out)
    assert amount0In > 0 or amount1In > 0, "INSUFFICIENT_INPUT_AMOUNT"
    # 0.30% of the input stays in the pool: (b0*1000 - in0*3) * (b1*1000 - in1*3) >= k * 1000**2
    adjusted0: uint256 = balance0 * 1000 - amount0In * 3
    adjusted1: uint256 = balance1 * 1000 - amount1In * 3
    assert adjusted0 * adjusted1 >= reserve0 * reserve1 * 1000**2, "K"

    self._update(balance0, balance1, reserve0, reserve1)
    log Swap(
        sender=msg.sender,
        amount0In=amount0In,
        amount1In=amount1In,
        amount0Out=amount0Out,
        amount1Out=amount1Out,
        to=to,
    )


@external
@nonreentrant
def skim(to: address):
    """
    @notice Send any balance above the reserves (donations) to `to`. Zero amounts are not
            transferred, so skimming works with a token that rejects empty transfers (e.g. a
            model token that is not yet live) when only the other side was donated.
    @param to Receiver of the excess.
    """
    reserve0: uint256 = 0
    reserve1: uint256 = 0
    ts: uint256 = 0
    reserve0, reserve1, ts = self._reserves()
    excess0: uint256 = staticcall IERC20(self.token0).balanceOf(self) - reserve0
    excess1: uint256 = staticcall IERC20(self.token1).balanceOf(self) - reserve1
    if excess0 > 0:
        self._safe_transfer(self.token0, to, excess0)
    if excess1 > 0:
        self._safe_transfer(self.token1, to, excess1)


@external
@nonreentrant
def sync():
    """
    @notice Adopt the current balances as reserves (recovers from donations or deflation).
            Reverts before the first mint: a pool without liquidity keeps zero reserves, so a
            donation to it can always be skimmed and can never set the opening price (the
            launchpad skims, then adds liquidity at the curve price, in one transaction).
    """
    assert erc20.totalSupply > 0, "NO_LIQUIDITY"
    reserve0: uint256 = 0
    reserve1: uint256 = 0
    ts: uint256 = 0
    reserve0, reserve1, ts = self._reserves()
    self._update(
        staticcall IERC20(self.token0).balanceOf(self),
        staticcall IERC20(self.token1).balanceOf(self),
        reserve0,
        reserve1,
    )
