"""Register pages as they were seen: the evidence behind a check, readable in a case review."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from registry.models.base import Base, UTCDateTime


class RegisterPage(Base):
    """One page a public register served, compressed and addressed by the SHA-256 of its bytes,
    so that identical pages are stored once. Kept for 90 days after it was last seen, and for
    as long as a panel decision relies on a check of it (`held`)."""

    __tablename__ = "register_page"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_gz: Mapped[bytes] = mapped_column(LargeBinary)
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    held: Mapped[bool] = mapped_column(default=False)
