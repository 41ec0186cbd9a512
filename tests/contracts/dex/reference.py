"""Pure-Python reference of Uniswap V2's math, written from the V2 whitepaper/library formulas.

The contract tests compare the Vyper DEX against these to the wei.
"""

from __future__ import annotations

from math import isqrt

from eth_utils import keccak

MINIMUM_LIQUIDITY = 1000
Q112 = 2**112


def quote(amount_a: int, reserve_a: int, reserve_b: int) -> int:
    assert amount_a > 0 and reserve_a > 0 and reserve_b > 0
    return amount_a * reserve_b // reserve_a


def get_amount_out(
    amount_in: int, reserve_in: int, reserve_out: int, *, zero_ok: bool = False
) -> int:
    """``zero_ok``: an input of 0 buys 0 instead of failing — for tests that model a multi-hop
    route whose earlier hop rounded down to nothing (the contracts themselves refuse 0)."""
    assert (amount_in > 0 or (zero_ok and amount_in == 0)) and reserve_in > 0 and reserve_out > 0
    with_fee = amount_in * 997
    return with_fee * reserve_out // (reserve_in * 1000 + with_fee)


def get_amount_in(amount_out: int, reserve_in: int, reserve_out: int) -> int:
    assert amount_out > 0 and reserve_in > 0 and reserve_out > amount_out
    return reserve_in * amount_out * 1000 // ((reserve_out - amount_out) * 997) + 1


def first_mint_liquidity(amount0: int, amount1: int) -> int:
    return isqrt(amount0 * amount1) - MINIMUM_LIQUIDITY


def protocol_fee_liquidity(total_supply: int, k: int, k_last: int) -> int:
    root_k, root_k_last = isqrt(k), isqrt(k_last)
    if root_k <= root_k_last:
        return 0
    return total_supply * (root_k - root_k_last) // (root_k * 5 + root_k_last)


def sort_tokens(a: str, b: str) -> tuple[str, str]:
    return (a, b) if int(a, 16) < int(b, 16) else (b, a)


def create2_pair_address(factory: str, token_a: str, token_b: str, init_code: bytes) -> str:
    """Uniswap V2's pairFor: CREATE2(factory, keccak(token0 ++ token1), keccak(init code))."""
    t0, t1 = sort_tokens(token_a, token_b)
    salt = keccak(bytes.fromhex(t0[2:]) + bytes.fromhex(t1[2:]))
    digest = keccak(b"\xff" + bytes.fromhex(factory[2:]) + salt + keccak(init_code))
    return "0x" + digest[12:].hex()
