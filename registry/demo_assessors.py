"""Demo assessors whose registrations the register simulator answers for (development only)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import select

from registry.extensions import db
from registry.models import AccountStatus, AdmissionStatus, Assessor, Registration, Role, User
from registry.registers.simulator_data import seed_registrant

# (body, number, profession, admission): a spread of what the public registers say, so that a
# newcomer sees every standing on the attention page after `make run`.
DEMO_REGISTRATIONS = [
    ("hcpc", "PYL043541", "practitioner_psychologist", AdmissionStatus.ADMITTED),  # clear, forensic
    ("hcpc", "PYL31200", "practitioner_psychologist", AdmissionStatus.ADMITTED),  # clear, clinical
    ("swe", "SW123", "social_worker", AdmissionStatus.ADMITTED),  # clear
    ("gmc", "7012345", "psychiatrist", AdmissionStatus.ADMITTED),  # clear, forensic psychiatry
    ("nmc", "12A3456E", "mental_health_nurse", AdmissionStatus.ADMITTED),  # clear
    ("hcpc", "PYL20002", "practitioner_psychologist", AdmissionStatus.ADMITTED),  # conditions
    ("swe", "SW2001", "social_worker", AdmissionStatus.ADMITTED),  # registered with conditions
    ("hcpc", "PYL20003", "practitioner_psychologist", AdmissionStatus.SUSPENDED),  # suspended
    ("hcpc", "PYL20005", "practitioner_psychologist", AdmissionStatus.ADMITTED),  # lapsed
    ("gmc", "7020007", "psychiatrist", AdmissionStatus.ADMITTED),  # no licence to practise
    ("hcpc", "PYL20014", "practitioner_psychologist", AdmissionStatus.SUBMITTED),  # other name
    ("hcpc", "PYL20009", "practitioner_psychologist", AdmissionStatus.SUBMITTED),  # label missing
    ("swe", "SW2010", "social_worker", AdmissionStatus.SUBMITTED),  # bot-challenge page
    ("swe", "SW2006", "social_worker", AdmissionStatus.ADMITTED),  # December renewal window
]
# Registers with no automatable lookup: a manager records a manual check with a capture.
MANUAL_DEMO = [("sssc", "SC123456", "social_worker", "Morag", "Campbell")]


def seed_demo_assessors(*, now: datetime) -> Iterator[str]:
    """Create the demo assessors and registrations that are missing (safe to run twice)."""
    made = 0
    for body, number, profession, admission in DEMO_REGISTRATIONS:
        registrant = seed_registrant(body, number)
        made += _ensure(
            body,
            number,
            profession,
            admission,
            registrant.legal_given_names,
            registrant.legal_surname,
            now,
        )
    for body, number, profession, given, surname in MANUAL_DEMO:
        made += _ensure(body, number, profession, AdmissionStatus.SUBMITTED, given, surname, now)
    db.session.commit()
    yield f"Demo assessors: {made} added; registrations are checked against the simulator."


def _ensure(body, number, profession, admission, given, surname, now) -> int:
    exists = db.session.scalar(
        select(Registration.id).where(Registration.body == body, Registration.number == number)
    )
    if exists:
        return 0
    slug = f"{given}.{surname}".lower().replace(" ", "-").replace("’", "").replace("'", "")
    user = User(
        email=f"{slug}@assessors.example",
        full_name=f"{given} {surname}",
        role=Role.ASSESSOR,
        status=AccountStatus.ACTIVE,
        created_at=now,
    )
    assessor = Assessor(
        user=user,
        legal_given_names=given,
        legal_surname=surname,
        admission_status=admission,
        created_at=now,
    )
    db.session.add(
        Registration(
            assessor=assessor, body=body, number=number, profession=profession, created_at=now
        )
    )
    return 1
