"""The epoch data file's bytes are pinned: files written before the epoch maths moved into
``fomo.economics`` (issue 14) must be reproduced byte for byte by the reference and the fast
path, and must verify. A change here changes every published root: never regenerate silently."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fomo.economics.epoch import assemble, verify_bytes
from fomo.economics.epoch_file import EpochDataError, EpochFile
from tests.economics import epoch_golden_inputs as golden

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("name", ["rich", "empty"])
@pytest.mark.parametrize("fast", [False, True])
def test_epoch_file_equals_the_golden_bytes(name: str, fast: bool) -> None:
    expected = (GOLDEN / f"epoch_{name}.json").read_bytes()
    epoch = assemble(getattr(golden, name)(), fast=fast)
    assert epoch.data == expected
    v = verify_bytes(expected)
    assert v.root == epoch.root == v.recorded_root


@pytest.mark.parametrize("name", ["rich", "empty"])
def test_the_typed_reader_writes_back_the_same_bytes(name: str) -> None:
    data = (GOLDEN / f"epoch_{name}.json").read_bytes()
    f = EpochFile.from_bytes(data)
    assert f.to_bytes() == data
    assert f.epoch == getattr(golden, name)().epoch
    assert f.root == json.loads(data)["tree"]["root"]


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (lambda d: d.__setitem__("format", "v0"), "not a fomo-epoch-v1"),
        (lambda d: d["outputs"]["payouts"][0].__setitem__(2, -1), "payouts: expected a decimal"),
        (lambda d: d["outputs"]["deployments"][0].__setitem__("alpha", "0.5"), "alpha"),
        (lambda d: d["outputs"]["deployments"][0].__setitem__("score", "1/0"), "score"),
        (lambda d: d["tree"].pop("leaves"), "malformed data file"),
        (lambda d: d["tree"].__setitem__("root", 7), "tree.root"),
    ],
)
def test_a_malformed_file_is_one_clear_error(tamper: Any, message: str) -> None:
    doc = json.loads((GOLDEN / "epoch_rich.json").read_bytes())
    tamper(doc)
    with pytest.raises(EpochDataError, match=message):
        EpochFile.from_bytes(json.dumps(doc).encode())
