"""Verification checks: the append-only evidence of every look at a public register."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.models.base import Base, UTCDateTime
from registry.models.credentials import Registration
from registry.models.people import User, _enum
from registry.vocabulary import CheckMethod


class VerificationCheck(Base):
    """One check of one registration: what was checked, where, how, by whom, and what it said.

    Modelled on a verification result (primary source, method, performer, time, outcome and
    evidence). Rows are only ever added: a failed check never overwrites an earlier clear one.
    """

    __tablename__ = "verification_check"
    __table_args__ = (
        Index("ix_verification_check_registration_time", "registration_id", "checked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id"))
    method: Mapped[CheckMethod] = mapped_column(_enum(CheckMethod))
    # A person for manual checks and on-demand re-checks; None for the scheduled job.
    performed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    performed_by_label: Mapped[str] = mapped_column(String(120))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    outcome: Mapped[str] = mapped_column(String(20))
    status_text: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    name_on_register: Mapped[str | None] = mapped_column(String(200))
    period_from: Mapped[date | None] = mapped_column(Date)
    period_to: Mapped[date | None] = mapped_column(Date)
    entries: Mapped[list[str]] = mapped_column(JSON, default=list)
    conditions: Mapped[str | None] = mapped_column(Text)
    source_url: Mapped[str] = mapped_column(String(500))
    http_status: Mapped[int | None]
    body_sha256: Mapped[str | None] = mapped_column(String(64))
    data_valid_on: Mapped[str | None] = mapped_column(String(80))
    adapter_version: Mapped[str] = mapped_column(String(40))
    recheck_after: Mapped[date | None] = mapped_column(Date)
    # For a blocked or restricted outcome: True when the register showed a sanction (or did not
    # say whether it was one), False for a lapse without a sanction. None on checks recorded
    # before this was kept.
    sanction: Mapped[bool | None] = mapped_column(Boolean)
    next_due_on: Mapped[date | None] = mapped_column(Date)
    # Manual checks carry a capture of the register page (PDF or image), stored outside the
    # web root under a random name with its SHA-256.
    capture_path: Mapped[str | None] = mapped_column(String(200))
    capture_sha256: Mapped[str | None] = mapped_column(String(64))
    capture_filename: Mapped[str | None] = mapped_column(String(200))
    # The type detected from the capture's bytes at upload, never from its name (FILE-04).
    capture_content_type: Mapped[str | None] = mapped_column(String(100))

    registration: Mapped[Registration] = relationship(back_populates="checks")
    performed_by: Mapped[User | None] = relationship()

    @property
    def is_manual(self) -> bool:
        return self.method is CheckMethod.MANUAL


class RestrictionReview(Base):
    """A register manager's reading of the conditions a register showed on a restricted
    registration: what they mean for this work, and when it was read.

    It is a record, not a decision: the gate's verdict on a restricted registration is unchanged
    by it (decision 0007). Rows are only ever added, like the checks they read.
    """

    __tablename__ = "restriction_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id"), index=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("verification_check.id"))
    reviewed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    reviewed_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    registration: Mapped[Registration] = relationship()
    check: Mapped[VerificationCheck] = relationship()
    reviewed_by: Mapped[User] = relationship()


class Notification(Base):
    """A message shown to one user in the application (and usually emailed too)."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # Where it sends its reader: an endpoint and its arguments, resolved when shown. `link` is the
    # path that notifications made before endpoints were kept (read only).
    link_endpoint: Mapped[str | None] = mapped_column(String(80))
    link_values: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    link: Mapped[str | None] = mapped_column(String(200))
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
