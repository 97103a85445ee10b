"""Choosing an assessor: shortlist, select and invite; the invited assessor's answer and
conflict declaration.

Each step that names an assessor asks the gate first (AC-07). Each public function is one unit
of work and commits once: a refusal is audited and committed, then raised as NotEligible (409).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from registry.assessor_facts import load
from registry.audit import record_audit
from registry.commissions import rules, verdicts
from registry.eligibility import Stage
from registry.eligibility.wording import long_date
from registry.errors import InvalidTransition, ValidationFailed
from registry.extensions import db
from registry.models import Commission, CommissionStatus, ConflictDeclaration, ShortlistEntry, User
from registry.notifications import Link, notify, panel_members

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


def add_to_shortlist(
    officer: User, commission: Commission, assessor_id: int, *, now: datetime
) -> None:
    """Shortlist an eligible assessor. Raises NotEligible (409, audited) for anyone else."""
    rules.require_requester(officer, commission)
    if commission.status is not S.SHORTLISTING:
        raise InvalidTransition("Assessors can be shortlisted only while finding an assessor")
    eligibility = verdicts.evaluate(assessor_id, commission, now=now, stage=Stage.SHORTLIST)
    if not eligibility.eligible:
        refusal = verdicts.record_refusal(
            officer, commission, assessor_id, Stage.SHORTLIST, eligibility, now=now
        )
        db.session.commit()
        raise refusal
    if any(entry.assessor_id == assessor_id for entry in commission.shortlist):
        return
    commission.shortlist.append(
        ShortlistEntry(assessor_id=assessor_id, added_by=officer, added_at=now)
    )
    record_audit(
        officer, "commission.shortlisted", commission, at=now, after={"assessor_id": assessor_id}
    )
    db.session.commit()


def select_assessor(
    officer: User, commission: Commission, assessor_id: int, *, now: datetime
) -> None:
    """Select an eligible assessor and invite them. Raises NotEligible or InvalidTransition."""
    rules.require_requester(officer, commission)
    loaded = load([assessor_id])
    eligibility = verdicts.evaluate_loaded(
        loaded, assessor_id, commission, now=now, stage=Stage.SELECTION
    )
    if not eligibility.eligible:
        refusal = verdicts.record_refusal(
            officer, commission, assessor_id, Stage.SELECTION, eligibility, now=now
        )
        db.session.commit()
        raise refusal
    rules.transition(officer, commission, S.AWAITING_ASSESSOR, now=now)
    commission.selected_assessor_id = assessor_id
    commission.selected_at = now
    record_audit(
        officer,
        "commission.assessor_selected",
        commission,
        at=now,
        after={"assessor_id": assessor_id},
    )
    notify(
        [loaded.assessors[assessor_id].user],
        f"Commission {commission.case_reference}: you have been invited",
        f"A commissioning officer of {commission.organisation.name} has selected you for "
        f"an assessment needed by {long_date(commission.needed_by)}. Sign in to accept or "
        "decline and to declare any conflict of interest.",
        link=Link("commissions.invitation", {"commission_id": commission.id}),
        now=now,
    )
    db.session.commit()


def respond(user: User, commission: Commission, answer: Answer, *, now: datetime) -> str:
    """Record the invited assessor's answer; returns "declined", "ended" or "accepted".

    Any declared conflict ends the selection (decision 0007). When the gate refuses at the
    declaration, the assessor's declaration is kept with the refusal: it is their answer.
    """
    if commission.status is not S.AWAITING_ASSESSOR:
        raise InvalidTransition("This invitation has already been answered")
    assessor_id = commission.selected_assessor_id
    assert assessor_id is not None  # awaiting the assessor means one was selected
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
    conflicts = verdicts.declared_conflicts(declaration)
    if answer.accept and not conflicts and not answer.no_conflict:
        raise ValidationFailed(
            "Select the conflicts that apply, or 'I have no conflict with any of these parties'",
            "conflicts",
        )
    db.session.add(declaration)
    db.session.flush()
    if not answer.accept or conflicts:
        outcome = "declined" if not answer.accept else "ended"
        _end_selection(user, commission, outcome, conflicts, now=now)
        db.session.commit()
        return outcome
    eligibility = verdicts.evaluate(assessor_id, commission, now=now, stage=Stage.DECLARATION)
    if not eligibility.eligible:
        refusal = verdicts.record_refusal(
            user, commission, assessor_id, Stage.DECLARATION, eligibility, now=now
        )
        db.session.commit()  # the declaration is kept with the refusal
        raise refusal
    rules.transition(user, commission, S.AWAITING_PANEL, now=now)
    record_audit(
        user,
        "commission.accepted",
        commission,
        at=now,
        after={"declaration_id": declaration.id, "no_conflict": declaration.no_conflict},
    )
    notify(
        panel_members(commission.organisation_id),
        f"Commission {commission.case_reference}: a request awaits the panel",
        f"Commission request {commission.case_reference} of {commission.organisation.name} "
        "is ready for a panel decision.",
        link=Link("commissions.show", {"commission_id": commission.id}),
        now=now,
    )
    notify(
        [commission.requester],
        f"Commission {commission.case_reference}: the assessor accepted",
        "The assessor accepted and declared no conflict. The request now waits for the panel.",
        link=Link("commissions.show", {"commission_id": commission.id}),
        now=now,
    )
    db.session.commit()
    return "accepted"


def _end_selection(
    user: User, commission: Commission, outcome: str, conflicts: list[str], *, now: datetime
) -> None:
    rules.transition(user, commission, S.SHORTLISTING, now=now)
    commission.selected_assessor_id = None
    commission.selected_at = None
    action = "commission.declined" if outcome == "declined" else "commission.conflict_ended"
    record_audit(user, action, commission, at=now)
    reason = (
        "The assessor declined."
        if outcome == "declined"
        else "The assessor declared a conflict with the named parties ("
        + "; ".join(conflicts)
        + "). Any declared conflict makes an assessor not independent, so the selection has "
        "ended."
    )
    notify(
        [commission.requester],
        f"Commission {commission.case_reference}: choose another assessor",
        reason + " Choose another eligible assessor.",
        link=Link("commissions.search_results", {"commission_id": commission.id}),
        now=now,
    )
