"""Demo data for `make run`: organisations and one signed-up user per role (development only)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from demo.assessors import seed_demo_assessors
from registry.auth import passwords, totp
from registry.extensions import db
from registry.models import (
    AccountStatus,
    AdmissionStatus,
    Assessor,
    Organisation,
    OrganisationKind,
    Role,
    User,
)

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


def _ensure_demo_assessor_profile(now: datetime) -> None:
    user = db.session.scalar(select(User).where(User.email == "assessor@example.org"))
    if (
        user is not None
        and db.session.scalar(select(Assessor).where(Assessor.user == user)) is None
    ):
        db.session.add(
            Assessor(
                user=user,
                legal_given_names="Helen",
                legal_surname="Forsyth",
                professional_title="Forensic psychologist",
                admission_status=AdmissionStatus.APPLYING,
                created_at=now,
            )
        )


def demo_code_for(email: str, *, now: datetime) -> str:
    """The current TOTP code of a demo user."""
    seeds = {user[0]: user[4] for user in USERS}
    if email not in seeds:
        raise KeyError(f"{email} is not a demo user")
    return totp.code_at(seeds[email], now)
