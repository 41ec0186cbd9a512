"""Launch metadata in the platform database: store documents by hash, find a launch's one.

A document is stored once under its content hash (storing it again is a no-op). Which document
a launch shows is decided on-chain: the first indexed ``MetadataSet`` of the launch (the
contract allows only one).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fomo.db.models_indexer import LaunchMetadataSet
from fomo.db.models_metadata import LaunchMetadataDoc
from fomo.launches.metadata import MetadataDocument, MetadataError


@dataclass(frozen=True)
class LaunchMetadata:
    """What the read API shows for a launch (fields are ``None`` when the launch has none)."""

    content_hash: str | None
    description: str | None
    links: list[str] | None
    has_image: bool


EMPTY = LaunchMetadata(content_hash=None, description=None, links=None, has_image=False)


def store_document(session: Session, doc: MetadataDocument, image: bytes | None) -> str:
    """Store ``doc`` (and its image bytes) under its content hash; returns the hash."""
    if (doc.image is None) != (image is None):
        raise MetadataError("The image bytes do not match the document.")
    content_hash = doc.content_hash()
    if session.get(LaunchMetadataDoc, content_hash) is None:
        session.add(
            LaunchMetadataDoc(
                content_hash=content_hash,
                document=doc.canonical_bytes().decode("utf-8"),
                image=image,
                image_type=None if doc.image is None else doc.image.media_type,
                image_size=None if doc.image is None else doc.image.size,
            )
        )
        session.flush()
    return content_hash


def launch_metadata(session: Session, tokens: Iterable[str]) -> dict[str, LaunchMetadata]:
    """The metadata of each launch in ``tokens`` that committed one (two queries in all)."""
    wanted = list(tokens)
    if not wanted:
        return {}
    hashes: dict[str, str] = {}
    rows = session.scalars(
        select(LaunchMetadataSet)
        .where(LaunchMetadataSet.token.in_(wanted))
        .order_by(LaunchMetadataSet.block_number, LaunchMetadataSet.log_index)
    )
    for row in rows:
        hashes.setdefault(row.token, row.content_hash)
    docs = {
        d.content_hash: d
        for d in session.scalars(
            select(LaunchMetadataDoc).where(
                LaunchMetadataDoc.content_hash.in_(set(hashes.values()))
            )
        )
    }
    out: dict[str, LaunchMetadata] = {}
    for token, content_hash in hashes.items():
        stored = docs.get(content_hash)
        if stored is None:  # committed on-chain but never uploaded here
            out[token] = LaunchMetadata(content_hash, None, None, False)
            continue
        body = json.loads(stored.document)
        out[token] = LaunchMetadata(
            content_hash=content_hash,
            description=body.get("description"),
            links=list(body.get("links") or []) or None,
            has_image=stored.image is not None,
        )
    return out
