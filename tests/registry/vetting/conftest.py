"""Vetting fixtures: managers, and an applying assessor with a complete profile."""

from __future__ import annotations

from datetime import date

import pytest
from vetting_helpers import NOW, clear_check

from registry.models import (
    AdmissionStatus,
    DbsCheck,
    DbsLevel,
    ExperienceEntry,
    Insurance,
    Registration,
    Role,
    Supervision,
    ToolTraining,
)


@pytest.fixture
def manager(make_user):
    """A register manager."""
    return make_user(Role.REGISTER_MANAGER, full_name="Mona Manager").user


@pytest.fixture
def second_manager(make_user):
    """Another register manager, for four eyes."""
    return make_user(Role.REGISTER_MANAGER, full_name="Sam Second").user


@pytest.fixture
def applicant(db, make_assessor):
    """An applying assessor with a registration (clear now) and every mandatory item."""
    assessor = make_assessor("Amelia", "Hart", admission_status=AdmissionStatus.APPLYING)
    registration = Registration(
        assessor=assessor,
        body="hcpc",
        number="PYL043541",
        profession="practitioner_psychologist",
        created_at=NOW,
    )
    db.session.add(registration)
    stamps = {"assessor_id": assessor.id, "created_at": NOW, "updated_at": NOW}
    db.session.add_all(
        [
            DbsCheck(
                level=DbsLevel.ENHANCED_BARRED,
                certificate_number="001234567890",
                issued_on=date(2025, 1, 10),
                **stamps,
            ),
            Insurance(
                insurer="Expert Cover",
                policy_number="P1",
                cover_pence=500_000_000,
                expires_on=date(2027, 3, 31),
                covers_expert_reports=True,
                **stamps,
            ),
            Supervision(
                supervisor_name="Dr Peer",
                arrangement="Monthly peer review",
                frequency="Monthly",
                started_on=date(2024, 1, 1),
                **stamps,
            ),
            ExperienceEntry(
                offence_category="iioc",
                population="adult_male",
                assessment_purpose="risk",
                count=12,
                period_from=date(2021, 1, 1),
                period_to=date(2026, 6, 1),
                last_case_on=date(2026, 6, 1),
                **stamps,
            ),
            ToolTraining(
                tool_code="rm2000",
                trainer="Trainer Ltd",
                trained_on=date(2024, 2, 1),
                refresher_due=date(2027, 2, 1),
                **stamps,
            ),
        ]
    )
    db.session.commit()
    clear_check(registration)
    return assessor
