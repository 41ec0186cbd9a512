"""`fomo launch create` helpers for tickers and metadata (kept apart from the command module).

Metadata is stored straight into the platform database named by the configuration (the same
one `fomo up` serves ``/api/metadata`` from), then committed on-chain with
``Launchpad.set_metadata``. Remote platforms accept the same document over
``POST /api/metadata``. Database modules are imported only when metadata is given.
"""

from __future__ import annotations

from pathlib import Path

from fomo.chain.errors import ChainActionError
from fomo.launches.metadata import MAX_IMAGE_BYTES, MetadataDocument, MetadataError, build_document
from fomo.launches.tickers import TickerError, check_name, check_ticker


def check_names(name: str, symbol: str) -> None:
    """The launchpad's name and ticker rules, as one sentence before anything is sent."""
    try:
        check_name(name)
        check_ticker(symbol)
    except TickerError as exc:
        raise ChainActionError(str(exc)) from None


def read_metadata(
    description: str | None, image: Path | None, links: list[str] | None
) -> tuple[MetadataDocument, bytes | None] | None:
    """The validated document and image bytes, or ``None`` when no metadata option was given."""
    if description is None and image is None and not links:
        return None
    data: bytes | None = None
    if image is not None:
        if not image.is_file():
            raise ChainActionError(f"The image file {str(image)!r} does not exist.")
        if image.stat().st_size > MAX_IMAGE_BYTES:
            raise ChainActionError(
                f"The image is {image.stat().st_size:,} bytes; the limit is "
                f"{MAX_IMAGE_BYTES:,} bytes (256 KiB)."
            )
        data = image.read_bytes()
    try:
        return build_document(description, list(links or []), data), data
    except MetadataError as exc:
        raise ChainActionError(str(exc)) from None


def store_metadata(db_url: str, doc: MetadataDocument, image: bytes | None) -> str:
    """Store the document in the platform database; returns its content hash."""
    from fomo.db.migrate import current_revision, head_revisions
    from fomo.db.session import make_engine, make_session_factory, redact_url
    from fomo.launches.metadata_store import store_document

    engine = make_engine(db_url)
    try:
        try:
            revision = current_revision(engine=engine)
        except Exception as exc:
            raise ChainActionError(
                f"Cannot open the platform database {redact_url(db_url)} "
                f"({exc.__class__.__name__}) to store the metadata."
            ) from None
        if revision not in head_revisions():
            raise ChainActionError(
                f"The platform database {redact_url(db_url)} is not migrated (run `fomo db "
                "upgrade` or `fomo up` first), so the metadata cannot be stored."
            )
        with make_session_factory(engine)() as session:
            content_hash = store_document(session, doc, image)
            session.commit()
        return content_hash
    finally:
        engine.dispose()
