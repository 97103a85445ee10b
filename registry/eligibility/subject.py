"""Which populations a case's subject belongs to, read from the structured case description."""

from __future__ import annotations

from registry.eligibility.facts import CaseDescription
from registry.eligibility.policy_model import AssessmentTypeRule
from registry.eligibility.vocabulary import (
    AgeBand,
    ConvictionStatus,
    OffenceCategory,
    Population,
    Sex,
)

ONLINE_OFFENCES = frozenset({OffenceCategory.IIOC, OffenceCategory.ONLINE_GROOMING})


def primary_population(case: CaseDescription) -> Population:
    """Young person for any subject under 18; otherwise woman or adult man."""
    if case.age_band != AgeBand.ADULT:
        return Population.YOUNG_PERSON
    if case.subject_sex == Sex.FEMALE:
        return Population.FEMALE
    return Population.ADULT_MALE


def subject_populations(case: CaseDescription) -> frozenset[Population]:
    """Every population the subject belongs to: age and sex, learning disability, online.

    Age and sex describe people who have offended (the populations are "women who have sexually
    offended" and so on), so they apply only when the case records sexual offending by the
    subject; a parent or carer with none recorded brings only a learning disability.
    """
    found = set()
    if case.conviction_status != ConvictionStatus.NONE:
        found.add(primary_population(case))
    if case.learning_disability:
        found.add(Population.LEARNING_DISABILITY)
    if case.offence_categories & ONLINE_OFFENCES:
        found.add(Population.ONLINE)
    return frozenset(found)


def required_populations(case: CaseDescription, kind: AssessmentTypeRule) -> tuple[Population, ...]:
    """Populations whose experience the case needs, in a stable order.

    Every population the case brings (female, young person, learning disability, online) is
    required whatever the assessment type, on top of the type's own.
    """
    needed = set(kind.required_populations) | subject_populations(case)
    return tuple(p for p in Population if p in needed)


def type_problem(case: CaseDescription, kind: AssessmentTypeRule) -> str | None:
    """Why the assessment type does not fit the case, or None when it does.

    A type whose subject is a parent or carer (`subject_is_offender` false) cannot be used when
    the subject has a conviction, caution, finding or allegation of sexual offending, or when
    offence categories are recorded; a risk type needs the subject's offending described.
    """
    offending = case.conviction_status != ConvictionStatus.NONE
    if not kind.subject_is_offender and (offending or case.offence_categories):
        return (
            f"The assessment type '{kind.title}' is for a parent or carer who has not sexually "
            "offended, but the case records sexual offending by the subject (a conviction, "
            "caution, finding or allegation, or offence categories); choose an assessment of the "
            "risk the subject poses"
        )
    if kind.subject_is_offender and not offending:
        return (
            f"The assessment type '{kind.title}' assesses someone who has sexually offended, but "
            "the case records no sexual offending by the subject"
        )
    return None
