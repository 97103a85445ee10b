"""Properties of the gate over generated facts: it fails closed, never raises, and is a function."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry.eligibility import (
    AccessToChild,
    AdmissionStanding,
    AgeBand,
    AssessmentType,
    AssessorFacts,
    AwaitingItem,
    CaseDescription,
    ConflictFact,
    Context,
    ConvictionStatus,
    DbsFact,
    DbsLevel,
    ExperienceFact,
    InsuranceFact,
    OffenceCategory,
    Outcome,
    Population,
    Purpose,
    QualificationFact,
    RegistrationFact,
    RuleCode,
    Sex,
    Stage,
    ToolTrainingFact,
    assess,
)
from registry.eligibility.wording import months_before, years_before

TODAY = date(2026, 11, 20)
PROPERTY = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
STATUTORY = ("hcpc", "swe", "gmc", "nmc", "sssc", "niscc", "scw")
BODIES = (*STATUTORY, "bps", "ukcp", "bacp", "hpc")
PROFESSIONS = (
    "practitioner_psychologist",
    "social_worker",
    "psychiatrist",
    "mental_health_nurse",
    "learning_disability_nurse",
    "doctor",
)
ENTRIES = ("forensic", "clinical", "counselling", "educational", "forensic_psychiatry")
TOOLS = ("RM2000", "STATIC99R", "CPORT", "SVR20", "RSVP", "AIM3", "AIM_UNDER_12", "ARMIDILO_S")
QUALIFICATIONS = (
    "doctorate_clinical_psychology",
    "doctorate_forensic_psychology",
    "social_work_qualification",
    "mrcpsych",
    "pq_sexual_offending",
    "phd_in_something_else",
)
ITEM_TYPES = (
    "qualification",
    "tool_training",
    "experience_entry",
    "dbs_check",
    "insurance",
    "cpd_record",
    "supervision",
)
ALL = tuple(AssessmentType)
TOOLED = tuple(k for k in AssessmentType if k != AssessmentType.PROTECTIVE_CAPACITY)
SPECIAL = (
    AssessmentType.FEMALE,
    AssessmentType.YOUNG_PERSON_HSB,
    AssessmentType.LEARNING_DISABILITY,
    AssessmentType.ONLINE_IIOC,
)


@dataclass(frozen=True)
class Mutation:
    """Take away or age one credential by `n` (1 to 3000) units; `code` must then fail."""

    name: str
    code: RuleCode
    kinds: tuple[AssessmentType, ...]
    apply: Callable[[Any, AssessorFacts, CaseDescription, int], AssessorFacts]

    def __repr__(self) -> str:
        return self.name


def top(**changes: Callable[[AssessorFacts, CaseDescription, int], Any]) -> Callable:
    return lambda b, f, c, n: replace(f, **{k: v(f, c, n) for k, v in changes.items()})


def inner(name: str, **changes: Callable[[AssessorFacts, CaseDescription, int], Any]) -> Callable:
    return lambda b, f, c, n: b.nested(f, name, **{k: v(f, c, n) for k, v in changes.items()})


def const(value: Any) -> Callable[..., Any]:
    return lambda f, c, n: value


def days_before(day: date) -> Callable[..., date]:
    return lambda f, c, n: day - timedelta(days=n)


NOT_ADMITTED = [s for s in AdmissionStanding if s != AdmissionStanding.ADMITTED]
NOT_CLEAR = [o for o in Outcome if o != Outcome.CLEAR]
R = RuleCode

MUTATIONS = [
    Mutation("not admitted", R.ADMITTED, ALL, top(admission=lambda f, c, n: NOT_ADMITTED[n % 4])),
    Mutation("never attested", R.ATTESTED, ALL, top(attested_on=const(None))),
    Mutation(
        "attestation aged", R.ATTESTED, ALL, top(attested_on=days_before(TODAY - timedelta(120)))
    ),
    Mutation("no registration", R.REGULATED, ALL, top(registrations=const(()))),
    Mutation(
        "not clear",
        R.REGULATED,
        ALL,
        inner("registrations", outcome=lambda f, c, n: NOT_CLEAR[n % 5]),
    ),
    Mutation(
        "membership only",
        R.REGULATED,
        ALL,
        inner("registrations", body=lambda f, c, n: ("bps", "ukcp", "bacp")[n % 3]),
    ),
    Mutation(
        "check aged",
        R.FRESHLY_VERIFIED,
        ALL,
        inner("registrations", checked_on=days_before(TODAY - timedelta(30))),
    ),
    Mutation(
        "manual check aged",
        R.FRESHLY_VERIFIED,
        ALL,
        inner("registrations", manual=const(True), checked_on=days_before(TODAY - timedelta(90))),
    ),
    Mutation(
        "period ended",
        R.FRESHLY_VERIFIED,
        ALL,
        inner("registrations", period_to=days_before(TODAY)),
    ),
    Mutation(
        "conditions",
        R.NO_RESTRICTION,
        ALL,
        inner("registrations", conditions=const("Supervised practice only")),
    ),
    Mutation("no experience", R.EXPERIENCED, ALL, top(experience=const(()))),
    Mutation("too few", R.EXPERIENCED, ALL, inner("experience", count=lambda f, c, n: n % 10)),
    Mutation(
        "last case aged",
        R.EXPERIENCED,
        ALL,
        inner("experience", last_case_on=days_before(years_before(TODAY, 3))),
    ),
    Mutation("no training", R.TRAINED_IN_FITTING_TOOL, TOOLED, top(tool_trainings=const(()))),
    Mutation(
        "refresher overdue",
        R.TRAINED_IN_FITTING_TOOL,
        TOOLED,
        inner("tool_trainings", refresher_due=days_before(TODAY)),
    ),
    Mutation(
        "no aim approval",
        R.TRAINED_IN_FITTING_TOOL,
        (AssessmentType.YOUNG_PERSON_HSB,),
        inner("tool_trainings", owner_approved=const(False)),
    ),
    Mutation(
        "no special population",
        R.SPECIAL_POPULATIONS,
        SPECIAL,
        inner("experience", population=const(Population.ADULT_MALE)),
    ),
    Mutation("no dbs", R.SAFEGUARDING_CHECK, ALL, top(dbs=const(None))),
    Mutation(
        "dbs aged",
        R.SAFEGUARDING_CHECK,
        ALL,
        inner("dbs", issued_on=days_before(years_before(TODAY, 3))),
    ),
    Mutation(
        "dbs update check aged",
        R.SAFEGUARDING_CHECK,
        ALL,
        inner(
            "dbs",
            issued_on=const(date(2020, 1, 1)),
            update_service=const(True),
            last_status_check_on=days_before(TODAY - timedelta(30)),
        ),
    ),
    Mutation(
        "undecided disclosure", R.SAFEGUARDING_CHECK, ALL, inner("dbs", disclosure=const(True))
    ),
    Mutation(
        "dbs too low",
        R.SAFEGUARDING_CHECK,
        ALL,
        inner("dbs", level=lambda f, c, n: (DbsLevel.BASIC, DbsLevel.STANDARD)[n % 2]),
    ),
    Mutation("no insurance", R.INSURED, ALL, top(insurance=const(None))),
    Mutation(
        "insurance ends by needed-by",
        R.INSURED,
        ALL,
        inner("insurance", expires_on=lambda f, c, n: c.needed_by - timedelta(days=n % 400)),
    ),
    Mutation(
        "insurance excludes reports",
        R.INSURED,
        ALL,
        inner("insurance", covers_expert_reports=const(False)),
    ),
    Mutation("no cpd", R.CPD_AND_SUPERVISION, ALL, top(cpd_last_recorded_on=const(None))),
    Mutation(
        "cpd aged",
        R.CPD_AND_SUPERVISION,
        ALL,
        top(cpd_last_recorded_on=days_before(months_before(TODAY, 12))),
    ),
    Mutation(
        "no supervision", R.CPD_AND_SUPERVISION, ALL, top(supervision_arrangement=const(None))
    ),
    Mutation("no declaration", R.INDEPENDENT, ALL, top(conflict=const(None))),
    Mutation("no qualification", R.QUALIFIED, ALL, top(qualifications=const(()))),
    Mutation(
        "qualification of another kind",
        R.QUALIFIED,
        ALL,
        inner("qualifications", kind=const("phd_in_something_else")),
    ),
    Mutation(
        "sanction on the registration",
        R.NO_RESTRICTION,
        ALL,
        inner("registrations", sanction=const(True)),
    ),
    Mutation(
        "treating clinician",
        R.INDEPENDENT,
        ALL,
        inner("conflict", conflicts=const(("a treating relationship with the subject",))),
    ),
    Mutation(
        "financial interest",
        R.INDEPENDENT,
        ALL,
        inner("conflict", conflicts=const(("a financial interest",))),
    ),
]

mutations = st.sampled_from(MUTATIONS).flatmap(
    lambda m: st.tuples(st.just(m), st.sampled_from(m.kinds), st.integers(1, 3000))
)

any_date = st.dates()
ids = st.none() | st.integers(1, 10**6)
short_text = st.text(max_size=12)


def registrations(*, clear_statutory: bool) -> st.SearchStrategy[RegistrationFact]:
    strategy = st.builds(
        RegistrationFact,
        registration_id=st.integers(1, 40),
        body=st.sampled_from(BODIES),
        profession=st.sampled_from(PROFESSIONS),
        outcome=st.sampled_from(Outcome),
        checked_on=st.none() | any_date,
        evidence_id=ids,
        entries=st.lists(st.sampled_from(ENTRIES), max_size=3).map(tuple),
        manual=st.booleans(),
        period_to=st.none() | any_date,
        conditions=st.none() | short_text,
        register_status=st.none() | short_text,
        sanction=st.booleans(),
        rejected=st.booleans(),
    )
    if clear_statutory:
        return strategy
    return strategy.filter(lambda r: r.body not in STATUTORY or r.outcome != Outcome.CLEAR)


def assessor_facts(registration: st.SearchStrategy[RegistrationFact]) -> st.SearchStrategy:
    return st.builds(
        AssessorFacts,
        assessor_id=st.integers(1, 10**6),
        admission=st.sampled_from(AdmissionStanding),
        legal_surname=short_text,
        attested_on=st.none() | any_date,
        registrations=st.lists(registration, max_size=4).map(tuple),
        qualifications=st.lists(
            st.builds(
                QualificationFact,
                kind=st.none() | st.sampled_from(QUALIFICATIONS),
                title=short_text,
                awarded_on=any_date,
                evidence_id=ids,
            ),
            max_size=3,
        ).map(tuple),
        awaiting_review=st.lists(
            st.builds(
                AwaitingItem,
                item_type=st.sampled_from(ITEM_TYPES),
                summary=short_text,
                rejected=st.booleans(),
            ),
            max_size=3,
        ).map(tuple),
        tool_trainings=st.lists(
            st.builds(
                ToolTrainingFact,
                tool_code=st.sampled_from((*TOOLS, "STATIC-2002")),
                trained_on=any_date,
                evidence_id=ids,
                refresher_due=st.none() | any_date,
                owner_approved=st.booleans(),
            ),
            max_size=3,
        ).map(tuple),
        experience=st.lists(
            st.builds(
                ExperienceFact,
                offence_category=st.sampled_from(OffenceCategory),
                population=st.sampled_from(Population),
                assessment_purpose=st.sampled_from(Purpose),
                count=st.integers(-5, 60),
                period_from=any_date,
                period_to=any_date,
                last_case_on=st.none() | any_date,
                evidence_id=ids,
            ),
            max_size=4,
        ).map(tuple),
        dbs=st.none()
        | st.builds(
            DbsFact,
            level=st.sampled_from(DbsLevel),
            issued_on=any_date,
            update_service=st.booleans(),
            last_status_check_on=st.none() | any_date,
            disclosure=st.booleans(),
            disclosure_decision_recorded=st.booleans(),
            evidence_id=ids,
        ),
        insurance=st.none() | st.builds(InsuranceFact, any_date, st.booleans(), ids),
        cpd_last_recorded_on=st.none() | any_date,
        supervision_arrangement=st.none() | short_text,
        conflict=st.none()
        | st.builds(
            ConflictFact,
            declared_on=any_date,
            no_conflict=st.booleans(),
            conflicts=st.lists(short_text, max_size=2).map(tuple),
            evidence_id=ids,
        ),
        admission_evidence_id=ids,
        attestation_evidence_id=ids,
        cpd_evidence_id=ids,
        supervision_evidence_id=ids,
    )


cases = st.builds(
    CaseDescription,
    context=st.sampled_from(Context),
    subject_sex=st.sampled_from(Sex),
    age_band=st.sampled_from(AgeBand),
    conviction_status=st.sampled_from(ConvictionStatus),
    learning_disability=st.booleans(),
    offence_categories=st.frozensets(st.sampled_from(OffenceCategory)),
    assessment_type=st.sampled_from(AssessmentType),
    assessment_purpose=st.sampled_from(Purpose),
    needed_by=any_date,
    access_to_child=st.sampled_from(AccessToChild),
    language_needs=st.none() | short_text,
    named_parties=st.lists(short_text, max_size=2).map(tuple),
)
stages = st.sampled_from(Stage)


@settings(PROPERTY, max_examples=200)
@given(mutation=mutations)
def test_taking_away_any_one_credential_makes_an_eligible_assessor_ineligible(
    baseline, gate_policy, mutation
):
    change, kind, n = mutation
    facts = change.apply(baseline, baseline.facts(kind), baseline.case(kind), n)
    result = assess(facts, baseline.case(kind), gate_policy, TODAY, stage=Stage.APPROVAL)
    assert not result.eligible
    assert change.code.value in result.failed_codes


@PROPERTY
@given(
    kind=st.sampled_from(AssessmentType),
    held=st.lists(registrations(clear_statutory=False), max_size=5).map(tuple),
    stage=stages,
)
def test_no_other_credential_makes_up_for_no_clear_statutory_registration(
    baseline, gate_policy, kind, held, stage
):
    facts = replace(baseline.facts(kind), registrations=held)
    result = assess(facts, baseline.case(kind), gate_policy, TODAY, stage=stage)
    assert not result.eligible
    assert "regulated" in result.failed_codes


@pytest.mark.slow
@PROPERTY
@given(
    facts=assessor_facts(registrations(clear_statutory=False)),
    case=cases,
    today=any_date,
    stage=stages,
)
def test_arbitrary_facts_without_a_clear_statutory_registration_are_never_eligible(
    gate_policy, facts, case, today, stage
):
    result = assess(facts, case, gate_policy, today, stage=stage)
    assert not result.eligible
    assert "regulated" in result.failed_codes


@pytest.mark.slow
@PROPERTY
@given(
    facts=assessor_facts(registrations(clear_statutory=True)),
    case=cases,
    today=any_date,
    stage=stages,
)
def test_assess_never_raises_and_always_answers_every_rule(gate_policy, facts, case, today, stage):
    result = assess(facts, case, gate_policy, today, stage=stage)
    assert [rule.code for rule in result.rules] == [code.value for code in RuleCode]
    assert result.eligible == all(rule.passed for rule in result.rules)
    assert all(rule.sentence and rule.sentence.endswith(".") for rule in result.rules)
    assert result.policy_version == gate_policy.version


@pytest.mark.slow
@PROPERTY
@given(
    facts=assessor_facts(registrations(clear_statutory=True)),
    case=cases,
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2050, 1, 1)),
    stage=stages,
)
def test_the_same_inputs_give_the_same_result_whatever_the_order_of_records(
    gate_policy, facts, case, today, stage
):
    first = assess(facts, case, gate_policy, today, stage=stage)
    assert assess(facts, case, gate_policy, today, stage=stage) == first
    reordered = replace(
        facts,
        registrations=facts.registrations[::-1],
        tool_trainings=facts.tool_trainings[::-1],
        experience=facts.experience[::-1],
    )
    again = assess(reordered, case, gate_policy, today, stage=stage)
    assert [r.passed for r in again.rules] == [r.passed for r in first.rules]
