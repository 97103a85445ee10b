"""Vetting: managers' decisions on each profile item, admissions (four eyes), attestations and
reminders. Every row is a record of a decision; none is overwritten."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.models.base import Base, UTCDateTime
from registry.models.people import Assessor, User, _enum
from registry.vocabulary import AdmissionAction, ReviewStatus


class ItemReview(Base):
    """One submission of one profile item for review, and the manager's decision on it.

    item_type names the item's table (identity, registration, qualification, tool_training,
    experience_entry, referee, dbs_check, insurance, cpd_record, supervision, services,
    document); item_id its row (None for the assessor's own fields). The latest row per item is
    its current review status.
    """

    __tablename__ = "item_review"
    __table_args__ = (
        Index("ix_item_review_item", "assessor_id", "item_type", "item_id"),
        # The vetting queue reads the pending reviews only (issue 14).
        Index("ix_item_review_status", "status", "assessor_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("assessor.id"))
    item_type: Mapped[str] = mapped_column(String(40))
    item_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[ReviewStatus] = mapped_column(_enum(ReviewStatus))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    message: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    assessor: Mapped[Assessor] = relationship()
    decided_by: Mapped[User | None] = relationship()


class AdmissionDecision(Base):
    """A register manager's admission, refusal, suspension, reinstatement or removal.

    Admission needs a second register manager's confirmation (four eyes): proposed_by and
    confirmed_by must differ, and the decision takes effect only when confirmed.
    """

    __tablename__ = "admission_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("assessor.id"), index=True)
    action: Mapped[AdmissionAction] = mapped_column(_enum(AdmissionAction))
    reason: Mapped[str] = mapped_column(Text)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    assessor: Mapped[Assessor] = relationship()
    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])


class Attestation(Base):
    """The assessor's signed statement that the whole profile is accurate (due every 120 days)."""

    __tablename__ = "attestation"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("assessor.id"), index=True)
    statement: Mapped[str] = mapped_column(Text)
    signed_name: Mapped[str] = mapped_column(String(200))
    attested_at: Mapped[datetime] = mapped_column(UTCDateTime())

    assessor: Mapped[Assessor] = relationship()


class ReminderSent(Base):
    """A reminder already sent for one dated item and due date, so it is never sent twice."""

    __tablename__ = "reminder_sent"
    __table_args__ = (
        UniqueConstraint(
            "assessor_id",
            "item_type",
            "item_id",
            "due_on",
            "days_before",
            name="uq_reminder_sent_item_due",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("assessor.id"))
    item_type: Mapped[str] = mapped_column(String(40))
    item_id: Mapped[int | None] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date)
    days_before: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
