"""Commission requests: describe the case, change it, start the search, cancel.

Officers act only inside their own authority (AC-04). Each public function is one unit of work
and commits once.
"""

from __future__ import annotations

import re
from datetime import datetime

from registry.audit import record_audit
from registry.clock import uk_date_of
from registry.commissions import rules
from registry.commissions.case import CHECKLIST_ITEMS, CaseData
from registry.eligibility import AssessmentType, ConvictionStatus
from registry.errors import InvalidTransition, ValidationFailed
from registry.extensions import db
from registry.models import Commission, CommissionStatus, User
from registry.policy_store import current_policy

S = CommissionStatus
CASE_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_.-]{0,49}")


def raise_request(officer: User, data: CaseData, *, now: datetime) -> Commission:
    """Create a draft commission request for the officer's authority."""
    rules.require_officer(officer)
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
    rules.require_requester(officer, commission)
    if commission.status not in rules.EDITABLE:
        raise InvalidTransition("The case can no longer be changed: an assessor has been selected")
    _check_case(data, now=now)
    _apply(commission, data)
    commission.updated_at = now
    record_audit(officer, "commission.updated", commission, at=now)
    db.session.commit()


def start_search(officer: User, commission: Commission, *, now: datetime) -> None:
    """Move a draft to finding an assessor."""
    rules.require_requester(officer, commission)
    if commission.status is S.SHORTLISTING:
        return
    rules.transition(officer, commission, S.SHORTLISTING, now=now)
    db.session.commit()


def cancel(officer: User, commission: Commission, reason: str, *, now: datetime) -> None:
    """Cancel a request, with a reason."""
    rules.require_requester(officer, commission)
    if not reason.strip():
        raise ValidationFailed("Enter the reason for cancelling the request", "reason")
    rules.transition(officer, commission, S.CANCELLED, now=now)
    record_audit(officer, "commission.cancelled", commission, at=now, after={"reason": reason})
    db.session.commit()


def check_case(data: CaseData, *, now: datetime) -> None:
    """Raise ValidationFailed if the case cannot be saved as it is (before checking answers)."""
    _check_case(data, now=now)


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
