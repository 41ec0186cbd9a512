# pragma version ~=0.4.3
"""
@title Router
@license AGPL-3.0-only
@notice Uniswap V2 Router02-compatible periphery for token/token pools: liquidity, exact-in and
        exact-out multi-hop swaps (up to 3 hops), quotes with Uniswap V2's formulas, deadline
        ("EXPIRED") and slippage checks. Token-only by design: there is no WETH, no ETH entry
        points and no fee-on-transfer variants (FOMO's pools are MT/FLOCK and FLOCK/USDC).
        Holds no funds between calls: every function pulls from msg.sender straight into a pair.
"""

from ethereum.ercs import IERC20

from contracts.interfaces import IUniswapV2Factory
from contracts.interfaces import IUniswapV2Pair
from contracts.interfaces import IUniswapV2Router

implements: IUniswapV2Router


interface IPairBurn:
    def burn(to: address) -> (uint256, uint256): nonpayable
    def transferFrom(owner: address, to: address, amount: uint256) -> bool: nonpayable
    def permit(owner: address, spender: address, amount: uint256, deadline: uint256, v: uint8, r: bytes32, s: bytes32): nonpayable


MAX_PATH: constant(uint256) = 4

factory: public(immutable(address))


@deploy
def __init__(factory_: address):
    """
    @notice Deploy the router for one factory.
    @param factory_ The Factory whose pairs this router trades.
    """
    assert factory_.is_contract, "bad factory"
    factory = factory_


# ---------------------------------------------------------------- library (UniswapV2Library)


@pure
@internal
def _sort(tokenA: address, tokenB: address) -> (address, address):
    assert tokenA != tokenB, "IDENTICAL_ADDRESSES"
    if convert(tokenA, uint160) < convert(tokenB, uint160):
        assert tokenA != empty(address), "ZERO_ADDRESS"
        return tokenA, tokenB
    assert tokenB != empty(address), "ZERO_ADDRESS"
    return tokenB, tokenA


@view
@internal
def _pair_for(tokenA: address, tokenB: address) -> address:
    pair: address = staticcall IUniswapV2Factory(factory).getPair(tokenA, tokenB)
    assert pair != empty(address), "PAIR_NOT_FOUND"
    return pair


@view
@internal
def _reserves(pair: address, tokenA: address, tokenB: address) -> (uint256, uint256):
    r0: uint112 = 0
    r1: uint112 = 0
    ts: uint32 = 0
    r0, r1, ts = staticcall IUniswapV2Pair(pair).getReserves()
    token0: address = empty(address)
    token1: address = empty(address)
    token0, token1 = self._sort(tokenA, tokenB)
    if tokenA == token0:
        return convert(r0, uint256), convert(r1, uint256)
    return convert(r1, uint256), convert(r0, uint256)


@pure
@internal
def _quote(amountA: uint256, reserveA: uint256, reserveB: uint256) -> uint256:
    assert amountA > 0, "INSUFFICIENT_AMOUNT"
    assert reserveA > 0 and reserveB > 0, "INSUFFICIENT_LIQUIDITY"
    return amountA * reserveB // reserveA


@pure
@internal
def _get_amount_out(amountIn: uint256, reserveIn: uint256, reserveOut: uint256) -> uint256:
    assert amountIn > 0, "INSUFFICIENT_INPUT_AMOUNT"
    assert reserveIn > 0 and reserveOut > 0, "INSUFFICIENT_LIQUIDITY"
    amount_in_with_fee: uint256 = amountIn * 997
    return amount_in_with_fee * reserveOut // (reserveIn * 1000 + amount_in_with_fee)


@pure
@internal
def _get_amount_in(amountOut: uint256, reserveIn: uint256, reserveOut: uint256) -> uint256:
    assert amountOut > 0, "INSUFFICIENT_OUTPUT_AMOUNT"
    assert reserveIn > 0 and reserveOut > amountOut, "INSUFFICIENT_LIQUIDITY"
    # +1 rounds the required input up, in the pool's favour
    return reserveIn * amountOut * 1000 // ((reserveOut - amountOut) * 997) + 1


@view
@internal
def _pairs(path: DynArray[address, MAX_PATH]) -> DynArray[address, MAX_PATH]:
    assert len(path) >= 2, "INVALID_PATH"
    pairs: DynArray[address, MAX_PATH] = []
    for i: uint256 in range(MAX_PATH - 1):
        if i + 1 >= len(path):
            break
        pairs.append(self._pair_for(path[i], path[i + 1]))
    return pairs


@view
@internal
def _amounts_out(
    amountIn: uint256, path: DynArray[address, MAX_PATH], pairs: DynArray[address, MAX_PATH]
) -> DynArray[uint256, MAX_PATH]:
    amounts: DynArray[uint256, MAX_PATH] = [amountIn]
    for i: uint256 in range(MAX_PATH - 1):
        if i >= len(pairs):
            break
        reserve_in: uint256 = 0
        reserve_out: uint256 = 0
        reserve_in, reserve_out = self._reserves(pairs[i], path[i], path[i + 1])
        amounts.append(self._get_amount_out(amounts[i], reserve_in, reserve_out))
    return amounts


@view
@internal
def _amounts_in(
    amountOut: uint256, path: DynArray[address, MAX_PATH], pairs: DynArray[address, MAX_PATH]
) -> DynArray[uint256, MAX_PATH]:
    n: uint256 = len(path)
    amounts: DynArray[uint256, MAX_PATH] = []
    for i: uint256 in range(MAX_PATH):
        if i >= n:
            break
        amounts.append(0)
    amounts[n - 1] = amountOut
    for j: uint256 in range(MAX_PATH - 1):
        if j >= n - 1:
            break
        i: uint256 = n - 1 - j
        reserve_in: uint256 = 0
        reserve_out: uint256 = 0
        reserve_in, reserve_out = self._reserves(pairs[i - 1], path[i - 1], path[i])
        amounts[i - 1] = self._get_amount_in(amounts[i], reserve_in, reserve_out)
    return amounts


# ---------------------------------------------------------------- quotes


@pure
@external
def quote(amountA: uint256, reserveA: uint256, reserveB: uint256) -> uint256:
    """
    @notice Amount of B worth `amountA` of A at the reserve ratio (no fee): amountA*rB/rA.
    @param amountA Amount of token A.
    @param reserveA Reserve of token A.
    @param reserveB Reserve of token B.
    @return amountB
    """
    return self._quote(amountA, reserveA, reserveB)


@pure
@external
def getAmountOut(amountIn: uint256, reserveIn: uint256, reserveOut: uint256) -> uint256:
    """
    @notice Output of one hop for an exact input, after the 0.30% fee, rounded down.
    @param amountIn Exact input amount.
    @param reserveIn Reserve of the input token.
    @param reserveOut Reserve of the output token.
    @return amountOut
    """
    return self._get_amount_out(amountIn, reserveIn, reserveOut)


@pure
@external
def getAmountIn(amountOut: uint256, reserveIn: uint256, reserveOut: uint256) -> uint256:
    """
    @notice Input one hop needs for an exact output, after the 0.30% fee, rounded up.
    @param amountOut Exact output amount (< reserveOut).
    @param reserveIn Reserve of the input token.
    @param reserveOut Reserve of the output token.
    @return amountIn
    """
    return self._get_amount_in(amountOut, reserveIn, reserveOut)


@view
@external
def getAmountsOut(amountIn: uint256, path: DynArray[address, MAX_PATH]) -> DynArray[uint256, MAX_PATH]:
    """
    @notice Amounts along `path` for an exact input; amounts[0] == amountIn.
    @param amountIn Exact input of path[0].
    @param path Tokens from input to output (2 to 4 entries).
    @return amounts One per path entry.
    """
    return self._amounts_out(amountIn, path, self._pairs(path))


@view
@external
def getAmountsIn(amountOut: uint256, path: DynArray[address, MAX_PATH]) -> DynArray[uint256, MAX_PATH]:
    """
    @notice Amounts along `path` for an exact output; the last entry == amountOut.
    @param amountOut Exact output of the last path token.
    @param path Tokens from input to output (2 to 4 entries).
    @return amounts One per path entry.
    """
    return self._amounts_in(amountOut, path, self._pairs(path))


# ---------------------------------------------------------------- liquidity


@internal
def _ensure(deadline: uint256):
    assert deadline >= block.timestamp, "EXPIRED"


@internal
def _transfer_from(token: address, owner: address, to: address, amount: uint256):
    assert extcall IERC20(token).transferFrom(owner, to, amount, default_return_value=True), "TRANSFER_FROM_FAILED"


@external
def addLiquidity(
    tokenA: address,
    tokenB: address,
    amountADesired: uint256,
    amountBDesired: uint256,
    amountAMin: uint256,
    amountBMin: uint256,
    to: address,
    deadline: uint256,
) -> (uint256, uint256, uint256):
    """
    @notice Add liquidity at the current ratio (creating the pair if needed), pulling at most the
            desired amounts from msg.sender and at least the minimums.
    @param tokenA One token.
    @param tokenB The other token.
    @param amountADesired Most A to add.
    @param amountBDesired Most B to add.
    @param amountAMin Least A to add (slippage bound).
    @param amountBMin Least B to add (slippage bound).
    @param to Receiver of the LP tokens.
    @param deadline Latest block timestamp.
    @return amountA, amountB, liquidity
    """
    self._ensure(deadline)
    pair: address = staticcall IUniswapV2Factory(factory).getPair(tokenA, tokenB)
    if pair == empty(address):
        pair = extcall IUniswapV2Factory(factory).createPair(tokenA, tokenB)
    reserve_a: uint256 = 0
    reserve_b: uint256 = 0
    reserve_a, reserve_b = self._reserves(pair, tokenA, tokenB)

    amount_a: uint256 = amountADesired
    amount_b: uint256 = amountBDesired
    if reserve_a != 0 or reserve_b != 0:
        b_optimal: uint256 = self._quote(amountADesired, reserve_a, reserve_b)
        if b_optimal <= amountBDesired:
            assert b_optimal >= amountBMin, "INSUFFICIENT_B_AMOUNT"
            amount_b = b_optimal
        else:
            a_optimal: uint256 = self._quote(amountBDesired, reserve_b, reserve_a)
            assert a_optimal <= amountADesired, "INSUFFICIENT_A_AMOUNT"
            assert a_optimal >= amountAMin, "INSUFFICIENT_A_AMOUNT"
            amount_a = a_optimal

    self._transfer_from(tokenA, msg.sender, pair, amount_a)
    self._transfer_from(tokenB, msg.sender, pair, amount_b)
    liquidity: uint256 = extcall IUniswapV2Pair(pair).mint(to)
    return amount_a, amount_b, liquidity


@internal
def _remove_liquidity(
    tokenA: address,
    tokenB: address,
    pair: address,
    liquidity: uint256,
    amountAMin: uint256,
    amountBMin: uint256,
    to: address,
) -> (uint256, uint256):
    assert extcall IPairBurn(pair).transferFrom(msg.sender, pair, liquidity), "TRANSFER_FROM_FAILED"
    amount0: uint256 = 0
    amount1: uint256 = 0
    amount0, amount1 = extcall IPairBurn(pair).burn(to)
    token0: address = empty(address)
    token1: address = empty(address)
    token0, token1 = self._sort(tokenA, tokenB)
    amount_a: uint256 = amount0
    amount_b: uint256 = amount1
    if tokenA != token0:
        amount_a = amount1
        amount_b = amount0
    assert amount_a >= amountAMin, "INSUFFICIENT_A_AMOUNT"
    assert amount_b >= amountBMin, "INSUFFICIENT_B_AMOUNT"
    return amount_a, amount_b


@external
def removeLiquidity(
    tokenA: address,
    tokenB: address,
    liquidity: uint256,
    amountAMin: uint256,
    amountBMin: uint256,
    to: address,
    deadline: uint256,
) -> (uint256, uint256):
    """
    @notice Burn `liquidity` LP tokens of msg.sender (approved to the router) for both tokens.
    @param tokenA One token.
    @param tokenB The other token.
    @param liquidity LP tokens to burn.
    @param amountAMin Least A to receive (slippage bound).
    @param amountBMin Least B to receive (slippage bound).
    @param to Receiver of the tokens.
    @param deadline Latest block timestamp.
    @return amountA, amountB
    """
    self._ensure(deadline)
    return self._remove_liquidity(
        tokenA, tokenB, self._pair_for(tokenA, tokenB), liquidity, amountAMin, amountBMin, to
    )


@external
def removeLiquidityWithPermit(
    tokenA: address,
    tokenB: address,
    liquidity: uint256,
    amountAMin: uint256,
    amountBMin: uint256,
    to: address,
    deadline: uint256,
    approveMax: bool,
    v: uint8,
    r: bytes32,
    s: bytes32,
) -> (uint256, uint256):
    """
    @notice `removeLiquidity` with an EIP-2612 permit for the LP tokens in the same call.
    @param tokenA One token.
    @param tokenB The other token.
    @param liquidity LP tokens to burn.
    @param amountAMin Least A to receive.
    @param amountBMin Least B to receive.
    @param to Receiver of the tokens.
    @param deadline Latest block timestamp (also the permit deadline).
    @param approveMax Whether the permit was signed for max_value(uint256) instead of `liquidity`.
    @param v Permit signature v.
    @param r Permit signature r.
    @param s Permit signature s.
    @return amountA, amountB
    """
    self._ensure(deadline)
    pair: address = self._pair_for(tokenA, tokenB)
    value: uint256 = liquidity
    if approveMax:
        value = max_value(uint256)
    extcall IPairBurn(pair).permit(msg.sender, self, value, deadline, v, r, s)
    return self._remove_liquidity(tokenA, tokenB, pair, liquidity, amountAMin, amountBMin, to)


# ---------------------------------------------------------------- swaps


@internal
def _swap(
    amounts: DynArray[uint256, MAX_PATH],
    path: DynArray[address, MAX_PATH],
    pairs: DynArray[address, MAX_PATH],
    to: address,
):
    # each pair sends its output straight into the next pair; the last one pays `to`
    n: uint256 = len(pairs)
    for i: uint256 in range(MAX_PATH - 1):
        if i >= n:
            break
        token0: address = empty(address)
        token1: address = empty(address)
        token0, token1 = self._sort(path[i], path[i + 1])
        amount_out: uint256 = amounts[i + 1]
        amount0_out: uint256 = 0
        amount1_out: uint256 = amount_out
        if path[i] != token0:
            amount0_out = amount_out
            amount1_out = 0
        receiver: address = to
        if i + 1 < n:
            receiver = pairs[i + 1]
        extcall IUniswapV2Pair(pairs[i]).swap(amount0_out, amount1_out, receiver, b"")


@external
def swapExactTokensForTokens(
    amountIn: uint256,
    amountOutMin: uint256,
    path: DynArray[address, MAX_PATH],
    to: address,
    deadline: uint256,
) -> DynArray[uint256, MAX_PATH]:
    """
    @notice Swap exactly `amountIn` of path[0] for as much of the last token as possible.
    @param amountIn Exact input, pulled from msg.sender (approved to the router).
    @param amountOutMin Least output accepted (slippage bound).
    @param path Tokens from input to output (2 to 4 entries).
    @param to Receiver of the output.
    @param deadline Latest block timestamp.
    @return amounts One per path entry.
    """
    self._ensure(deadline)
    pairs: DynArray[address, MAX_PATH] = self._pairs(path)
    amounts: DynArray[uint256, MAX_PATH] = self._amounts_out(amountIn, path, pairs)
    assert amounts[len(amounts) - 1] >= amountOutMin, "INSUFFICIENT_OUTPUT_AMOUNT"
    self._transfer_from(path[0], msg.sender, pairs[0], amounts[0])
    self._swap(amounts, path, pairs, to)
    return amounts


@external
def swapTokensForExactTokens(
    amountOut: uint256,
    amountInMax: uint256,
    path: DynArray[address, MAX_PATH],
    to: address,
    deadline: uint256,
) -> DynArray[uint256, MAX_PATH]:
    """
    @notice Receive exactly `amountOut` of the last token for as little of path[0] as possible.
    @param amountOut Exact output.
    @param amountInMax Most input accepted (slippage bound).
    @param path Tokens from input to output (2 to 4 entries).
    @param to Receiver of the output.
    @param deadline Latest block timestamp.
    @return amounts One per path entry.
    """
    self._ensure(deadline)
    pairs: DynArray[address, MAX_PATH] = self._pairs(path)
    amounts: DynArray[uint256, MAX_PATH] = self._amounts_in(amountOut, path, pairs)
    assert amounts[0] <= amountInMax, "EXCESSIVE_INPUT_AMOUNT"
    self._transfer_from(path[0], msg.sender, pairs[0], amounts[0])
    self._swap(amounts, path, pairs, to)
    return amounts
