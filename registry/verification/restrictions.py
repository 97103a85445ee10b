"""Reviews of restricted registrations: a register manager reads the conditions the register
showed and records what they mean for this work.

A review is a record, never a verdict: the gate keeps failing "No restriction" for a restricted
registration whatever the review says (decision 0007). Reviews are only ever added and audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from registry.audit import record_audit
from registry.clock import uk_date_of
from registry.errors import NotAllowed, ValidationFailed
from registry.extensions import db
from registry.models import Registration, RestrictionReview, Role, User, VerificationCheck
from registry.verification.service import standing

RESTRICTED = "restricted"
SUMMARY_MAX = 4000


@dataclass(frozen=True)
class ReviewData:
    """What the manager found, and the day they read the conditions."""

    summary: str
    reviewed_on: date


def restricted_check(registration: Registration, *, now: datetime) -> VerificationCheck | None:
    """The check that makes the registration restricted now, or None when it is not."""
    current = standing(registration, now=now)
    if current.outcome != RESTRICTED:
        return None
    return next((c for c in registration.checks if c.id == current.check_id), None)


def reviews_of(registration: Registration) -> list[RestrictionReview]:
    """Every review of the registration's conditions, the latest first."""
    return list(
        db.session.scalars(
            select(RestrictionReview)
            .where(RestrictionReview.registration_id == registration.id)
            .order_by(RestrictionReview.recorded_at.desc(), RestrictionReview.id.desc())
        )
    )


def latest_review_dates(registration_ids: list[int]) -> dict[int, date]:
    """The day each of these registrations' conditions were last read, for those reviewed."""
    if not registration_ids:
        return {}
    rows = db.session.execute(
        select(RestrictionReview.registration_id, func.max(RestrictionReview.reviewed_on))
        .where(RestrictionReview.registration_id.in_(registration_ids))
        .group_by(RestrictionReview.registration_id)
    ).all()
    return {registration_id: day for registration_id, day in rows}


def record_review(
    manager: User, registration: Registration, data: ReviewData, *, now: datetime
) -> RestrictionReview:
    """Record a review of the restricted check's conditions (audited; committed).

    Raises NotAllowed for anyone but a register manager, and ValidationFailed when the
    registration is not restricted now, the summary is empty or too long, or the date is in the
    future.
    """
    if manager.role is not Role.REGISTER_MANAGER:
        raise NotAllowed("Only register managers review restrictions")
    check = restricted_check(registration, now=now)
    if check is None:
        raise ValidationFailed(
            "This registration is not restricted now: there are no conditions to review",
            "summary",
        )
    summary = data.summary.strip()
    if not summary:
        raise ValidationFailed("Enter what the conditions mean for this work", "summary")
    if len(summary) > SUMMARY_MAX:
        raise ValidationFailed(
            f"What the conditions mean must be {SUMMARY_MAX} characters or fewer", "summary"
        )
    if data.reviewed_on > uk_date_of(now):
        raise ValidationFailed(
            "The date you read the conditions must be today or in the past", "reviewed_on"
        )
    review = RestrictionReview(
        registration_id=registration.id,
        check_id=check.id,
        reviewed_by_id=manager.id,
        reviewed_on=data.reviewed_on,
        summary=summary,
        recorded_at=now,
    )
    db.session.add(review)
    db.session.flush()
    record_audit(
        manager,
        "registration.restriction_reviewed",
        registration,
        at=now,
        after={"review_id": review.id, "check_id": check.id, "reviewed_on": str(data.reviewed_on)},
    )
    db.session.commit()
    return review
