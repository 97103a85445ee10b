"""Emails waiting to be sent, kept in the database so that none is lost (issue 13).

A row is written in the same unit of work as the change that causes the email; a job delivers
it after the commit. The body is encrypted at rest (reset and invitation emails carry
single-use links) and wiped once the email has gone.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from registry.models.base import Base, UTCDateTime


class OutgoingEmail(Base):
    """One email to one address: waiting, sent, or failed for good after its attempts."""

    __tablename__ = "outgoing_email"
    __table_args__ = (
        Index("ix_outgoing_email_waiting", "sent_at", "failed_at", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    # AES-GCM, base64 of nonce + ciphertext; "" once sent.
    body_encrypted: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # A delivery in progress holds the row until then; a crashed one is retried after it.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
