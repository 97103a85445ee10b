"""What the vetting screens show: the queue, one assessor's items with their reviews, and the
assessor's own view of their vetting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased, selectinload
from sqlalchemy.sql import Subquery

from registry.audit import record_audit
from registry.errors import NotFound
from registry.extensions import db
from registry.models import (
    AdmissionDecision,
    Assessor,
    ItemReview,
    Registration,
    ReviewStatus,
    User,
)
from registry.paging import fetch_page
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


QUEUE_SORTS = ("oldest", "count", "name")
QUEUE_PAGE_SIZE = 25


@dataclass(frozen=True)
class QueuePage:
    """One page of the vetting queue, in the order asked for."""

    rows: list[QueueRow]
    total: int
    page: int
    pages: int
    sort: str


def _pending_items() -> Subquery:
    """Each item's latest review when that review is pending (one row per item to review)."""
    later = aliased(ItemReview)
    newer = (
        select(later.id)
        .where(
            later.assessor_id == ItemReview.assessor_id,
            later.item_type == ItemReview.item_type,
            later.item_id.is_not_distinct_from(ItemReview.item_id),
            or_(
                later.submitted_at > ItemReview.submitted_at,
                and_(later.submitted_at == ItemReview.submitted_at, later.id > ItemReview.id),
            ),
        )
        .exists()
    )
    return (
        select(
            ItemReview.assessor_id.label("assessor_id"),
            func.count().label("pending"),
            func.min(ItemReview.submitted_at).label("since"),
        )
        .where(ItemReview.status == ReviewStatus.PENDING, ~newer)
        .group_by(ItemReview.assessor_id)
        .subquery()
    )


def queue(*, sort: str = "oldest", page: int = 1, per_page: int | None = None) -> QueuePage:
    """Assessors with at least one item to review, with how many and since when; sorted by the
    oldest item (the longest waiting first), by count (most first) or by name, a page at a time."""
    per_page = per_page or QUEUE_PAGE_SIZE
    sort = sort if sort in QUEUE_SORTS else "oldest"
    pending = _pending_items()
    order = {
        "oldest": (pending.c.since, Assessor.id),
        "count": (pending.c.pending.desc(), pending.c.since, Assessor.id),
        "name": (Assessor.legal_surname, Assessor.legal_given_names, Assessor.id),
    }[sort]
    found, total, page, pages = fetch_page(
        select(Assessor, pending.c.pending, pending.c.since)
        .join(pending, pending.c.assessor_id == Assessor.id)
        .order_by(*order),
        page,
        per_page,
    )
    rows = [QueueRow(assessor, since, count) for assessor, count, since in found]
    return QueuePage(rows, total, page, pages, sort)


def queue_summary() -> tuple[int, int, datetime | None]:
    """For the home page: assessors with something to review, items to review, the oldest."""
    pending = _pending_items()
    assessors, items, oldest = db.session.execute(
        select(
            func.count(), func.coalesce(func.sum(pending.c.pending), 0), func.min(pending.c.since)
        )
    ).one()
    return assessors, int(items), oldest


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
