"""Register managers can send an invitation again: a new link, the old one revoked, the account
kept; inviting the same address again offers that instead of refusing (issue 13)."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from registry.models import AccountStatus, Organisation, Role, User
from support import body_of

INVITEE = "late.invitee@example.org"


def _link(message) -> str:
    return re.search(r"http://localhost(/\S+)", body_of(message)).group(1)


def _invite(manager, db):
    northshire = db.session.scalar(
        sa.select(Organisation).where(Organisation.name == "Northshire County Council")
    )
    return manager.post(
        "/users/invite",
        data={
            "full_name": "Late Invitee",
            "email": INVITEE,
            "role": "officer",
            "organisation_id": str(northshire.id),
        },
    )


def test_an_expired_invitation_is_replaced_without_deleting_the_account(
    clock, app, db, logged_in, make_organisation, outbox
):
    make_organisation("Northshire County Council")
    manager = logged_in(Role.REGISTER_MANAGER)
    _invite(manager, db)
    (first,) = outbox.to(INVITEE)
    invitee = db.session.scalar(sa.select(User).where(User.email == INVITEE))
    clock.shift(timedelta(days=8))
    assert app.test_client().get(_link(first)).status_code == 410  # expired
    manager = logged_in(Role.REGISTER_MANAGER)  # a week later: signed in again

    page = manager.get(f"/users/{invitee.id}").get_data(as_text=True)
    assert "Send the invitation again" in page
    manager.post(f"/users/{invitee.id}/resend-invitation")

    _, second = outbox.to(INVITEE)
    assert _link(second) != _link(first)
    assert app.test_client().get(_link(second)).status_code == 200
    db.session.expire_all()
    same = db.session.get(User, invitee.id)
    assert (same.status, same.role) == (AccountStatus.INVITED, Role.OFFICER)


def test_sending_again_revokes_the_earlier_link(app, db, logged_in, make_organisation, outbox):
    make_organisation("Northshire County Council")
    manager = logged_in(Role.REGISTER_MANAGER)
    _invite(manager, db)
    (first,) = outbox.to(INVITEE)
    invitee = db.session.scalar(sa.select(User).where(User.email == INVITEE))
    manager.post(f"/users/{invitee.id}/resend-invitation")
    assert app.test_client().get(_link(first)).status_code == 410
    assert app.test_client().get(_link(outbox.to(INVITEE)[1])).status_code == 200


def test_inviting_the_same_address_again_offers_to_send_it_again(
    db, logged_in, make_organisation, outbox
):
    make_organisation("Northshire County Council")
    manager = logged_in(Role.REGISTER_MANAGER)
    _invite(manager, db)
    page = _invite(manager, db).get_data(as_text=True)
    assert "has not accepted yet" in page
    assert "Send the invitation again" in page
    assert len(outbox.to(INVITEE)) == 1  # nothing sent until the manager asks


def test_an_accepted_invitation_cannot_be_sent_again(db, logged_in, make_user, outbox):
    active = make_user(Role.OFFICER, email="active@example.org")
    manager = logged_in(Role.REGISTER_MANAGER)
    response = manager.post(f"/users/{active.id}/resend-invitation", follow_redirects=True)
    assert "Only someone who has not accepted" in response.get_data(as_text=True)
    assert outbox.to("active@example.org") == []
