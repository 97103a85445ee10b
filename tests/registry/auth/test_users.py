"""Account journeys through the pages and the real SMTP server: invitations, resets, notices.

AUTH-08 (emailed links) and AUTH-09 (one notice per change), with the manager's journeys.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
import sqlalchemy as sa
from auth_helpers import (
    enrol_through_pages,
    password_step,
    redirect_path,
    signed_in_client,
    text_of,
    totp_step,
)

from registry.models import (
    AccountStatus,
    AccountToken,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from registry.models.people import RoleGrant
from support import body_of

PASSPHRASE = "lantern orchard velvet compass"
INVITEE = "nadia.officer@example.org"


def _link_in(message) -> str:
    """The path of the one link in an email (its host is EXTERNAL_BASE_URL)."""
    return re.search(r"http://localhost(/\S+)", body_of(message)).group(1)


def _invite(manager, db, email: str = INVITEE):
    northshire = db.session.scalar(
        sa.select(Organisation).where(Organisation.name == "Northshire County Council")
    )
    return manager.post(
        "/users/invite",
        data={
            "full_name": "Nadia Officer",
            "email": email,
            "role": "officer",
            "organisation_id": str(northshire.id),
        },
    )


def _choose(client, link: str, password: str = PASSPHRASE):
    return client.post(link, data={"password": password, "confirm": password})


@pytest.fixture
def invitation(clock, app, db, logged_in, make_organisation, outbox) -> str:
    """The link of an invitation a manager has just sent to INVITEE."""
    make_organisation("Northshire County Council")
    response = _invite(logged_in(Role.REGISTER_MANAGER), db)
    assert redirect_path(response).startswith("/users/")
    (message,) = outbox.to(INVITEE)
    return _link_in(message)


@pytest.fixture
def reset_link(clock, app, make_user, outbox):
    """A user and the reset link they asked for."""
    made = make_user(email="forgetful@example.org")
    app.test_client().post("/password-reset", data={"email": made.email})
    (message,) = outbox.to(made.email)
    return made, _link_in(message)


# --------------------------------------------------------------------------- journeys


def test_invited_person_sets_a_password_then_enrols(app, db, invitation: str) -> None:
    client = app.test_client()
    assert "Create your password" in text_of(client.get(invitation))
    assert redirect_path(_choose(client, invitation)) == "/account/two-factor"
    enrolment = enrol_through_pages(client)
    assert len(enrolment.codes) == 10
    assert client.get("/").status_code == 200
    user = db.session.scalar(sa.select(User).where(User.email == INVITEE))
    assert (user.status, user.role, user.mfa_enrolled) == (AccountStatus.ACTIVE, Role.OFFICER, True)


def test_invitation_email_names_the_role_and_the_lifetime(
    logged_in, db, make_organisation, outbox
) -> None:
    make_organisation("Northshire County Council")
    _invite(logged_in(Role.REGISTER_MANAGER), db)
    body = body_of(outbox.to(INVITEE)[0])
    assert "commissioning officer for Northshire County Council" in body
    assert "expires in 7 days" in body


def test_reset_journey_still_asks_for_the_code(app, reset_link) -> None:
    made, link = reset_link
    assert redirect_path(_choose(app.test_client(), link)) == "/sign-in"
    client = app.test_client()
    made.password = PASSPHRASE
    assert redirect_path(password_step(client, made)) == "/sign-in/code"
    assert redirect_path(client.get("/")) == "/sign-in/code"
    assert redirect_path(totp_step(client, made)) == "/"


def test_disabled_user_cannot_sign_in(app, logged_in, make_user) -> None:
    target = make_user(Role.OFFICER)
    logged_in(Role.REGISTER_MANAGER).post(f"/users/{target.id}/disable")
    response = password_step(app.test_client(), target)
    assert response.status_code == 200
    assert "Enter a correct email address and password" in text_of(response)


def test_re_enabled_user_can_sign_in_again(app, logged_in, make_user) -> None:
    target = make_user(Role.OFFICER)
    manager = logged_in(Role.REGISTER_MANAGER)
    manager.post(f"/users/{target.id}/disable")
    manager.post(f"/users/{target.id}/enable")
    assert redirect_path(password_step(app.test_client(), target)) == "/sign-in/code"


def test_role_change_applies_at_the_next_sign_in(
    app, db, clock, logged_in, make_user, make_organisation
) -> None:
    target = make_user(Role.OFFICER)
    body = make_organisation("Regional Assessor Register", OrganisationKind.REGISTER_BODY)
    logged_in(Role.REGISTER_MANAGER).post(
        f"/users/{target.id}/role",
        data={"role": "register_manager", "organisation_id": str(body.id)},
    )
    # A privileged role takes effect only when a second register manager confirms it (AC-09).
    assert signed_in_client(app, target).get("/users").status_code == 403
    grant = db.session.scalar(sa.select(RoleGrant))
    logged_in(Role.REGISTER_MANAGER).post(f"/users/grants/{grant.id}")
    clock.shift(timedelta(seconds=30))  # each TOTP code works once (MFA-03)
    assert signed_in_client(app, target).get("/users").status_code == 200


def test_manager_cannot_change_their_own_account(logged_in, stored_user) -> None:
    manager = logged_in(Role.REGISTER_MANAGER)
    me = manager.made_user
    response = manager.post(f"/users/{me.id}/disable")
    assert response.status_code == 403
    assert stored_user(me).status is AccountStatus.ACTIVE


# --------------------------------------------------------------------------- AUTH-08


def test_auth08_invitation_link_works_once(app, invitation: str) -> None:
    _choose(app.test_client(), invitation)
    again = app.test_client()
    assert again.get(invitation).status_code == 410
    assert _choose(again, invitation, "another long passphrase here").status_code == 410


def test_auth08_invitation_link_expires_after_seven_days(app, invitation: str, clock) -> None:
    clock.shift(timedelta(days=7, minutes=1))
    assert app.test_client().get(invitation).status_code == 410


def test_auth08_invitation_of_a_disabled_account_no_longer_works(
    app,
    db,
    invitation: str,
    logged_in,
) -> None:
    invitee = db.session.scalar(sa.select(User).where(User.email == INVITEE))
    logged_in(Role.REGISTER_MANAGER).post(f"/users/{invitee.id}/disable")
    assert _choose(app.test_client(), invitation).status_code == 410
    db.session.expire_all()
    assert invitee.status is AccountStatus.DISABLED


def test_auth08_reset_link_works_once(app, reset_link) -> None:
    _, link = reset_link
    assert redirect_path(_choose(app.test_client(), link)) == "/sign-in"
    assert _choose(app.test_client(), link, "another long passphrase here").status_code == 410


def test_auth08_reset_link_fails_at_31_minutes(app, clock, reset_link) -> None:
    _, link = reset_link
    clock.shift(timedelta(minutes=31))
    assert _choose(app.test_client(), link).status_code == 410


def test_auth08_reset_link_works_at_29_minutes(app, clock, reset_link) -> None:
    _, link = reset_link
    clock.shift(timedelta(minutes=29))
    assert redirect_path(_choose(app.test_client(), link)) == "/sign-in"


def test_auth08_reset_ends_every_session(app, logged_in, reset_link) -> None:
    made, link = reset_link
    elsewhere = logged_in(made)
    assert elsewhere.get("/").status_code == 200
    _choose(app.test_client(), link)
    assert redirect_path(elsewhere.get("/")) == "/sign-in"


def test_auth08_link_token_has_256_random_bits_and_only_its_hash_is_stored(
    db,
    reset_link,
) -> None:
    _, link = reset_link
    token = link.rsplit("/", 1)[1]
    assert len(token) >= 43  # token_urlsafe(32): 256 bits, at least the 128 AUTH-08 asks for
    stored = db.session.scalars(sa.select(AccountToken.token_hash)).all()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]


def test_auth08_each_request_gets_a_different_link(app, make_user, outbox) -> None:
    made = make_user(email="twice@example.org")
    for _ in range(2):
        app.test_client().post("/password-reset", data={"email": made.email})
    first, second = (_link_in(m) for m in outbox.to(made.email))
    assert first != second


# --------------------------------------------------------------------------- AUTH-09


def _password_change(app, made, logged_in, outbox):
    client = logged_in(made)
    return lambda: client.post(
        "/account/password",
        data={"current_password": made.password, "password": PASSPHRASE, "confirm": PASSPHRASE},
    )


def _password_reset(app, made, logged_in, outbox):
    app.test_client().post("/password-reset", data={"email": made.email})
    link = _link_in(outbox.to(made.email)[-1])
    return lambda: _choose(app.test_client(), link)


def _mfa_enrolment(app, made, logged_in, outbox):
    made.user.totp_enrolled_at = None
    made.user.totp_secret_encrypted = None
    client = app.test_client()
    return lambda: (password_step(client, made), enrol_through_pages(client))


def _mfa_reset_by_manager(app, made, logged_in, outbox):
    manager = logged_in(Role.REGISTER_MANAGER)
    return lambda: manager.post(
        f"/users/{made.id}/reset-two-factor", data={"method": "in_person_photo_id", "notes": "Seen"}
    )


def _recovery_codes_replaced(app, made, logged_in, outbox):
    client = logged_in(made)
    return lambda: client.post("/account/recovery-codes")


# Each change AUTH-09 names: preparation, then the change itself (returned as a callable).
CHANGES: dict[str, Callable] = {
    "password change": _password_change,
    "password reset": _password_reset,
    "two-factor set up": _mfa_enrolment,
    "two-factor reset by a manager": _mfa_reset_by_manager,
    "recovery codes replaced": _recovery_codes_replaced,
}


@pytest.mark.parametrize("change", CHANGES)
def test_auth09_one_notice_per_change(
    change: str,
    app,
    db,
    make_user,
    logged_in,
    outbox,
) -> None:
    made = make_user(email="noticed@example.org")
    act = CHANGES[change](app, made, logged_in, outbox)
    db.session.commit()
    outbox.clear()
    act()
    (notice,) = outbox.to(made.email)
    assert "changed" in body_of(notice)
    assert "If this was not you" in body_of(notice)
