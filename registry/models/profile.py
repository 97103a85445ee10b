"""What the register holds about an assessor beyond identity and registrations (DOMAIN.md).

Each item belongs to one assessor and may cite an uploaded document as evidence. Whether an item
has been accepted by a register manager lives in item_review (registry/models/vetting.py), not
here, so that a change to an admitted profile can go back through review item by item.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.models.base import Base, UTCDateTime
from registry.models.documents import Document
from registry.models.people import Assessor, _enum
from registry.vocabulary import DbsLevel


class _ProfileItem:
    """Columns every profile item has: its assessor, its evidence, and when it was entered."""

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Qualification(_ProfileItem, Base):
    """A qualification, with evidence."""

    __tablename__ = "qualification"

    assessor_id: Mapped[int] = mapped_column(ForeignKey("assessor.id"), index=True)
    # A code of the policy's [qualifications] list; None for another qualification, which is
    # recorded but never counts for "Qualified".
    kind: Mapped[str | None] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    awarding_body: Mapped[str] = mapped_column(String(200))
    awarded_on: Mapped[date] = mapped_column(Date)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))

    assessor: Mapped[Assessor] = relationship()
    document: Mapped[Document | None] = relationship()


class ToolTraining(_ProfileItem, Base):
    """Training in a risk-assessment tool of the policy, and the owner's approval if needed."""

    __tablename__ = "tool_training"

    assessor_id: Mapped[int] = mapped_column(ForeignKey("assessor.id"), index=True)
    tool_code: Mapped[str] = mapped_column(String(40))
    trainer: Mapped[str] = mapped_column(String(200))
    trained_on: Mapped[date] = mapped_column(Date)
    refresher_due: Mapped[date | None] = mapped_column(Date)
    owner_approved: Mapped[bool] = mapped_column(default=False)
    owner_approval_reference: Mapped[str | None] = mapped_column(String(100))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))

    assessor: Mapped[Assessor] = relationship()
    document: Mapped[Document | None] = relationship()


class ExperienceEntry(_ProfileItem, Base):
    """Assessments done in one offence category with one population and purpose, over a period."""

    __tablename__ = "experience_entry"

    assessor_id: Mapped[int] = mapped_column(ForeignKey("assessor.id"), index=True)
    offence_category: Mapped[str] = mapped_column(String(40))
    population: Mapped[str] = mapped_column(String(40))
    assessment_purpose: Mapped[str] = mapped_column(String(40))
    count: Mapped[int] = mapped_column(Integer)
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    last_case_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")

    assessor: Mapped[Assessor] = relationship()


class Referee(_ProfileItem, Base):
    """Someone who can vouch for the assessor's experience."""

    __tablename__ = "referee"

    assessor_id: Mapped[int] = mapped_column(ForeignKey("assessor.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    relationship_to_assessor: Mapped[str] = mapped_column(Text)

    assessor: Mapped[Assessor] = relationship()


class DbsCheck(_ProfileItem, Base):
    """A DBS certificate, its Update Service subscription and the last status check."""

    __tablename__ = "dbs_check"

    assessor_id: Mapped[int] = mapped_column(ForeignKey("assessor.id"), index=True)
    level: Mapped[DbsLevel] = mapped_column(_enum(DbsLevel))
    # Shown only to the assessor and register managers (IN-08: never in search results).
    certificate_number: Mapped[str] = mapped_column(String(20))
    issued_on: Mapped[date] = mapped_column(Date)
    update_service: Mapped[bool] = mapped_column(default=False)
    last_status_check_on: Mapped[date | None] = mapped_column(Date)
    disclosure: Mapped[bool] = mapped_column(default=False)
    disclosure_decision: Mapped[str | None] = mapped_column(Text)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))

    assessor: Mapped[Assessor] = relationship()
    document: Mapped[Document | None] = relationship()


class Insurance(_ProfileItem, Base):
    """Professional indemnity insurance."""

    __tablename__ = "insurance"

    assessor_id: Mapped[int] = mapped_column(ForeignKey("assessor.id"), index=True)
    insurer: Mapped[str] = mapped_column(String(200))
    policy_number: Mapped[str] = mapped_column(String(100))
    cover_pence: Mapped[int] = mapped_column(Integer)
    expires_on: Mapped[date] = mapped_column(Date)
    covers_expert_reports: Mapped[bool] = mapped_column(default=False)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))

    assessor: Mapped[Assessor] = relationship()
    document: Mapped[Document | None] = relationship()


class CpdRecord(_ProfileItem, Base):
    """One piece of continuing professional development."""

    __tablename__ = "cpd_record"

    assessor_id: Mapped[int] = mapped_column(ForeignKey("assessor.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    completed_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[int] = mapped_column(Integer)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))

    assessor: Mapped[Assessor] = relationship()
    document: Mapped[Document | None] = relationship()


class Supervision(_ProfileItem, Base):
    """The assessor's named supervision or peer-review arrangement."""

    __tablename__ = "supervision"

    assessor_id: Mapped[int] = mapped_column(ForeignKey("assessor.id"), index=True)
    supervisor_name: Mapped[str] = mapped_column(String(200))
    arrangement: Mapped[str] = mapped_column(Text)
    frequency: Mapped[str] = mapped_column(String(100))
    started_on: Mapped[date] = mapped_column(Date)

    assessor: Mapped[Assessor] = relationship()


# Every profile item table, keyed by its name (the item_type that item reviews use).
PROFILE_ITEM_MODELS: dict[str, type[Base]] = {
    model.__tablename__: model
    for model in (
        Qualification,
        ToolTraining,
        ExperienceEntry,
        Referee,
        DbsCheck,
        Insurance,
        CpdRecord,
        Supervision,
    )
}
