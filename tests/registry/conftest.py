"""Pure fixtures for the eligibility gate and policy tests: no app, no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from registry.eligibility import (
    AccessToChild,
    AdmissionStanding,
    AgeBand,
    AssessmentType,
    AssessorFacts,
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
    Sex,
    ToolTrainingFact,
)
from registry.policy import Policy, load_policy

POLICY_FILE = Path(__file__).resolve().parents[2] / "policy" / "eligibility.toml"
TODAY = date(2026, 11, 20)

# Per assessment type: subject (sex, age band, conviction, learning disability), the case's one
# offence category, the purpose, the registration (body, profession, entries), the tool held,
# and the population of the one experience entry (which covers the special population too).
_PROFILES: dict[AssessmentType, dict[str, Any]] = {
    AssessmentType.ADULT_MALE: dict(
        subject=(Sex.MALE, AgeBand.ADULT, ConvictionStatus.CONVICTED, False),
        offence=OffenceCategory.CONTACT_INTRA_FAMILIAL,
        purpose=Purpose.RISK,
        registration=("hcpc", "practitioner_psychologist", ("forensic",)),
        tool="STATIC99R",
        population=Population.ADULT_MALE,
    ),
    AssessmentType.ONLINE_IIOC: dict(
        subject=(Sex.MALE, AgeBand.ADULT, ConvictionStatus.CONVICTED, False),
        offence=OffenceCategory.IIOC,
        purpose=Purpose.RISK,
        registration=("hcpc", "practitioner_psychologist", ("forensic",)),
        tool="CPORT",
        population=Population.ONLINE,
    ),
    AssessmentType.FEMALE: dict(
        subject=(Sex.FEMALE, AgeBand.ADULT, ConvictionStatus.CONVICTED, False),
        offence=OffenceCategory.CONTACT_INTRA_FAMILIAL,
        purpose=Purpose.RISK,
        registration=("hcpc", "practitioner_psychologist", ("forensic",)),
        tool="SVR20",
        population=Population.FEMALE,
    ),
    AssessmentType.YOUNG_PERSON_HSB: dict(
        subject=(Sex.MALE, AgeBand.AGED_12_17, ConvictionStatus.FINDING_OF_FACT, False),
        offence=OffenceCategory.HSB_YOUNG_PERSON,
        purpose=Purpose.RISK,
        registration=("hcpc", "practitioner_psychologist", ("clinical",)),
        tool="AIM3",
        population=Population.YOUNG_PERSON,
    ),
    AssessmentType.LEARNING_DISABILITY: dict(
        subject=(Sex.MALE, AgeBand.ADULT, ConvictionStatus.CONVICTED, True),
        offence=OffenceCategory.CONTACT_EXTRA_FAMILIAL,
        purpose=Purpose.RISK,
        registration=("hcpc", "practitioner_psychologist", ("forensic",)),
        tool="ARMIDILO_S",
        population=Population.LEARNING_DISABILITY,
    ),
    AssessmentType.PROTECTIVE_CAPACITY: dict(
        # A mother assessed for her capacity to protect: no sexual offending of her own recorded.
        subject=(Sex.FEMALE, AgeBand.ADULT, ConvictionStatus.NONE, False),
        offence=OffenceCategory.CONTACT_INTRA_FAMILIAL,
        case_offences=frozenset(),
        purpose=Purpose.PROTECTIVE_CAPACITY,
        registration=("swe", "social_worker", ()),
        tool=None,
        population=Population.ADULT_MALE,
    ),
}


# The qualification the baseline assessor holds, by profession.
QUALIFICATION = {
    "practitioner_psychologist": "doctorate_forensic_psychology",
    "social_worker": "social_work_qualification",
    "psychiatrist": "mrcpsych",
    "mental_health_nurse": "pq_sexual_offending",
    "learning_disability_nurse": "pq_sexual_offending",
}


class Baseline:
    """Builds a case of each assessment type and an assessor who is eligible for it on TODAY."""

    today = TODAY

    def case(self, kind: AssessmentType, **changes: Any) -> CaseDescription:
        """The baseline case of this type, with `changes` applied."""
        profile = _PROFILES[kind]
        sex, age_band, conviction, learning_disability = profile["subject"]
        case = CaseDescription(
            context=Context.CP_PLAN,
            subject_sex=sex,
            age_band=age_band,
            conviction_status=conviction,
            learning_disability=learning_disability,
            offence_categories=profile.get("case_offences", frozenset({profile["offence"]})),
            assessment_type=kind,
            assessment_purpose=profile["purpose"],
            needed_by=TODAY + timedelta(days=42),
            access_to_child=AccessToChild.LIVES_IN_HOUSEHOLD,
            named_parties=("Parent A", "Partner B"),
        )
        return replace(case, **changes)

    def facts(self, kind: AssessmentType, **changes: Any) -> AssessorFacts:
        """An assessor eligible for the baseline case of this type, with `changes` applied."""
        profile = _PROFILES[kind]
        body, profession, entries = profile["registration"]
        tool = profile["tool"]
        facts = AssessorFacts(
            assessor_id=1,
            admission=AdmissionStanding.ADMITTED,
            legal_surname="Okafor",
            attested_on=TODAY - timedelta(days=10),
            registrations=(
                RegistrationFact(
                    registration_id=11,
                    body=body,
                    profession=profession,
                    outcome=Outcome.CLEAR,
                    checked_on=TODAY - timedelta(days=3),
                    evidence_id=101,
                    entries=entries,
                    period_to=TODAY + timedelta(days=400),
                    register_status="Registered",
                ),
            ),
            qualifications=(
                QualificationFact(
                    kind=QUALIFICATION[profession],
                    title="The qualification",
                    awarded_on=date(2012, 7, 1),
                    evidence_id=151,
                ),
            ),
            tool_trainings=(
                ()
                if tool is None
                else (
                    ToolTrainingFact(
                        tool_code=tool,
                        trained_on=TODAY - timedelta(days=300),
                        evidence_id=201,
                        owner_approved=True,
                    ),
                )
            ),
            experience=(
                ExperienceFact(
                    offence_category=profile["offence"],
                    population=profile["population"],
                    assessment_purpose=profile["purpose"],
                    count=12,
                    period_from=date(2022, 1, 1),
                    period_to=TODAY - timedelta(days=10),
                    last_case_on=TODAY - timedelta(days=30),
                    evidence_id=301,
                ),
            ),
            dbs=DbsFact(
                level=DbsLevel.ENHANCED_BARRED,
                issued_on=date(2025, 11, 1),
                evidence_id=401,
            ),
            insurance=InsuranceFact(
                expires_on=TODAY + timedelta(days=300),
                covers_expert_reports=True,
                evidence_id=501,
            ),
            cpd_last_recorded_on=TODAY - timedelta(days=60),
            cpd_evidence_id=601,
            supervision_arrangement="Monthly peer review with the regional forensic group",
            supervision_evidence_id=602,
            conflict=ConflictFact(
                declared_on=TODAY - timedelta(days=1), no_conflict=True, evidence_id=701
            ),
            admission_evidence_id=801,
            attestation_evidence_id=802,
        )
        return replace(facts, **changes)

    @staticmethod
    def nested(facts: AssessorFacts, name: str, **changes: Any) -> AssessorFacts:
        """The facts with one nested fact changed (the first, for a tuple of them)."""
        value = getattr(facts, name)
        if isinstance(value, tuple):
            first, *rest = value
            return replace(facts, **{name: (replace(first, **changes), *rest)})
        return replace(facts, **{name: replace(value, **changes)})


@pytest.fixture(scope="session")
def gate_policy() -> Policy:
    """The shipped policy, loaded once."""
    return load_policy(POLICY_FILE)


@pytest.fixture(scope="session")
def baseline() -> Baseline:
    """Builders for an eligible assessor and a case of each assessment type."""
    return Baseline()
