"""Authentication: password hashing, the password policy, enumeration, the first account.

AUTH-01..07 of docs/requirements.md. Emailed links (AUTH-08) and change notices (AUTH-09) are in
test_users.py.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from auth_helpers import (
    assert_only_stage_pages_reachable,
    password_step,
    redirect_path,
    signed_in_client,
    text_of,
)

from registry import create_app
from registry.auth.service import issue_token
from registry.auth.totp import code_at
from registry.clock import utc_now
from registry.models import AccountStatus, Role, TokenPurpose, User
from support import config_for, migrate_to_head, scratch_database

CHANGE_FORM = "/account/password"
GOOD_PASSPHRASE = "lantern orchard velvet compass"


def _change_password(client, current: str, new: str):
    return client.post(
        CHANGE_FORM, data={"current_password": current, "password": new, "confirm": new}
    )


def _create_with_cli(runner, email: str = "first.manager@example.test") -> str:
    """Run `flask users create` for a register manager; returns the one-time password."""
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            email,
            "--role",
            "register_manager",
            "--org",
            "Regional Assessor Register",
        ]
    )
    assert result.exit_code == 0, result.output
    return re.search(r"One-time password .*: (\S+)", result.output).group(1)


# --------------------------------------------------------------------------- AUTH-01, AUTH-02


@pytest.mark.app_settings(PASSWORD_HASH_PROFILE="rfc9106_low_memory")
def test_auth01_new_user_hash_is_argon2id_with_rfc9106_low_memory_parameters(runner, db) -> None:
    _create_with_cli(runner)
    stored = db.session.scalar(sa.select(User.password_hash))
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_auth01_password_hash_is_the_only_password_column() -> None:
    columns = {column.name: column for column in User.__table__.columns}
    password_columns = {name for name in columns if "password" in name or "secret" in name}
    assert password_columns == {
        "password_hash",
        "password_must_change",
        "password_expires_at",
        "totp_secret_encrypted",
    }
    assert columns["password_must_change"].type.python_type is bool


def test_auth01_no_plaintext_of_the_password_is_stored(runner, db) -> None:
    one_time_password = _create_with_cli(runner)
    row = db.session.execute(sa.select(User.__table__)).one()
    assert not any(one_time_password in str(value) for value in row)


@pytest.mark.app_settings(PASSWORD_HASH_PROFILE="rfc9106_low_memory")
def test_auth02_sign_in_rehashes_an_outdated_hash(client, make_user, stored_user) -> None:
    made = make_user(profile="cheapest")
    assert stored_user(made).password_hash.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    password_step(client, made)
    assert stored_user(made).password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


# --------------------------------------------------------------------------- AUTH-03


@pytest.mark.parametrize(
    "new_password",
    [
        pytest.param("lantern orchard velvet compass harbour moonlit quiet road", id="58 chars"),
        pytest.param(("lantern orchard velvet compass " * 3)[:64], id="64 chars"),
        pytest.param(("lantern orchard velvet compass " * 9)[:256], id="256 chars"),
        pytest.param("🦊🌲🔥 quiet moonlit harbour 🚲", id="emoji"),
        pytest.param("  ünïcödé spaces kept  ", id="unicode with edge spaces"),
        pytest.param("abcdefgh", id="8 lowercase letters, no composition rules"),
    ],
)
def test_auth03_long_and_unicode_passphrases_work(
    new_password: str,
    app,
    make_user,
    logged_in,
) -> None:
    made = make_user()
    response = _change_password(logged_in(made), made.password, new_password)
    assert redirect_path(response) == "/account"
    made.password = new_password
    assert redirect_path(password_step(app.test_client(), made)) == "/sign-in/code"


def test_auth03_seven_characters_are_refused(make_user, logged_in, stored_user) -> None:
    made = make_user()
    before = stored_user(made).password_hash
    response = _change_password(logged_in(made), made.password, "abcdefg")
    assert response.status_code == 200
    assert "Password must be 8 characters or more" in text_of(response)
    assert stored_user(made).password_hash == before


def test_auth03_page_recommends_15_characters(logged_in) -> None:
    assert "15 or more is better" in text_of(logged_in(Role.OFFICER).get(CHANGE_FORM))


@pytest.mark.parametrize("typed", ["Password", "PASSWORD", "password ", " password", "passwor"])
def test_auth03_password_is_compared_exactly_as_typed(typed: str, client, make_user) -> None:
    made = make_user(password="password")
    response = password_step(client, made, password=typed)
    assert response.status_code == 200
    assert "Enter a correct email address and password" in text_of(response)


def test_auth03_the_exact_password_opens_the_account(client, make_user) -> None:
    made = make_user(password="password")
    assert redirect_path(password_step(client, made)) == "/sign-in/code"


# --------------------------------------------------------------------------- AUTH-04


def _change_form(app, made, db):
    return signed_in_client(app, made), CHANGE_FORM


def _reset_form(app, made, db):
    token = issue_token(made.user, TokenPurpose.PASSWORD_RESET, now=utc_now())
    db.session.commit()
    return app.test_client(), f"/password-reset/{token}"


def _invitation_form(app, made, db):
    made.user.status = AccountStatus.INVITED
    made.user.password_hash = None
    token = issue_token(made.user, TokenPurpose.INVITATION, now=utc_now())
    db.session.commit()
    return app.test_client(), f"/invitations/{token}"


def _first_sign_in_form(app, made, db):
    made.user.password_must_change = True
    db.session.commit()
    client = app.test_client()
    assert redirect_path(password_step(client, made)) == "/account/password/new"
    return client, "/account/password/new"


# Where a password is chosen: each gives a client and the URL of its form.
PASSWORD_FORMS = {
    "change": _change_form,
    "reset": _reset_form,
    "invitation": _invitation_form,
    "first sign-in": _first_sign_in_form,
}


@pytest.mark.parametrize("flow", PASSWORD_FORMS)
@pytest.mark.parametrize("new_password", ["password123456", "Safeguarding2026"])
def test_auth04_common_and_context_passwords_are_refused(
    flow: str,
    new_password: str,
    app,
    db,
    make_user,
    stored_user,
) -> None:
    made = make_user()
    client, url = PASSWORD_FORMS[flow](app, made, db)
    before = stored_user(made).password_hash
    response = client.post(
        url,
        data={"current_password": made.password, "password": new_password, "confirm": new_password},
    )
    assert response.status_code == 200
    assert 'class="govuk-error-message"' in text_of(response)
    assert stored_user(made).password_hash == before


def test_auth04_the_users_own_name_is_refused(make_user, logged_in) -> None:
    made = make_user(full_name="Gwendolyn Featherstonehaugh")
    response = _change_password(logged_in(made), made.password, "featherstonehaugh rules ok")
    assert "must not contain" in text_of(response)


def test_auth04_a_passphrase_of_ordinary_words_is_accepted(app, db, make_user) -> None:
    client, url = _reset_form(app, make_user(), db)
    response = client.post(url, data={"password": GOOD_PASSPHRASE, "confirm": GOOD_PASSPHRASE})
    assert redirect_path(response) == "/sign-in"


# --------------------------------------------------------------------------- AUTH-05


@pytest.mark.parametrize("current", ["", "not the current password"])
def test_auth05_password_change_needs_the_current_password(
    current: str,
    make_user,
    logged_in,
    stored_user,
) -> None:
    made = make_user()
    before = stored_user(made).password_hash
    response = _change_password(logged_in(made), current, GOOD_PASSPHRASE)
    assert response.status_code == 200
    assert 'class="govuk-error-message"' in text_of(response)
    assert stored_user(made).password_hash == before


def test_auth05_first_password_page_is_closed_after_sign_in(logged_in, stored_user) -> None:
    client = logged_in(Role.OFFICER)
    made = client.made_user
    before = stored_user(made).password_hash
    response = client.post(
        "/account/password/new", data={"password": GOOD_PASSPHRASE, "confirm": GOOD_PASSPHRASE}
    )
    assert redirect_path(response) == "/"
    assert stored_user(made).password_hash == before


# --------------------------------------------------------------------------- AUTH-06


def _normalised(html: str, email: str) -> str:
    html = html.replace(email, "EMAIL")
    html = re.sub(r'(name="csrf-token" content=")[^"]+', r"\1TOKEN", html)
    return re.sub(r'(name="csrf_token" type="hidden" value=")[^"]+', r"\1TOKEN", html)


def test_auth06_unknown_email_and_wrong_password_get_the_same_answer(app, make_user) -> None:
    made = make_user(email="known@example.test")
    wrong = app.test_client().post(
        "/sign-in", data={"email": made.email, "password": "not the password"}
    )
    unknown = app.test_client().post(
        "/sign-in", data={"email": "nobody@example.test", "password": "not the password"}
    )
    assert wrong.status_code == unknown.status_code == 200
    assert _normalised(text_of(wrong), made.email) == _normalised(
        text_of(unknown), "nobody@example.test"
    )


def test_auth06_unknown_email_still_costs_one_hash_verification(
    client,
    make_user,
    monkeypatch,
) -> None:
    calls = []
    original = PasswordHasher.verify

    def spy(self, hash, password):
        calls.append(hash)
        return original(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", spy)
    client.post("/sign-in", data={"email": "nobody@example.test", "password": "guess"})
    assert len(calls) == 1
    assert calls[0].startswith("$argon2id$")


def test_auth06_reset_request_answer_is_the_same_for_unknown_address(
    app, make_user, outbox
) -> None:
    made = make_user(email="known@example.org")
    known = app.test_client().post("/password-reset", data={"email": made.email})
    unknown = app.test_client().post("/password-reset", data={"email": "nobody@example.org"})
    assert len(outbox.to(made.email)) == 1
    assert known.status_code == unknown.status_code == 200
    assert _normalised(text_of(known), made.email) == _normalised(
        text_of(unknown), "nobody@example.org"
    )


# --------------------------------------------------------------------------- AUTH-07


def test_auth07_no_account_exists_after_migrations(database_url: str, tmp_root) -> None:
    url = scratch_database(database_url, "auth07", tmp_root)
    migrate_to_head(create_app(config_for(url)))
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        users = connection.execute(sa.text("SELECT count(*) FROM user_account")).scalar_one()
    engine.dispose()
    assert users == 0


def test_auth07_cli_user_reaches_only_the_password_page_first(
    app, client, runner, make_user
) -> None:
    one_time_password = _create_with_cli(runner)
    response = client.post(
        "/sign-in", data={"email": "first.manager@example.test", "password": one_time_password}
    )
    assert redirect_path(response) == "/account/password/new"
    assert_only_stage_pages_reachable(app, client, make_user, "password", "/account/password/new")


def test_auth07_cli_user_then_reaches_only_enrolment(app, client, runner, make_user) -> None:
    one_time_password = _create_with_cli(runner)
    client.post(
        "/sign-in", data={"email": "first.manager@example.test", "password": one_time_password}
    )
    response = client.post(
        "/account/password/new", data={"password": GOOD_PASSPHRASE, "confirm": GOOD_PASSPHRASE}
    )
    assert redirect_path(response) == "/account/two-factor"
    assert_only_stage_pages_reachable(app, client, make_user, "enrol", "/account/two-factor")


def test_auth07_cli_user_reaches_the_dashboard_after_enrolment(client, runner, clock) -> None:
    one_time_password = _create_with_cli(runner)
    client.post(
        "/sign-in", data={"email": "first.manager@example.test", "password": one_time_password}
    )
    client.post(
        "/account/password/new", data={"password": GOOD_PASSPHRASE, "confirm": GOOD_PASSPHRASE}
    )
    page = text_of(client.post("/account/two-factor/start"))
    seed = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    confirmed = client.post(
        "/account/two-factor/confirm", data={"code": code_at(seed, datetime.now(UTC))}
    )
    assert "Save your recovery codes" in text_of(confirmed)
    assert client.get("/").status_code == 200


def test_auth07_one_time_password_expires(client, runner, clock) -> None:
    one_time_password = _create_with_cli(runner)
    clock.shift(timedelta(days=3, minutes=1))
    response = client.post(
        "/sign-in", data={"email": "first.manager@example.test", "password": one_time_password}
    )
    assert response.status_code == 200
    assert "Enter a correct email address and password" in text_of(response)
