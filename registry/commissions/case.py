"""The structured case description: the form's data and the gate's CaseDescription."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from registry.eligibility import (
    AccessToChild,
    AgeBand,
    AssessmentType,
    CaseDescription,
    Context,
    ConvictionStatus,
    OffenceCategory,
    Purpose,
    Sex,
)
from registry.models import Commission

CHECKLIST_ITEMS = {
    "daily_life": "The child's daily life: who looks after the child when, and where the "
    "subject fits in it",
    "agencies": "Every agency working with the family, voluntary ones included, and what each "
    "has said",
    "concerns": "The concerns of whoever raised them",
    "police": "Police information, including the sex offender management unit's assessment, "
    "and any other force's",
    "previous_assessments": "Previous assessments of the subject and who made them",
}
CHECKLIST_STATES = {
    "provided": "Provided",
    "requested": "Requested and awaited",
    "not_applicable": "Not applicable",
}


@dataclass(frozen=True)
class CaseData:
    """What an officer types to describe a case (no child's name anywhere)."""

    case_reference: str
    context: str
    court_permission_on: date | None
    subject_sex: str
    subject_age_band: str
    conviction_status: str
    learning_disability: bool
    language_needs: str | None
    offence_categories: list[str]
    assessment_type: str
    assessment_purpose: str
    access_to_child: str
    access_details: str
    needed_by: date
    questions: str
    budget_pence: int | None
    named_parties: list[str] = field(default_factory=list)
    information_checklist: dict[str, dict[str, str]] = field(default_factory=dict)


def case_description(commission: Commission) -> CaseDescription:
    """The gate's view of a commission's case."""
    return CaseDescription(
        context=Context(commission.context),
        subject_sex=Sex(commission.subject_sex),
        age_band=AgeBand(commission.subject_age_band),
        conviction_status=ConvictionStatus(commission.conviction_status),
        learning_disability=commission.learning_disability,
        offence_categories=frozenset(OffenceCategory(c) for c in commission.offence_categories),
        assessment_type=AssessmentType(commission.assessment_type),
        assessment_purpose=Purpose(commission.assessment_purpose),
        needed_by=commission.needed_by,
        access_to_child=AccessToChild(commission.access_to_child),
        language_needs=commission.language_needs,
        named_parties=tuple(commission.named_parties),
    )
