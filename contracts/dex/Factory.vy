# pragma version ~=0.4.3
"""
@title Factory
@license AGPL-3.0-only
@notice Creates one Pair per unordered token pair, with the Uniswap V2 factory interface.
        The constructor deploys one Pair implementation from the blueprint; every pair is an
        EIP-1167 minimal proxy to it, created with CREATE2, salt = keccak256(token0 ++ token1)
        (packed, sorted). The proxy's init code is identical for every pair
        (`PAIR_INIT_CODE_HASH`), so a pair's address is a pure function of (factory, token0,
        token1, init code hash) exactly as in Uniswap V2. A proxy costs ~0.1 M gas to create
        where a full Pair costs ~2.3 M (docs/benchmarks.md); each call through it pays a
        DELEGATECALL and two storage reads for its tokens (docs/decisions.md).
        `createPair` gives the new pair its tokens with `Pair.initialize` (factory only, once).
        `feeToSetter` changes are two-step (`setFeeToSetter` proposes, `acceptFeeToSetter`
        completes), unlike Uniswap V2's single step.
"""

from contracts.interfaces import IUniswapV2Factory

implements: IUniswapV2Factory


interface IPairInit:
    def initialize(t0: address, t1: address): nonpayable


event FeeToUpdated:
    old_fee_to: indexed(address)
    new_fee_to: indexed(address)


event FeeToSetterProposed:
    current: indexed(address)
    proposed: indexed(address)


event FeeToSetterUpdated:
    old_setter: indexed(address)
    new_setter: indexed(address)


PAIR_BLUEPRINT: public(immutable(address))
# The one full Pair every pair delegates to (deployed by this factory, so its `factory` is us).
PAIR_IMPLEMENTATION: public(immutable(address))

feeTo: public(address)
feeToSetter: public(address)
pendingFeeToSetter: public(address)

# token0 -> token1 -> pair, sorted key only (one slot per pair; `getPair` sorts its arguments).
_pairs: HashMap[address, HashMap[address, address]]
_all_pairs: HashMap[uint256, address]
allPairsLength: public(uint256)


@deploy
def __init__(pair_blueprint: address, fee_to_setter: address):
    """
    @notice Deploy the factory.
    @param pair_blueprint Blueprint (EIP-5202) of contracts/dex/Pair.vy.
    @param fee_to_setter Account allowed to switch the protocol fee on/off.
    """
    assert pair_blueprint.is_contract, "bad blueprint"
    assert fee_to_setter != empty(address), "ZERO_ADDRESS"
    PAIR_BLUEPRINT = pair_blueprint
    PAIR_IMPLEMENTATION = create_from_blueprint(pair_blueprint)
    self.feeToSetter = fee_to_setter


@view
@external
def getPair(tokenA: address, tokenB: address) -> address:
    """
    @notice The pair of tokenA/tokenB, in either order (empty if none).
    @dev Stored once under the sorted key (Uniswap V2 stores both orders: one slot less here).
    @param tokenA One token.
    @param tokenB The other token.
    @return The pair address.
    """
    if convert(tokenB, uint160) < convert(tokenA, uint160):
        return self._pairs[tokenB][tokenA]
    return self._pairs[tokenA][tokenB]


@view
@external
def allPairs(index: uint256) -> address:
    """
    @notice The `index`-th pair ever created (0-based).
    @param index Position in creation order; must be < allPairsLength.
    @return The pair address.
    """
    assert index < self.allPairsLength, "INDEX_OUT_OF_RANGE"
    return self._all_pairs[index]


@view
@external
def PAIR_INIT_CODE_HASH() -> bytes32:
    """
    @notice keccak256 of every pair's CREATE2 init code (the EIP-1167 proxy creation code for
            `PAIR_IMPLEMENTATION`), for computing pair addresses off-chain.
    """
    return keccak256(
        concat(
            x"602d3d8160093d39f3363d3d373d3d3d363d73",
            convert(PAIR_IMPLEMENTATION, bytes20),
            x"5af43d82803e903d91602b57fd5bf3",
        )
    )


@external
def createPair(tokenA: address, tokenB: address) -> address:
    """
    @notice Create the pair for tokenA/tokenB (any order). Anyone may call.
    @param tokenA One token.
    @param tokenB The other token.
    @return pair The new pair's address.
    """
    assert tokenA != tokenB, "IDENTICAL_ADDRESSES"
    token0: address = tokenA
    token1: address = tokenB
    if convert(tokenB, uint160) < convert(tokenA, uint160):
        token0 = tokenB
        token1 = tokenA
    assert token0 != empty(address), "ZERO_ADDRESS"
    assert self._pairs[token0][token1] == empty(address), "PAIR_EXISTS"

    salt: bytes32 = keccak256(concat(convert(token0, bytes20), convert(token1, bytes20)))
    pair: address = create_minimal_proxy_to(PAIR_IMPLEMENTATION, salt=salt)
    extcall IPairInit(pair).initialize(token0, token1)

    self._pairs[token0][token1] = pair
    index: uint256 = self.allPairsLength
    self._all_pairs[index] = pair
    self.allPairsLength = index + 1
    log IUniswapV2Factory.PairCreated(token0=token0, token1=token1, pair=pair, allPairsLength=index + 1)
    return pair


@external
def setFeeTo(fee_to: address):
    """
    @notice Turn the protocol fee (1/6 of LP fees) on (non-zero receiver) or off (zero).
    @param fee_to Receiver of protocol-fee LP tokens, or empty(address) to switch it off.
    """
    assert msg.sender == self.feeToSetter, "FORBIDDEN"
    log FeeToUpdated(old_fee_to=self.feeTo, new_fee_to=fee_to)
    self.feeTo = fee_to


@external
def setFeeToSetter(new_setter: address):
    """
    @notice Propose a new feeToSetter; it takes over once it calls `acceptFeeToSetter`.
    @param new_setter The proposed setter (empty(address) cancels a proposal).
    """
    assert msg.sender == self.feeToSetter, "FORBIDDEN"
    self.pendingFeeToSetter = new_setter
    log FeeToSetterProposed(current=msg.sender, proposed=new_setter)


@external
def acceptFeeToSetter():
    """
    @notice Complete a feeToSetter change; only the proposed account may call.
    """
    pending: address = self.pendingFeeToSetter
    assert pending != empty(address) and msg.sender == pending, "FORBIDDEN"
    log FeeToSetterUpdated(old_setter=self.feeToSetter, new_setter=pending)
    self.feeToSetter = pending
    self.pendingFeeToSetter = empty(address)
