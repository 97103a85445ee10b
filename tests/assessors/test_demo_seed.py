"""`flask demo seed`: a spread of demo assessors, the complete ones eligible once verified."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from registry.assessor_facts import assessor_facts
from registry.clock import uk_date_of
from registry.eligibility import (
    AccessToChild,
    AgeBand,
    AssessmentType,
    CaseDescription,
    Context,
    ConvictionStatus,
    OffenceCategory,
    Purpose,
    Sex,
    assess,
)
from registry.models import Assessor, Registration
from registry.policy_store import current_policy
from registry.verification import service as verification
from support import simulator_settings


@pytest.fixture
def app(make_app, register_simulator):
    """A development-like app (demo data allowed) pointed at the register simulator."""
    return make_app(DEMO_DATA_ALLOWED=True, **simulator_settings(register_simulator))


def adult_male_case(today):
    return CaseDescription(
        context=Context.S47, subject_sex=Sex.MALE, age_band=AgeBand.ADULT,
        conviction_status=ConvictionStatus.CONVICTED, learning_disability=False,
        offence_categories=frozenset({OffenceCategory.CONTACT_INTRA_FAMILIAL}),
        assessment_type=AssessmentType.ADULT_MALE, assessment_purpose=Purpose.RISK,
        needed_by=today + timedelta(days=28), access_to_child=AccessToChild.CARER,
    )  # fmt: skip


def test_demo_seed_makes_30_assessors_and_the_complete_ones_become_eligible(db, runner):
    result = runner.invoke(args=["demo", "seed", "--assessors", "5"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(Assessor.id))) >= 36
    now = datetime.now(UTC)
    registration = db.session.scalar(select(Registration).where(Registration.number == "SW123"))
    verification.verify(registration, actor=None, now=now)
    today = uk_date_of(now)
    facts = assessor_facts(registration.assessor, now=now)
    eligibility = assess(facts, adult_male_case(today), current_policy(), today)
    assert eligibility.eligible, eligibility.failed_reasons
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0  # safe to run twice


def test_demo_assessors_in_each_state_can_sign_in_and_one_has_a_rejected_item(db, runner):
    from demo.seed import ASSESSOR_SIGN_INS, REJECTED_DEMO_ITEM, demo_code_for
    from registry.models import ItemReview, ReviewStatus

    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    states = set()
    for number in ASSESSOR_SIGN_INS:
        registration = db.session.scalar(select(Registration).where(Registration.number == number))
        user = registration.assessor.user
        assert user.password_hash, number
        assert user.totp_enrolled_at, number
        assert len(demo_code_for(user.email, now=datetime.now(UTC))) == 6
        states.add(registration.assessor.admission_status.value)
    assert states == {"applying", "submitted", "suspended", "removed"}
    number, item_type, message = REJECTED_DEMO_ITEM
    registration = db.session.scalar(select(Registration).where(Registration.number == number))
    rejected = db.session.scalars(
        select(ItemReview).where(
            ItemReview.assessor_id == registration.assessor_id,
            ItemReview.item_type == item_type,
            ItemReview.status == ReviewStatus.REJECTED,
        )
    ).all()
    assert [r.message for r in rejected] == [message]
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0  # still safe to run twice
