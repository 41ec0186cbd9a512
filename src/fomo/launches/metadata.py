"""The launch metadata document (description, image, links): validation, canonical form, hash.

Content-addressed: the document is canonical JSON (sorted keys, no whitespace, UTF-8) and its
sha256 is what the creator commits on-chain with ``Launchpad.set_metadata``. The image is kept
beside the document and bound to it by its own sha256, so the one on-chain hash pins both.
Limits (one-sentence :class:`MetadataError` past them): description <= 2,000 characters,
<= 5 links, each an ``https://`` URL of <= 256 characters, image PNG/JPEG/WebP <= 256 KiB.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

DOCUMENT_VERSION = 1
MAX_DESCRIPTION_CHARS = 2_000
MAX_LINKS = 5
MAX_LINK_CHARS = 256
MAX_IMAGE_BYTES = 256 * 1024
IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp")


class MetadataError(ValueError):
    """Metadata past a limit or malformed; the message is one sentence for the user."""


@dataclass(frozen=True)
class ImageRef:
    media_type: str
    sha256: str  # lower-case hex, no 0x
    size: int


@dataclass(frozen=True)
class MetadataDocument:
    description: str | None
    links: tuple[str, ...]
    image: ImageRef | None

    def to_json(self) -> dict[str, Any]:
        return {
            "version": DOCUMENT_VERSION,
            "description": self.description,
            "links": list(self.links),
            "image": None
            if self.image is None
            else {
                "media_type": self.image.media_type,
                "sha256": self.image.sha256,
                "size": self.image.size,
            },
        }

    def canonical_bytes(self) -> bytes:
        """The exact bytes that are hashed and served."""
        text = json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return text.encode("utf-8")

    def content_hash(self) -> str:
        """``0x`` + sha256 hex of :meth:`canonical_bytes` (the on-chain commitment)."""
        return "0x" + hashlib.sha256(self.canonical_bytes()).hexdigest()


def sniff_image_type(data: bytes) -> str:
    """The media type from the file's magic bytes (the extension is never trusted)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    raise MetadataError("The image must be a PNG, JPEG or WebP file.")


def check_image(data: bytes) -> ImageRef:
    if not data:
        raise MetadataError("The image file is empty.")
    if len(data) > MAX_IMAGE_BYTES:
        raise MetadataError(
            f"The image is {len(data):,} bytes; the limit is {MAX_IMAGE_BYTES:,} bytes (256 KiB)."
        )
    return ImageRef(sniff_image_type(data), hashlib.sha256(data).hexdigest(), len(data))


def check_link(url: str) -> str:
    if not url.isascii():
        raise MetadataError(
            f"The link {url[:40]!r} must be ASCII (percent-encode other characters, punycode for "
            "domains)."
        )
    if len(url) > MAX_LINK_CHARS:
        raise MetadataError(f"A link is longer than {MAX_LINK_CHARS} characters: {url[:40]!r}….")
    if any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in url):
        raise MetadataError(f"The link {url!r} contains spaces or control characters.")
    try:
        parts = urlsplit(url)
    except ValueError:
        raise MetadataError(f"The link {url!r} is not a valid URL.") from None
    if parts.scheme != "https" or not parts.hostname:
        raise MetadataError(f"The link {url!r} must be an https:// URL with a host.")
    return url


def check_description(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    if not text:
        return None
    if len(text) > MAX_DESCRIPTION_CHARS:
        raise MetadataError(
            f"The description is {len(text):,} characters; the limit is {MAX_DESCRIPTION_CHARS:,}."
        )
    if any(ord(c) < 0x20 and c not in "\n\t" for c in text):
        raise MetadataError("The description contains control characters.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (possible from JSON "\ud800" escapes)
        raise MetadataError("The description is not valid Unicode text.") from None
    return text


def build_document(
    description: str | None, links: list[str] | tuple[str, ...], image: bytes | None
) -> MetadataDocument:
    """Validate the parts and build the document (links keep their order; duplicates refused)."""
    if len(links) > MAX_LINKS:
        raise MetadataError(f"{len(links)} links given; the limit is {MAX_LINKS}.")
    checked = tuple(check_link(u) for u in links)
    if len(set(checked)) != len(checked):
        raise MetadataError("The same link is given twice.")
    doc = MetadataDocument(
        description=check_description(description),
        links=checked,
        image=None if image is None else check_image(image),
    )
    if doc.description is None and not doc.links and doc.image is None:
        raise MetadataError("The metadata is empty: give a description, an image or a link.")
    return doc


def parse_hash(text: str) -> str:
    """A content hash as stored (``0x`` + 64 lower-case hex), else :class:`MetadataError`."""
    value = text.lower()
    if not value.startswith("0x"):
        value = "0x" + value
    if len(value) != 66 or any(c not in "0123456789abcdef" for c in value[2:]):
        raise MetadataError(f"{text!r} is not a content hash (0x + 64 hex digits).")
    return value
