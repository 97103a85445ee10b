"""Admissions: admit and reinstate (proposed by one register manager, confirmed by another,
AC-10), suspend, remove. Status changes are conditional UPDATEs, so two managers acting at once
produce exactly one change. A confirming manager must be settled in their role and must not owe
it to the proposer (AC-09)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from registry import reactions
from registry.audit import record_audit
from registry.errors import InvalidTransition, NotAllowed, NotEligible, ValidationFailed
from registry.extensions import db
from registry.models import (
    AdmissionAction,
    AdmissionDecision,
    AdmissionStatus,
    Assessor,
    ReviewStatus,
    User,
)
from registry.notifications import Link, managers, notify
from registry.policy_store import current_policy
from registry.rows import rowcount
from registry.users.grants import require_settled_holder
from registry.verification.service import standing
from registry.vetting.items import IDENTITY
from registry.vetting.service import require_manager
from registry.vetting.status import latest_reviews

# item_type -> what is missing when no item of that type is accepted (DOMAIN.md journey 1).
MANDATORY = {
    IDENTITY: "Identity is not accepted",
    "registration": "No registration is accepted",
    "dbs_check": "No DBS check is accepted",
    "insurance": "No insurance is accepted",
    "supervision": "No supervision arrangement is accepted",
    "experience_entry": "No experience entry is accepted",
}
NO_CLEAR_REGISTRATION = "No accepted statutory registration is clear on its public register now"

# Decisions that take two managers: action -> the status the assessor must be in.
FOUR_EYES = {
    AdmissionAction.ADMIT: AdmissionStatus.SUBMITTED,
    AdmissionAction.REINSTATE: AdmissionStatus.SUSPENDED,
}

# action -> (statuses it may follow, status it leads to), with immediate effect
TRANSITIONS = {
    AdmissionAction.SUSPEND: ({AdmissionStatus.ADMITTED}, AdmissionStatus.SUSPENDED),
    AdmissionAction.REMOVE: (
        {AdmissionStatus.APPLYING, AdmissionStatus.SUBMITTED, AdmissionStatus.ADMITTED}
        | {AdmissionStatus.SUSPENDED},
        AdmissionStatus.REMOVED,
    ),
}
MESSAGES = {
    AdmissionAction.SUSPEND: "You have been suspended from the register",
    AdmissionAction.REINSTATE: "You have been reinstated on the register",
    AdmissionAction.REMOVE: "You have been removed from the register",
}


def missing_for_admission(assessor: Assessor, *, now: datetime) -> list[str]:
    """Why the assessor cannot be admitted now, in words; empty when every condition holds."""
    accepted = {
        key for key, r in latest_reviews(assessor.id).items() if r.status is ReviewStatus.ACCEPTED
    }
    accepted_types = {item_type for item_type, _ in accepted}
    missing = [reason for item_type, reason in MANDATORY.items() if item_type not in accepted_types]
    policy = current_policy()
    clear = [
        r
        for r in assessor.registrations
        if r.is_current  # a corrected or withdrawn entry is evidence only
        and ("registration", r.id) in accepted
        and (body := policy.body(r.body)) is not None
        and body.statutory
        and standing(r, now=now).is_clear
    ]
    if not clear:
        missing.append(NO_CLEAR_REGISTRATION)
    return missing


def open_proposal(
    assessor: Assessor, action: AdmissionAction | None = None
) -> AdmissionDecision | None:
    """The admission or reinstatement waiting for a second manager's confirmation, if any."""
    actions = [action] if action is not None else list(FOUR_EYES)
    return db.session.scalar(
        select(AdmissionDecision).where(
            AdmissionDecision.assessor_id == assessor.id,
            AdmissionDecision.action.in_(actions),
            AdmissionDecision.confirmed_at.is_(None),
            AdmissionDecision.cancelled_at.is_(None),
        )
    )


def propose_admission(
    manager: User, assessor: Assessor, reason: str, *, now: datetime
) -> AdmissionDecision:
    """Propose admitting a submitted assessor. Raises NotEligible naming what is missing.

    Also raises NotAllowed, ValidationFailed (no reason) and InvalidTransition.
    """
    return _propose(manager, assessor, AdmissionAction.ADMIT, reason, now=now)


def propose_reinstatement(
    manager: User, assessor: Assessor, reason: str, *, now: datetime
) -> AdmissionDecision:
    """Propose reinstating a suspended assessor: an admission again (AC-10). Raises as
    propose_admission()."""
    return _propose(manager, assessor, AdmissionAction.REINSTATE, reason, now=now)


def _propose(
    manager: User, assessor: Assessor, action: AdmissionAction, reason: str, *, now: datetime
) -> AdmissionDecision:
    require_manager(manager)
    reason = _reason(reason)
    if assessor.admission_status is not FOUR_EYES[action]:
        raise InvalidTransition(
            "Only a submitted profile can be admitted"
            if action is AdmissionAction.ADMIT
            else "Only a suspended assessor can be reinstated"
        )
    if open_proposal(assessor) is not None:
        raise InvalidTransition(
            f"{_NOUN[action].capitalize()} is already waiting for a second manager"
        )
    _require_conditions(manager, assessor, now)
    decision = AdmissionDecision(
        assessor_id=assessor.id,
        action=action,
        reason=reason,
        proposed_by_id=manager.id,
        proposed_at=now,
    )
    db.session.add(decision)
    db.session.flush()
    event = (
        "admission.proposed" if action is AdmissionAction.ADMIT else "admission.reinstate_proposed"
    )
    record_audit(manager, event, decision, at=now, after={"assessor": assessor.id})
    verb = "admit" if action is AdmissionAction.ADMIT else "reinstate"
    notify(
        managers(except_user=manager),
        f"{_NOUN[action].capitalize()} needs a second register manager",
        f"{manager.full_name} proposes to {verb} {assessor.legal_name}. Please review and confirm.",
        link=Link("vetting.assessor_show", {"assessor_id": assessor.id}),
        now=now,
    )
    db.session.commit()
    return decision


_NOUN = {AdmissionAction.ADMIT: "an admission", AdmissionAction.REINSTATE: "a reinstatement"}


def confirm_admission(manager: User, decision: AdmissionDecision, *, now: datetime) -> None:
    """Confirm another manager's proposal to admit or reinstate: the assessor is admitted.
    Re-checks every condition.

    Raises NotAllowed for the proposer ("A second register manager must confirm") or for a
    manager newly given the role or given it by the proposer (AC-09), NotEligible (the proposal
    is then cancelled) and InvalidTransition (already confirmed or cancelled).
    """
    require_manager(manager)
    if decision.action not in FOUR_EYES or decision.cancelled_at is not None:
        raise InvalidTransition("This decision is no longer waiting for confirmation")
    if decision.proposed_by_id == manager.id:
        raise NotAllowed("A second register manager must confirm")
    try:
        require_settled_holder(manager, counterpart_id=decision.proposed_by_id, now=now)
    except NotAllowed as refusal:
        record_audit(
            manager,
            "admission.confirm_refused",
            decision,
            at=now,
            outcome="refused",
            after={"reason": refusal.message},
        )
        db.session.commit()
        raise
    assessor = decision.assessor
    expected = FOUR_EYES[decision.action]
    if decision.confirmed_at is None and assessor.admission_status is expected:
        _require_conditions(manager, assessor, now, cancel=decision)
    confirmed = db.session.execute(
        update(AdmissionDecision)
        .where(
            AdmissionDecision.id == decision.id,
            AdmissionDecision.confirmed_at.is_(None),
            AdmissionDecision.cancelled_at.is_(None),
        )
        .values(confirmed_by_id=manager.id, confirmed_at=now)
        .execution_options(synchronize_session=False)
    )
    if rowcount(confirmed) != 1 or not _move(assessor, {expected}, "admitted"):
        db.session.rollback()
        raise InvalidTransition("This decision has already been confirmed")
    db.session.refresh(decision)
    reinstated = decision.action is AdmissionAction.REINSTATE
    record_audit(
        manager,
        "admission.reinstated" if reinstated else "admission.confirmed",
        decision,
        at=now,
        before={"status": str(expected)},
        after={"status": "admitted", "assessor": assessor.id},
    )
    subject = MESSAGES[AdmissionAction.REINSTATE] if reinstated else "Admitted to the register"
    body = (
        f"{assessor.legal_name} has been reinstated on the register. "
        f"The register managers' reason: {decision.reason}"
        if reinstated
        else f"{assessor.legal_name} has been admitted to the register."
    )
    notify(
        [assessor.user, decision.proposed_by],
        subject,
        body,
        link=Link("assessors.vetting"),
        now=now,
    )
    db.session.commit()


def suspend(manager: User, assessor: Assessor, reason: str, *, now: datetime) -> None:
    """Suspend an admitted assessor at once (ineligible from now). Raises as change_status()."""
    change_status(manager, assessor, AdmissionAction.SUSPEND, reason, now=now)


def reinstate(manager: User, assessor: Assessor, reason: str, *, now: datetime) -> None:
    """Propose reinstating a suspended assessor; a second manager confirms (AC-10)."""
    propose_reinstatement(manager, assessor, reason, now=now)


def remove(manager: User, assessor: Assessor, reason: str, *, now: datetime) -> None:
    """Remove an assessor from the register at once. Raises as change_status()."""
    change_status(manager, assessor, AdmissionAction.REMOVE, reason, now=now)


def change_status(
    manager: User, assessor: Assessor, action: AdmissionAction, reason: str, *, now: datetime
) -> AdmissionDecision:
    """Suspend or remove, with immediate effect, audited; the assessor is told.

    Raises NotAllowed, ValidationFailed (no reason) or InvalidTransition (wrong status).
    """
    require_manager(manager)
    reason = _reason(reason)
    allowed, target = TRANSITIONS[action]
    before = str(assessor.admission_status)
    if not _move(assessor, allowed, target):
        raise InvalidTransition(f"An assessor who is {before} cannot be given this decision")
    decision = AdmissionDecision(
        assessor_id=assessor.id,
        action=action,
        reason=reason,
        proposed_by_id=manager.id,
        proposed_at=now,
        confirmed_by_id=manager.id,
        confirmed_at=now,
    )
    db.session.add(decision)
    if (proposal := open_proposal(assessor)) is not None:
        proposal.cancelled_at = now
    db.session.flush()
    record_audit(
        manager,
        f"admission.{action}",
        decision,
        at=now,
        before={"status": before},
        after={"status": str(target), "assessor": assessor.id},
    )
    notify(
        [assessor.user],
        MESSAGES[action],
        f"{MESSAGES[action]}. The register manager's reason: {reason}",
        link=Link("assessors.vetting"),
        now=now,
    )
    # Open commissions of the assessor are flagged, in this same unit of work (create_app wires
    # the reaction).
    done = "suspended" if action is AdmissionAction.SUSPEND else "removed from the register"
    reactions.announce(
        reactions.ASSESSOR_LAPSED,
        assessor_id=assessor.id,
        reason=f"The assessor was {done}: {reason}",
        now=now,
    )
    db.session.commit()
    return decision


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("Enter the reason for this decision", "reason")
    return reason


def _move(assessor: Assessor, allowed: set[AdmissionStatus], target: AdmissionStatus | str) -> bool:
    # Conditional on the current status, so a concurrent change makes this one fail.
    result = db.session.execute(
        update(Assessor)
        .where(Assessor.id == assessor.id, Assessor.admission_status.in_(allowed))
        .values(admission_status=AdmissionStatus(target))
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(assessor)
    return rowcount(result) == 1


def _require_conditions(
    manager: User, assessor: Assessor, now: datetime, cancel: AdmissionDecision | None = None
) -> None:
    missing = missing_for_admission(assessor, now=now)
    if not missing:
        return
    if cancel is not None:
        cancel.cancelled_at = now
    record_audit(
        manager,
        "admission.refused",
        assessor,
        at=now,
        outcome="refused",
        after={"missing": missing},
    )
    db.session.commit()
    raise NotEligible("The assessor cannot be admitted yet: " + "; ".join(missing), missing)
