"""Demo data for `make run`: organisations and one signed-up user per role (development only)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from demo.assessors import seed_demo_assessors
from demo.profiles import fill_profile
from registry.auth import passwords, totp
from registry.extensions import db
from registry.models import (
    AccountStatus,
    AdmissionStatus,
    Assessor,
    ItemReview,
    Organisation,
    OrganisationKind,
    Registration,
    ReviewStatus,
    Role,
    User,
)

DEMO_ASSESSOR_EMAIL = "assessor@example.org"
# Her registration: the simulator answers it clear (simulator/data.py).
DEMO_ASSESSOR_REGISTRATION = ("hcpc", "PYL048210", "practitioner_psychologist")
DEMO_PASSWORD = "demo: correct horse battery staple"  # noqa: S105 (printed for the demo)

ORGANISATIONS = [
    ("Regional Assessor Register", OrganisationKind.REGISTER_BODY),
    ("Northshire County Council", OrganisationKind.LOCAL_AUTHORITY),
    ("Eastborough City Council", OrganisationKind.LOCAL_AUTHORITY),
]

# (email, name, role, organisation, fixed demo TOTP seed): fixed so the printed secrets stay valid
# across repeated `make run`s.
USERS = [
    (
        "manager@register.example",
        "Rosa Manning",
        Role.REGISTER_MANAGER,
        "Regional Assessor Register",
        "JBSWY3DPEHPK3PXPMANAGER2",
    ),
    (
        "manager2@register.example",
        "Idris Okafor",
        Role.REGISTER_MANAGER,
        "Regional Assessor Register",
        "JBSWY3DPEHPK3PXPMANAGER3",
    ),
    (
        "officer@northshire.example",
        "Olivia Chen",
        Role.OFFICER,
        "Northshire County Council",
        "JBSWY3DPEHPK3PXPOFFICER2",
    ),
    (
        "panel@northshire.example",
        "Patrick Doyle",
        Role.PANEL_MEMBER,
        "Northshire County Council",
        "JBSWY3DPEHPK3PXPPANELMB2",
    ),
    (
        "auditor@northshire.example",
        "Aisha Rahman",
        Role.AUDITOR,
        "Northshire County Council",
        "JBSWY3DPEHPK3PXPAUDITOR2",
    ),
    (
        "officer@eastborough.example",
        "Ewan Price",
        Role.OFFICER,
        "Eastborough City Council",
        "JBSWY3DPEHPK3PXPOFFICER3",
    ),
    (
        "panel@eastborough.example",
        "Esther Lewis",
        Role.PANEL_MEMBER,
        "Eastborough City Council",
        "JBSWY3DPEHPK3PXPPANELMB3",
    ),
    (
        "auditor@eastborough.example",
        "Emeka Obi",
        Role.AUDITOR,
        "Eastborough City Council",
        "JBSWY3DPEHPK3PXPAUDITOR3",
    ),
    ("assessor@example.org", "Dr Helen Forsyth", Role.ASSESSOR, None, "JBSWY3DPEHPK3PXPASSESSR2"),
]


def seed_demo(*, now: datetime) -> Iterator[str]:
    """Create what is missing (safe to run twice) and yield lines describing the sign-ins."""
    organisations = {o.name: o for o in db.session.scalars(select(Organisation))}
    for name, kind in ORGANISATIONS:
        if name not in organisations:
            organisations[name] = Organisation(name=name, kind=kind, created_at=now)
            db.session.add(organisations[name])
    db.session.flush()
    key = current_app.config["TOTP_ENCRYPTION_KEY"]
    profile = current_app.config["PASSWORD_HASH_PROFILE"]
    yield f"Demo users (password for all: {DEMO_PASSWORD!r}):"
    for email, name, role, organisation, seed in USERS:
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(
                email=email,
                full_name=name,
                role=role,
                organisation=organisations.get(organisation or ""),
                status=AccountStatus.ACTIVE,
                password_hash=passwords.hash_password(DEMO_PASSWORD, profile),
                created_at=now,
                totp_enrolled_at=now,
            )
            db.session.add(user)
            db.session.flush()
            user.totp_secret_encrypted = totp.encrypt_seed(seed, key, user_id=user.id)
        yield f"  {role.label:<22} {email:<30} TOTP secret {seed}"
    _ensure_demo_assessor_profile(now)
    db.session.commit()
    yield "Add a secret to an authenticator app, or run: flask demo code EMAIL"
    yield from seed_demo_assessors(now=now)
    yield from _sign_ins_for_assessors_in_each_state(now)


def _ensure_demo_assessor_profile(now: datetime) -> None:
    """The assessor who signs in: admitted, with a complete profile whose every item a register
    manager accepted, a doctorate of a listed kind and an HCPC registration the simulator answers
    clear, so that once the registration is checked (verify-due) she is eligible for a typical
    case (an adult man convicted of contact offending within the family)."""
    user = db.session.scalar(select(User).where(User.email == DEMO_ASSESSOR_EMAIL))
    if user is None:
        return
    assessor = db.session.scalar(select(Assessor).where(Assessor.user == user))
    if assessor is None:
        assessor = Assessor(
            user=user,
            legal_given_names="Helen",
            legal_surname="Forsyth",
            professional_title="Forensic psychologist",
            admission_status=AdmissionStatus.ADMITTED,
            created_at=now,
        )
        db.session.add(assessor)
    body, number, profession = DEMO_ASSESSOR_REGISTRATION
    exists = db.session.scalar(
        select(Registration.id).where(Registration.body == body, Registration.number == number)
    )
    if exists:
        return
    # An earlier seed made her an applicant with an empty profile: complete it now.
    assessor.admission_status = AdmissionStatus.ADMITTED
    db.session.add(
        Registration(
            assessor=assessor, body=body, number=number, profession=profession, created_at=now
        )
    )
    fill_profile(assessor, profession, "complete", 3, now)


# Demo assessors who can sign in, one in each state of the register (their registrations are on
# the simulator; see demo/assessors.py): number -> fixed TOTP seed.
ASSESSOR_SIGN_INS = {
    "SW2005": "JBSWY3DPEHPK3PXPAPPLYNG2",  # applying, profile not submitted
    "PYL20015": "JBSWY3DPEHPK3PXPSUBMIT22",  # submitted; one item rejected with a message
    "PYL20003": "JBSWY3DPEHPK3PXPSUSPND22",  # suspended
    "PYL20004": "JBSWY3DPEHPK3PXPREMVED22",  # removed (struck off)
}
REJECTED_DEMO_ITEM = (
    "PYL20015",
    "qualification",
    "No certificate is attached: upload the award certificate, then change this item",
)


def _sign_ins_for_assessors_in_each_state(now: datetime) -> Iterator[str]:
    """Give the demo assessors of ASSESSOR_SIGN_INS a password and a TOTP seed (once), and a
    rejected item to one of them, so every state can be seen from the assessor's side."""
    key = current_app.config["TOTP_ENCRYPTION_KEY"]
    profile = current_app.config["PASSWORD_HASH_PROFILE"]
    yield "Demo assessors in each state (same password):"
    for number, seed in ASSESSOR_SIGN_INS.items():
        registration = db.session.scalar(select(Registration).where(Registration.number == number))
        if registration is None:
            continue
        user = registration.assessor.user
        if user.totp_enrolled_at is None:
            user.status = AccountStatus.ACTIVE
            user.password_hash = passwords.hash_password(DEMO_PASSWORD, profile)
            user.totp_enrolled_at = now
            user.totp_secret_encrypted = totp.encrypt_seed(seed, key, user_id=user.id)
        state = registration.assessor.admission_status.label
        yield f"  {state:<22} {user.email:<30} TOTP secret {seed}"
    _reject_one_item(now)
    db.session.commit()


def _reject_one_item(now: datetime) -> None:
    number, item_type, message = REJECTED_DEMO_ITEM
    registration = db.session.scalar(select(Registration).where(Registration.number == number))
    if registration is None:
        return
    latest = db.session.scalars(
        select(ItemReview)
        .where(
            ItemReview.assessor_id == registration.assessor_id, ItemReview.item_type == item_type
        )
        .order_by(ItemReview.submitted_at.desc(), ItemReview.id.desc())
    ).first()
    if latest is None or latest.status is not ReviewStatus.PENDING:
        return
    manager = db.session.scalar(select(User).where(User.email == "manager@register.example"))
    latest.status = ReviewStatus.REJECTED
    latest.message = message
    latest.decided_by_id = manager.id if manager else None
    latest.decided_at = now


def demo_code_for(email: str, *, now: datetime) -> str:
    """The current TOTP code of a demo user."""
    seeds = {user[0]: user[4] for user in USERS}
    for number, seed in ASSESSOR_SIGN_INS.items():
        registration = db.session.scalar(select(Registration).where(Registration.number == number))
        if registration is not None:
            seeds[registration.assessor.user.email] = seed
    if email not in seeds:
        raise KeyError(f"{email} is not a demo user")
    return totp.code_at(seeds[email], now)
