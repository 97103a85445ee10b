"""An assessor's own profile: identity and registrations (the rest comes with vetting)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from registry import notifications
from registry.audit import record_audit, record_security_event
from registry.auth.service import LinkBuilder, find_user_by_email, issue_token
from registry.errors import NotAllowed, NotFound, ValidationFailed
from registry.extensions import db
from registry.models import (
    AccountStatus,
    AdmissionStatus,
    Assessor,
    Registration,
    Role,
    TokenPurpose,
    User,
)
from registry.policy_store import current_policy
from registry.registers import AUTOMATED_BODIES, BODY_NAMES, InvalidNumber, normalise_number
from registry.vetting.status import mark_changed


@dataclass(frozen=True)
class Identity:
    """The assessor's legal name as it appears on their statutory register."""

    legal_given_names: str
    legal_surname: str
    professional_title: str | None


@dataclass(frozen=True)
class NewRegistration:
    """A registration the assessor says they hold."""

    body: str
    number: str
    profession: str


def assessor_of(user: User) -> Assessor | None:
    """The assessor record of an assessor's account, with registrations and their checks."""
    return db.session.scalar(
        select(Assessor)
        .where(Assessor.user_id == user.id)
        .options(selectinload(Assessor.registrations).selectinload(Registration.checks))
    )


def save_identity(user: User, identity: Identity, *, now: datetime) -> Assessor:
    """Create or update the assessor's legal name. Raises NotAllowed for other roles."""
    if user.role is not Role.ASSESSOR:
        raise NotAllowed("Only assessors have a profile")
    assessor = assessor_of(user)
    before = None
    if assessor is None:
        assessor = Assessor(user=user, admission_status=AdmissionStatus.APPLYING, created_at=now)
        db.session.add(assessor)
    else:
        before = {"legal_surname": assessor.legal_surname}
    assessor.legal_given_names = identity.legal_given_names
    assessor.legal_surname = identity.legal_surname
    assessor.professional_title = identity.professional_title
    db.session.flush()
    mark_changed(assessor, "identity", None, now=now)
    record_audit(
        user,
        "assessor.identity_saved",
        assessor,
        at=now,
        before=before,
        after={"legal_surname": assessor.legal_surname},
    )
    db.session.commit()
    return assessor


def add_registration(assessor: Assessor, data: NewRegistration, *, now: datetime) -> Registration:
    """Add a registration; the number is validated before anything is stored or requested."""
    registration = _insert_registration(assessor, data, now=now)
    record_audit(
        assessor.user,
        "registration.added",
        registration,
        at=now,
        after={"body": registration.body, "number": registration.number},
    )
    db.session.commit()
    return registration


def own_registration(assessor: Assessor, registration_id: int) -> Registration:
    """One of the assessor's registrations that still counts. Raises NotFound otherwise (anyone
    else's, or one already corrected or withdrawn: those stay as evidence, never changed)."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.assessor_id != assessor.id:
        raise NotFound("No such registration")
    if not registration.is_current:
        raise NotFound("This registration has already been corrected or withdrawn")
    return registration


def correct_registration(
    assessor: Assessor, registration_id: int, data: NewRegistration, *, now: datetime
) -> Registration:
    """Add a corrected entry that replaces a wrong one. The old entry and its checks are kept
    as they were (evidence); it only gains a pointer to the entry that replaced it."""
    old = own_registration(assessor, registration_id)
    same_number = "".join(data.number.split()).upper() == old.number.upper()
    if data.body == old.body and same_number:
        raise ValidationFailed(
            "Enter the correct register or number: these are the same as the entry you are "
            "correcting",
            "number",
        )
    new = _insert_registration(assessor, data, now=now)
    old.replaced_by_id = new.id
    record_audit(
        assessor.user,
        "registration.corrected",
        old,
        at=now,
        before={"body": old.body, "number": old.number},
        after={"replaced_by": new.id, "body": new.body, "number": new.number},
    )
    db.session.commit()
    return new


def withdraw_registration(assessor: Assessor, registration_id: int, *, now: datetime) -> None:
    """Withdraw a registration the assessor no longer holds or relies on. The row and its
    checks stay as evidence; it no longer counts as "Regulated" (a sanction on it still does)."""
    registration = own_registration(assessor, registration_id)
    registration.withdrawn_at = now
    record_audit(
        assessor.user,
        "registration.withdrawn",
        registration,
        at=now,
        after={"body": registration.body, "number": registration.number},
    )
    db.session.commit()


def is_statutory(body: str) -> bool:
    """Whether a register is a statutory regulator's (BPS, UKCP and BACP memberships are not)."""
    found = current_policy().body(body)
    return found is not None and found.statutory


def _insert_registration(
    assessor: Assessor, data: NewRegistration, *, now: datetime
) -> Registration:
    """Validate and insert (flush, no commit) a registration; a number held already is refused
    without saying whose it is, and the managers are told."""
    if data.body not in BODY_NAMES:
        raise ValidationFailed("Select the register you are on", "body")
    try:
        number = (
            normalise_number(data.body, data.number)
            if data.body in AUTOMATED_BODIES
            else ("".join(data.number.split()).upper())
        )
    except InvalidNumber as error:
        raise ValidationFailed(str(error), "number") from error
    if not number or len(number) > 32:
        raise ValidationFailed("Enter your registration number", "number")
    registration = Registration(
        assessor=assessor,
        body=data.body,
        number=number,
        profession=data.profession,
        created_at=now,
    )
    db.session.add(registration)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        _tell_managers_of_duplicate(assessor, data.body, number, now=now)
        # Never say whose it is, or that it is held at all (information disclosure).
        raise ValidationFailed(
            "This registration number cannot be added. If it is yours, contact the register "
            "managers",
            "number",
        ) from None
    return registration


def _tell_managers_of_duplicate(assessor: Assessor, body: str, number: str, *, now: datetime):
    """An in-app notice to the register managers, and an audit row, of a refused duplicate."""
    record_audit(
        assessor.user,
        "registration.duplicate_refused",
        assessor,
        at=now,
        outcome="refused",
        after={"body": body, "number": number},
    )
    notifications.notify(
        notifications.managers(),
        "A registration number already held was entered",
        f"{assessor.legal_name} tried to add {BODY_NAMES[body]} registration {number}, "
        "which the register already holds. Check which record it belongs to.",
        link=notifications.Link("vetting.assessor_show", {"assessor_id": assessor.id}),
        now=now,
    )
    db.session.commit()


@dataclass(frozen=True)
class Application:
    """Someone applying to join the register as an assessor."""

    full_name: str
    email: str


def apply_to_join(application: Application, *, now: datetime, link_to: LinkBuilder) -> None:
    """Email a single-use link to confirm the address and choose a password.

    The answer is the same whether or not the address already has an account (AUTH-06): an
    existing holder is emailed a note instead, so nobody learns who is registered.
    """
    existing = find_user_by_email(application.email)
    if existing is not None:
        record_security_event(existing, "assessor.apply_existing_account", at=now)
        notifications.send_after_commit(
            notifications.render_email(
                "apply_existing.txt", existing.email, "You already have an account", user=existing
            )
        )
        db.session.commit()
        return
    user = User(
        email=application.email.strip().lower(),
        full_name=application.full_name.strip(),
        role=Role.ASSESSOR,
        status=AccountStatus.INVITED,
        created_at=now,
    )
    db.session.add(user)
    db.session.flush()
    token = issue_token(user, TokenPurpose.INVITATION, now=now)
    record_audit(None, "assessor.applied", user, at=now)
    notifications.send_after_commit(
        notifications.render_email(
            "apply_confirm.txt",
            user.email,
            "Confirm your email address to apply",
            user=user,
            link=link_to(token),
        )
    )
    db.session.commit()
