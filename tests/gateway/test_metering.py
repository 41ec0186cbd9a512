"""The gateway's metering rules as plain functions: no server, no database, no clock."""

from __future__ import annotations

from typing import Any

import pytest

from fomo.economics.pricing import PriceTier, Usage
from fomo.gateway import metering
from fomo.gateway.metering import BadParam, HoldPlan, ShortOfCredit

TIER = PriceTier(input_nano=200, cached_input_nano=50, output_nano=800)
FREE_OUTPUT = PriceTier(input_nano=100, cached_input_nano=10, output_nano=0)
RATE = PriceTier(input_nano=80, cached_input_nano=20, output_nano=320)


def plan(req: dict[str, Any], endpoint: str = "chat", body: int = 100, slack: int = 10) -> HoldPlan:
    return metering.plan_hold(endpoint, req, body, TIER, slack)


# --- hold size ------------------------------------------------------------------------------


def test_input_bound_is_body_bytes_plus_slack_at_the_input_price() -> None:
    p = plan({"max_tokens": 5}, body=1_000, slack=64)
    assert p.input_cost == (1_000 + 64) * 200
    assert p.amount(TIER.output_nano) == (1_000 + 64) * 200 + 5 * 800


def test_n_multiplies_the_output_bound() -> None:
    p = plan({"n": 3, "max_tokens": 7})
    assert (p.n, p.field, p.max_out) == (3, "max_tokens", 7)
    assert p.amount(800) == p.input_cost + 3 * 7 * 800


@pytest.mark.parametrize("n", [1, 128, None])
def test_n_within_bounds_is_accepted(n: int | None) -> None:
    assert plan({"n": n, "max_tokens": 1}).n == (n or 1)


@pytest.mark.parametrize("n", [0, 129, -1, True, False, 2.0, "2"])
def test_n_out_of_bounds_or_not_an_integer_is_refused(n: Any) -> None:
    with pytest.raises(BadParam) as e:
        plan({"n": n, "max_tokens": 1})
    assert e.value.param == "n"
    assert str(e.value) == "'n' must be an integer between 1 and 128"


@pytest.mark.parametrize("bad", [0, -5, True, 1.5, "10"])
@pytest.mark.parametrize("field", ["max_tokens", "max_completion_tokens"])
def test_output_bound_must_be_a_positive_integer(field: str, bad: Any) -> None:
    with pytest.raises(BadParam) as e:
        plan({field: bad})
    assert e.value.param == field
    assert str(e.value) == f"'{field}' must be a positive integer"


def test_max_completion_tokens_wins_over_max_tokens() -> None:
    p = plan({"max_completion_tokens": 4, "max_tokens": 1_000})
    assert (p.field, p.max_out) == ("max_completion_tokens", 4)


def test_embeddings_hold_the_input_bound_only_and_ignore_n() -> None:
    p = plan({"n": 999, "max_tokens": -1}, endpoint="embeddings", body=50, slack=0)
    assert not p.outputs and not p.needs_cap
    assert p.amount(TIER.output_nano) == 50 * 200


def test_missing_output_bound_needs_a_cap() -> None:
    p = plan({})
    assert p.needs_cap and p.field == "max_tokens" and p.max_out is None


def cap(p: HoldPlan, available: int | None, tier: PriceTier = TIER, default: int = 4096) -> int:
    return metering.output_cap(
        p, tier, available, default_max_output_tokens=default, min_output_tokens=16
    )


def test_default_cap_when_the_balance_affords_it() -> None:
    p = plan({})
    assert cap(p, p.input_cost + 4096 * 800) == 4096
    assert cap(p, 10**18) == 4096


def test_cap_is_lowered_to_what_the_balance_affords_per_choice() -> None:
    p = plan({"n": 2})
    spare = 100 * 800 * 2 + 799  # 100 tokens each for two choices, and not quite one more
    assert cap(p, p.input_cost + spare) == 100


def test_too_little_for_the_smallest_answer_is_short_of_credit() -> None:
    p = plan({})
    with pytest.raises(ShortOfCredit) as e:
        cap(p, p.input_cost + 15 * 800)
    assert e.value.needed == p.input_cost + 16 * 800
    assert e.value.available == p.input_cost + 15 * 800
    with pytest.raises(ShortOfCredit) as e:
        cap(p, 0)  # less than the input bound itself
    assert e.value.available == 0


def test_free_output_keeps_the_default_cap_without_a_balance() -> None:
    p = metering.plan_hold("chat", {}, 10, FREE_OUTPUT, 0)
    assert cap(p, None, FREE_OUTPUT) == 4096


def test_a_configured_cap_below_the_minimum_answer_is_still_served() -> None:
    p = plan({})
    assert cap(p, 10**18, default=8) == 8


# --- usage ----------------------------------------------------------------------------------


def test_parse_usage_reads_chat_names_with_cached_and_reasoning_details() -> None:
    u = metering.parse_usage(
        {
            "prompt_tokens": 100,
            "completion_tokens": 40,
            "prompt_tokens_details": {"cached_tokens": 64},
            "completion_tokens_details": {"reasoning_tokens": 30},
        }
    )
    assert u == Usage(100, 64, 40, 30)


def test_parse_usage_reads_responses_style_names() -> None:
    u = metering.parse_usage(
        {
            "input_tokens": 9,
            "output_tokens": 3,
            "input_tokens_details": {"cached_tokens": 2},
            "output_tokens_details": {"reasoning_tokens": 1},
        }
    )
    assert u == Usage(9, 2, 3, 1)


def test_embeddings_usage_has_no_completion() -> None:
    assert metering.parse_usage({"prompt_tokens": 7, "total_tokens": 7}) == Usage(7, 0, 0, 0)


@pytest.mark.parametrize("missing", [None, [], "usage", 3, {"prompt_tokens": "many"}])
def test_missing_or_malformed_usage_is_none(missing: Any) -> None:
    assert metering.parse_usage(missing) is None


def test_parse_usage_clamps_negative_and_oversized_details() -> None:
    u = metering.parse_usage(
        {
            "prompt_tokens": -5,
            "completion_tokens": 10,
            "prompt_tokens_details": {"cached_tokens": 3},
            "completion_tokens_details": {"reasoning_tokens": 50},
        }
    )
    assert u == Usage(0, 0, 10, 10)  # cached ≤ input, reasoning ≤ output, nothing negative


def test_parse_usage_treats_null_details_as_zero() -> None:
    u = metering.parse_usage(
        {"prompt_tokens": 4, "completion_tokens": 2, "prompt_tokens_details": None}
    )
    assert u == Usage(4, 0, 2, 0)


def test_high_water_takes_each_field_maximum_and_keeps_subsets_consistent() -> None:
    first = Usage(100, 80, 5, 5)
    later = Usage(90, 10, 20, 0)
    assert metering.high_water(None, first) == first
    assert metering.high_water(first, later) == Usage(100, 80, 20, 5)
    assert metering.high_water(later, first) == Usage(100, 80, 20, 5)


# --- estimates ------------------------------------------------------------------------------


def test_choice_text_of_messages_deltas_and_completions() -> None:
    msg = {"message": {"content": "hi", "reasoning_content": "hmm"}}
    assert metering.choice_text(msg, "message") == ("hi", "hmm")
    assert metering.choice_text({"delta": {"reasoning": "r"}}, "delta") == ("", "r")
    assert metering.choice_text({"text": "done"}, "delta") == ("done", "")
    assert metering.choice_text("junk", "delta") == ("", "")
    assert metering.choice_text({"delta": None}, "delta") == ("", "")


def test_estimate_output_counts_reasoning_inside_output() -> None:
    assert metering.estimate_output([]) == (0, 0)
    o, r = metering.estimate_output([("hello world", ""), ("", "let me think")])
    assert r > 0 and o > r


def test_estimate_usage_counts_the_prompt_of_each_endpoint() -> None:
    chat = metering.estimate_usage("chat", {"messages": [{"role": "user", "content": "hi"}]}, [])
    emb = metering.estimate_usage("embeddings", {"input": "hello there"}, [])
    comp = metering.estimate_usage("completions", {"prompt": "hello there"}, [("a b", "")])
    assert chat.input_tokens > 0 and chat.output_tokens == 0
    assert emb.input_tokens == comp.input_tokens > 0
    assert comp.output_tokens > 0 and comp.cached_input_tokens == 0


# --- price of a record ----------------------------------------------------------------------


def test_price_applies_cached_rate_discount_rounding_up_and_compute_rate() -> None:
    u = Usage(input_tokens=100, cached_input_tokens=60, output_tokens=10)
    p = metering.price(TIER, RATE, u, disc_bps=1_000, hold=10**9)
    gross = 40 * 200 + 60 * 50 + 10 * 800
    assert p.gross == gross == 19_000
    assert p.paid == 17_100  # 90% of gross
    assert p.compute == 40 * 80 + 60 * 20 + 10 * 320
    assert not p.overrun


def test_price_rounds_the_discounted_charge_toward_the_protocol() -> None:
    p = metering.price(TIER, RATE, Usage(0, 0, 1), disc_bps=3_000, hold=10**9)
    assert (p.gross, p.paid) == (800, 560)
    p = metering.price(PriceTier(1, 1, 1), RATE, Usage(1, 0, 0), disc_bps=3_000, hold=10**9)
    assert p.paid == 1  # ceil(0.7): never rounded down to free


def test_price_takes_at_most_the_hold_and_reports_the_overrun() -> None:
    p = metering.price(TIER, RATE, Usage(0, 0, 100), disc_bps=0, hold=5_000)
    assert (p.gross, p.paid, p.overrun) == (80_000, 5_000, True)
