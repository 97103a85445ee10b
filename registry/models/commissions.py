"""Commission requests: a described case, its shortlist, the assessor's declaration, the panel's
decision with its frozen snapshot, and the quality review afterwards."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.models.base import Base, UTCDateTime
from registry.models.people import Assessor, Organisation, User, _enum
from registry.vocabulary import CommissionStatus, PanelOutcome


class Commission(Base):
    """An officer's request for a sexual-risk assessment for one case, and what happens to it.

    The case is described in structured terms (DOMAIN.md); there is no field for a child's name,
    and the case reference is the authority's own pseudonymous reference.
    """

    __tablename__ = "commission"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[CommissionStatus] = mapped_column(_enum(CommissionStatus), index=True)
    case_reference: Mapped[str] = mapped_column(String(50))
    context: Mapped[str] = mapped_column(String(30))
    court_permission_on: Mapped[date | None] = mapped_column(Date)
    subject_sex: Mapped[str] = mapped_column(String(10))
    subject_age_band: Mapped[str] = mapped_column(String(10))
    conviction_status: Mapped[str] = mapped_column(String(20))
    learning_disability: Mapped[bool] = mapped_column(default=False)
    language_needs: Mapped[str | None] = mapped_column(String(200))
    offence_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    assessment_type: Mapped[str] = mapped_column(String(40))
    assessment_purpose: Mapped[str] = mapped_column(String(30))
    access_to_child: Mapped[str] = mapped_column(String(30))
    access_details: Mapped[str] = mapped_column(Text, default="")
    needed_by: Mapped[date] = mapped_column(Date)
    questions: Mapped[str] = mapped_column(Text, default="")
    budget_pence: Mapped[int | None] = mapped_column(Integer)
    # Names of the parties, for the conflict declaration: shown to the invited assessor only.
    named_parties: Mapped[list[str]] = mapped_column(JSON, default=list)
    # What the assessor must be given (DOMAIN.md checklist): item -> {"state", "note"}.
    information_checklist: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    selected_assessor_id: Mapped[int | None] = mapped_column(ForeignKey("assessor.id"))
    selected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    flag_reason: Mapped[str | None] = mapped_column(Text)
    report_received_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    organisation: Mapped[Organisation] = relationship()
    requester: Mapped[User] = relationship()
    selected_assessor: Mapped[Assessor | None] = relationship()
    shortlist: Mapped[list[ShortlistEntry]] = relationship(
        back_populates="commission", order_by="ShortlistEntry.id", cascade="all, delete-orphan"
    )
    declarations: Mapped[list[ConflictDeclaration]] = relationship(
        back_populates="commission", order_by="ConflictDeclaration.id"
    )
    decisions: Mapped[list[PanelDecision]] = relationship(
        back_populates="commission", order_by="PanelDecision.id"
    )


class ShortlistEntry(Base):
    """An eligible assessor the officer is considering for a commission."""

    __tablename__ = "shortlist_entry"
    __table_args__ = (
        UniqueConstraint("commission_id", "assessor_id", name="uq_shortlist_entry_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commission_id: Mapped[int] = mapped_column(ForeignKey("commission.id"), index=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("assessor.id"))
    added_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime())

    commission: Mapped[Commission] = relationship(back_populates="shortlist")
    assessor: Mapped[Assessor] = relationship()
    added_by: Mapped[User] = relationship()


class ConflictDeclaration(Base):
    """The invited assessor's answer: accept or decline, and any conflict with the parties."""

    __tablename__ = "conflict_declaration"

    id: Mapped[int] = mapped_column(primary_key=True)
    commission_id: Mapped[int] = mapped_column(ForeignKey("commission.id"), index=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("assessor.id"))
    accepted: Mapped[bool]
    decline_reason: Mapped[str | None] = mapped_column(Text)
    prior_involvement: Mapped[bool] = mapped_column(default=False)
    treating_relationship: Mapped[bool] = mapped_column(default=False)
    professional_or_personal_relationship: Mapped[bool] = mapped_column(default=False)
    financial_interest: Mapped[bool] = mapped_column(default=False)
    # The explicit answer "I have no conflict with any of these parties" (None before it was
    # asked: such a declaration counts as no conflict only if it names none).
    no_conflict_declared: Mapped[bool | None]
    details: Mapped[str] = mapped_column(Text, default="")
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime())

    commission: Mapped[Commission] = relationship(back_populates="declarations")
    assessor: Mapped[Assessor] = relationship()

    @property
    def no_conflict(self) -> bool:
        return not (
            self.prior_involvement
            or self.treating_relationship
            or self.professional_or_personal_relationship
            or self.financial_interest
        )


class PanelDecision(Base):
    """A panel member's approval or rejection, with the frozen snapshot of what was known.

    snapshot is the canonical JSON of every rule's result, sentence and evidence ids, the policy
    version, the decider and the time; snapshot_sha256 is its hash, so an alteration shows.
    """

    __tablename__ = "panel_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    commission_id: Mapped[int] = mapped_column(ForeignKey("commission.id"), index=True)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    outcome: Mapped[PanelOutcome] = mapped_column(_enum(PanelOutcome))
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())
    policy_version: Mapped[str] = mapped_column(String(40))
    snapshot: Mapped[str] = mapped_column(Text)
    snapshot_sha256: Mapped[str] = mapped_column(String(64))

    commission: Mapped[Commission] = relationship(back_populates="decisions")
    decided_by: Mapped[User] = relationship()


class QualityReview(Base):
    """The commissioning authority's review of a received report (on the assessor's record)."""

    __tablename__ = "quality_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    commission_id: Mapped[int] = mapped_column(ForeignKey("commission.id"), unique=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("assessor.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    on_time: Mapped[bool]
    answered_questions: Mapped[bool]
    criticised_by_court: Mapped[bool]
    court_citation: Mapped[str | None] = mapped_column(String(200))
    rating: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime())

    commission: Mapped[Commission] = relationship()
    assessor: Mapped[Assessor] = relationship()
    reviewer: Mapped[User] = relationship()
