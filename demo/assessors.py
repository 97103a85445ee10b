"""Demo assessors whose registrations the register simulator answers for (development only)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import select

from demo.profiles import fill_profile
from registry.extensions import db
from registry.models import AccountStatus, AdmissionStatus, Assessor, Registration, Role, User
from simulator.data import seed_registrant

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
    ("hcpc", "PYL20001", "practitioner_psychologist", AdmissionStatus.ADMITTED),  # caution
    ("hcpc", "PYL20004", "practitioner_psychologist", AdmissionStatus.REMOVED),  # struck off
    ("hcpc", "PYL20006", "practitioner_psychologist", AdmissionStatus.SUSPENDED),  # interim order
    ("hcpc", "PYL20007", "practitioner_psychologist", AdmissionStatus.ADMITTED),  # period ended
    ("hcpc", "PYL20015", "practitioner_psychologist", AdmissionStatus.SUBMITTED),  # conditions
    ("swe", "SW2002", "social_worker", AdmissionStatus.ADMITTED),  # interim order
    ("swe", "SW2003", "social_worker", AdmissionStatus.SUSPENDED),  # suspended
    ("swe", "SW2005", "social_worker", AdmissionStatus.APPLYING),  # not registered
    ("swe", "SW2007", "social_worker", AdmissionStatus.ADMITTED),  # long past renewal
    ("gmc", "7020001", "psychiatrist", AdmissionStatus.ADMITTED),  # conditions
    ("gmc", "7020004", "psychiatrist", AdmissionStatus.SUSPENDED),  # suspended
    ("gmc", "7020016", "psychiatrist", AdmissionStatus.SUBMITTED),  # other name
    ("nmc", "12B0001E", "mental_health_nurse", AdmissionStatus.ADMITTED),  # conditions
    ("nmc", "12B0003E", "mental_health_nurse", AdmissionStatus.SUSPENDED),  # suspended
    ("nmc", "12B0008E", "mental_health_nurse", AdmissionStatus.APPLYING),  # unknown wording
    ("nmc", "12B0015E", "mental_health_nurse", AdmissionStatus.SUBMITTED),  # other name
]
# What each demo assessor's profile holds (registry/demo_profiles.py); "complete" ones are those
# whose registration the simulator answers clear, so they are eligible once verify-due has run.
PROFILE_OF = {
    "PYL043541": "complete", "PYL31200": "complete", "SW123": "complete", "7012345": "complete",
    "12A3456E": "complete", "SC123456": "complete", "SW2006": "complete",
    "PYL20002": "expiring", "SW2001": "expiring", "PYL20001": "expiring", "SW2002": "expiring",
    "7020001": "expiring", "12B0001E": "expiring",
    "PYL20003": "expired", "PYL20005": "expired", "PYL20004": "expired", "PYL20006": "expired",
    "PYL20007": "expired", "SW2003": "expired", "SW2007": "expired", "7020004": "expired",
    "12B0003E": "expired",
    "SW2010": "empty", "12B0008E": "empty",
}  # fmt: skip
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
    index = len(PROFILE_OF) + sum(map(ord, number))
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
    fill_profile(assessor, profession, PROFILE_OF.get(number, "incomplete"), index % 97, now)
    return 1
