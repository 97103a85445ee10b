"""Fixtures for the assessor's own profile: a signed-in assessor, and a filled-in profile."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from assessors import profile
from assessors.profile_data import (
    CpdData,
    DbsData,
    ExperienceData,
    InsuranceData,
    QualificationData,
    RefereeData,
    ServicesData,
    SupervisionData,
    ToolTrainingData,
)
from registry.clock import uk_date_of
from support import DEMO_PASSWORD, MadeUser


def made(assessor) -> MadeUser:
    """The assessor's account, as the logged_in fixture takes it."""
    return MadeUser(user=assessor.user, password=DEMO_PASSWORD, seed=None)


def full_profile(today: date) -> list[tuple[str, object]]:
    """One of each item, enough for an adult male risk assessment (item_type, data)."""
    return [
        ("qualification", QualificationData("Doctorate in Forensic Psychology",
                                            "University of Leeds", today - timedelta(days=3650),
                                            kind="doctorate_forensic_psychology")),
        ("tool_training", ToolTrainingData("RM2000", "University of Birmingham",
                                           today - timedelta(days=200))),
        ("experience_entry", ExperienceData("contact_intra_familial", "adult_male", "risk", 24,
                                            today - timedelta(days=1500),
                                            today - timedelta(days=30),
                                            today - timedelta(days=40))),
        ("referee", RefereeData("Dr Jo Bell", "Head of service", "Leeds NHS", "jo@example.org",
                                "Supervised my assessments 2020 to 2024")),
        ("dbs_check", DbsData("enhanced_barred", "001234567890", today - timedelta(days=300),
                              False, None, False)),
        ("insurance", InsuranceData("Hiscox", "PI-1234", 500_000_000,
                                    today + timedelta(days=200), True)),
        ("cpd_record", CpdData("Risk formulation workshop", today - timedelta(days=60), 14)),
        ("supervision", SupervisionData("Dr Ann Moss", "Monthly peer review group", "Monthly",
                                        today - timedelta(days=700))),
    ]  # fmt: skip


@pytest.fixture
def fill_profile():
    """Fill an assessor's profile through the services: one of each item, and their services."""

    def fill(assessor, now: datetime | None = None) -> dict[str, object]:
        now = now or datetime.now(UTC)
        today = uk_date_of(now)
        items = {}
        for item_type, data in full_profile(today):
            items[item_type] = profile.add_item(assessor.user, item_type, data, now=now)
        profile.save_services(
            assessor.user,
            ServicesData(("London", "South East"), ("English",), "available", 95_000),
            now=now,
        )
        return items

    return fill


@pytest.fixture
def assessor(make_assessor):
    """An admitted assessor (Amelia Hart, as on the simulator's HCPC register)."""
    return make_assessor("Amelia", "Hart")


@pytest.fixture
def assessor_client(logged_in, assessor):
    """A client signed in as that assessor."""
    return logged_in(made(assessor))
