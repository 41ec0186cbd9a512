"""Pair swap: 0.30% fee K-check to the wei, both directions, reverts, flash swaps, reentrancy."""

from __future__ import annotations

from typing import Any

import boa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import add_liquidity
from .reference import get_amount_in, get_amount_out

R0 = 5 * 10**18
R1 = 10 * 10**18


@pytest.fixture
def seeded(pair: Any, token0: Any, token1: Any, admin: Any) -> Any:
    add_liquidity(pair, token0, token1, R0, R1, admin)
    return pair


@pytest.fixture(scope="module")
def borrower() -> Any:
    return boa.load_partial("tests/contracts/dex/FlashBorrower.vy").deploy()


def _k_ok(r0: int, r1: int, in0: int, in1: int, out0: int, out1: int) -> bool:
    b0, b1 = r0 + in0 - out0, r1 + in1 - out1
    return (b0 * 1000 - in0 * 3) * (b1 * 1000 - in1 * 3) >= r0 * r1 * 1000**2


@pytest.mark.parametrize("zero_for_one", [True, False])
def test_swap_exact_quote(
    seeded: Any, token0: Any, token1: Any, bob: Any, zero_for_one: bool
) -> None:
    pair = seeded
    amount_in = 10**18
    if zero_for_one:
        out = get_amount_out(amount_in, R0, R1)
        token0.faucet(pair.address, amount_in)
        pair.swap(0, out, bob, b"")
        assert token1.balanceOf(bob) == out
        expected = (R0 + amount_in, R1 - out)
        flows = (amount_in, 0, 0, out)
    else:
        out = get_amount_out(amount_in, R1, R0)
        token1.faucet(pair.address, amount_in)
        pair.swap(out, 0, bob, b"")
        assert token0.balanceOf(bob) == out
        expected = (R0 - out, R1 + amount_in)
        flows = (0, amount_in, out, 0)
    logs = [e for e in pair.get_logs() if type(e).__name__ == "Swap"]
    assert [(e.amount0In, e.amount1In, e.amount0Out, e.amount1Out, e.to) for e in logs] == [
        (*flows, bob)
    ]
    assert pair.getReserves()[:2] == expected


@pytest.mark.parametrize("zero_for_one", [True, False])
def test_swap_one_wei_too_much_fails_k(
    seeded: Any, token0: Any, token1: Any, bob: Any, zero_for_one: bool
) -> None:
    pair = seeded
    amount_in = 10**18
    if zero_for_one:
        out = get_amount_out(amount_in, R0, R1)
        token0.faucet(pair.address, amount_in)
        with boa.reverts("K"):
            pair.swap(0, out + 1, bob, b"")
    else:
        out = get_amount_out(amount_in, R1, R0)
        token1.faucet(pair.address, amount_in)
        with boa.reverts("K"):
            pair.swap(out + 1, 0, bob, b"")


def test_swap_reverts(seeded: Any, token0: Any, token1: Any, bob: Any) -> None:
    pair = seeded
    with boa.reverts("INSUFFICIENT_OUTPUT_AMOUNT"):
        pair.swap(0, 0, bob, b"")
    with boa.reverts("INSUFFICIENT_LIQUIDITY"):
        pair.swap(R0, 0, bob, b"")
    with boa.reverts("INSUFFICIENT_LIQUIDITY"):
        pair.swap(0, R1, bob, b"")
    with boa.reverts("INVALID_TO"):
        pair.swap(1, 0, token0.address, b"")
    with boa.reverts("INVALID_TO"):
        pair.swap(0, 1, token1.address, b"")
    with boa.reverts("INSUFFICIENT_INPUT_AMOUNT"):
        pair.swap(1, 0, bob, b"")


def test_swap_on_empty_pair(pair: Any, bob: Any) -> None:
    with boa.reverts("INSUFFICIENT_LIQUIDITY"):
        pair.swap(1, 0, bob, b"")


# each example runs inside its own anchor, so the shared seeded pool is never mutated
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    amount_in=st.integers(min_value=1, max_value=10**22),
    zero_for_one=st.booleans(),
    extra=st.integers(min_value=0, max_value=3),
)
def test_k_check_matches_reference(
    seeded: Any, token0: Any, token1: Any, bob: Any, amount_in: int, zero_for_one: bool, extra: int
) -> None:
    pair = seeded
    with boa.env.anchor():
        r_in, r_out = (R0, R1) if zero_for_one else (R1, R0)
        out = get_amount_out(amount_in, r_in, r_out) + extra
        if out == 0 or out >= r_out:
            return
        (token0 if zero_for_one else token1).faucet(pair.address, amount_in)
        args = (0, out) if zero_for_one else (out, 0)
        in0, in1 = (amount_in, 0) if zero_for_one else (0, amount_in)
        if _k_ok(R0, R1, in0, in1, *args):
            pair.swap(*args, bob, b"")
            r0, r1, _ = pair.getReserves()
            assert r0 * r1 >= R0 * R1
        else:
            with boa.reverts("K"):
                pair.swap(*args, bob, b"")


def _min_flash_repay(reserve: int, other: int, out: int) -> int:
    lo, hi = 0, out * 2 + 10
    while lo < hi:
        mid = (lo + hi) // 2
        if _k_ok(reserve, other, mid, 0, out, 0):
            hi = mid
        else:
            lo = mid + 1
    return lo


def test_flash_swap_repaid_in_same_token(seeded: Any, token0: Any, borrower: Any) -> None:
    pair = seeded
    out = 10**18
    repay = _min_flash_repay(R0, R1, out)
    token0.faucet(borrower.address, repay)
    borrower.plan(0, repay - 1, 0)
    with boa.reverts("K"):
        borrower.borrow(pair.address, out, 0, b"flash")
    borrower.plan(0, repay, 0)
    borrower.borrow(pair.address, out, 0, b"flash")
    assert borrower.calls() == 1
    assert borrower.last_sender() == borrower.address
    assert (borrower.last_amount0(), borrower.last_amount1()) == (out, 0)
    assert borrower.last_data() == b"flash"
    assert token0.balanceOf(borrower.address) == out
    assert pair.getReserves()[:2] == (R0 - out + repay, R1)


def test_flash_swap_repaid_in_other_token(seeded: Any, token1: Any, borrower: Any) -> None:
    pair = seeded
    out0 = 10**18
    # buying token0 with token1: the repay is exactly getAmountIn
    repay1 = get_amount_in(out0, R1, R0)
    token1.faucet(borrower.address, repay1)
    borrower.plan(0, 0, repay1)
    borrower.borrow(pair.address, out0, 0, b"\x01")
    assert pair.getReserves()[:2] == (R0 - out0, R1 + repay1)


def test_no_callback_without_data(seeded: Any, token0: Any, borrower: Any) -> None:
    pair = seeded
    token0.faucet(pair.address, 10**18)
    borrower.borrow(pair.address, 0, get_amount_out(10**18, R0, R1), b"")
    assert borrower.calls() == 0


@pytest.mark.parametrize("mode", [1, 2, 3])
def test_reentrancy_locked(seeded: Any, token0: Any, borrower: Any, mode: int) -> None:
    pair = seeded
    out = 10**17
    repay = _min_flash_repay(R0, R1, out)
    token0.faucet(borrower.address, repay)
    borrower.plan(0, repay, 0)
    with boa.env.anchor():
        borrower.borrow(pair.address, out, 0, b"ok")  # the same flash swap works without re-entry
    borrower.plan(mode, repay, 0)
    with boa.reverts():
        borrower.borrow(pair.address, out, 0, b"reenter")
    assert pair.getReserves()[:2] == (R0, R1)
