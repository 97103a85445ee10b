"""Commission tests: the app against the register simulator, with eligible assessors to find."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from commission_support import today

from registry.models import (
    Attestation,
    CpdRecord,
    DbsCheck,
    DbsLevel,
    ExperienceEntry,
    Insurance,
    Supervision,
    ToolTraining,
)
from registry.verification import service as verification
from support import simulator_settings


@pytest.fixture
def app(make_app, register_simulator):
    """The app with every public register pointed at the simulator (reset for this test)."""
    return make_app(**simulator_settings(register_simulator))


@pytest.fixture
def make_eligible_assessor(db, make_registration):
    """An admitted assessor with a verified clear registration and a complete profile."""

    def make(number: str = "PYL043541", body: str = "hcpc", **assessor_fields):
        profession = {
            "hcpc": "practitioner_psychologist",
            "swe": "social_worker",
            "gmc": "psychiatrist",
            "nmc": "mental_health_nurse",
        }[body]
        registration = make_registration(body, number, profession=profession)
        assessor = registration.assessor
        for name, value in assessor_fields.items():
            setattr(assessor, name, value)
        now = datetime.now(UTC)
        verification.verify(registration, actor=None, now=now)
        t = today()
        stamp = {"created_at": now, "updated_at": now, "assessor_id": assessor.id}
        db.session.add_all(
            [
                ToolTraining(
                    tool_code="STATIC99R",
                    trainer="Tool owner",
                    trained_on=t - timedelta(400),
                    owner_approved=False,
                    **stamp,
                ),
                ExperienceEntry(
                    offence_category="contact_intra_familial",
                    population="adult_male",
                    assessment_purpose="risk",
                    count=24,
                    period_from=t - timedelta(1500),
                    period_to=t - timedelta(20),
                    last_case_on=t - timedelta(20),
                    **stamp,
                ),
                DbsCheck(
                    level=DbsLevel.ENHANCED_BARRED,
                    certificate_number="001234567890",
                    issued_on=t - timedelta(300),
                    **stamp,
                ),
                Insurance(
                    insurer="Insurer",
                    policy_number="PI-1",
                    cover_pence=500_000_000,
                    expires_on=t + timedelta(300),
                    covers_expert_reports=True,
                    **stamp,
                ),
                CpdRecord(
                    title="Risk assessment update", completed_on=t - timedelta(60), hours=6, **stamp
                ),
                Supervision(
                    supervisor_name="Dr Peer",
                    arrangement="Monthly peer review",
                    frequency="Monthly",
                    started_on=t - timedelta(700),
                    **stamp,
                ),
                Attestation(
                    assessor_id=assessor.id,
                    statement="Accurate",
                    signed_name="A Hart",
                    attested_at=now - timedelta(days=10),
                ),
            ]
        )
        db.session.commit()
        return assessor

    return make


@pytest.fixture
def registers_app(app_context):
    """An app context of that app, for service tests."""
    return app_context
