"""Launch metadata documents, stored by content hash (migration ``0005_launch_metadata``).

The platform keeps what creators upload (``POST /api/metadata`` or ``fomo launch create
--description/--image/--link``); which document belongs to which launch is decided on-chain
(``MetadataSet``, indexed into :class:`~fomo.db.models_indexer.LaunchMetadataSet`). Rows are
immutable: the key is the sha256 of ``document``, so a stored row can never be "edited".
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fomo.db.base import Base, Hash32, UTCDateTime, utcnow


class LaunchMetadataDoc(Base):
    """One canonical metadata document and its image bytes (if it has an image)."""

    __tablename__ = "launch_metadata"

    content_hash: Mapped[str] = mapped_column(Hash32, primary_key=True)
    document: Mapped[str] = mapped_column(Text)
    image: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    image_type: Mapped[str | None] = mapped_column(String(16), nullable=True)
    image_size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
