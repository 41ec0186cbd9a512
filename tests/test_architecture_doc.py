"""docs/architecture.md's folder table names every package of ``src/fomo`` (issue 14: a newcomer
finds each room by reading folder and file names), and every package it names exists."""

from __future__ import annotations

import re
from pathlib import Path

import fomo

SRC = Path(fomo.__file__).parent
DOC = SRC.parents[1] / "docs" / "architecture.md"


def _table() -> str:
    text = DOC.read_text(encoding="utf-8")
    return text[text.index("## Folder layout") : text.index("## The pure core")]


def _packages() -> set[str]:
    return {p.parent.name for p in SRC.glob("*/__init__.py")}


def test_the_folder_table_names_every_package() -> None:
    named = set(re.findall(r"`src/fomo/(\w+)/`", _table()))
    assert _packages() - named == set()


def test_every_package_the_table_names_exists() -> None:
    named = set(re.findall(r"`src/fomo/(\w+)/`", _table()))
    assert named - _packages() == set()
    assert len(named) >= 10  # the walk found the table


def test_the_docs_index_lists_every_document() -> None:
    """docs/README.md is where a reader starts: a document missing from it is one nobody finds."""
    docs = DOC.parent
    index = (docs / "README.md").read_text(encoding="utf-8")
    missing = {p.name for p in docs.glob("*.md") if p.name != "README.md"} - set(
        re.findall(r"\]\(([\w-]+\.md)\)", index)
    )
    assert missing == set()
