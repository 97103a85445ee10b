"""The policy file: the shipped one loads, a malformed one is refused, describe() is complete."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from registry.eligibility import (
    AssessmentType,
    ConvictionStatus,
    OffenceCategory,
    Population,
    RuleCode,
)
from registry.policy import PolicyError, describe, load_policy

POLICY_FILE = Path(__file__).resolve().parents[2] / "policy" / "eligibility.toml"
REGISTRATION = (
    'registrations = [{ body = "hcpc", profession = "practitioner_psychologist", '
    'entries = ["forensic"] }]\n'
)


def minimal_policy() -> str:
    """The smallest policy the loader accepts: every population and assessment type, one tool."""
    populations = "".join(
        f'[populations.{p}]\ntitle = "population {p}"\nspecial = {str(p != "adult_male").lower()}\n'
        for p in Population
    )
    types = "".join(
        f'[assessment_types.{k}]\ntitle = "Type {k}"\n{REGISTRATION}'
        'experience_purposes = ["risk"]\ntool_required = true\nsubject_is_offender = true\n'
        for k in AssessmentType
    )
    return f"""
version = "test.1"

[freshness]
registration_check_days = 30
manual_registration_check_days = 14
attestation_days = 120
cpd_months = 12
tool_refresher_years = 3

[safeguarding]
dbs_levels = ["enhanced"]
dbs_certificate_years = 3
dbs_status_check_days = 30

[experience]
min_assessments = 10
window_years = 5
last_case_within_years = 3

[bodies.hcpc]
name = "Health and Care Professions Council"
short_name = "HCPC"
statutory = true

[bodies.bps]
name = "British Psychological Society"
short_name = "BPS"
statutory = false

[professions.practitioner_psychologist]
title = "practitioner psychologist"

[professions.practitioner_psychologist.entries]
forensic = "forensic"

[qualifications.doctorate_forensic_psychology]
title = "Doctorate in forensic psychology"

[qualified]
practitioner_psychologist = ["doctorate_forensic_psychology"]

{populations}
[tools.RM2000]
name = "Risk Matrix 2000"
kind = "actuarial"
owner = "the University of Birmingham"
populations = ["adult_male"]
conviction_statuses = ["convicted"]
training_required = true
owner_approval_required = false

{types}"""


ADULT_TYPE = '[assessment_types.adult_male]\ntitle = "Type adult_male"\n'


def adult_registration(line: str) -> tuple[str, str]:
    return ADULT_TYPE + REGISTRATION, ADULT_TYPE + line


MALFORMED = [
    pytest.param('version = "test.1"\n', "", "version is missing", id="missing-version"),
    pytest.param(
        'version = "test.1"', 'version = ""', "version must be a non-empty string", id="empty"
    ),
    pytest.param(
        'version = "test.1"', "version = 2026", "version must be a non-empty string", id="number"
    ),
    pytest.param(
        *adult_registration(REGISTRATION.replace('"hcpc"', '"hpc"')),
        "assessment_types.adult_male.registrations[0].body names an unknown body 'hpc'",
        id="unknown-body",
    ),
    pytest.param(
        *adult_registration(REGISTRATION.replace('"hcpc"', '"bps"')),
        "assessment_types.adult_male.registrations[0].body names BPS, which is not a statutory "
        "regulator",
        id="non-statutory-body",
    ),
    pytest.param(
        *adult_registration(REGISTRATION.replace('"practitioner_psychologist"', '"wizard"')),
        "assessment_types.adult_male.registrations[0].profession names an unknown profession "
        "'wizard'",
        id="unknown-profession",
    ),
    pytest.param(
        *adult_registration(REGISTRATION.replace('"forensic"', '"astrology"')),
        "assessment_types.adult_male.registrations[0].entries names an unknown register entry "
        "'astrology'",
        id="unknown-register-entry",
    ),
    pytest.param(
        *adult_registration("registrations = []\n"),
        "assessment_types.adult_male.registrations must list at least one acceptable registration",
        id="no-acceptable-registrations",
    ),
    pytest.param(
        *adult_registration(""),
        "assessment_types.adult_male.registrations must list at least one acceptable registration",
        id="registrations-missing",
    ),
    pytest.param(
        ADULT_TYPE,
        ADULT_TYPE + "min_assessments = -1\n",
        "assessment_types.adult_male.min_assessments must be a positive integer",
        id="negative-threshold",
    ),
    pytest.param(
        "registration_check_days = 30",
        "registration_check_days = 0",
        "freshness.registration_check_days must be a positive integer",
        id="zero-days",
    ),
    pytest.param(
        "attestation_days = 120",
        "attestation_days = true",
        "freshness.attestation_days must be a positive integer",
        id="boolean-days",
    ),
    pytest.param(
        "window_years = 5",
        'window_years = "five"',
        "experience.window_years must be a positive integer",
        id="text-years",
    ),
    pytest.param(
        'title = "population female"\n',
        'title = "population female"\nmin_assessments = -3\n',
        "populations.female.min_assessments must be a positive integer",
        id="negative-population-threshold",
    ),
    pytest.param(
        'populations = ["adult_male"]',
        'populations = ["adult_male", "martians"]',
        "tools.RM2000.populations names an unknown population 'martians'",
        id="tool-unknown-population",
    ),
    pytest.param(
        'populations = ["adult_male"]',
        "populations = []",
        "tools.RM2000.populations must name at least one population",
        id="tool-without-population",
    ),
    pytest.param(
        'conviction_statuses = ["convicted"]',
        'conviction_statuses = ["rumoured"]',
        "tools.RM2000.conviction_statuses names an unknown conviction status 'rumoured'",
        id="tool-unknown-conviction-status",
    ),
    pytest.param(
        'kind = "actuarial"',
        'kind = "astrological"',
        "tools.RM2000.kind must be one of actuarial",
        id="tool-unknown-kind",
    ),
    pytest.param(
        'dbs_levels = ["enhanced"]',
        'dbs_levels = ["gold"]',
        "safeguarding.dbs_levels names an unknown DBS level 'gold'",
        id="unknown-dbs-level",
    ),
    pytest.param(
        "cpd_months = 12\n",
        "cpd_months = 12\ncolour = 12\n",
        "freshness.colour is not a setting the policy knows",
        id="unknown-setting",
    ),
    pytest.param(
        "cpd_months = 12\n",
        "cpd_monthz = 12\n",
        "freshness.cpd_months is missing",
        id="misspelt-setting",
    ),
    pytest.param(
        ADULT_TYPE,
        ADULT_TYPE.replace("adult_male", "martian"),
        "assessment_types.martian is not known to the gate",
        id="unknown-assessment-type",
    ),
    pytest.param(
        "[populations.online]",
        "[populations.offline]",
        "populations.offline is not known to the gate",
        id="unknown-population",
    ),
    pytest.param(
        '[professions.practitioner_psychologist.entries]\nforensic = "forensic"\n',
        'entries = "forensic"\n',
        "professions.practitioner_psychologist.entries must be a table",
        id="entries-not-a-table",
    ),
    pytest.param(
        "manual_registration_check_days = 14",
        "manual_registration_check_days = 31",
        "freshness.manual_registration_check_days must not be longer than registration_check_days",
        id="manual-check-longer-than-automated",
    ),
    pytest.param(
        'practitioner_psychologist = ["doctorate_forensic_psychology"]',
        'practitioner_psychologist = ["phd_in_astrology"]',
        "qualified.practitioner_psychologist names an unknown qualification 'phd_in_astrology'",
        id="unknown-qualification",
    ),
    pytest.param(
        'practitioner_psychologist = ["doctorate_forensic_psychology"]',
        'wizard = ["doctorate_forensic_psychology"]',
        "qualified.wizard names an unknown profession 'wizard'",
        id="qualified-unknown-profession",
    ),
    pytest.param(
        '[qualified]\npractitioner_psychologist = ["doctorate_forensic_psychology"]\n',
        "[qualified]\n",
        "assessment_types.adult_male.registrations accepts the profession "
        "'practitioner_psychologist', but the policy lists no qualification",
        id="profession-without-qualifications",
    ),
    pytest.param(
        'version = "test.1"', 'version = "test.1', "is not valid TOML", id="bad-toml-syntax"
    ),
]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "eligibility.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_policy_loads(tmp_path):
    assert load_policy(write(tmp_path, minimal_policy())).version == "test.1"


@pytest.mark.parametrize(("old", "new", "message"), MALFORMED)
def test_malformed_policy_is_refused_naming_the_file_and_the_key(tmp_path, old, new, message):
    text = minimal_policy()
    assert old in text
    path = write(tmp_path, text.replace(old, new, 1))
    with pytest.raises(PolicyError) as refusal:
        load_policy(path)
    assert str(refusal.value).startswith(f"{path}: ")
    assert message in str(refusal.value)


def test_a_missing_assessment_type_is_refused(tmp_path):
    text = minimal_policy()
    cut = text.index("[assessment_types.protective_capacity]")
    with pytest.raises(PolicyError, match=r"assessment_types\.protective_capacity is missing"):
        load_policy(write(tmp_path, text[:cut]))


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(PolicyError, match=r"nowhere\.toml: cannot be read"):
        load_policy(tmp_path / "nowhere.toml")


def test_shipped_policy_loads_with_a_version():
    policy = load_policy(POLICY_FILE)
    assert policy.version == "2026.2"
    assert {kind.key for kind in policy.assessment_types} == set(AssessmentType)


def test_shipped_policy_accepts_only_statutory_regulators():
    policy = load_policy(POLICY_FILE)
    accepted = {a.body for kind in policy.assessment_types for a in kind.registrations}
    assert accepted == {"hcpc", "swe", "gmc", "nmc", "sssc", "niscc", "scw"}
    assert all(not policy.body(code).statutory for code in ("bps", "ukcp", "bacp"))


def test_shipped_policy_expresses_the_domain_tool_examples():
    policy = load_policy(POLICY_FILE)
    assert policy.tool("RM2000").conviction_statuses == (ConvictionStatus.CONVICTED,)
    assert policy.tool("RM2000").populations == (Population.ADULT_MALE,)
    assert policy.tool("STATIC99R").not_when_only == (OffenceCategory.IIOC,)
    assert policy.tool("AIM3").owner_approval_required
    assert policy.tool("AIM3").populations == (Population.YOUNG_PERSON,)
    for code in ("SVR20", "RSVP"):
        assert policy.tool(code).kind == "structured_professional_judgement"
        assert policy.tool(code).training_required
    assert policy.tool("ARMIDILO_S").requires_populations == (Population.LEARNING_DISABILITY,)


def test_policy_is_frozen():
    policy = load_policy(POLICY_FILE)
    with pytest.raises(FrozenInstanceError):
        policy.version = "forged"  # type: ignore[misc]


def test_describe_covers_every_rule_and_assessment_type():
    policy = load_policy(POLICY_FILE)
    sections = {section.key: section for section in describe(policy)}
    for code in RuleCode:
        assert sections[code.value].paragraphs, code
    for kind in policy.assessment_types:
        section = sections[f"assessment_type:{kind.key}"]
        assert section.heading == kind.title
        assert any(p.startswith("Who can do it: a registered ") for p in section.paragraphs)


def test_describe_states_the_version_and_the_thresholds_in_plain_text():
    policy = load_policy(POLICY_FILE)
    sections = describe(policy)
    assert sections[0].heading == "Eligibility policy, version 2026.2"
    text = " ".join(p for section in sections for p in section.paragraphs)
    for words in ("30 days", "14 days", "120 days", "3 years", "12 months", "2026.2"):
        assert words in text
    for tool in policy.tools:
        assert tool.name in text
    assert "<" not in text
    assert ">" not in text


def test_describe_works_for_any_valid_policy(tmp_path):
    policy = load_policy(write(tmp_path, minimal_policy()))
    keys = [section.key for section in describe(policy)]
    assert keys[0] == "policy"
    assert len(keys) == len(set(keys))
