"""After approval: instruction, the report, its quality review; and the watch on the assessor's
credentials until the report is due (a lapse flags the request and tells officer and panel)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from registry.audit import record_audit
from registry.commissions import rules, verdicts
from registry.eligibility import Stage
from registry.errors import ValidationFailed
from registry.extensions import db
from registry.models import Commission, CommissionStatus, QualityReview, User
from registry.notifications import Link, notify, panel_members

S = CommissionStatus


@dataclass(frozen=True)
class Review:
    """A quality review of a received report."""

    on_time: bool
    answered_questions: bool
    criticised_by_court: bool
    court_citation: str | None
    rating: int
    notes: str


def instruct(officer: User, commission: Commission, *, now: datetime) -> None:
    """Record that the approved assessor has been instructed."""
    rules.require_requester(officer, commission)
    rules.transition(officer, commission, S.INSTRUCTED, now=now)
    db.session.commit()


def record_report(
    officer: User, commission: Commission, received_on: date, *, now: datetime
) -> None:
    """Record the date the report was received."""
    rules.require_requester(officer, commission)
    if received_on > now.date():
        raise ValidationFailed(
            "The date the report was received must be today or in the past", "received_on"
        )
    rules.transition(officer, commission, S.REPORT_RECEIVED, now=now)
    commission.report_received_on = received_on
    db.session.commit()


def record_quality_review(
    officer: User, commission: Commission, review: Review, *, now: datetime
) -> None:
    """Record the quality review of the report and close the request."""
    rules.require_requester(officer, commission)
    if review.criticised_by_court and not (review.court_citation or "").strip():
        raise ValidationFailed(
            "Enter the citation of the judgment that criticised the report", "court_citation"
        )
    rules.transition(officer, commission, S.CLOSED, now=now)
    db.session.add(
        QualityReview(
            commission=commission,
            assessor_id=commission.selected_assessor_id,
            reviewer=officer,
            on_time=review.on_time,
            answered_questions=review.answered_questions,
            criticised_by_court=review.criticised_by_court,
            court_citation=(review.court_citation or "").strip() or None,
            rating=review.rating,
            notes=review.notes,
            reviewed_at=now,
        )
    )
    record_audit(officer, "commission.quality_reviewed", commission, at=now)
    db.session.commit()


def flag_open_commissions(assessor_id: int, reason: str, *, now: datetime) -> int:
    """Flag every open commission of an assessor who stopped being eligible, and tell each
    one's officer and panel. A reaction (registry.reactions.ASSESSOR_LAPSED): it runs inside the
    announcer's unit of work and does not commit. Returns how many were flagged."""
    commissions = db.session.scalars(
        select(Commission).where(
            Commission.selected_assessor_id == assessor_id, Commission.status.in_(rules.OPEN)
        )
    ).all()
    for commission in commissions:
        commission.flagged_at = now
        commission.flag_reason = reason
        record_audit(None, "commission.flagged", commission, at=now, after={"reason": reason})
        notify(
            [commission.requester, *panel_members(commission.organisation_id)],
            f"Commission {commission.case_reference}: the assessor's credentials lapsed",
            reason,
            link=Link("commissions.show", {"commission_id": commission.id}),
            now=now,
        )
    return len(commissions)


def monitor_open_commissions(*, now: datetime) -> int:
    """Re-run the gate for every open commission until its needed-by date; flag any lapse.

    Catches what the register checks cannot see: an expired DBS or insurance, a suspension, a
    lapsed attestation. Returns how many commissions were newly flagged; commits once per
    assessor flagged.
    """
    flagged = 0
    open_commissions = db.session.scalars(
        select(Commission).where(
            Commission.status.in_(rules.OPEN),
            Commission.selected_assessor_id.is_not(None),
            Commission.flagged_at.is_(None),
        )
    ).all()
    for commission in open_commissions:
        assessor_id = commission.selected_assessor_id
        if commission.needed_by < now.date() or commission.flagged_at or assessor_id is None:
            continue
        eligibility = verdicts.evaluate(assessor_id, commission, now=now, stage=Stage.SELECTION)
        if not eligibility.eligible:
            reason = "The assessor is no longer eligible: " + " ".join(eligibility.failed_reasons)
            flagged += flag_open_commissions(assessor_id, reason, now=now)
            db.session.commit()
    return flagged
