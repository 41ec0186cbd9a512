"""The epoch data file's bytes are pinned: files written before the epoch maths moved into
``fomo.economics`` (issue 14) must be reproduced byte for byte by the reference and the fast
path, and must verify. A change here changes every published root: never regenerate silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from fomo.epochs.assemble import assemble, verify_bytes
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
