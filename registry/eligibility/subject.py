"""Which populations a case's subject belongs to, read from the structured case description."""

from __future__ import annotations

from registry.eligibility.facts import CaseDescription
from registry.eligibility.policy_model import AssessmentTypeRule
from registry.eligibility.vocabulary import AgeBand, OffenceCategory, Population, Sex

ONLINE_OFFENCES = frozenset({OffenceCategory.IIOC, OffenceCategory.ONLINE_GROOMING})


def primary_population(case: CaseDescription) -> Population:
    """Young person for any subject under 18; otherwise woman or adult man."""
    if case.age_band != AgeBand.ADULT:
        return Population.YOUNG_PERSON
    if case.subject_sex == Sex.FEMALE:
        return Population.FEMALE
    return Population.ADULT_MALE


def subject_populations(case: CaseDescription) -> frozenset[Population]:
    """Every population the subject belongs to: age and sex, learning disability, online."""
    found = {primary_population(case)}
    if case.learning_disability:
        found.add(Population.LEARNING_DISABILITY)
    if case.offence_categories & ONLINE_OFFENCES:
        found.add(Population.ONLINE)
    return frozenset(found)


def required_populations(case: CaseDescription, kind: AssessmentTypeRule) -> tuple[Population, ...]:
    """Populations whose experience the case needs, in a stable order.

    When the subject is a parent or carer (`subject_is_offender` false) their sex and age say
    nothing about offending, so only a learning disability and the type's own populations count.
    """
    needed = set(kind.required_populations)
    if kind.subject_is_offender:
        needed |= subject_populations(case)
    elif case.learning_disability:
        needed.add(Population.LEARNING_DISABILITY)
    return tuple(p for p in Population if p in needed)
