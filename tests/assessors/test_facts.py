"""The facts builder: the gate's view of an assessor, from the models."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from assessors import profile
from registry.assessor_facts import assessor_facts
from registry.clock import uk_date_of
from registry.eligibility import (
    AccessToChild,
    AdmissionStanding,
    AgeBand,
    AssessmentType,
    CaseDescription,
    Context,
    ConvictionStatus,
    OffenceCategory,
    Outcome,
    Purpose,
    RuleCode,
    Sex,
    assess,
)
from registry.extensions import db
from registry.models import AdmissionStatus as ModelAdmission
from registry.models import Attestation, ItemReview, ReviewStatus
from registry.policy_store import current_policy
from registry.verification import service as verification
from support import accept_everything, simulator_settings


@pytest.fixture
def app(make_app, register_simulator):
    """The app with every public register pointed at the simulator."""
    return make_app(**simulator_settings(register_simulator))


def adult_male_case(today) -> CaseDescription:
    return CaseDescription(
        context=Context.CP_PLAN,
        subject_sex=Sex.MALE,
        age_band=AgeBand.ADULT,
        conviction_status=ConvictionStatus.CONVICTED,
        learning_disability=False,
        offence_categories=frozenset({OffenceCategory.CONTACT_INTRA_FAMILIAL}),
        assessment_type=AssessmentType.ADULT_MALE,
        assessment_purpose=Purpose.RISK,
        needed_by=today + timedelta(days=42),
        access_to_child=AccessToChild.LIVES_IN_HOUSEHOLD,
        named_parties=("Parent A",),
    )


@pytest.fixture
def vetted(db, make_registration, fill_profile):
    """An admitted, attested assessor with a verified clear HCPC registration and a full profile."""
    now = datetime.now(UTC)
    registration = make_registration("hcpc", "PYL043541")
    assessor = registration.assessor
    verification.verify(registration, actor=None, now=now)
    items = fill_profile(assessor, now)
    accept_everything(assessor, now)
    db.session.add(
        Attestation(
            assessor_id=assessor.id,
            statement="My profile is accurate.",
            signed_name="Amelia Hart",
            attested_at=now,
        )
    )
    db.session.commit()
    return assessor, items


def gate(assessor):
    now = datetime.now(UTC)
    today = uk_date_of(now)
    facts = assessor_facts(assessor, now=now)
    return facts, assess(facts, adult_male_case(today), current_policy(), today)


def test_a_complete_admitted_assessor_is_eligible_for_an_adult_male_case(vetted):
    facts, eligibility = gate(vetted[0])
    assert facts.registrations[0].outcome is Outcome.CLEAR
    assert eligibility.eligible, [r for r in eligibility.rules if not r.passed]


def test_removing_the_dbs_makes_the_assessor_ineligible_on_safeguarding(vetted):
    assessor, items = vetted
    profile.remove_item(assessor.user, "dbs_check", items["dbs_check"].id, now=datetime.now(UTC))
    _, eligibility = gate(assessor)
    failed = {r.code for r in eligibility.rules if not r.passed}
    assert failed == {RuleCode.SAFEGUARDING_CHECK}


def test_a_rejected_item_does_not_count(vetted):
    assessor, items = vetted
    now = datetime.now(UTC)
    db.session.add(
        ItemReview(
            assessor_id=assessor.id,
            item_type="insurance",
            item_id=items["insurance"].id,
            status=ReviewStatus.REJECTED,
            submitted_at=now + timedelta(seconds=2),
            message="The schedule does not show expert work",
        )
    )
    db.session.commit()
    facts, eligibility = gate(assessor)
    assert facts.insurance is None
    assert {r.code for r in eligibility.rules if not r.passed} == {RuleCode.INSURED}


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (ModelAdmission.APPLYING, AdmissionStanding.APPLIED),
        (ModelAdmission.SUBMITTED, AdmissionStanding.APPLIED),
        (ModelAdmission.SUSPENDED, AdmissionStanding.SUSPENDED),
        (ModelAdmission.REMOVED, AdmissionStanding.REMOVED),
    ],
)
def test_admission_status_is_mapped_to_the_gate_words(make_assessor, status, expected):
    assessor = make_assessor(admission_status=status)
    assert assessor_facts(assessor, now=datetime.now(UTC)).admission is expected


def test_facts_cite_the_rows_and_the_latest_attestation(vetted):
    assessor, items = vetted
    facts = assessor_facts(assessor, now=datetime.now(UTC))
    assert facts.dbs.evidence_id == items["dbs_check"].id
    assert facts.insurance.evidence_id == items["insurance"].id
    assert facts.cpd_evidence_id == items["cpd_record"].id
    assert facts.supervision_evidence_id == items["supervision"].id
    assert [e.evidence_id for e in facts.experience] == [items["experience_entry"].id]
    assert [t.evidence_id for t in facts.tool_trainings] == [items["tool_training"].id]
    assert facts.attested_on == uk_date_of(datetime.now(UTC))


def test_an_item_awaiting_review_does_not_count_and_is_named(vetted):
    """Only what a register manager accepted counts (decision 0007, point 1)."""
    assessor, items = vetted
    now = datetime.now(UTC) + timedelta(seconds=5)
    profile.remove_item(assessor.user, "tool_training", items["tool_training"].id, now=now)
    from assessors.profile_data import ToolTrainingData

    profile.add_item(
        assessor.user,
        "tool_training",
        ToolTrainingData("STATIC99R", "Clearinghouse trainer", uk_date_of(now) - timedelta(9)),
        now=now,
    )
    facts, eligibility = gate(assessor)
    assert facts.tool_trainings == ()
    assert [a.item_type for a in facts.awaiting_review] == ["tool_training"]
    rule = eligibility.rule(RuleCode.TRAINED_IN_FITTING_TOOL)
    assert not rule.passed
    assert "is awaiting review by a register manager and does not count until accepted" in (
        rule.sentence
    )


def test_a_changed_item_stops_counting_until_accepted_again(vetted):
    """The previously accepted version of a changed item does not count either."""
    assessor, items = vetted
    now = datetime.now(UTC) + timedelta(seconds=5)
    from assessors.profile_data import InsuranceData

    profile.change_item(
        assessor.user,
        "insurance",
        items["insurance"].id,
        InsuranceData("Hiscox", "PI-9999", 500_000_000, uk_date_of(now) + timedelta(400), True),
        now=now,
    )
    facts, eligibility = gate(assessor)
    assert facts.insurance is None
    assert not eligibility.rule(RuleCode.INSURED).passed


def test_a_qualification_of_no_listed_kind_does_not_make_an_assessor_qualified(vetted):
    assessor, items = vetted
    db.session.delete(items["qualification"])
    db.session.commit()
    facts, eligibility = gate(assessor)
    assert facts.qualifications == ()
    assert {r.code for r in eligibility.rules if not r.passed} == {RuleCode.QUALIFIED}
