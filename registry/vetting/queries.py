"""What the vetting screens show: the queue, one assessor's items with their reviews, and the
assessor's own view of their vetting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from registry.audit import record_audit
from registry.errors import NotFound
from registry.extensions import db
from registry.models import (
    AdmissionDecision,
    AdmissionStatus,
    Assessor,
    ItemReview,
    Registration,
    ReviewStatus,
    User,
)
from registry.verification.service import standing
from registry.vetting.admission import missing_for_admission, open_proposal
from registry.vetting.attestation import attestation_due_on
from registry.vetting.items import ITEM_LABELS, ProfileItem, profile_items
from registry.vetting.service import assessor_for, require_manager
from registry.vetting.status import latest_reviews


@dataclass(frozen=True)
class QueueRow:
    """An assessor waiting for vetting, and since when."""

    assessor: Assessor
    waiting_since: datetime
    pending: int


@dataclass(frozen=True)
class ItemRow:
    """A profile item (or a removed one still under review) with its current review."""

    item: ProfileItem | None
    review: ItemReview | None
    label: str
    summary: str
    standing: str | None = None


@dataclass(frozen=True)
class Vetting:
    """Everything the vetting page of one assessor shows."""

    assessor: Assessor
    items: list[ItemRow]
    proposal: AdmissionDecision | None
    decisions: list[AdmissionDecision]
    missing: list[str]
    attestation_due: date | None


def queue() -> list[QueueRow]:
    """Assessors submitted or with a pending item, the longest waiting first."""
    pending_ids = select(ItemReview.assessor_id).where(ItemReview.status == ReviewStatus.PENDING)
    assessors = db.session.scalars(
        select(Assessor).where(
            or_(
                Assessor.admission_status == AdmissionStatus.SUBMITTED,
                Assessor.id.in_(pending_ids),
            )
        )
    )
    rows = []
    for assessor in assessors:
        pending = [
            r for r in latest_reviews(assessor.id).values() if r.status is ReviewStatus.PENDING
        ]
        if pending or assessor.admission_status is AdmissionStatus.SUBMITTED:
            since = min((r.submitted_at for r in pending), default=assessor.created_at)
            rows.append(QueueRow(assessor, since, len(pending)))
    return sorted(rows, key=lambda row: (row.waiting_since, row.assessor.id))


def vetting_of(manager: User, assessor_id: int, *, now: datetime) -> Vetting:
    """One assessor's items, reviews and admission state for a manager (the view is audited).

    Raises NotAllowed for other roles and NotFound for an unknown assessor.
    """
    require_manager(manager)
    assessor = _load(assessor_id)
    record_audit(manager, "vetting.assessor_viewed", assessor, at=now)
    db.session.commit()
    decisions = db.session.scalars(
        select(AdmissionDecision)
        .where(AdmissionDecision.assessor_id == assessor.id)
        .order_by(AdmissionDecision.proposed_at.desc(), AdmissionDecision.id.desc())
    )
    return Vetting(
        assessor,
        item_rows(assessor, now=now),
        open_proposal(assessor),
        list(decisions),
        missing_for_admission(assessor, now=now),
        attestation_due_on(assessor),
    )


def own_vetting(
    assessor_user: User, *, now: datetime
) -> tuple[Assessor, list[ItemRow], date | None]:
    """The assessor's own items with their reviews and managers' messages. Raises NotAllowed."""
    assessor = assessor_for(assessor_user)
    return assessor, item_rows(assessor, now=now), attestation_due_on(assessor)


def item_rows(assessor: Assessor, *, now: datetime) -> list[ItemRow]:
    """Every item with its latest review; items removed while under review are listed too."""
    latest = latest_reviews(assessor.id)
    rows = []
    for item in profile_items(assessor):
        note = standing(item.row, now=now).label if item.item_type == "registration" else None
        rows.append(ItemRow(item, latest.pop(item.key, None), item.label, item.summary, note))
    for (item_type, _), review in latest.items():
        if review.status is ReviewStatus.PENDING:
            label = ITEM_LABELS.get(item_type, item_type)
            rows.append(ItemRow(None, review, label, "Removed by the assessor"))
    return rows


def _load(assessor_id: int) -> Assessor:
    assessor = db.session.scalar(
        select(Assessor)
        .where(Assessor.id == assessor_id)
        .options(
            selectinload(Assessor.user),
            selectinload(Assessor.registrations).selectinload(Registration.checks),
        )
    )
    if assessor is None:
        raise NotFound("Page not found")
    return assessor
