"""Commission requests: describe the case, shortlist and select, the assessor's declaration.

Every step that names an assessor asks the gate first (AC-07): search, shortlist, selection,
declaration and approval (approval lives in decisions.py). A refusal is audited and raised as
NotEligible (409). Officers, panel members and auditors act only inside their own authority
(AC-04): anyone else is told the request does not exist.
"""

from __future__ import annotations

import re
from datetime import datetime

from flask import current_app
from sqlalchemy import select, update

from registry import notifications
from registry.assessor_facts import assessor_facts, load_assessor
from registry.audit import record_audit
from registry.clock import uk_date_of
from registry.commissions.case import CHECKLIST_ITEMS, CaseData, case_description
from registry.commissions.states import check_transition
from registry.eligibility import (
    AssessmentType,
    ConflictFact,
    ConvictionStatus,
    Eligibility,
    Stage,
    assess,
)
from registry.errors import InvalidTransition, NotAllowed, NotEligible, NotFound, ValidationFailed
from registry.extensions import db
from registry.models import (
    Commission,
    CommissionStatus,
    ConflictDeclaration,
    Notification,
    Role,
    ShortlistEntry,
    User,
)
from registry.policy_store import current_policy

S = CommissionStatus
CASE_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_.-]{0,49}")
EDITABLE = frozenset({S.DRAFT, S.SHORTLISTING})
# The conflicts an assessor can declare against the named parties, in words. Any one of them makes
# the assessor not independent for the commission (DOMAIN decision "Any declared conflict").
CONFLICT_WORDS = {
    "prior_involvement": "prior involvement in this case",
    "treating_relationship": "a treating relationship with the subject",
    "professional_or_personal_relationship": "a professional or personal relationship with a party",
    "financial_interest": "a financial interest",
}


def declared_conflicts(declaration: ConflictDeclaration) -> list[str]:
    """The conflicts a declaration names, in words (the assessor's details last)."""
    found = [words for flag, words in CONFLICT_WORDS.items() if getattr(declaration, flag)]
    if found and declaration.details.strip():
        found.append(f"details given: {declaration.details.strip()}")
    return found


def visible_to(user: User):
    """The commission requests a user may see: their own authority's (AC-04)."""
    if user.role not in (Role.OFFICER, Role.PANEL_MEMBER, Role.AUDITOR) or not user.organisation_id:
        return select(Commission).where(Commission.id.is_(None))
    return select(Commission).where(Commission.organisation_id == user.organisation_id)


def get_commission(user: User, commission_id: int) -> Commission:
    """A commission the user may see. Raises NotFound for another authority's (AC-04)."""
    commission = db.session.scalar(visible_to(user).where(Commission.id == commission_id))
    if commission is None:
        raise NotFound("That commission request does not exist")
    return commission


def raise_request(officer: User, data: CaseData, *, now: datetime) -> Commission:
    """Create a draft commission request for the officer's authority."""
    _require_officer(officer)
    _check_case(data, now=now)
    commission = Commission(
        organisation_id=officer.organisation_id,
        requester=officer,
        status=S.DRAFT,
        created_at=now,
        updated_at=now,
    )
    _apply(commission, data)
    db.session.add(commission)
    db.session.flush()
    record_audit(
        officer,
        "commission.raised",
        commission,
        at=now,
        after={"case_reference": data.case_reference},
    )
    db.session.commit()
    return commission


def update_request(officer: User, commission: Commission, data: CaseData, *, now: datetime) -> None:
    """Change the case description while no assessor has been selected."""
    _require_requester(officer, commission)
    if commission.status not in EDITABLE:
        raise InvalidTransition("The case can no longer be changed: an assessor has been selected")
    _check_case(data, now=now)
    _apply(commission, data)
    commission.updated_at = now
    record_audit(officer, "commission.updated", commission, at=now)
    db.session.commit()


def start_search(officer: User, commission: Commission, *, now: datetime) -> None:
    """Move a draft to finding an assessor."""
    _require_requester(officer, commission)
    if commission.status is S.SHORTLISTING:
        return
    _transition(officer, commission, S.SHORTLISTING, now=now)
    db.session.commit()


def evaluate(
    assessor_id: int, commission: Commission, *, now: datetime, stage: Stage
) -> Eligibility:
    """Run the gate for one assessor on one commission at this moment."""
    assessor = load_assessor(assessor_id)
    if assessor is None:
        raise NotFound("That assessor does not exist")
    facts = assessor_facts(assessor, now=now, conflict=_conflict_fact(commission, assessor_id))
    return assess(
        facts, case_description(commission), current_policy(), uk_date_of(now), stage=stage
    )


def selected_verdict(commission: Commission, *, now: datetime) -> Eligibility | None:
    """The gate's verdict now on the selected assessor, while the panel has yet to decide; what
    the officer and the panel read (reasons, warnings, any declared conflict)."""
    if commission.selected_assessor_id is None or commission.status not in (
        S.AWAITING_ASSESSOR,
        S.AWAITING_PANEL,
    ):
        return None
    stage = Stage.APPROVAL if commission.status is S.AWAITING_PANEL else Stage.SELECTION
    return evaluate(commission.selected_assessor_id, commission, now=now, stage=stage)


def add_to_shortlist(
    officer: User, commission: Commission, assessor_id: int, *, now: datetime
) -> None:
    """Shortlist an eligible assessor. Raises NotEligible (409, audited) for anyone else."""
    _require_requester(officer, commission)
    if commission.status is not S.SHORTLISTING:
        raise InvalidTransition("Assessors can be shortlisted only while finding an assessor")
    _require_eligible(officer, commission, assessor_id, Stage.SHORTLIST, now=now)
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
    _require_requester(officer, commission)
    _require_eligible(officer, commission, assessor_id, Stage.SELECTION, now=now)
    _transition(officer, commission, S.AWAITING_ASSESSOR, now=now)
    commission.selected_assessor_id = assessor_id
    commission.selected_at = now
    record_audit(
        officer,
        "commission.assessor_selected",
        commission,
        at=now,
        after={"assessor_id": assessor_id},
    )
    db.session.commit()
    assessor = load_assessor(assessor_id)
    _notify(
        [assessor.user],
        now,
        "You have been invited to a commission",
        f"A commissioning officer of {commission.organisation.name} has selected you for "
        f"an assessment needed by {commission.needed_by:%d %B %Y}. Sign in to accept or "
        "decline and to declare any conflict of interest.",
    )


def _require_eligible(
    actor: User, commission: Commission, assessor_id: int, stage: Stage, *, now: datetime
) -> Eligibility:
    eligibility = evaluate(assessor_id, commission, now=now, stage=stage)
    if not eligibility.eligible:
        record_audit(
            actor,
            "commission.gate_refused",
            commission,
            at=now,
            outcome="refused",
            after={
                "assessor_id": assessor_id,
                "stage": str(stage),
                "failed": list(eligibility.failed_codes),
                "policy_version": eligibility.policy_version,
            },
        )
        db.session.commit()
        raise NotEligible(
            "This assessor is not eligible for this commission: "
            + " ".join(eligibility.failed_reasons),
            eligibility.failed_reasons,
        )
    return eligibility


def _conflict_fact(commission: Commission, assessor_id: int) -> ConflictFact | None:
    declaration = db.session.scalar(
        select(ConflictDeclaration)
        .where(
            ConflictDeclaration.commission_id == commission.id,
            ConflictDeclaration.assessor_id == assessor_id,
            ConflictDeclaration.accepted.is_(True),
        )
        .order_by(ConflictDeclaration.id.desc())
        .limit(1)
    )
    if declaration is None:
        return None
    conflicts = tuple(declared_conflicts(declaration))
    explicit = declaration.no_conflict_declared
    return ConflictFact(
        declared_on=uk_date_of(declaration.declared_at),
        # Declarations made before the explicit answer existed: no conflict if they named none.
        no_conflict=(not conflicts) if explicit is None else (explicit and not conflicts),
        conflicts=conflicts,
        evidence_id=declaration.id,
    )


def _transition(actor: User, commission: Commission, target: S, *, now: datetime) -> None:
    """Move a commission along the state machine with a conditional update (one winner)."""
    current = commission.status
    check_transition(current, target)
    result = db.session.execute(
        update(Commission)
        .where(Commission.id == commission.id, Commission.status == current)
        .values(status=target, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise InvalidTransition("Someone else changed this request at the same time. Refresh it")
    db.session.refresh(commission)
    record_audit(
        actor,
        "commission.status_changed",
        commission,
        at=now,
        before={"status": str(current)},
        after={"status": str(target)},
    )


def _require_officer(user: User) -> None:
    if user.role is not Role.OFFICER or not user.organisation_id:
        raise NotAllowed("Only commissioning officers can raise commission requests")


def _require_requester(user: User, commission: Commission) -> None:
    if commission.organisation_id != user.organisation_id:
        raise NotFound("That commission request does not exist")
    if user.role is not Role.OFFICER or user.id != commission.requester_id:
        raise NotAllowed("Only the officer who raised this request can do that")


def _check_case(data: CaseData, *, now: datetime) -> None:
    today = uk_date_of(now)
    if not CASE_REFERENCE.fullmatch(data.case_reference):
        raise ValidationFailed(
            "Enter the case reference using letters, numbers, / - _ or .", "case_reference"
        )
    if data.context == "care_proceedings" and data.court_permission_on is None:
        raise ValidationFailed(
            "Enter the date the court gave permission for the assessment", "court_permission_on"
        )
    if data.court_permission_on and data.court_permission_on > today:
        raise ValidationFailed(
            "The court's permission date must be today or in the past", "court_permission_on"
        )
    if data.needed_by <= today:
        raise ValidationFailed(
            "The date the assessment is needed by must be in the future", "needed_by"
        )
    _check_type_fits(data)
    if data.budget_pence is not None and data.budget_pence < 0:
        raise ValidationFailed("The budget must be £0 or more", "budget")


def _check_type_fits(data: CaseData) -> None:
    """The assessment type must agree with the case (the same condition as the gate's)."""
    kind = current_policy().assessment_type(AssessmentType(data.assessment_type))
    offending = data.conviction_status != ConvictionStatus.NONE
    if not kind.subject_is_offender and (offending or data.offence_categories):
        raise ValidationFailed(
            f"'{kind.title}' is an assessment of a parent or carer who has not sexually offended, "
            "but you have recorded sexual offending by the subject. Choose an assessment of the "
            "risk the subject poses, or record no sexual offending and no offence categories",
            "assessment_type",
        )
    if kind.subject_is_offender and not offending:
        raise ValidationFailed(
            "Select the subject's sexual offending: this type of assessment is of someone who has "
            "offended. If the subject is a parent or carer who has not, choose 'Protective "
            "capacity of a parent or carer'",
            "conviction_status",
        )
    if kind.subject_is_offender and not data.offence_categories:
        raise ValidationFailed("Select at least one offence category", "offence_categories")


def _apply(commission: Commission, data: CaseData) -> None:
    for name in (
        "case_reference",
        "context",
        "court_permission_on",
        "subject_sex",
        "subject_age_band",
        "conviction_status",
        "learning_disability",
        "language_needs",
        "assessment_type",
        "assessment_purpose",
        "access_to_child",
        "access_details",
        "needed_by",
        "questions",
        "budget_pence",
    ):
        setattr(commission, name, getattr(data, name))
    commission.offence_categories = sorted(set(data.offence_categories))
    commission.named_parties = [p.strip() for p in data.named_parties if p.strip()]
    commission.information_checklist = {
        key: value for key, value in data.information_checklist.items() if key in CHECKLIST_ITEMS
    }


def _notify(users: list[User], now: datetime, subject: str, body: str) -> None:
    for user in users:
        db.session.add(Notification(user=user, created_at=now, subject=subject, body=body))
    db.session.commit()
    for user in users:
        notifications.send(notifications.Email(to=user.email, subject=subject, body=body))


def panel_members_of(commission: Commission) -> list[User]:
    """Panel members of the commission's authority."""
    return list(
        db.session.scalars(
            select(User).where(
                User.role == Role.PANEL_MEMBER, User.organisation_id == commission.organisation_id
            )
        )
    )


def quorum() -> int:
    """Approvals needed besides the requester (default one)."""
    return int(current_app.config["PANEL_QUORUM"])
