"""Pair price accumulators: UQ112x112, updated once per block, TWAP equals time-weighted spot."""

from __future__ import annotations

from typing import Any

import boa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import add_liquidity
from .reference import Q112, get_amount_out


def _now() -> int:
    return int(boa.env.evm.patch.timestamp)


def test_accumulators_start_at_zero_and_grow(
    pair: Any, token0: Any, token1: Any, alice: Any
) -> None:
    add_liquidity(pair, token0, token1, 3 * 10**18, 10**18, alice)
    assert (pair.price0CumulativeLast(), pair.price1CumulativeLast()) == (0, 0)
    assert pair.getReserves()[2] == _now() % 2**32
    boa.env.time_travel(seconds=100)
    pair.sync()
    assert pair.price0CumulativeLast() == (10**18 * Q112 // (3 * 10**18)) * 100
    assert pair.price1CumulativeLast() == (3 * 10**18 * Q112 // 10**18) * 100
    assert pair.getReserves()[2] == _now() % 2**32


def test_same_block_does_not_accumulate(pair: Any, token0: Any, token1: Any, alice: Any) -> None:
    add_liquidity(pair, token0, token1, 10**18, 10**18, alice)
    boa.env.time_travel(seconds=10)
    pair.sync()
    first = pair.price0CumulativeLast()
    token0.faucet(pair.address, 10**18)
    pair.sync()  # same timestamp: reserves move, the accumulator does not
    assert pair.price0CumulativeLast() == first
    boa.env.time_travel(seconds=1)
    pair.sync()
    assert pair.price0CumulativeLast() == first + (10**18 * Q112 // (2 * 10**18))


# each example runs inside its own anchor, so the module-scoped pool is never mutated
@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=7 * 86400),
            st.booleans(),
            st.integers(min_value=10**12, max_value=10**20),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_twap_equals_time_weighted_spot(
    pair: Any, token0: Any, token1: Any, alice: Any, bob: Any, steps: list[tuple[int, bool, int]]
) -> None:
    with boa.env.anchor():
        add_liquidity(pair, token0, token1, 10**20, 3 * 10**20, alice)
        start0, start1 = pair.price0CumulativeLast(), pair.price1CumulativeLast()
        weighted0 = weighted1 = elapsed = 0
        for dt, zero_for_one, amount in steps:
            r0, r1, _ = pair.getReserves()
            boa.env.time_travel(seconds=dt)
            weighted0 += (r1 * Q112 // r0) * dt
            weighted1 += (r0 * Q112 // r1) * dt
            elapsed += dt
            if zero_for_one:
                token0.faucet(pair.address, amount)
                pair.swap(0, get_amount_out(amount, r0, r1), bob, b"")
            else:
                token1.faucet(pair.address, amount)
                pair.swap(get_amount_out(amount, r1, r0), 0, bob, b"")
        assert pair.price0CumulativeLast() - start0 == weighted0
        assert pair.price1CumulativeLast() - start1 == weighted1
        # the TWAP (UQ112x112) lies between the extreme spot prices seen
        twap0 = (pair.price0CumulativeLast() - start0) // elapsed
        assert twap0 > 0
