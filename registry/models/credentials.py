"""An assessor's registrations on public professional registers."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.models.base import Base, UTCDateTime
from registry.models.people import Assessor

if TYPE_CHECKING:
    from registry.models.verification import VerificationCheck


class Registration(Base):
    """A claimed entry on a public register (body + number); its standing comes from its checks.

    Nothing here says whether the registration is clear: that is derived from the append-only
    verification checks (registry/verification/standing.py), never stored twice.
    """

    __tablename__ = "registration"
    __table_args__ = (UniqueConstraint("body", "number", name="uq_registration_body_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("assessor.id"), index=True)
    body: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(32))
    profession: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Scheduling only (not standing): when the next check is due, and a claim so that two
    # verify-due runs at once never check the same registration twice.
    next_check_due: Mapped[date | None] = mapped_column(Date, index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A check asked for (on adding, or by a manager) and not finished yet: the page says
    # "Checking the public register"; a register that could not be reached is tried again at
    # check_retry_at (backoff of 1, 5 and 15 minutes), check_attempts times so far.
    check_pending_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    check_retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    check_attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    # Who asked for the pending check (a user id, for the evidence's "performed by").
    check_requested_by_id: Mapped[int | None]
    # The assessor corrected it (replaced_by_id: the new entry) or withdrew it (withdrawn_at):
    # the row and its checks stay as evidence, never edited, but it no longer counts as
    # "Regulated" (a sanction read from it still counts for "No restriction", decision 0007).
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("registration.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def is_current(self) -> bool:
        """Neither replaced by a corrected entry nor withdrawn by the assessor."""
        return self.replaced_by_id is None and self.withdrawn_at is None

    assessor: Mapped[Assessor] = relationship(back_populates="registrations")
    replaced_by: Mapped[Registration | None] = relationship(
        remote_side=[id], foreign_keys=[replaced_by_id], back_populates="replaces"
    )
    replaces: Mapped[list[Registration]] = relationship(back_populates="replaced_by")
    checks: Mapped[list[VerificationCheck]] = relationship(
        back_populates="registration", order_by="VerificationCheck.checked_at"
    )
