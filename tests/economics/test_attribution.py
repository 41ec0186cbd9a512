"""Season 1 / Season 2 usage attribution (SPEC §6)."""

from __future__ import annotations

import pytest

from fomo.economics.attribution import AttributionTable, DeploymentRef, deployment_model_id

BASE = "qwen3-30b-a3b-instruct"
ALICE = DeploymentRef("0xAAA", BASE, "QwenALICE")
BOB = DeploymentRef("0xBBB", BASE, "QwenBOB")
DEEP = DeploymentRef("0xCCC", "deepseek-v3.2", "DEEP")
TABLE = AttributionTable([ALICE, BOB, DEEP])


def test_model_id() -> None:
    assert deployment_model_id(BASE, "QwenALICE") == "qwen3-30b-a3b-instruct-qwenalice"
    assert ALICE.model_id == "qwen3-30b-a3b-instruct-qwenalice"


def test_season_2_counts_only_the_deployment_id() -> None:
    assert TABLE.attribute("qwen3-30b-a3b-instruct-qwenalice", {}) == "0xAAA"
    assert TABLE.attribute(BASE, {"0xAAA": 10}) is None
    assert TABLE.attribute("unknown", {"0xAAA": 10}) is None


def test_season_1_maps_base_usage_to_the_most_staked_deployment() -> None:
    assert TABLE.attribute(BASE, {"0xAAA": 10, "0xBBB": 20}, season=1) == "0xBBB"
    assert TABLE.attribute(BASE, {"0xAAA": 10, "0xCCC": 99}, season=1) == "0xAAA"
    assert TABLE.attribute(BASE, {}, season=1) is None
    assert TABLE.attribute(BASE, {"0xAAA": 0}, season=1) is None
    # Own id still counts, whatever the stake.
    assert TABLE.attribute(BOB.model_id, {"0xAAA": 10}, season=1) == "0xBBB"


def test_season_1_tie_goes_to_the_lowest_token_id() -> None:
    assert TABLE.attribute(BASE, {"0xBBB": 5, "0xAAA": 5}, season=1) == "0xAAA"
    table = AttributionTable([DeploymentRef("0xb1", BASE, "X"), DeploymentRef("0xA2", BASE, "Y")])
    assert table.attribute(BASE, {"0xb1": 1, "0xA2": 1}, season=1) == "0xA2"


def test_table_refuses_ambiguity() -> None:
    with pytest.raises(ValueError, match="share the model id"):
        AttributionTable([ALICE, DeploymentRef("0xDDD", BASE, "qwenalice")])
    with pytest.raises(ValueError, match="listed twice"):
        AttributionTable([ALICE, DeploymentRef("0xaaa", "other", "X")])
    with pytest.raises(ValueError, match="both a base model"):
        AttributionTable([DeploymentRef("0x1", "m", "x"), DeploymentRef("0x2", "m-x", "y")])
