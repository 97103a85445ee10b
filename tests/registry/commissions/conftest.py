"""Commission tests: the app against the register simulator, with eligible assessors to find."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from registry.verification import service as verification
from support import add_complete_profile, simulator_settings


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
        add_complete_profile(assessor.id, now)
        db.session.commit()
        return assessor

    return make


@pytest.fixture
def registers_app(app_context):
    """An app context of that app, for service tests."""
    return app_context
