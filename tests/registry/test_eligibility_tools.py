"""Which tools fit which subject (DOMAIN.md's examples), and the special-population rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from registry.eligibility import (
    AgeBand,
    AssessmentType,
    ConvictionStatus,
    OffenceCategory,
    Population,
    Sex,
    ToolTrainingFact,
    assess,
)
from registry.eligibility.tools import fits

TODAY = date(2026, 11, 20)
ADULT = AssessmentType.ADULT_MALE
CONTACT = OffenceCategory.CONTACT_INTRA_FAMILIAL
IIOC = OffenceCategory.IIOC


def adult_man(baseline, **changes):
    return baseline.case(ADULT, **changes)


def trained_only_in(baseline, kind, code, **changes):
    training = ToolTrainingFact(code, TODAY - timedelta(days=100), 250, **changes)
    return replace(baseline.facts(kind), tool_trainings=(training,))


def trained_rule(baseline, policy, facts, case):
    return assess(facts, case, policy, TODAY).rule("trained_in_fitting_tool")


@pytest.mark.parametrize(
    ("conviction", "fitting"),
    [
        (ConvictionStatus.CONVICTED, True),
        (ConvictionStatus.CAUTIONED, False),
        (ConvictionStatus.FINDING_OF_FACT, False),
        (ConvictionStatus.ALLEGED_ONLY, False),
    ],
)
def test_risk_matrix_2000_is_for_convicted_adult_men_only(
    baseline, gate_policy, conviction, fitting
):
    case = adult_man(baseline, conviction_status=conviction)
    assert fits(gate_policy.tool("RM2000"), case) is fitting


def test_risk_matrix_2000_is_never_for_women_or_young_people(baseline, gate_policy):
    rm2000 = gate_policy.tool("RM2000")
    assert not fits(rm2000, adult_man(baseline, subject_sex=Sex.FEMALE))
    assert not fits(rm2000, adult_man(baseline, age_band=AgeBand.AGED_12_17))


def test_alleged_only_subject_cannot_be_assessed_by_someone_trained_only_in_rm2000(
    baseline, gate_policy
):
    facts = trained_only_in(baseline, ADULT, "RM2000")
    alleged = adult_man(baseline, conviction_status=ConvictionStatus.ALLEGED_ONLY)
    refused = trained_rule(baseline, gate_policy, facts, alleged)
    assert not refused.passed
    assert "Risk Matrix 2000" not in refused.sentence
    assert "Sexual Violence Risk-20 (SVR-20)" in refused.sentence
    assert trained_rule(baseline, gate_policy, facts, adult_man(baseline)).passed


@pytest.mark.parametrize(
    ("offences", "fitting"),
    [
        ({CONTACT}, True),
        ({IIOC}, False),
        ({IIOC, CONTACT}, True),
        ({IIOC, OffenceCategory.ONLINE_GROOMING}, True),
    ],
)
def test_static_99r_is_not_for_subjects_whose_only_offences_are_indecent_images(
    baseline, gate_policy, offences, fitting
):
    case = adult_man(baseline, offence_categories=frozenset(offences))
    assert fits(gate_policy.tool("STATIC99R"), case) is fitting


def test_iioc_only_case_needs_more_than_static_99r_training(baseline, gate_policy):
    kind = AssessmentType.ONLINE_IIOC
    facts = trained_only_in(baseline, kind, "STATIC99R")
    assert not trained_rule(baseline, gate_policy, facts, baseline.case(kind)).passed
    mixed = baseline.case(kind, offence_categories=frozenset({IIOC, CONTACT}))
    assert trained_rule(baseline, gate_policy, facts, mixed).passed


def test_cport_is_only_for_men_convicted_of_indecent_image_offences(baseline, gate_policy):
    cport = gate_policy.tool("CPORT")
    assert fits(cport, adult_man(baseline, offence_categories=frozenset({IIOC})))
    assert not fits(cport, adult_man(baseline))
    alleged = adult_man(
        baseline,
        offence_categories=frozenset({IIOC}),
        conviction_status=ConvictionStatus.ALLEGED_ONLY,
    )
    assert not fits(cport, alleged)


@pytest.mark.parametrize(
    ("code", "age_band", "fitting"),
    [
        ("AIM3", AgeBand.AGED_12_17, True),
        ("AIM3", AgeBand.UNDER_12, False),
        ("AIM3", AgeBand.ADULT, False),
        ("AIM_UNDER_12", AgeBand.UNDER_12, True),
        ("AIM_UNDER_12", AgeBand.AGED_12_17, False),
    ],
)
def test_aim_models_are_for_young_people_of_their_age(
    baseline, gate_policy, code, age_band, fitting
):
    case = baseline.case(AssessmentType.YOUNG_PERSON_HSB, age_band=age_band)
    assert fits(gate_policy.tool(code), case) is fitting


def test_aim_needs_the_aim_projects_approval(baseline, gate_policy):
    kind = AssessmentType.YOUNG_PERSON_HSB
    unapproved = trained_only_in(baseline, kind, "AIM3", owner_approved=False)
    result = assess(unapproved, baseline.case(kind), gate_policy, TODAY)
    assert (
        "without the approval of the AIM Project" in result.rule("trained_in_fitting_tool").sentence
    )
    assert not result.rule("special_populations").passed
    approved = trained_only_in(baseline, kind, "AIM3", owner_approved=True)
    assert assess(approved, baseline.case(kind), gate_policy, TODAY).eligible


def test_young_person_cannot_be_assessed_with_an_adult_tool(baseline, gate_policy):
    kind = AssessmentType.YOUNG_PERSON_HSB
    facts = trained_only_in(baseline, kind, "STATIC99R")
    result = assess(facts, baseline.case(kind), gate_policy, TODAY)
    assert set(result.failed_codes) == {"trained_in_fitting_tool", "special_populations"}


def test_armidilo_s_is_for_subjects_with_a_learning_disability(baseline, gate_policy):
    armidilo = gate_policy.tool("ARMIDILO_S")
    assert fits(armidilo, baseline.case(AssessmentType.LEARNING_DISABILITY))
    assert not fits(armidilo, adult_man(baseline))
    facts = trained_only_in(baseline, ADULT, "ARMIDILO_S")
    assert not trained_rule(baseline, gate_policy, facts, adult_man(baseline)).passed
    with_ld = adult_man(baseline, learning_disability=True)
    assert trained_rule(baseline, gate_policy, facts, with_ld).passed


def test_no_actuarial_tool_fits_a_woman(baseline, gate_policy):
    woman = baseline.case(AssessmentType.FEMALE)
    fitting = {tool.code for tool in gate_policy.tools if fits(tool, woman)}
    assert fitting == {"SVR20", "RSVP"}
    assert all(gate_policy.tool(code).kind != "actuarial" for code in fitting)


@pytest.mark.parametrize("code", ["RM2000", "STATIC99R", "CPORT", "ARMIDILO_S"])
def test_woman_cannot_be_assessed_with_a_tool_built_on_men(baseline, gate_policy, code):
    kind = AssessmentType.FEMALE
    facts = trained_only_in(baseline, kind, code)
    assert not trained_rule(baseline, gate_policy, facts, baseline.case(kind)).passed


def test_structured_judgement_guides_fit_an_alleged_only_adult(baseline, gate_policy):
    alleged = adult_man(baseline, conviction_status=ConvictionStatus.ALLEGED_ONLY)
    assert fits(gate_policy.tool("SVR20"), alleged)
    assert fits(gate_policy.tool("RSVP"), alleged)


def test_one_current_training_is_enough_when_another_has_lapsed(baseline, gate_policy):
    lapsed = ToolTrainingFact("RM2000", date(2015, 1, 1), 251)
    current = ToolTrainingFact("STATIC99R", TODAY - timedelta(days=30), 252)
    facts = replace(baseline.facts(ADULT), tool_trainings=(lapsed, current))
    rule = trained_rule(baseline, gate_policy, facts, adult_man(baseline))
    assert rule.passed
    assert rule.evidence_ids == (252,)
    assert rule.sentence == (
        "Trained in Static-99R on 21 October 2026; refresher due 21 October 2029."
    )


def test_training_dated_in_the_future_does_not_count(baseline, gate_policy):
    facts = baseline.nested(
        baseline.facts(ADULT), "tool_trainings", trained_on=TODAY + timedelta(days=1)
    )
    assert not trained_rule(baseline, gate_policy, facts, adult_man(baseline)).passed


def test_protective_capacity_needs_no_tool(baseline, gate_policy):
    kind = AssessmentType.PROTECTIVE_CAPACITY
    rule = assess(baseline.facts(kind), baseline.case(kind), gate_policy, TODAY).rule(
        "trained_in_fitting_tool"
    )
    assert rule.passed
    assert rule.sentence == (
        "No risk assessment tool is required for: Protective capacity of a parent or carer."
    )


def test_a_mothers_protective_capacity_needs_no_experience_of_women_who_offend(
    baseline, gate_policy
):
    kind = AssessmentType.PROTECTIVE_CAPACITY
    result = assess(baseline.facts(kind), baseline.case(kind), gate_policy, TODAY)
    assert result.rule("special_populations").sentence == (
        "No special population applies to this case."
    )


def test_a_carer_with_a_learning_disability_needs_that_experience(baseline, gate_policy):
    kind = AssessmentType.PROTECTIVE_CAPACITY
    case = baseline.case(kind, learning_disability=True)
    result = assess(baseline.facts(kind), case, gate_policy, TODAY)
    assert result.failed_codes == ("special_populations",)


def test_risk_experience_does_not_count_for_a_protective_capacity_assessment(baseline, gate_policy):
    kind = AssessmentType.PROTECTIVE_CAPACITY
    facts = baseline.nested(baseline.facts(kind), "experience", assessment_purpose="risk")
    result = assess(facts, baseline.case(kind), gate_policy, TODAY)
    assert result.failed_codes == ("experienced",)
    assert "of protective capacity assessments or contact plan assessments" in (
        result.rule("experienced").sentence
    )


def test_young_person_special_population_sentence_names_the_aim_training(baseline, gate_policy):
    kind = AssessmentType.YOUNG_PERSON_HSB
    rule = assess(baseline.facts(kind), baseline.case(kind), gate_policy, TODAY).rule(
        "special_populations"
    )
    assert rule.sentence == (
        "12 assessments of young people with harmful sexual behaviour in the last 5 years; "
        "trained in AIM3 assessment model on 24 January 2026; refresher due 24 January 2029; "
        "approved by the AIM Project."
    )
    assert rule.evidence_ids == (301, 201)


def test_online_offending_needs_online_population_experience(baseline, gate_policy):
    kind = AssessmentType.ONLINE_IIOC
    facts = baseline.nested(baseline.facts(kind), "experience", population=Population.ADULT_MALE)
    rule = assess(facts, baseline.case(kind), gate_policy, TODAY).rule("special_populations")
    assert rule.sentence == (
        "No assessments of people who have offended online (indecent images or online grooming) "
        "in the last 5 years are recorded; the policy needs 10."
    )
