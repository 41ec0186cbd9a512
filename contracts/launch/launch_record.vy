# pragma version ~=0.4.3
"""
@title launch_record
@license AGPL-3.0-only
@notice A launch's record as the Launchpad returns it (`Launch`) and as it stores it (`Packed`,
        6 slots instead of 19), with the pure functions that pack and unpack the words. A buy
        reads 5 of the slots and writes 1 (`fill`).
"""

SALE_DURATION: constant(uint256) = 7 * 86400
MASK128: constant(uint256) = 2**128 - 1
MASK160: constant(uint256) = 2**160 - 1


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


# Storage layout of a launch (bit ranges, low bit first). Every field's bound is below its
# width: raises <= MAX_RAISE_CAP < 2**87, sold <= SALE_SUPPLY < 2**79, x0 < 2**100 and
# y0 < 2**109 for any registrable model type, bps <= 10000 < 2**16, a timestamp < 2**40
# (checked), LP tokens <= sqrt(lp_flock * LP_SUPPLY) < 2**96 (checked).
struct Packed:
    head: uint256    # creator 0-159 | sale_start 160-199 | base fee 200-215 | creator fee 216-231
                     # | tax start 232-247 | graduated 248
    fill: uint256    # raised 0-127 | sold 128-255 (the only slot a buy writes)
    curve: uint256   # x0 0-127 | y0 128-255
    raises: uint256  # min_raise 0-127 | max_raise 128-255
    shares: uint256  # lp_bps 0-15 | reserved_bps 16-31 | payees_id 32-95 | LP tokens 96-191
    model_type_id: bytes32
# A graduated launch's pair is not stored: it is the factory's pair of (token, FLOCK), which a
# factory never changes once created.


@internal
@pure
def lo(word: uint256) -> uint256:
    return word & MASK128


@internal
@pure
def hi(word: uint256) -> uint256:
    return word >> 128


@internal
@pure
def pack_head(l: Launch) -> uint256:
    graduated: uint256 = 0
    if l.graduated:
        graduated = 1
    return (
        convert(l.creator, uint256)
        | (l.sale_start << 160)
        | (l.base_fee_bps << 200)
        | (l.creator_fee_bps << 216)
        | (l.tax_start_bps << 232)
        | (graduated << 248)
    )


@internal
@pure
def unpack_head(l: Launch, head: uint256) -> Launch:
    r: Launch = l
    r.creator = convert(convert(head & MASK160, uint160), address)
    r.sale_start = (head >> 160) & (2**40 - 1)
    r.sale_end = r.sale_start + SALE_DURATION
    r.base_fee_bps = (head >> 200) & 65535
    r.creator_fee_bps = (head >> 216) & 65535
    r.tax_start_bps = (head >> 232) & 65535
    r.graduated = (head >> 248) & 1 == 1
    return r
