"""After selection: the assessor's answer, the panel's decision with its frozen snapshot, and
what follows approval (instruction, report, quality review, monitoring)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from registry.assessor_facts import load_assessor
from registry.audit import record_audit
from registry.commissions.case import case_description
from registry.commissions.service import (
    _notify,
    _require_eligible,
    _require_requester,
    _transition,
    declared_conflicts,
    evaluate,
    panel_members_of,
    quorum,
)
from registry.commissions.snapshot import freeze
from registry.commissions.states import OPEN
from registry.eligibility import Stage
from registry.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from registry.extensions import db
from registry.models import (
    Assessor,
    Commission,
    CommissionStatus,
    ConflictDeclaration,
    PanelDecision,
    PanelOutcome,
    QualityReview,
    Role,
    User,
)
from registry.users.grants import require_settled_holder

S = CommissionStatus


@dataclass(frozen=True)
class Answer:
    """The invited assessor's answer and conflict declaration."""

    accept: bool
    decline_reason: str
    prior_involvement: bool
    treating_relationship: bool
    professional_or_personal_relationship: bool
    financial_interest: bool
    details: str
    # The explicit answer "I have no conflict with any of these parties".
    no_conflict: bool = False


@dataclass(frozen=True)
class Review:
    """A quality review of a received report."""

    on_time: bool
    answered_questions: bool
    criticised_by_court: bool
    court_citation: str | None
    rating: int
    notes: str


def invitation_for(user: User, commission_id: int) -> Commission:
    """A commission the user's assessor record is invited to. Raises NotFound otherwise."""
    commission = db.session.get(Commission, commission_id)
    assessor = db.session.scalar(select(Assessor).where(Assessor.user_id == user.id))
    if commission is None or assessor is None or commission.selected_assessor_id != assessor.id:
        raise NotFound("That invitation does not exist")
    return commission


def open_invitations(user: User) -> list[Commission]:
    """Commissions awaiting this assessor's answer."""
    return list(
        db.session.scalars(
            select(Commission)
            .join(Assessor, Commission.selected_assessor_id == Assessor.id)
            .where(Assessor.user_id == user.id, Commission.status == S.AWAITING_ASSESSOR)
            .order_by(Commission.selected_at)
        )
    )


def respond(user: User, commission: Commission, answer: Answer, *, now: datetime) -> str:
    """Record the invited assessor's answer; returns "declined", "ended" or "accepted"."""
    if commission.status is not S.AWAITING_ASSESSOR:
        raise InvalidTransition("This invitation has already been answered")
    assessor_id = commission.selected_assessor_id
    declaration = ConflictDeclaration(
        commission=commission,
        assessor_id=assessor_id,
        accepted=answer.accept,
        decline_reason=answer.decline_reason or None,
        prior_involvement=answer.prior_involvement,
        treating_relationship=answer.treating_relationship,
        professional_or_personal_relationship=answer.professional_or_personal_relationship,
        financial_interest=answer.financial_interest,
        no_conflict_declared=answer.no_conflict if answer.accept else None,
        details=answer.details,
        declared_at=now,
    )
    db.session.add(declaration)
    db.session.flush()
    conflicts = declared_conflicts(declaration)
    if answer.accept and not conflicts and not answer.no_conflict:
        db.session.rollback()
        raise ValidationFailed(
            "Select the conflicts that apply, or 'I have no conflict with any of these parties'",
            "conflicts",
        )
    if not answer.accept or conflicts:
        outcome = "declined" if not answer.accept else "ended"
        _end_selection(user, commission, outcome, conflicts, now=now)
        return outcome
    _require_eligible(user, commission, assessor_id, Stage.DECLARATION, now=now)
    _transition(user, commission, S.AWAITING_PANEL, now=now)
    record_audit(
        user,
        "commission.accepted",
        commission,
        at=now,
        after={"declaration_id": declaration.id, "no_conflict": declaration.no_conflict},
    )
    db.session.commit()
    _notify(
        panel_members_of(commission),
        now,
        "A commission request awaits the panel",
        f"Commission request {commission.case_reference} of {commission.organisation.name} "
        "is ready for a panel decision.",
    )
    return "accepted"


def _end_selection(
    user: User, commission: Commission, outcome: str, conflicts: list[str], *, now: datetime
) -> None:
    _transition(user, commission, S.SHORTLISTING, now=now)
    commission.selected_assessor_id = None
    commission.selected_at = None
    action = "commission.declined" if outcome == "declined" else "commission.conflict_ended"
    record_audit(user, action, commission, at=now)
    db.session.commit()
    reason = (
        "The assessor declined."
        if outcome == "declined"
        else "The assessor declared a conflict with the named parties ("
        + "; ".join(conflicts)
        + "). Any declared conflict makes an assessor not independent, so the selection has "
        "ended."
    )
    _notify(
        [commission.requester],
        now,
        f"Commission {commission.case_reference}: choose another assessor",
        reason + " Choose another eligible assessor.",
    )


def decide(
    member: User, commission: Commission, approve: bool, reason: str, *, now: datetime
) -> PanelDecision:
    """A panel decision. Approval re-runs the gate and freezes a snapshot (AC-06, MFA-07)."""
    _require_panel_member(member, commission)
    require_settled_holder(member, counterpart_id=commission.requester_id, now=now)  # AC-09
    if commission.status is not S.AWAITING_PANEL:
        raise InvalidTransition("This request is not waiting for a panel decision")
    if not approve and not reason.strip():
        raise ValidationFailed("Enter the reason for rejecting the request", "reason")
    assessor_id = commission.selected_assessor_id
    if approve:
        eligibility = _require_eligible(member, commission, assessor_id, Stage.APPROVAL, now=now)
    else:
        eligibility = evaluate(assessor_id, commission, now=now, stage=Stage.APPROVAL)
    outcome = PanelOutcome.APPROVED if approve else PanelOutcome.REJECTED
    final = not approve or _approvals(commission) + 1 >= quorum()
    if final:
        _transition(member, commission, S.APPROVED if approve else S.REJECTED, now=now)
    decision = _record_decision(member, commission, eligibility, outcome, reason, now=now)
    db.session.commit()
    return decision


def _approvals(commission: Commission) -> int:
    return len(
        {d.decided_by_id for d in commission.decisions if d.outcome is PanelOutcome.APPROVED}
    )


def _record_decision(
    member: User,
    commission: Commission,
    eligibility,
    outcome: PanelOutcome,
    reason: str,
    *,
    now: datetime,
) -> PanelDecision:
    assessor = load_assessor(commission.selected_assessor_id)
    case = case_description(commission)
    snapshot, digest = freeze(
        eligibility,
        commission={
            "id": commission.id,
            "case_reference": commission.case_reference,
            "organisation_id": commission.organisation_id,
            "requester_id": commission.requester_id,
            "assessment_type": str(case.assessment_type),
            "offence_categories": sorted(str(c) for c in case.offence_categories),
            "needed_by": commission.needed_by,
        },
        assessor={"id": assessor.id, "legal_name": assessor.legal_name},
        decision={
            "outcome": str(outcome),
            "reason": reason,
            "decided_by_id": member.id,
            "decided_by": member.full_name,
            "decided_at": now,
        },
    )
    decision = PanelDecision(
        commission=commission,
        decided_by=member,
        outcome=outcome,
        reason=reason,
        decided_at=now,
        policy_version=eligibility.policy_version,
        snapshot=snapshot,
        snapshot_sha256=digest,
    )
    db.session.add(decision)
    db.session.flush()
    record_audit(
        member,
        f"commission.panel_{outcome}",
        commission,
        at=now,
        after={"decision_id": decision.id, "snapshot_sha256": digest},
    )
    return decision


def _require_panel_member(member: User, commission: Commission) -> None:
    if commission.organisation_id != member.organisation_id:
        raise NotFound("That commission request does not exist")
    if member.id == commission.requester_id:
        raise NotAllowed("You raised this request, so you cannot decide it")
    if member.role is not Role.PANEL_MEMBER:
        raise NotAllowed("Only panel members can decide commission requests")
    if any(d.decided_by_id == member.id for d in commission.decisions):
        raise NotAllowed("You have already decided this request")


def instruct(officer: User, commission: Commission, *, now: datetime) -> None:
    """Record that the approved assessor has been instructed."""
    _require_requester(officer, commission)
    _transition(officer, commission, S.INSTRUCTED, now=now)
    db.session.commit()


def record_report(
    officer: User, commission: Commission, received_on: date, *, now: datetime
) -> None:
    """Record the date the report was received."""
    _require_requester(officer, commission)
    if received_on > now.date():
        raise ValidationFailed(
            "The date the report was received must be today or in the past", "received_on"
        )
    _transition(officer, commission, S.REPORT_RECEIVED, now=now)
    commission.report_received_on = received_on
    db.session.commit()


def record_quality_review(
    officer: User, commission: Commission, review: Review, *, now: datetime
) -> None:
    """Record the quality review of the report and close the request."""
    _require_requester(officer, commission)
    if review.criticised_by_court and not (review.court_citation or "").strip():
        raise ValidationFailed(
            "Enter the citation of the judgment that criticised the report", "court_citation"
        )
    _transition(officer, commission, S.CLOSED, now=now)
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


def cancel(officer: User, commission: Commission, reason: str, *, now: datetime) -> None:
    """Cancel a request, with a reason."""
    _require_requester(officer, commission)
    if not reason.strip():
        raise ValidationFailed("Enter the reason for cancelling the request", "reason")
    _transition(officer, commission, S.CANCELLED, now=now)
    record_audit(officer, "commission.cancelled", commission, at=now, after={"reason": reason})
    db.session.commit()


def flag_open_commissions(assessor_id: int, reason: str, *, now: datetime) -> int:
    """Flag every open commission of an assessor whose credential lapsed; notify officer and
    panel. Returns how many were flagged."""
    commissions = db.session.scalars(
        select(Commission).where(
            Commission.selected_assessor_id == assessor_id, Commission.status.in_(OPEN)
        )
    ).all()
    for commission in commissions:
        commission.flagged_at = now
        commission.flag_reason = reason
        record_audit(None, "commission.flagged", commission, at=now, after={"reason": reason})
    db.session.commit()
    for commission in commissions:
        _notify(
            [commission.requester, *panel_members_of(commission)],
            now,
            f"Commission {commission.case_reference}: the assessor's credentials lapsed",
            reason,
        )
    return len(commissions)


def monitor_open_commissions(*, now: datetime) -> int:
    """Re-run the gate for every open commission until its needed-by date; flag any lapse.

    Catches what the register checks cannot see: an expired DBS or insurance, a suspension, a
    lapsed attestation. Returns how many commissions were newly flagged.
    """
    flagged = 0
    open_commissions = db.session.scalars(
        select(Commission).where(
            Commission.status.in_(OPEN),
            Commission.selected_assessor_id.is_not(None),
            Commission.flagged_at.is_(None),
        )
    ).all()
    for commission in open_commissions:
        if commission.needed_by < now.date():
            continue
        eligibility = evaluate(
            commission.selected_assessor_id, commission, now=now, stage=Stage.SELECTION
        )
        if not eligibility.eligible:
            reason = "The assessor is no longer eligible: " + " ".join(eligibility.failed_reasons)
            flagged += flag_open_commissions(commission.selected_assessor_id, reason, now=now)
    return flagged


def quality_reviews_of(assessor_id: int | None) -> list[QualityReview]:
    """The quality reviews of an assessor's past reports, newest first (for managers, panels)."""
    if assessor_id is None:
        return []
    return list(
        db.session.scalars(
            select(QualityReview)
            .where(QualityReview.assessor_id == assessor_id)
            .order_by(QualityReview.reviewed_at.desc())
        )
    )
