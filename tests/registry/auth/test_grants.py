"""AC-09 through the pages and the CLI, the step-up on account actions (MFA-07), and MFA-02's
"shown once" after a mistyped enrolment code. Each test plays the attack first."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from auth_helpers import redirect_path, text_of

from registry.auth.totp import code_at
from registry.models import AccountStatus, Organisation, OrganisationKind, Role, User
from registry.models.people import RoleGrant
from support import body_of

PUPPET = "sock.puppet@example.org"


def _body(db) -> Organisation:
    return db.session.scalar(
        sa.select(Organisation).where(Organisation.kind == OrganisationKind.REGISTER_BODY)
    )


def _invite_manager(client, db):
    return client.post(
        "/users/invite",
        data={
            "full_name": "Sock Puppet",
            "email": PUPPET,
            "role": "register_manager",
            "organisation_id": str(_body(db).id),
        },
    )


def _grant(db) -> RoleGrant:
    return db.session.scalar(sa.select(RoleGrant).order_by(RoleGrant.id.desc()))


def test_ac09_invited_manager_cannot_sign_in_until_a_second_manager_confirms(
    app, db, logged_in, outbox
):
    attacker = logged_in(Role.REGISTER_MANAGER)
    _invite_manager(attacker, db)
    page = text_of(attacker.get("/users"))
    assert "Roles waiting for a second person" in page
    assert "Sock Puppet" in page
    assert outbox.to(PUPPET) == []  # no link: the account cannot be used
    grant = _grant(db)
    own = text_of(attacker.get(f"/users/grants/{grant.id}"))
    assert "You cannot confirm this" in own
    assert "Confirm the role" not in own
    attacker.post(f"/users/grants/{grant.id}")
    db.session.expire_all()
    assert _grant(db).confirmed_at is None
    second = logged_in(Role.REGISTER_MANAGER)
    assert "Confirm the role" in text_of(second.get(f"/users/grants/{grant.id}"))
    assert redirect_path(second.post(f"/users/grants/{grant.id}")) == "/users/grants"
    db.session.expire_all()
    assert _grant(db).confirmed_by_id == second.made_user.id
    (message,) = outbox.to(PUPPET)
    assert "/invitations/" in body_of(message)


def test_ac09_confirming_a_grant_asks_for_a_fresh_code(db, logged_in, clock):
    _invite_manager(logged_in(Role.REGISTER_MANAGER), db)
    second = logged_in(Role.REGISTER_MANAGER)
    grant = _grant(db)
    clock.shift(timedelta(minutes=16))
    url = f"/users/grants/{grant.id}"
    response = second.post(url, headers={"Referer": f"http://localhost{url}"})
    assert redirect_path(response) == "/account/confirm-identity"
    made = second.made_user
    back = second.post(
        response.headers["Location"], data={"password": made.password, "code": made.code()}
    )
    assert redirect_path(back) == url
    second.post(url)
    db.session.expire_all()
    assert _grant(db).confirmed_by_id == made.id


def test_ac09_proposing_a_privileged_role_asks_for_a_fresh_code(db, logged_in, clock):
    manager = logged_in(Role.REGISTER_MANAGER)
    clock.shift(timedelta(minutes=16))
    assert redirect_path(manager.get("/users/invite")) == "/account/confirm-identity"
    assert redirect_path(_invite_manager(manager, db)) == "/account/confirm-identity"
    assert db.session.scalar(sa.select(User).where(User.email == PUPPET)) is None


def test_ac09_a_panel_member_confirms_a_new_member_of_their_panel(db, logged_in, make_user):
    panel = make_user(Role.PANEL_MEMBER)
    officer = make_user(Role.OFFICER, organisation=panel.user.organisation)
    logged_in(Role.REGISTER_MANAGER).post(
        f"/users/{officer.id}/role",
        data={"role": "panel_member", "organisation_id": str(panel.user.organisation_id)},
    )
    db.session.expire_all()
    assert db.session.get(User, officer.id).role is Role.OFFICER
    member = logged_in(panel)
    assert officer.user.full_name in text_of(member.get("/users/grants"))
    member.post(f"/users/grants/{_grant(db).id}")
    db.session.expire_all()
    assert db.session.get(User, officer.id).role is Role.PANEL_MEMBER


def test_ac09_panel_members_of_another_council_cannot_see_the_grant(
    db, logged_in, make_user, make_organisation
):
    panel = make_user(Role.PANEL_MEMBER)
    officer = make_user(Role.OFFICER, organisation=panel.user.organisation)
    logged_in(Role.REGISTER_MANAGER).post(
        f"/users/{officer.id}/role",
        data={"role": "panel_member", "organisation_id": str(panel.user.organisation_id)},
    )
    elsewhere = make_organisation("Eastborough City Council")
    outsider = logged_in(make_user(Role.PANEL_MEMBER, organisation=elsewhere))
    assert outsider.get(f"/users/grants/{_grant(db).id}").status_code == 404
    assert officer.user.full_name not in text_of(outsider.get("/users/grants"))


# --------------------------------------------------------------------------- the CLI


def _cli_create(runner, email: str, role: str = "register_manager", org="Regional Register"):
    return runner.invoke(args=["users", "create", "--email", email, "--role", role, "--org", org])


def test_ac09_cli_creates_only_the_first_register_manager(db, runner):
    assert _cli_create(runner, "first@example.org").exit_code == 0
    second = _cli_create(runner, "second@example.org")
    assert second.exit_code != 0
    assert "A register manager already exists" in second.output
    panel = _cli_create(runner, "panel@example.org", "panel_member", "Northshire County Council")
    assert panel.exit_code != 0
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1
    (grant,) = db.session.scalars(sa.select(RoleGrant)).all()
    assert (grant.via, grant.proposed_by_id, grant.confirmed_at is not None) == (
        "bootstrap",
        None,
        True,
    )


def test_ac09_cli_confirms_the_second_manager_only_while_no_other_manager_can(
    db, runner, logged_in, make_user, outbox
):
    first = make_user(Role.REGISTER_MANAGER)
    _invite_manager(logged_in(first), db)
    grant = _grant(db)
    result = runner.invoke(args=["users", "confirm-grant", str(grant.id)])
    assert result.exit_code == 0, result.output
    (message,) = outbox.to(PUPPET)
    assert "http://localhost/invitations/" in body_of(message)
    # With a second manager present, the CLI refuses: the managers confirm on the Users page.
    officer = make_user(Role.OFFICER)
    logged_in(first).post(
        f"/users/{officer.id}/role",
        data={"role": "register_manager", "organisation_id": str(_body(db).id)},
    )
    db.session.expire_all()
    db.session.get(User, grant.user_id).status = AccountStatus.ACTIVE
    db.session.commit()
    refused = runner.invoke(args=["users", "confirm-grant", str(_grant(db).id)])
    assert refused.exit_code != 0
    assert "Another register manager exists" in refused.output


# --------------------------------------------------------------------------- MFA-07


@pytest.mark.parametrize("action", ["disable", "enable", "sign-out"])
def test_mfa07_account_actions_ask_for_a_fresh_code_after_16_minutes(
    action, logged_in, make_user, clock, db
):
    status = AccountStatus.DISABLED if action == "enable" else AccountStatus.ACTIVE
    target = make_user(Role.OFFICER, status=status)
    version = target.user.session_version
    manager = logged_in(Role.REGISTER_MANAGER)
    clock.shift(timedelta(minutes=16))
    url = f"/users/{target.id}/{action}"
    response = manager.post(url, headers={"Referer": f"http://localhost/users/{target.id}"})
    assert redirect_path(response) == "/account/confirm-identity"
    db.session.expire_all()
    stored = db.session.get(User, target.id)
    assert (stored.status, stored.session_version) == (status, version)


# --------------------------------------------------------------------------- MFA-02


def test_mfa02_a_mistyped_enrolment_code_does_not_show_the_secret_again(app, make_user, db):
    from auth_helpers import password_step

    made = make_user(enrolled=False)
    client = app.test_client()
    password_step(client, made)
    shown = text_of(client.post("/account/two-factor/start"))
    seed = re.search(r'id="totp-secret">([A-Z2-7]{32})<', shown).group(1)
    wrong = str((int(code_at(seed, datetime.now(UTC))) + 1) % 1_000_000).zfill(6)
    page = text_of(client.post("/account/two-factor/confirm", data={"code": wrong}))
    assert seed not in page
    assert "Start again" in page or "start again" in page
    # The old secret no longer works: enrolment starts over with a new one.
    db.session.expire_all()
    assert db.session.get(User, made.id).totp_secret_encrypted is None
    late = client.post(
        "/account/two-factor/confirm", data={"code": code_at(seed, datetime.now(UTC))}
    )
    assert seed not in text_of(late)
    again = text_of(client.post("/account/two-factor/start"))
    assert re.search(r'id="totp-secret">([A-Z2-7]{32})<', again).group(1) != seed
