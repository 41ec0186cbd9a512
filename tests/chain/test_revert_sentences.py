"""Every revert reason a contract can give has a plain sentence (CLI and web app alike), and the
web app's copies of the Python reference (sentences, curve vectors) are current."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from fomo.chain.errors import CONTRACT_SENTENCES, REVERT_SENTENCES, explain_revert

ROOT = Path(__file__).resolve().parents[2]
REASON = re.compile(r'(?:assert\b[^\n]*?,|raise)\s*"([^"]+)"')


def contract_reasons() -> dict[str, list[str]]:
    """Reason → the contracts that give it, read from every shipped contract's source."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "contracts").rglob("*.vy")):
        for reason in REASON.findall(path.read_text()):
            found.setdefault(reason, []).append(path.stem)
    return found


def test_every_revert_reason_has_a_sentence() -> None:
    reasons = contract_reasons()
    assert "sale closed" in reasons and "impact bound" in reasons  # the scan reads real asserts
    known = set(REVERT_SENTENCES) | {r for _c, r in CONTRACT_SENTENCES}
    missing = {r: c for r, c in reasons.items() if r not in known}
    assert not missing, f"revert reasons without a sentence in fomo.chain.errors: {missing}"
    for reason in reasons:
        assert not explain_revert(reason).startswith("The contract rejected the transaction")


def test_the_web_fixtures_match_the_python_reference() -> None:
    """web/test reads these files instead of calling Python; a stale file would let the web app
    drift from fomo.economics / fomo.chain.errors unseen. Regenerate with
    `uv run --frozen python web/scripts/curve_vectors.py`."""
    spec = importlib.util.spec_from_file_location(
        "curve_vectors", ROOT / "web" / "scripts" / "curve_vectors.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for path, text in module.build().items():
        assert path.read_text() == text, f"{path.relative_to(ROOT)} is stale: regenerate it"
