"""The eligibility gate, rule by rule: no app, no database."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import FrozenInstanceError, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from registry.eligibility import (
    AdmissionStanding,
    AssessmentType,
    AssessorFacts,
    CaseDescription,
    DbsLevel,
    OffenceCategory,
    Outcome,
    Population,
    Purpose,
    RegistrationFact,
    RuleCode,
    Stage,
    assess,
)
from registry.eligibility.wording import long_date, months_before, years_before

TODAY = date(2026, 11, 20)
R = RuleCode
Change = Callable[[Any, AssessorFacts, CaseDescription], tuple[AssessorFacts, CaseDescription]]


def ago(days: int = 0, *, years: int = 0) -> date:
    return years_before(TODAY, years) - timedelta(days=days)


def facts_(**changes: Any) -> Change:
    return lambda b, f, c: (replace(f, **changes), c)


def nested(name: str, **changes: Any) -> Change:
    return lambda b, f, c: (b.nested(f, name, **changes), c)


def case_(**changes: Any) -> Change:
    return lambda b, f, c: (f, replace(c, **changes))


def add_registration(**fields: Any) -> Change:
    def change(b: Any, f: AssessorFacts, c: CaseDescription) -> Any:
        extra = RegistrationFact(
            **{"registration_id": 12, "outcome": Outcome.CLEAR, "checked_on": ago(2), **fields}
        )
        return replace(f, registrations=(*f.registrations, extra)), c

    return change


def run(b: Any, policy: Any, kind: AssessmentType, change: Change, stage: Stage = Stage.APPROVAL):
    facts, case = change(b, b.facts(kind), b.case(kind))
    return assess(facts, case, policy, TODAY, stage=stage)


ADULT, YOUNG, FEMALE, LD, ONLINE, PROTECT = (
    AssessmentType.ADULT_MALE,
    AssessmentType.YOUNG_PERSON_HSB,
    AssessmentType.FEMALE,
    AssessmentType.LEARNING_DISABILITY,
    AssessmentType.ONLINE_IIOC,
    AssessmentType.PROTECTIVE_CAPACITY,
)
UNREGULATED = {R.REGULATED, R.FRESHLY_VERIFIED}

FAILURES = [
    pytest.param(ADULT, facts_(admission=AdmissionStanding.APPLIED), {R.ADMITTED}, id="applied"),
    pytest.param(
        ADULT, facts_(admission=AdmissionStanding.SUSPENDED), {R.ADMITTED}, id="suspended"
    ),
    pytest.param(ADULT, facts_(admission=AdmissionStanding.REMOVED), {R.ADMITTED}, id="removed"),
    pytest.param(ADULT, facts_(admission=AdmissionStanding.REFUSED), {R.ADMITTED}, id="refused"),
    pytest.param(ADULT, facts_(attested_on=None), {R.ATTESTED}, id="never-attested"),
    pytest.param(ADULT, facts_(attested_on=ago(121)), {R.ATTESTED}, id="attestation-121-days"),
    pytest.param(ADULT, facts_(registrations=()), UNREGULATED, id="no-registration"),
    *(
        pytest.param(ADULT, nested("registrations", outcome=o), UNREGULATED, id=f"outcome-{o}")
        for o in (Outcome.BLOCKED, Outcome.NOT_FOUND, Outcome.NAME_MISMATCH, Outcome.UNREADABLE)
    ),
    pytest.param(
        ADULT,
        nested("registrations", outcome=Outcome.RESTRICTED),
        UNREGULATED | {R.NO_RESTRICTION},
        id="outcome-restricted",
    ),
    pytest.param(ADULT, nested("registrations", body="bps"), UNREGULATED, id="bps-only"),
    pytest.param(ADULT, nested("registrations", body="ukcp"), UNREGULATED, id="ukcp-only"),
    pytest.param(ADULT, nested("registrations", body="hpc"), UNREGULATED, id="unknown-body"),
    pytest.param(
        ADULT, nested("registrations", entries=("educational",)), UNREGULATED, id="wrong-modality"
    ),
    pytest.param(ADULT, nested("registrations", entries=()), UNREGULATED, id="no-modality"),
    pytest.param(
        ADULT,
        nested("registrations", profession="social_worker"),
        UNREGULATED,
        id="profession-not-on-that-register",
    ),
    pytest.param(
        ADULT, nested("registrations", checked_on=ago(31)), {R.FRESHLY_VERIFIED}, id="check-31-days"
    ),
    pytest.param(
        ADULT,
        nested("registrations", manual=True, checked_on=ago(91)),
        {R.FRESHLY_VERIFIED},
        id="manual-check-91-days",
    ),
    pytest.param(
        ADULT, nested("registrations", period_to=ago(1)), {R.FRESHLY_VERIFIED}, id="period-ended"
    ),
    pytest.param(
        ADULT, nested("registrations", checked_on=None), {R.FRESHLY_VERIFIED}, id="check-undated"
    ),
    pytest.param(
        ADULT,
        nested("registrations", conditions="Must work under supervision"),
        {R.NO_RESTRICTION},
        id="conditions-on-clear-entry",
    ),
    pytest.param(
        ADULT,
        add_registration(body="gmc", profession="psychiatrist", outcome=Outcome.RESTRICTED),
        {R.NO_RESTRICTION},
        id="restriction-on-another-register",
    ),
    pytest.param(ADULT, facts_(experience=()), {R.EXPERIENCED}, id="no-experience"),
    pytest.param(ADULT, nested("experience", count=9), {R.EXPERIENCED}, id="nine-assessments"),
    pytest.param(
        ADULT,
        nested("experience", last_case_on=ago(1, years=3)),
        {R.EXPERIENCED},
        id="last-case-over-3-years",
    ),
    pytest.param(
        ADULT, nested("experience", last_case_on=None), {R.EXPERIENCED}, id="last-case-undated"
    ),
    pytest.param(
        ADULT,
        nested("experience", period_from=date(2015, 1, 1), period_to=ago(1, years=5)),
        {R.EXPERIENCED},
        id="experience-before-window",
    ),
    pytest.param(
        ADULT,
        nested("experience", assessment_purpose=Purpose.PROTECTIVE_CAPACITY),
        {R.EXPERIENCED},
        id="experience-of-other-purpose",
    ),
    pytest.param(
        ADULT,
        case_(
            offence_categories=frozenset(
                {OffenceCategory.CONTACT_INTRA_FAMILIAL, OffenceCategory.OFFENCES_AGAINST_ADULTS}
            )
        ),
        {R.EXPERIENCED},
        id="second-category-without-experience",
    ),
    pytest.param(ADULT, case_(offence_categories=frozenset()), {R.EXPERIENCED}, id="no-category"),
    pytest.param(ADULT, facts_(tool_trainings=()), {R.TRAINED_IN_FITTING_TOOL}, id="no-training"),
    pytest.param(
        ADULT,
        nested("tool_trainings", refresher_due=ago(1)),
        {R.TRAINED_IN_FITTING_TOOL},
        id="refresher-overdue",
    ),
    pytest.param(
        ADULT,
        nested("tool_trainings", trained_on=ago(1, years=3)),
        {R.TRAINED_IN_FITTING_TOOL},
        id="default-refresher-overdue",
    ),
    pytest.param(
        ADULT,
        nested("tool_trainings", tool_code="STATIC-2002"),
        {R.TRAINED_IN_FITTING_TOOL},
        id="tool-not-in-policy",
    ),
    pytest.param(
        YOUNG,
        nested("tool_trainings", owner_approved=False),
        {R.TRAINED_IN_FITTING_TOOL, R.SPECIAL_POPULATIONS},
        id="aim-without-approval",
    ),
    *(
        pytest.param(
            kind,
            nested("experience", population=Population.ADULT_MALE),
            {R.SPECIAL_POPULATIONS},
            id=f"no-{kind}-population-experience",
        )
        for kind in (FEMALE, YOUNG, LD, ONLINE)
    ),
    pytest.param(
        FEMALE,
        nested("experience", count=2),
        {R.EXPERIENCED, R.SPECIAL_POPULATIONS},
        id="two-women",
    ),
    pytest.param(
        ADULT, case_(learning_disability=True), {R.SPECIAL_POPULATIONS}, id="ld-subject-adult-type"
    ),
    pytest.param(
        ADULT,
        case_(
            offence_categories=frozenset(
                {OffenceCategory.CONTACT_INTRA_FAMILIAL, OffenceCategory.ONLINE_GROOMING}
            )
        ),
        {R.EXPERIENCED, R.SPECIAL_POPULATIONS},
        id="online-grooming-needs-online-experience",
    ),
    pytest.param(ADULT, facts_(dbs=None), {R.SAFEGUARDING_CHECK}, id="no-dbs"),
    pytest.param(
        ADULT, nested("dbs", level=DbsLevel.BASIC), {R.SAFEGUARDING_CHECK}, id="basic-dbs"
    ),
    pytest.param(
        ADULT, nested("dbs", level=DbsLevel.STANDARD), {R.SAFEGUARDING_CHECK}, id="standard-dbs"
    ),
    pytest.param(
        ADULT,
        nested("dbs", issued_on=ago(1, years=3)),
        {R.SAFEGUARDING_CHECK},
        id="dbs-old-not-on-update-service",
    ),
    pytest.param(
        ADULT,
        nested("dbs", issued_on=ago(years=4), update_service=True, last_status_check_on=ago(31)),
        {R.SAFEGUARDING_CHECK},
        id="dbs-update-check-31-days",
    ),
    pytest.param(
        ADULT,
        nested("dbs", issued_on=ago(years=4), update_service=True),
        {R.SAFEGUARDING_CHECK},
        id="dbs-update-never-checked",
    ),
    pytest.param(
        ADULT,
        nested("dbs", disclosure=True),
        {R.SAFEGUARDING_CHECK},
        id="disclosure-without-decision",
    ),
    pytest.param(ADULT, facts_(insurance=None), {R.INSURED}, id="no-insurance"),
    pytest.param(
        ADULT,
        nested("insurance", covers_expert_reports=False),
        {R.INSURED},
        id="insurance-not-for-expert-reports",
    ),
    pytest.param(
        ADULT,
        nested("insurance", expires_on=TODAY + timedelta(days=42)),
        {R.INSURED},
        id="insurance-expires-on-needed-by",
    ),
    pytest.param(
        ADULT, nested("insurance", expires_on=ago(1)), {R.INSURED}, id="insurance-expired"
    ),
    pytest.param(ADULT, facts_(cpd_last_recorded_on=None), {R.CPD_AND_SUPERVISION}, id="no-cpd"),
    pytest.param(
        ADULT,
        facts_(cpd_last_recorded_on=months_before(TODAY, 12) - timedelta(days=1)),
        {R.CPD_AND_SUPERVISION},
        id="cpd-over-12-months",
    ),
    pytest.param(
        ADULT, facts_(supervision_arrangement=None), {R.CPD_AND_SUPERVISION}, id="no-supervision"
    ),
    pytest.param(
        ADULT, facts_(supervision_arrangement="  "), {R.CPD_AND_SUPERVISION}, id="blank-supervision"
    ),
    pytest.param(ADULT, facts_(conflict=None), {R.INDEPENDENT}, id="no-declaration-at-approval"),
    pytest.param(
        ADULT,
        nested(
            "conflict", no_conflict=False, conflicts=("a treating relationship with the subject",)
        ),
        {R.INDEPENDENT},
        id="treating-clinician",
    ),
    pytest.param(
        ADULT,
        nested("conflict", no_conflict=False, conflicts=("prior involvement in this case",)),
        {R.INDEPENDENT},
        id="prior-involvement",
    ),
    pytest.param(
        ADULT, nested("conflict", no_conflict=False), {R.INDEPENDENT}, id="declaration-says-nothing"
    ),
]


@pytest.mark.parametrize("kind", list(AssessmentType))
@pytest.mark.parametrize("stage", list(Stage))
def test_baseline_assessor_is_eligible_for_every_assessment_type(
    baseline, gate_policy, kind, stage
):
    result = assess(baseline.facts(kind), baseline.case(kind), gate_policy, TODAY, stage=stage)
    assert result.failed_reasons == []
    assert result.eligible


@pytest.mark.parametrize(("kind", "change", "expected"), FAILURES)
def test_assessor_missing_a_requirement_fails_exactly_the_rules_concerned(
    baseline, gate_policy, kind, change, expected
):
    result = run(baseline, gate_policy, kind, change)
    assert not result.eligible
    assert set(result.failed_codes) == {code.value for code in expected}
    assert all(rule.sentence.endswith(".") for rule in result.failed)


def test_rules_come_in_their_stable_order(baseline, gate_policy):
    result = assess(baseline.facts(ADULT), baseline.case(ADULT), gate_policy, TODAY)
    assert [rule.code for rule in result.rules] == [
        "admitted",
        "attested",
        "regulated",
        "qualified",
        "freshly_verified",
        "no_restriction",
        "experienced",
        "trained_in_fitting_tool",
        "special_populations",
        "safeguarding_check",
        "insured",
        "cpd_and_supervision",
        "independent",
    ]
    assert result.policy_version == gate_policy.version == "2026.2"


def test_eligible_result_cites_the_evidence_behind_each_rule(baseline, gate_policy):
    result = assess(baseline.facts(ADULT), baseline.case(ADULT), gate_policy, TODAY)
    cited = {rule.code: rule.evidence_ids for rule in result.rules}
    assert cited["regulated"] == cited["freshly_verified"] == (101,)
    assert cited["qualified"] == (151,)
    assert cited["trained_in_fitting_tool"] == (201,)
    assert cited["experienced"] == (301,)
    assert cited["safeguarding_check"] == (401,)
    assert cited["insured"] == (501,)
    assert cited["cpd_and_supervision"] == (601, 602)
    assert cited["independent"] == (701,)
    assert result.evidence_ids == (101, 151, 201, 301, 401, 501, 601, 602, 701, 801, 802)


def test_failed_helpers_list_the_failing_rules_and_their_sentences(baseline, gate_policy):
    facts = replace(baseline.facts(ADULT), insurance=None, attested_on=None)
    result = assess(facts, baseline.case(ADULT), gate_policy, TODAY)
    assert result.failed_codes == ("attested", "insured")
    assert result.failed_reasons == [
        "The assessor has never attested that the profile is accurate.",
        "No professional indemnity insurance is recorded.",
    ]
    assert result.rule("insured").passed is False
    with pytest.raises(KeyError):
        result.rule("charm")


def test_results_are_frozen(baseline, gate_policy):
    result = assess(baseline.facts(ADULT), baseline.case(ADULT), gate_policy, TODAY)
    with pytest.raises(FrozenInstanceError):
        result.eligible = False  # type: ignore[misc]


def test_baseline_builders_use_the_same_today(baseline):
    assert baseline.today == TODAY


@pytest.mark.parametrize(
    ("day", "words"),
    [(date(2025, 3, 3), "3 March 2025"), (date(2026, 11, 20), "20 November 2026")],
)
def test_dates_are_written_in_govuk_style(day, words):
    assert long_date(day) == words


def test_gate_and_policy_import_only_the_standard_library_and_themselves():
    # ...and the shared vocabulary, a leaf that itself imports only the standard library.
    root = Path(__file__).resolve().parents[2] / "registry"
    sources = [
        root / "policy.py",
        root / "vocabulary.py",
        *sorted((root / "eligibility").glob("*.py")),
    ]
    for source in sources:
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                pure = name.startswith("registry.eligibility") or name == "registry.vocabulary"
                assert top in _STDLIB or pure, (source, name)


_STDLIB = {
    "__future__",
    "calendar",
    "collections",
    "dataclasses",
    "datetime",
    "enum",
    "pathlib",
    "tomllib",
    "typing",
}
