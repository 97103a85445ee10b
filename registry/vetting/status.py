"""Review status of an assessor's profile items: the one place both sides of vetting read it.

An item's status is its latest ItemReview row (none yet means "not submitted"). Changing an item
of a profile that is under review or admitted puts that item back to pending, while the rest of
the profile keeps its decisions (the profiles issue: "changes that matter to eligibility go back
through review for that item").
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from registry.extensions import db
from registry.models import AdmissionStatus, Assessor, ItemReview, ReviewStatus

ItemKey = tuple[str, int | None]

UNDER_VETTING = frozenset(
    {AdmissionStatus.SUBMITTED, AdmissionStatus.ADMITTED, AdmissionStatus.SUSPENDED}
)


def latest_reviews(assessor_id: int) -> dict[ItemKey, ItemReview]:
    """The latest review row of every item of an assessor, keyed by (item_type, item_id)."""
    rows = db.session.scalars(
        select(ItemReview)
        .where(ItemReview.assessor_id == assessor_id)
        .order_by(ItemReview.submitted_at, ItemReview.id)
    )
    latest: dict[ItemKey, ItemReview] = {}
    for row in rows:
        latest[(row.item_type, row.item_id)] = row
    return latest


def mark_changed(assessor: Assessor, item_type: str, item_id: int | None, *, now: datetime) -> None:
    """Send a changed item back to review if the profile is being vetted (the caller commits)."""
    if assessor.admission_status not in UNDER_VETTING:
        return
    db.session.add(
        ItemReview(
            assessor_id=assessor.id,
            item_type=item_type,
            item_id=item_id,
            status=ReviewStatus.PENDING,
            submitted_at=now,
        )
    )
