"""Router quotes: quote/getAmountOut/getAmountIn/getAmountsOut/In equal Uniswap V2's formulas."""

from __future__ import annotations

from typing import Any

import boa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .reference import get_amount_in, get_amount_out, quote

reserves = st.integers(min_value=1, max_value=2**112 - 1)
amounts = st.integers(min_value=1, max_value=2**112 - 1)


@settings(max_examples=150)
@given(amount_in=amounts, reserve_in=reserves, reserve_out=reserves)
def test_get_amount_out_differential(
    router: Any, amount_in: int, reserve_in: int, reserve_out: int
) -> None:
    assert router.getAmountOut(amount_in, reserve_in, reserve_out) == get_amount_out(
        amount_in, reserve_in, reserve_out
    )


@settings(max_examples=150)
@given(
    reserve_in=reserves, reserve_out=st.integers(min_value=2, max_value=2**112 - 1), data=st.data()
)
def test_get_amount_in_differential(
    router: Any, reserve_in: int, reserve_out: int, data: st.DataObject
) -> None:
    amount_out = data.draw(st.integers(min_value=1, max_value=reserve_out - 1))
    amount_in = router.getAmountIn(amount_out, reserve_in, reserve_out)
    assert amount_in == get_amount_in(amount_out, reserve_in, reserve_out)
    # paying getAmountIn always buys at least amount_out (the pool never loses to rounding)
    assert get_amount_out(amount_in, reserve_in, reserve_out) >= amount_out


@settings(max_examples=100)
@given(amount=amounts, reserve_a=reserves, reserve_b=reserves)
def test_quote_differential(router: Any, amount: int, reserve_a: int, reserve_b: int) -> None:
    assert router.quote(amount, reserve_a, reserve_b) == quote(amount, reserve_a, reserve_b)


def test_known_values(router: Any) -> None:
    # Uniswap V2 docs example style: 1 in, reserves 100/100 -> 0.987158034397061298 out
    assert router.getAmountOut(10**18, 100 * 10**18, 100 * 10**18) == 987158034397061298
    assert router.getAmountIn(987158034397061298, 100 * 10**18, 100 * 10**18) == 10**18
    assert router.quote(2, 4, 6) == 3


def test_quote_reverts(router: Any) -> None:
    with boa.reverts("INSUFFICIENT_AMOUNT"):
        router.quote(0, 1, 1)
    with boa.reverts("INSUFFICIENT_LIQUIDITY"):
        router.quote(1, 0, 1)
    with boa.reverts("INSUFFICIENT_LIQUIDITY"):
        router.quote(1, 1, 0)


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        ((0, 1, 1), "INSUFFICIENT_INPUT_AMOUNT"),
        ((1, 0, 1), "INSUFFICIENT_LIQUIDITY"),
        ((1, 1, 0), "INSUFFICIENT_LIQUIDITY"),
    ],
)
def test_get_amount_out_reverts(router: Any, args: tuple[int, int, int], reason: str) -> None:
    with boa.reverts(reason):
        router.getAmountOut(*args)


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        ((0, 1, 1), "INSUFFICIENT_OUTPUT_AMOUNT"),
        ((1, 0, 2), "INSUFFICIENT_LIQUIDITY"),
        ((1, 1, 1), "INSUFFICIENT_LIQUIDITY"),
        ((2, 1, 1), "INSUFFICIENT_LIQUIDITY"),
    ],
)
def test_get_amount_in_reverts(router: Any, args: tuple[int, int, int], reason: str) -> None:
    with boa.reverts(reason):
        router.getAmountIn(*args)
