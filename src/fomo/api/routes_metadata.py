"""``/api/metadata``: launch metadata documents (description, image, links) by content hash.

``POST`` validates and stores a document and answers its sha256, which the creator then
commits on-chain with ``Launchpad.set_metadata``; ``GET`` serves the exact canonical bytes (so
anyone can check them against the on-chain hash) and the image. See ``docs/read-api.md``.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path
from fastapi.responses import Response
from pydantic import BaseModel, Field

from fomo.api.routes_common import ERRORS, DbSession, Problem
from fomo.db.models_metadata import LaunchMetadataDoc
from fomo.launches.metadata import (
    MAX_IMAGE_BYTES,
    MetadataError,
    build_document,
    parse_hash,
)
from fomo.launches.metadata_store import store_document

router = APIRouter(prefix="/api/metadata", tags=["metadata"], responses=ERRORS)

# Generous transport bounds (the real limits are checked with a one-sentence error below).
_MAX_B64 = (MAX_IMAGE_BYTES * 2) * 4 // 3 + 4
HashPath = Annotated[str, Path(description="sha256 of the document, 0x + 64 hex digits.")]


class MetadataIn(BaseModel):
    description: str | None = Field(
        None, max_length=20_000, description="Plain text, at most 2,000 characters."
    )
    links: list[str] = Field(
        default_factory=list, max_length=50, description="Up to 5 https:// URLs."
    )
    image_base64: str | None = Field(
        None,
        max_length=_MAX_B64,
        description="PNG, JPEG or WebP, at most 256 KiB before base64 encoding.",
    )


class MetadataOut(BaseModel):
    content_hash: str = Field(description="sha256 of the canonical document: commit this.")
    description: str | None
    links: list[str]
    image_url: str | None
    document_url: str


def _image_url(content_hash: str) -> str:
    return f"/api/metadata/{content_hash}/image"


@router.post(
    "",
    response_model=MetadataOut,
    status_code=201,
    summary="Store a metadata document",
    responses={400: {"model": Problem, "description": "The body is not JSON."}},
)
def post_metadata(body: MetadataIn, session: DbSession) -> MetadataOut:
    """Validate the description, links and image against the limits (422 with one sentence
    past them), store the canonical document under its sha256 and answer that hash. Storing
    the same document twice answers the same hash."""
    image: bytes | None = None
    if body.image_base64 is not None:
        try:
            image = base64.b64decode(body.image_base64, validate=True)
        except (binascii.Error, ValueError):
            raise HTTPException(422, detail="image_base64 is not valid base64.") from None
    try:
        doc = build_document(body.description, body.links, image)
    except MetadataError as exc:
        raise HTTPException(422, detail=str(exc)) from None
    content_hash = store_document(session, doc, image)
    session.commit()
    return MetadataOut(
        content_hash=content_hash,
        description=doc.description,
        links=list(doc.links),
        image_url=None if doc.image is None else _image_url(content_hash),
        document_url=f"/api/metadata/{content_hash}",
    )


def _get(session: DbSession, content_hash: str) -> LaunchMetadataDoc:
    try:
        key = parse_hash(content_hash)
    except MetadataError as exc:
        raise HTTPException(422, detail=str(exc)) from None
    row = session.get(LaunchMetadataDoc, key)
    if row is None:
        raise HTTPException(404, detail=f"no metadata document with hash {key}")
    return row


@router.get(
    "/{content_hash}",
    summary="A metadata document (its exact canonical bytes)",
    responses={200: {"content": {"application/json": {}}}},
)
def get_metadata(session: DbSession, content_hash: HashPath) -> Response:
    """The canonical JSON whose sha256 is ``content_hash``: ``version``, ``description``,
    ``links`` and ``image`` (``media_type``, ``sha256``, ``size``) or null."""
    row = _get(session, content_hash)
    return Response(content=row.document.encode("utf-8"), media_type="application/json")


@router.get(
    "/{content_hash}/image",
    summary="A metadata document's image",
    responses={200: {"content": {"image/png": {}, "image/jpeg": {}, "image/webp": {}}}},
)
def get_metadata_image(session: DbSession, content_hash: HashPath) -> Response:
    """The image bytes with their media type (404 when the document has no image)."""
    row = _get(session, content_hash)
    if row.image is None or row.image_type is None:
        raise HTTPException(404, detail=f"metadata document {row.content_hash} has no image")
    return Response(
        content=row.image,
        media_type=row.image_type,
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )


__all__ = ["router"]
