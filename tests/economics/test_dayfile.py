"""The calculator file format: exact parsing, exact round trip, unit helpers."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fomo.economics.day import DayInput, compute_day
from fomo.economics.dayfile import DayFileError, day_to_json, parse_day, result_to_json
from fomo.economics.params import DEFAULT_PARAMS
from fomo.economics.units import format_units, parse_units
from tests.economics.strategies import days


def test_units_round_trip() -> None:
    assert parse_units("1.5", 18) == 1_500_000_000_000_000_000
    assert parse_units(" 0.000000001 ", 9) == 1
    assert format_units(1_500_000_000_000_000_000, 18) == "1.500000000000000000"
    assert format_units(1_500_000_000_000_000_000, 18, strip=True) == "1.5"
    assert format_units(10**18, 18, strip=True) == "1"
    assert format_units(-5, 2) == "-0.05"
    assert format_units(7, 0) == "7"
    for bad in ("-1", "1.0000000000000000001", "x", "inf"):
        with pytest.raises(ValueError):
            parse_units(bad, 18)


@settings(max_examples=40)
@given(days(), st.sampled_from([{}, {"season": 1}, {"alpha_start": "0.8", "age_tau_days": "45"}]))
def test_day_file_round_trip_is_exact(day: DayInput, overrides: dict[str, object]) -> None:
    params = DEFAULT_PARAMS.with_overrides(overrides) if overrides else DEFAULT_PARAMS
    text = json.dumps(day_to_json(day, params))
    back, back_params = parse_day(json.loads(text, parse_float=Decimal))
    assert back == day
    assert back_params == params
    # Same input, same output, byte for byte.
    a = json.dumps(result_to_json(compute_day(day, params)))
    b = json.dumps(result_to_json(compute_day(back, back_params)))
    assert a == b


def test_fraction_ratios_are_accepted() -> None:
    data = {
        "deployments": [{"token": "T", "issuer": "i", "age_days": "1/3", "paid_revenue_usd": "1"}]
    }
    day, _ = parse_day(data)
    assert str(day.deployments[0].age_days) == "1/3"
    data["deployments"][0]["age_days"] = "1/0"
    with pytest.raises(DayFileError, match="age_days"):
        parse_day(data)
    data["deployments"][0]["age_days"] = 0.5
    with pytest.raises(DayFileError, match="binary number"):
        parse_day(data)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("paid_revenue_usd", "1e100000", "out of range"),
        ("paid_revenue_usd", "1e70", "256 bits"),
        ("age_days", "1e-100000", "out of range"),
        ("age_days", f"1/{2**300}", "out of range"),
    ],
)
def test_absurd_magnitudes_are_refused_quickly(field: str, value: str, message: str) -> None:
    dep = {"token": "T", "issuer": "i", "age_days": "0", "paid_revenue_usd": "1", field: value}
    with pytest.raises(DayFileError, match=message):
        parse_day({"deployments": [dep]})
