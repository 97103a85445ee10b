"""The gate at the edges of every time limit and threshold: the last day in, the first day out."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from registry.eligibility import (
    AssessmentType,
    ExperienceFact,
    OffenceCategory,
    Population,
    Purpose,
    assess,
)
from registry.eligibility.wording import months_before, years_before

TODAY = date(2026, 11, 20)
ADULT = AssessmentType.ADULT_MALE
NEEDED_BY = TODAY + timedelta(days=42)


def ago(days: int = 0, *, years: int = 0) -> date:
    return years_before(TODAY, years) - timedelta(days=days)


def passes(baseline, policy, code, kind=ADULT, case=None, **facts_changes) -> bool:
    facts = replace(baseline.facts(kind), **facts_changes)
    return assess(facts, case or baseline.case(kind), policy, TODAY).rule(code).passed


def passes_nested(baseline, policy, code, name, kind=ADULT, **changes) -> bool:
    facts = baseline.nested(baseline.facts(kind), name, **changes)
    return assess(facts, baseline.case(kind), policy, TODAY).rule(code).passed


@pytest.mark.parametrize(("attested_on", "passed"), [(ago(120), True), (ago(121), False)])
def test_attestation_lasts_120_days(baseline, gate_policy, attested_on, passed):
    assert passes(baseline, gate_policy, "attested", attested_on=attested_on) is passed


@pytest.mark.parametrize(
    ("manual", "checked_on", "passed"),
    [
        (False, ago(30), True),
        (False, ago(31), False),
        (True, ago(14), True),
        (True, ago(15), False),
        (True, ago(30), False),
    ],
)
def test_register_check_lasts_30_days_or_14_when_manual(
    baseline, gate_policy, manual, checked_on, passed
):
    verified = passes_nested(
        baseline,
        gate_policy,
        "freshly_verified",
        "registrations",
        manual=manual,
        checked_on=checked_on,
    )
    assert verified is passed


@pytest.mark.parametrize(("period_to", "passed"), [(TODAY, True), (ago(1), False), (None, True)])
def test_registration_period_must_not_have_ended(baseline, gate_policy, period_to, passed):
    verified = passes_nested(
        baseline, gate_policy, "freshly_verified", "registrations", period_to=period_to
    )
    assert verified is passed


@pytest.mark.parametrize(("issued_on", "passed"), [(ago(years=3), True), (ago(1, years=3), False)])
def test_dbs_certificate_counts_for_3_years(baseline, gate_policy, issued_on, passed):
    assert (
        passes_nested(baseline, gate_policy, "safeguarding_check", "dbs", issued_on=issued_on)
        is passed
    )


@pytest.mark.parametrize(("checked_on", "passed"), [(ago(30), True), (ago(31), False)])
def test_update_service_status_check_lasts_30_days(baseline, gate_policy, checked_on, passed):
    ok = passes_nested(
        baseline,
        gate_policy,
        "safeguarding_check",
        "dbs",
        issued_on=ago(years=6),
        update_service=True,
        last_status_check_on=checked_on,
    )
    assert ok is passed


@pytest.mark.parametrize(
    ("expires_on", "passed"),
    [(NEEDED_BY - timedelta(days=1), False), (NEEDED_BY, False), (NEEDED_BY + timedelta(1), True)],
)
def test_insurance_must_run_beyond_the_needed_by_date(baseline, gate_policy, expires_on, passed):
    assert passes_nested(baseline, gate_policy, "insured", "insurance", expires_on=expires_on) is (
        passed
    )


@pytest.mark.parametrize(
    ("recorded_on", "passed"),
    [(months_before(TODAY, 12), True), (months_before(TODAY, 12) - timedelta(days=1), False)],
)
def test_cpd_counts_for_12_months(baseline, gate_policy, recorded_on, passed):
    ok = passes(baseline, gate_policy, "cpd_and_supervision", cpd_last_recorded_on=recorded_on)
    assert ok is passed


@pytest.mark.parametrize(
    ("last_case_on", "passed"), [(ago(years=3), True), (ago(1, years=3), False)]
)
def test_last_relevant_case_must_be_within_3_years(baseline, gate_policy, last_case_on, passed):
    ok = passes_nested(
        baseline, gate_policy, "experienced", "experience", last_case_on=last_case_on
    )
    assert ok is passed


@pytest.mark.parametrize(("count", "passed"), [(10, True), (9, False)])
def test_ten_assessments_in_the_category_are_needed(baseline, gate_policy, count, passed):
    assert passes_nested(baseline, gate_policy, "experienced", "experience", count=count) is passed


@pytest.mark.parametrize(("period_to", "passed"), [(ago(years=5), True), (ago(1, years=5), False)])
def test_experience_counts_when_its_period_overlaps_the_last_5_years(
    baseline, gate_policy, period_to, passed
):
    ok = passes_nested(
        baseline,
        gate_policy,
        "experienced",
        "experience",
        period_from=date(2010, 1, 1),
        period_to=period_to,
        last_case_on=ago(10),
    )
    assert ok is passed


def test_experience_entries_add_up_across_periods(baseline, gate_policy):
    first = baseline.facts(ADULT).experience[0]
    split = (replace(first, count=5), replace(first, count=5, evidence_id=302))
    result = assess(
        replace(baseline.facts(ADULT), experience=split), baseline.case(ADULT), gate_policy, TODAY
    )
    assert result.rule("experienced").passed
    assert result.rule("experienced").evidence_ids == (301, 302)


@pytest.mark.parametrize(("refresher_due", "passed"), [(TODAY, True), (ago(1), False)])
def test_tool_training_is_current_until_its_refresher_date(
    baseline, gate_policy, refresher_due, passed
):
    ok = passes_nested(
        baseline,
        gate_policy,
        "trained_in_fitting_tool",
        "tool_trainings",
        refresher_due=refresher_due,
    )
    assert ok is passed


@pytest.mark.parametrize(
    ("kind", "trained_on", "passed"),
    [
        (ADULT, ago(years=3), True),
        (ADULT, ago(1, years=3), False),
        (AssessmentType.LEARNING_DISABILITY, ago(years=2), True),
        (AssessmentType.LEARNING_DISABILITY, ago(1, years=2), False),
    ],
)
def test_without_a_refresher_date_the_tool_refresher_period_applies(
    baseline, gate_policy, kind, trained_on, passed
):
    ok = passes_nested(
        baseline,
        gate_policy,
        "trained_in_fitting_tool",
        "tool_trainings",
        kind=kind,
        trained_on=trained_on,
    )
    assert ok is passed


@pytest.mark.parametrize(
    ("kind", "population", "count", "passed"),
    [
        (AssessmentType.FEMALE, Population.FEMALE, 3, True),
        (AssessmentType.FEMALE, Population.FEMALE, 2, False),
        (AssessmentType.LEARNING_DISABILITY, Population.LEARNING_DISABILITY, 5, True),
        (AssessmentType.LEARNING_DISABILITY, Population.LEARNING_DISABILITY, 4, False),
    ],
)
def test_special_population_thresholds(baseline, gate_policy, kind, population, count, passed):
    facts = baseline.nested(baseline.facts(kind), "experience", population=Population.ADULT_MALE)
    extra = ExperienceFact(
        offence_category=OffenceCategory.NON_CONTACT,
        population=population,
        assessment_purpose=Purpose.RISK,
        count=count,
        period_from=date(2023, 1, 1),
        period_to=ago(5),
        last_case_on=ago(5),
        evidence_id=303,
    )
    facts = replace(facts, experience=(*facts.experience, extra))
    result = assess(facts, baseline.case(kind), gate_policy, TODAY)
    assert result.rule("special_populations").passed is passed
    assert result.eligible is passed


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (date(2028, 2, 29), 3, date(2025, 2, 28)),
        (date(2026, 11, 20), 5, date(2021, 11, 20)),
        (date(3, 1, 1), 5, date.min),
    ],
)
def test_years_before_handles_leap_days_and_the_start_of_time(day, years, expected):
    assert years_before(day, years) == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2026, 11, 20), 12, date(2025, 11, 20)),
        (date(2026, 1, 15), 2, date(2025, 11, 15)),
        (date(1, 2, 1), 12, date.min),
    ],
)
def test_months_before_clamps_to_the_end_of_a_shorter_month(day, months, expected):
    assert months_before(day, months) == expected
