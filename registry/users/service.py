"""Managing accounts: the first manager from the CLI, invitations, roles, disabling, MFA reset.

A privileged role (register manager, panel member, auditor) is only proposed here; it takes
effect when a second person confirms it (registry/users/grants.py, AC-09).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select, update

from registry import notifications
from registry.audit import record_audit
from registry.auth import passwords
from registry.auth.service import LinkBuilder, find_user_by_email, issue_token
from registry.errors import InvalidTransition, NotAllowed, ValidationFailed
from registry.extensions import db
from registry.models import (
    ROLE_ORGANISATION,
    AccountStatus,
    AccountToken,
    Organisation,
    OrganisationKind,
    Role,
    TokenPurpose,
    User,
)
from registry.users import grants


@dataclass(frozen=True)
class Invitation:
    """What a register manager types to invite someone."""

    email: str
    full_name: str
    role: Role
    organisation_id: int | None


@dataclass(frozen=True)
class IdentityCheck:
    """How a manager confirmed a person's identity before resetting their MFA (MFA-08)."""

    method: str
    notes: str


def organisations_for(role: Role) -> list[Organisation]:
    """The organisations a user with this role may belong to."""
    kinds = ROLE_ORGANISATION[role]
    if kinds is None:
        return []
    wanted = kinds if isinstance(kinds, tuple) else (kinds,)
    return list(
        db.session.scalars(
            select(Organisation).where(Organisation.kind.in_(wanted)).order_by(Organisation.name)
        )
    )


def list_users() -> list[User]:
    """Every account, with its organisation, ordered by name."""
    return list(db.session.scalars(select(User).order_by(User.full_name)))


def create_user(
    email: str, role: Role, *, full_name: str, organisation_name: str | None, now: datetime
) -> tuple[User, str]:
    """Create an account with a one-time password that must be changed (AUTH-07, CLI only).

    The CLI bootstraps one account: a privileged role only for the first register manager, on a
    system with no register manager (AC-09). Everyone else is invited from the Users page.
    """
    if grants.is_privileged(role):
        if role is not Role.REGISTER_MANAGER:
            raise ValidationFailed(
                "Invite panel members and auditors from the Users page: a second person confirms",
                "role",
            )
        if db.session.scalar(
            select(User.id)
            .where(User.role == Role.REGISTER_MANAGER, User.status != AccountStatus.DISABLED)
            .limit(1)
        ):
            raise ValidationFailed(
                "A register manager already exists. Invite further managers from the Users "
                "page; a second register manager confirms",
                "role",
            )
    organisation = None
    if organisation_name:
        organisation = db.session.scalar(
            select(Organisation).where(Organisation.name == organisation_name)
        )
        if organisation is None:
            raise ValidationFailed(f"No organisation is called {organisation_name!r}", "org")
    _check_organisation(role, organisation)
    _check_email_free(email)
    one_time_password = secrets.token_urlsafe(15)
    user = User(
        email=email.strip().lower(),
        full_name=full_name,
        role=role,
        organisation=organisation,
        status=AccountStatus.ACTIVE,
        password_hash=passwords.hash_password(
            one_time_password, current_app.config["PASSWORD_HASH_PROFILE"]
        ),
        password_must_change=True,
        password_expires_at=now + current_app.config["ONE_TIME_PASSWORD_LIFETIME"],
        created_at=now,
    )
    db.session.add(user)
    db.session.flush()
    if grants.is_privileged(role):
        grants.record_bootstrap(user, now=now)
    record_audit(None, "user.created", user, at=now, after={"role": str(role), "via": "cli"})
    db.session.commit()
    return user, one_time_password


def invite_user(
    manager: User, invitation: Invitation, *, now: datetime, link_to: LinkBuilder
) -> User:
    """Create an invited account and email a single-use link. Raises ValidationFailed.

    For a privileged role the invitation is only proposed: no link exists, so the person cannot
    sign in, until a second person confirms the grant (AC-09); the link is emailed then.
    """
    _require_manager(manager)
    organisation = (
        db.session.get(Organisation, invitation.organisation_id)
        if invitation.organisation_id
        else None
    )
    _check_organisation(invitation.role, organisation)
    _check_email_free(invitation.email)
    user = User(
        email=invitation.email.strip().lower(),
        full_name=invitation.full_name.strip(),
        role=invitation.role,
        organisation=organisation,
        status=AccountStatus.INVITED,
        created_at=now,
    )
    db.session.add(user)
    db.session.flush()
    privileged = grants.is_privileged(invitation.role)
    record_audit(
        manager,
        "user.invited",
        user,
        at=now,
        after={"role": str(invitation.role), "awaiting_confirmation": privileged},
    )
    if privileged:
        grant = grants.propose(
            manager, user, invitation.role, user.organisation_id, via="invitation", now=now
        )
        grants.notify_confirmers(grant, now=now)
        db.session.commit()
        return user
    _send_invitation(manager, user, now=now, link_to=link_to)
    db.session.commit()
    return user


def resend_invitation(manager: User, user: User, *, now: datetime, link_to: LinkBuilder) -> int:
    """Send an invited person a new link, for an invitation that expired, went astray or was
    never delivered: every earlier link stops working, the account and its role stay (issue 13).

    Returns how many earlier links were revoked. Raises NotAllowed or InvalidTransition.
    """
    _require_manager(manager, target=user)
    if user.status is not AccountStatus.INVITED:
        raise InvalidTransition(
            "Only someone who has not accepted their invitation yet can be sent a new one"
        )
    if grants.pending_grant_of(user) is not None:
        raise InvalidTransition(
            "Their role waits for a second person's confirmation: the invitation is sent then"
        )
    revoked = len(
        db.session.scalars(
            update(AccountToken)
            .where(AccountToken.user_id == user.id)
            .where(AccountToken.purpose == TokenPurpose.INVITATION)
            .where(AccountToken.used_at.is_(None))
            .values(used_at=now)
            .returning(AccountToken.id)
        ).all()
    )
    _send_invitation(manager, user, now=now, link_to=link_to)
    record_audit(manager, "user.invitation_resent", user, at=now, after={"revoked": revoked})
    db.session.commit()
    return revoked


def invited_account(email: str) -> User | None:
    """The account of an address that was invited and has not accepted yet, if any."""
    user = find_user_by_email(email)
    return user if user is not None and user.status is AccountStatus.INVITED else None


def _send_invitation(manager: User, user: User, *, now: datetime, link_to: LinkBuilder) -> None:
    token = issue_token(user, TokenPurpose.INVITATION, now=now)
    days = current_app.config["INVITATION_LIFETIME"].days
    notifications.send_after_commit(
        notifications.render_email(
            "invitation.txt",
            user.email,
            "You have been invited to the assessor register",
            user=user,
            inviter=manager,
            link=link_to(token),
            days=days,
        )
    )


def change_role(
    manager: User, user: User, role: Role, organisation_id: int | None, *, now: datetime
) -> bool:
    """Change a user's role and organisation; ends their sessions (SES-03).

    Returns True when the change is made now. Giving a privileged role (or the same one in
    another organisation) is only proposed: the user keeps their old role until a second person
    confirms it (AC-09), and False is returned.
    """
    _require_manager(manager, target=user)
    organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
    _check_organisation(role, organisation)
    new_organisation_id = organisation.id if organisation else None
    if (role, new_organisation_id) == (user.role, user.organisation_id):
        raise ValidationFailed("This person already has this role", "role")
    if grants.pending_grant_of(user) is not None:
        raise ValidationFailed(
            "A role for this person is waiting for confirmation. Confirm or cancel it first",
            "role",
        )
    if grants.is_privileged(role):
        grant = grants.propose(manager, user, role, new_organisation_id, via="role_change", now=now)
        grants.notify_confirmers(grant, now=now)
        db.session.commit()
        return False
    before = {"role": str(user.role), "organisation_id": user.organisation_id}
    user.role = role
    user.organisation = organisation
    user.session_version += 1
    after = {"role": str(role), "organisation_id": new_organisation_id}
    record_audit(manager, "user.role_changed", user, at=now, before=before, after=after)
    db.session.commit()
    return True


def set_disabled(manager: User, user: User, disabled: bool, *, now: datetime) -> None:
    """Disable (ending every session at once) or re-enable an account."""
    _require_manager(manager, target=user)
    before = {"status": str(user.status)}
    if disabled:
        user.status = AccountStatus.DISABLED
        user.session_version += 1
    else:
        user.status = AccountStatus.ACTIVE if user.password_hash else AccountStatus.INVITED
    action = "user.disabled" if disabled else "user.enabled"
    record_audit(manager, action, user, at=now, before=before, after={"status": str(user.status)})
    db.session.commit()


def sign_out_everywhere(manager: User, user: User, *, now: datetime) -> None:
    """End every session the user has (SES-03)."""
    _require_manager(manager, target=user)
    user.session_version += 1
    record_audit(manager, "user.signed_out_everywhere", user, at=now)
    db.session.commit()


def reset_mfa(manager: User, user: User, check: IdentityCheck, *, now: datetime) -> None:
    """Clear a user's second factor after an identity check (MFA-08); they must re-enrol."""
    _require_manager(manager, target=user)
    user.totp_secret_encrypted = None
    user.totp_enrolled_at = None
    user.last_totp_timecode = None
    user.recovery_codes.clear()
    user.session_version += 1
    record_audit(
        manager,
        "user.mfa_reset",
        user,
        at=now,
        after={"identity_check": check.method, "notes": check.notes},
    )
    notifications.send_after_commit(
        notifications.render_email(
            "security_change.txt",
            user.email,
            "Your two-factor sign-in was reset",
            user=user,
            change="two-factor (reset by a register manager)",
        )
    )
    db.session.commit()


def _require_manager(manager: User, *, target: User | None = None) -> None:
    if manager.role is not Role.REGISTER_MANAGER:
        raise NotAllowed("Only register managers can manage accounts")
    if target is not None and target.id == manager.id:
        raise NotAllowed("You cannot change your own account here. Ask another register manager")


def _check_organisation(role: Role, organisation: Organisation | None) -> None:
    expected = ROLE_ORGANISATION[role]
    if expected is None:
        if organisation is not None:
            raise ValidationFailed("Assessors do not belong to an organisation", "organisation_id")
        return
    kinds = expected if isinstance(expected, tuple) else (expected,)
    if organisation is None or organisation.kind not in kinds:
        needed = (
            "the register body"
            if kinds == (OrganisationKind.REGISTER_BODY,)
            else "a local authority"
        )
        raise ValidationFailed(f"Select {needed} for this role", "organisation_id")


def _check_email_free(email: str) -> None:
    if find_user_by_email(email) is not None:
        raise ValidationFailed("An account with this email address already exists", "email")


def ensure_organisation(name: str, role: Role, *, now: datetime) -> Organisation:
    """The organisation called `name`, created with the kind the role needs if it is new."""
    organisation = db.session.scalar(select(Organisation).where(Organisation.name == name))
    if organisation is not None:
        return organisation
    expected = ROLE_ORGANISATION[role]
    if expected is None:
        raise ValidationFailed("Assessors do not belong to an organisation", "org")
    kind = expected[0] if isinstance(expected, tuple) else expected
    organisation = Organisation(name=name, kind=kind, created_at=now)
    db.session.add(organisation)
    db.session.commit()
    return organisation
