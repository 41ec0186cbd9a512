# pragma version ~=0.4.3
"""
@title launch_names
@license AGPL-3.0-only
@notice Pure rules for a launch's Model Token name and ticker (docs/launch-lifecycle.md, mirrored
        by `fomo.launches.tickers` and tested against it): names are 1-32 printable ASCII
        characters without a leading or trailing space; tickers are 2-16 ASCII letters or
        digits, identified case-insensitively by `ticker_key`.
"""

MIN_TICKER_LEN: constant(uint256) = 2
MAX_TICKER_LEN: constant(uint256) = 16
MAX_NAME_LEN: constant(uint256) = 32


@internal
@pure
def check_name(name: String[32]):
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
def ticker_key(symbol: String[16]) -> bytes32:
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
