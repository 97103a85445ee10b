"""Gate integrity (docs/decisions/0007): only accepted items count, any declared conflict fails
"Independent", a sanction anywhere fails "No restriction", "Qualified" is a rule, the assessment
type must fit the case, and a registration period ending before the report is due is a warning.

Boundary tests for each point, then Hypothesis properties over generated facts.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_eligibility_properties import assessor_facts, cases, registrations

from registry.eligibility import (
    AssessmentType,
    AwaitingItem,
    ConflictFact,
    ConvictionStatus,
    OffenceCategory,
    Outcome,
    QualificationFact,
    RegistrationFact,
    Sex,
    Stage,
    assess,
    type_problem,
)

TODAY = date(2026, 11, 20)
ADULT = AssessmentType.ADULT_MALE
CAPACITY = AssessmentType.PROTECTIVE_CAPACITY
PROPERTY = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def gate(baseline, policy, kind=ADULT, stage=Stage.APPROVAL, case=None, **changes):
    facts = replace(baseline.facts(kind), **changes)
    return assess(facts, case or baseline.case(kind), policy, TODAY, stage=stage)


# 1. Only what a register manager accepted counts


def test_tool_training_awaiting_review_is_named_and_does_not_count(baseline, gate_policy):
    waiting = AwaitingItem("tool_training", "Static-99R, trained on 1 November 2026")
    result = gate(baseline, gate_policy, tool_trainings=(), awaiting_review=(waiting,))
    assert not result.eligible
    rule = result.rule("trained_in_fitting_tool")
    assert not rule.passed
    assert (
        "Tool training (Static-99R, trained on 1 November 2026) is awaiting review by a register "
        "manager and does not count until accepted." in rule.sentence
    )


def test_a_rejected_item_is_named_as_rejected(baseline, gate_policy):
    rejected = AwaitingItem("dbs_check", "issued on 1 March 2026", rejected=True)
    result = gate(baseline, gate_policy, dbs=None, awaiting_review=(rejected,))
    sentence = result.rule("safeguarding_check").sentence
    assert "A DBS certificate (issued on 1 March 2026) was rejected by a register manager" in (
        sentence
    )


def test_an_awaiting_item_is_not_mentioned_by_rules_that_passed_or_do_not_read_it(
    baseline, gate_policy
):
    waiting = AwaitingItem("insurance", "Insurer, to 1 January 2028")
    result = gate(baseline, gate_policy, awaiting_review=(waiting,))
    assert result.eligible
    assert all("awaiting review" not in rule.sentence for rule in result.rules)


def test_two_items_awaiting_review_read_in_the_plural(baseline, gate_policy):
    items = (
        AwaitingItem("experience_entry", "12 assessments"),
        AwaitingItem("experience_entry", "3 assessments"),
    )
    result = gate(baseline, gate_policy, experience=(), awaiting_review=items)
    assert "are awaiting review by a register manager and do not count until accepted" in (
        result.rule("experienced").sentence
    )


# 2. A declared conflict fails "Independent"


@pytest.mark.parametrize("stage", [Stage.DECLARATION, Stage.APPROVAL])
def test_no_declaration_fails_at_declaration_and_approval(baseline, gate_policy, stage):
    result = gate(baseline, gate_policy, stage=stage, conflict=None)
    assert result.failed_codes == ("independent",)


# 3. A sanction on any statutory register fails "No restriction"


def _second(**fields) -> RegistrationFact:
    values = dict(
        registration_id=30,
        body="nmc",
        profession="mental_health_nurse",
        outcome=Outcome.BLOCKED,
        checked_on=TODAY - timedelta(days=4),
        evidence_id=131,
        register_status="Suspended",
        sanction=True,
    )
    values.update(fields)
    return RegistrationFact(**values)


def test_a_suspension_on_another_register_fails_even_when_one_is_clear(baseline, gate_policy):
    facts = baseline.facts(ADULT)
    result = gate(baseline, gate_policy, registrations=(*facts.registrations, _second()))
    assert result.failed_codes == ("no_restriction",)
    rule = result.rule("no_restriction")
    assert "NMC mental health nurse registration shows a sanction ('Suspended')" in rule.sentence
    assert "even when another registration is clear" in rule.sentence
    assert rule.evidence_ids == (131,)
    assert result.rule("regulated").passed


def test_a_lapse_without_a_sanction_on_another_register_does_not_fail(baseline, gate_policy):
    facts = baseline.facts(ADULT)
    lapsed = _second(register_status="Lapsed", sanction=False)
    assert gate(baseline, gate_policy, registrations=(*facts.registrations, lapsed)).eligible


def test_a_sanction_on_a_rejected_registration_still_counts(baseline, gate_policy):
    facts = baseline.facts(ADULT)
    rejected = _second(rejected=True)
    result = gate(baseline, gate_policy, registrations=(*facts.registrations, rejected))
    assert "no_restriction" in result.failed_codes


def test_a_rejected_registration_is_never_relied_on(baseline, gate_policy):
    facts = baseline.facts(ADULT)
    result = gate(
        baseline, gate_policy, registrations=(replace(facts.registrations[0], rejected=True),)
    )
    assert "regulated" in result.failed_codes


# 5. The assessment type must agree with the case


@pytest.mark.parametrize(
    "status",
    [
        ConvictionStatus.CONVICTED,
        ConvictionStatus.CAUTIONED,
        ConvictionStatus.FINDING_OF_FACT,
        ConvictionStatus.ALLEGED_ONLY,
    ],
)
def test_protective_capacity_cannot_be_used_when_the_subject_has_offended(
    baseline, gate_policy, status
):
    case = baseline.case(CAPACITY, conviction_status=status)
    assert type_problem(case, gate_policy.assessment_type(CAPACITY)) is not None
    result = gate(baseline, gate_policy, kind=CAPACITY, case=case)
    assert "experienced" in result.failed_codes
    assert "is for a parent or carer who has not sexually offended" in (
        result.rule("experienced").sentence
    )


def test_protective_capacity_cannot_be_used_with_offence_categories(baseline, gate_policy):
    case = baseline.case(CAPACITY, offence_categories=frozenset({OffenceCategory.IIOC}))
    assert "experienced" in gate(baseline, gate_policy, kind=CAPACITY, case=case).failed_codes


def test_a_risk_type_needs_the_subjects_offending(baseline, gate_policy):
    case = baseline.case(ADULT, conviction_status=ConvictionStatus.NONE)
    assert "no sexual offending by the subject" in type_problem(
        case, gate_policy.assessment_type(ADULT)
    )


def test_every_population_the_case_brings_is_required_whatever_the_type(baseline, gate_policy):
    # An adult-male risk type chosen for a woman: experience with women is still required.
    case = baseline.case(ADULT, subject_sex=Sex.FEMALE)
    result = gate(baseline, gate_policy, case=case)
    assert "special_populations" in result.failed_codes
    assert "women who have sexually offended" in result.rule("special_populations").sentence


# 7. A registration period ending before the report is due


def test_a_period_ending_before_the_report_is_due_is_a_warning_not_a_failure(baseline, gate_policy):
    case = baseline.case(ADULT)
    ends = case.needed_by - timedelta(days=1)
    facts = baseline.nested(baseline.facts(ADULT), "registrations", period_to=ends)
    result = assess(facts, case, gate_policy, TODAY, stage=Stage.APPROVAL)
    assert result.eligible
    assert result.warnings == (
        "The registration period shown on the register ends on 31 December 2026, before the "
        "report is needed by 1 January 2027. The register is checked again before then; if the "
        "registration is not renewed the assessor stops being eligible and you are told.",
    )


def test_no_warning_when_the_period_runs_past_the_needed_by_date(baseline, gate_policy):
    assert gate(baseline, gate_policy).warnings == ()


# 8. "Qualified" is a rule


def test_no_qualification_fails_qualified_naming_what_counts(baseline, gate_policy):
    result = gate(baseline, gate_policy, qualifications=())
    assert result.failed_codes == ("qualified",)
    assert result.rule("qualified").sentence == (
        "No accepted qualification is recorded; this assessment needs a doctorate in clinical "
        "psychology, a doctorate in forensic psychology (or the BPS Qualification in Forensic "
        "Psychology) or a doctorate in counselling psychology."
    )


def test_a_qualification_of_another_profession_does_not_count(baseline, gate_policy):
    social_work = QualificationFact(
        "social_work_qualification", "BA Social Work", date(2010, 7, 1), 9
    )
    result = gate(baseline, gate_policy, qualifications=(social_work,))
    assert result.failed_codes == ("qualified",)
    assert "The accepted qualifications (BA Social Work) do not count" in (
        result.rule("qualified").sentence
    )


def test_the_qualification_relied_on_is_named_in_the_reason(baseline, gate_policy):
    rule = gate(baseline, gate_policy).rule("qualified")
    assert rule.passed
    assert rule.sentence == (
        "The qualification, awarded on 1 July 2012, accepted by a register manager."
    )
    assert rule.evidence_ids == (151,)


def test_a_nurse_needs_the_post_qualifying_award(baseline, gate_policy):
    facts = baseline.facts(ADULT)
    nurse = replace(
        facts.registrations[0], body="nmc", profession="mental_health_nurse", entries=()
    )
    degree = QualificationFact(None, "BSc Mental Health Nursing", date(2005, 7, 1), 8)
    result = gate(baseline, gate_policy, registrations=(nurse,), qualifications=(degree,))
    assert result.failed_codes == ("qualified",)
    assert "a post-qualifying award in assessing people who have sexually offended" in (
        result.rule("qualified").sentence
    )


# Properties

conflicts = st.lists(st.text(min_size=1, max_size=20).filter(str.strip), min_size=1, max_size=3)
stages = st.sampled_from(Stage)
facts_any = assessor_facts(registrations(clear_statutory=True))


@pytest.mark.slow
@PROPERTY
@given(facts=facts_any, case=cases, stage=stages, declared=conflicts, no_conflict=st.booleans())
def test_adding_any_declared_conflict_never_makes_an_assessor_eligible(
    gate_policy, facts, case, stage, declared, no_conflict
):
    conflicted = replace(
        facts,
        conflict=ConflictFact(TODAY, no_conflict=no_conflict, conflicts=tuple(declared)),
    )
    result = assess(conflicted, case, gate_policy, TODAY, stage=stage)
    assert not result.eligible
    assert "independent" in result.failed_codes


@pytest.mark.slow
@PROPERTY
@given(facts=facts_any, case=cases, stage=stages, extra=registrations(clear_statutory=True))
def test_adding_any_sanction_on_any_statutory_registration_never_makes_an_assessor_eligible(
    gate_policy, facts, case, stage, extra
):
    statutory = [r for r in gate_policy.bodies if r.statutory]
    sanctioned = replace(extra, body=statutory[extra.registration_id % len(statutory)].code)
    sanctioned = replace(sanctioned, sanction=True)
    result = assess(
        replace(facts, registrations=(*facts.registrations, sanctioned)),
        case,
        gate_policy,
        TODAY,
        stage=stage,
    )
    assert not result.eligible
    assert "no_restriction" in result.failed_codes


@pytest.mark.slow
@PROPERTY
@given(kind=st.sampled_from(AssessmentType), facts=facts_any, case=cases, stage=stages)
def test_removing_every_fitting_qualification_always_makes_an_assessor_ineligible(
    gate_policy, kind, facts, case, stage
):
    case = replace(case, assessment_type=kind)
    counted = {code for _, codes in gate_policy.assessment_type(kind).qualified for code in codes}
    stripped = replace(
        facts, qualifications=tuple(q for q in facts.qualifications if q.kind not in counted)
    )
    result = assess(stripped, case, gate_policy, TODAY, stage=stage)
    assert not result.eligible
    assert "qualified" in result.failed_codes


@pytest.mark.slow
@PROPERTY
@given(
    kind=st.sampled_from(AssessmentType),
    facts=facts_any,
    case=cases,
    stage=stages,
    items=st.lists(
        st.builds(
            AwaitingItem,
            item_type=st.sampled_from(
                ["qualification", "tool_training", "experience_entry", "dbs_check", "insurance"]
            ),
            summary=st.text(max_size=10),
            rejected=st.booleans(),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_an_item_that_is_not_accepted_never_changes_an_ineligible_verdict_to_eligible(
    gate_policy, kind, facts, case, stage, items
):
    case = replace(case, assessment_type=kind)
    before = assess(facts, case, gate_policy, TODAY, stage=stage)
    after = assess(
        replace(facts, awaiting_review=(*facts.awaiting_review, *items)),
        case,
        gate_policy,
        TODAY,
        stage=stage,
    )
    assert after.eligible == before.eligible
    assert after.failed_codes == before.failed_codes


@pytest.mark.slow
@PROPERTY
@given(case=cases)
def test_a_parent_or_carer_type_never_fits_a_case_with_sexual_offending(gate_policy, case):
    kind = gate_policy.assessment_type(CAPACITY)
    offending = case.conviction_status != ConvictionStatus.NONE or bool(case.offence_categories)
    assert (type_problem(case, kind) is not None) == offending
