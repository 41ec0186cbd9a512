"""Differential: for random model types, fee configs and buy sequences, every on-chain quote,
fill and graduation equals `fomo.economics.curve` to the wei."""

from __future__ import annotations

from typing import Any

import boa
from eth_utils import keccak
from hypothesis import given, settings
from hypothesis import strategies as st

from fomo.economics import curve
from fomo.economics.curve import WAD
from tests.contracts.launch.helpers import FAR, TIER, Stack, events


@st.composite
def launch_params(draw: st.DrawFn) -> curve.LaunchParams:
    max_raise = draw(st.integers(1_000 * WAD, 3_000_000 * WAD))
    min_raise = draw(st.integers(1_000 * WAD, max_raise))
    lp_bps = draw(st.integers(5001, 10_000))
    reserved_bps = draw(st.integers(0, 10_000 - lp_bps))
    return curve.LaunchParams(
        max_raise=max_raise,
        min_raise=min_raise,
        lp_bps=lp_bps,
        reserved_bps=reserved_bps,
        protocol_bps=10_000 - lp_bps - reserved_bps,
    )


@st.composite
def fee_configs(draw: st.DrawFn) -> curve.FeeConfig:
    if draw(st.booleans()):
        return curve.FeeConfig()
    base = draw(st.integers(0, 1000))
    return curve.FeeConfig(
        base_fee_bps=base,
        creator_fee_bps=draw(st.integers(0, base)),
        tax_start_bps=draw(st.integers(base, 9900)),
        max_bundle_bps=draw(st.integers(0, 2500)),
    )


def gross_amounts(max_raise: int) -> st.SearchStrategy[int]:
    return st.one_of(
        st.integers(1, 10**6),
        st.integers(1, max_raise // 20),
        st.integers(max_raise // 20, 2 * max_raise),
    )


buys = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 3 * 3600)),
    min_size=1,
    max_size=6,
)


def _apply_config(stack: Stack, params: curve.LaunchParams, fees: curve.FeeConfig) -> bytes:
    with boa.env.prank(stack.admin):
        stack.launchpad.set_fee_config(
            stack.treasury,
            fees.base_fee_bps,
            fees.creator_fee_bps,
            fees.launch_fee,
            fees.tax_start_bps,
            fees.max_bundle_bps,
        )
        stack.launchpad.register_model_type(
            keccak(text="diff-model"),
            "diff-model",
            TIER,
            params.min_raise,
            params.max_raise,
            params.lp_bps,
            params.reserved_bps,
            params.protocol_bps,
        )
    return keccak(text="diff-model")


def _check_graduation(
    stack: Stack, mt: Any, params: curve.LaunchParams, c: curve.Curve, logs: list[Any]
) -> None:
    (g,) = [e for e in logs if type(e).__name__ == "Graduated"]
    launch = stack.launchpad.launches(mt.address)
    split = curve.graduation_split(params, c, raised=launch.raised, sold=launch.sold)
    assert (g.lpFlock, g.reservedFlock, g.protocolFlock) == (
        split.lp_flock,
        split.reserved_flock,
        split.protocol_flock,
    )
    assert (g.soldMt, g.lpMt, g.mintedMt, g.unmintedMt) == (
        split.sold_mt,
        split.lp_mt,
        split.minted_mt,
        split.unminted_mt,
    )
    assert mt.totalSupply() == split.minted_mt
    pair = stack.pair_of(mt)
    assert stack.flock.balanceOf(pair.address) == split.lp_flock
    assert mt.balanceOf(pair.address) == split.lp_mt


@settings(max_examples=30)
@given(data=st.data(), params=launch_params(), fees=fee_configs())
def test_quotes_and_fills_match_reference(
    stack: Stack, data: st.DataObject, params: curve.LaunchParams, fees: curve.FeeConfig
) -> None:
    c = curve.Curve.for_launch(params)
    lp = stack.launchpad
    with boa.env.anchor():
        mid = _apply_config(stack, params, fees)
        for user in stack.users:
            stack.fund(user, 3 * params.max_raise)
        stack.fund(stack.creator, 3 * params.max_raise)

        raised = sold = 0
        first = data.draw(st.one_of(st.just(0), gross_amounts(params.max_raise)), label="first")
        if first:
            ref = curve.quote_buy(c, fees, raised=0, sold=0, flock_in=first, tax=fees.base_fee_bps)
            if ref.mt_out > fees.max_bundle_mt:
                with boa.reverts("over bundle cap"):
                    lp.quote_first_buy(mid, first)
                first = 0
            elif ref.net == 0:
                first = 0
            else:
                assert lp.quote_first_buy(mid, first) == (
                    ref.mt_out,
                    ref.net,
                    ref.protocol_fee,
                    ref.creator_fee,
                )
                raised, sold = ref.net, ref.mt_out
        mt = stack.create(first_buy=first, model_type_id=mid)
        launch = lp.launches(mt.address)
        assert (launch.x0, launch.y0) == (c.x0, c.y0)
        assert (launch.raised, launch.sold) == (raised, sold)
        start = launch.sale_start

        for who, delay in data.draw(buys, label="buys"):
            if lp.status(mt.address) != 1:
                break
            boa.env.time_travel(seconds=delay)
            if lp.status(mt.address) != 1:
                break
            gross = data.draw(gross_amounts(params.max_raise), label="gross")
            tax = curve.tax_bps(fees, boa.env.evm.patch.timestamp - start)
            assert lp.tax_bps(mt.address) == tax
            ref = curve.quote_buy(c, fees, raised=raised, sold=sold, flock_in=gross, tax=tax)
            user = stack.users[who]
            if ref.net == 0:
                with boa.env.prank(user), boa.reverts("zero net"):
                    lp.buy(mt.address, gross, 0, FAR)
                continue
            quoted = lp.quote_buy(mt.address, gross)
            assert quoted == (
                ref.mt_out,
                ref.net,
                ref.protocol_fee,
                ref.creator_fee,
                ref.anti_sniper_fee,
                ref.refund,
            )
            before = stack.flock.balanceOf(user)
            # min_mt_out one above the quote must fail; exactly the quote must pass
            with boa.env.prank(user), boa.reverts("slippage"):
                lp.buy(mt.address, gross, ref.mt_out + 1, FAR)
            with boa.env.prank(user):
                out = lp.buy(mt.address, gross, ref.mt_out, FAR)
            logs = lp.get_logs()
            (ev,) = events(lp, "Purchased")
            assert out == ev.mtAllocated == ref.mt_out
            assert (ev.flockIn, ev.netUsed) == (ref.gross_used, ref.net)
            assert (ev.protocolFee, ev.creatorFee, ev.antiSniperFee) == (
                ref.protocol_fee,
                ref.creator_fee,
                ref.anti_sniper_fee,
            )
            assert before - stack.flock.balanceOf(user) == ref.gross_used
            raised, sold = raised + ref.net, sold + ref.mt_out
            assert sold == c.sold_after(raised)  # path independence
            launch = lp.launches(mt.address)
            assert (launch.raised, launch.sold) == (raised, sold)
            if ref.graduates:
                assert raised == params.max_raise and sold == params.sale_supply
                _check_graduation(stack, mt, params, c, logs)

        if lp.status(mt.address) == 1:
            boa.env.time_travel(seconds=curve.SALE_DURATION_SECONDS)
        if lp.status(mt.address) == 3:
            lp.graduate(mt.address)
            _check_graduation(stack, mt, params, c, lp.get_logs())
