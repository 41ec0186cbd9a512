"""The launch metadata document: limits (one sentence past each), canonical bytes, and the hash
that is committed on-chain."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fomo.launches.metadata import (
    MAX_IMAGE_BYTES,
    MetadataError,
    build_document,
    parse_hash,
    sniff_image_type,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 16
WEBP = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 16


def test_canonical_bytes_and_hash_are_pinned() -> None:
    doc = build_document("  Hello\nworld  ", ["https://a.example/x"], PNG)
    raw = doc.canonical_bytes()
    assert raw == (
        b'{"description":"Hello\\nworld","image":{"media_type":"image/png","sha256":"'
        + hashlib.sha256(PNG).hexdigest().encode()
        + b'","size":24},"links":["https://a.example/x"],"version":1}'
    )
    assert doc.content_hash() == "0x" + hashlib.sha256(raw).hexdigest()
    assert json.loads(raw)["description"] == "Hello\nworld"


def test_image_types_by_magic_bytes() -> None:
    assert [sniff_image_type(x) for x in (PNG, JPEG, WEBP)] == [
        "image/png",
        "image/jpeg",
        "image/webp",
    ]


@pytest.mark.parametrize(
    ("description", "links", "image", "message"),
    [
        ("x" * 2001, [], None, "The description is 2,001 characters; the limit is 2,000."),
        ("bell\x07", [], None, "The description contains control characters."),
        ("\ud800", [], None, "The description is not valid Unicode text."),
        (None, [f"https://{i}.example" for i in range(6)], None, "6 links given; the limit is 5."),
        (None, ["https://a.example", "https://a.example"], None, "The same link is given twice."),
        (None, ["ftp://a.example"], None, "The link 'ftp://a.example' must be an https:// URL"),
        (None, ["https://"], None, "The link 'https://' must be an https:// URL with a host."),
        (None, ["https://[::1"], None, "The link 'https://[::1' is not a valid URL."),
        (None, ["https://ü.example"], None, "must be ASCII"),
        (None, ["https://a.example/" + "x" * 300], None, "longer than 256 characters"),
        (None, [], b"GIF89a", "The image must be a PNG, JPEG or WebP file."),
        (None, [], b"", "The image file is empty."),
        (None, [], PNG + b"\x00" * MAX_IMAGE_BYTES, "the limit is 262,144 bytes (256 KiB)."),
        ("   ", [], None, "The metadata is empty: give a description, an image or a link."),
    ],
)
def test_limits_are_one_sentence(
    description: str | None, links: list[str], image: bytes | None, message: str
) -> None:
    with pytest.raises(MetadataError) as err:
        build_document(description, links, image)
    assert message in str(err.value)


def test_limits_inclusive() -> None:
    doc = build_document("x" * 2000, [f"https://{i}.example" for i in range(5)], None)
    assert len(doc.links) == 5
    assert build_document(None, [], PNG + b"\x00" * (MAX_IMAGE_BYTES - len(PNG))).image


def test_parse_hash() -> None:
    h = "0x" + "AB" * 32
    assert parse_hash(h) == h.lower() == parse_hash("ab" * 32)
    with pytest.raises(MetadataError):
        parse_hash("0x1234")


@given(
    description=st.one_of(st.none(), st.text(max_size=300)),
    links=st.lists(st.text(max_size=40), max_size=7),
)
def test_any_input_is_a_document_or_a_metadata_error(
    description: str | None, links: list[str]
) -> None:
    """Never another exception (the API turns MetadataError into a 422, anything else a 500)."""
    try:
        doc = build_document(description, links, None)
    except MetadataError:
        return
    assert doc.content_hash() == "0x" + hashlib.sha256(doc.canonical_bytes()).hexdigest()
