"""Evidence documents that an assessor uploads to support their profile (FILE-01..06)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.models.base import Base, UTCDateTime
from registry.models.people import Assessor, User, _enum
from registry.vocabulary import DocumentKind

DOCUMENT_KIND_LABELS = {kind: kind.label for kind in DocumentKind}


class Document(Base):
    """One uploaded file: its metadata here, its bytes under a random name outside the web root.

    The original name is metadata only (after secure_filename); the file is found by stored_name.
    """

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("assessor.id"), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[DocumentKind] = mapped_column(_enum(DocumentKind))
    description: Mapped[str] = mapped_column(String(200))
    original_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    assessor: Mapped[Assessor] = relationship()
    uploaded_by: Mapped[User] = relationship()
