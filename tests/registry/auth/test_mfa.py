"""Multi-factor authentication with TOTP (MFA-01..08)."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from auth_helpers import (
    assert_only_stage_pages_reachable,
    enrol_through_pages,
    password_step,
    redirect_path,
    text_of,
    totp_step,
)
from cryptography.exceptions import InvalidTag

from registry.auth.totp import decrypt_seed
from registry.models import AuditEvent, RecoveryCode, Role
from registry.users import grants

OTHER_KEY = "b3RoZXIta2V5LW9mLTMyLWJ5dGVzLWZvci10ZXN0cyE="
ENROLMENT = "/account/two-factor"


def _enrolled_by_pages(app, make_user):
    """A user who set up TOTP through the pages; returns (made user, enrolment)."""
    made = make_user(enrolled=False)
    client = app.test_client()
    assert redirect_path(password_step(client, made)) == ENROLMENT
    enrolment = enrol_through_pages(client)
    made.seed = enrolment.seed
    return made, enrolment


# --------------------------------------------------------------------------- MFA-01


@pytest.mark.parametrize("role", list(Role))
def test_mfa01_dashboard_waits_for_the_code(role: Role, client, make_user) -> None:
    made = make_user(role)
    password_step(client, made)
    assert redirect_path(client.get("/")) == "/sign-in/code"
    totp_step(client, made)
    assert client.get("/").status_code == 200


def test_mfa01_mfa_pending_session_reaches_only_the_code_pages(app, client, make_user) -> None:
    made = make_user(Role.REGISTER_MANAGER)
    assert redirect_path(password_step(client, made)) == "/sign-in/code"
    assert_only_stage_pages_reachable(app, client, make_user, "code", "/sign-in/code")


def test_mfa01_code_page_does_not_refresh_a_complete_session(logged_in, clock) -> None:
    client = logged_in(Role.OFFICER)
    clock.shift(timedelta(minutes=16))
    response = client.post("/sign-in/code", data={"code": client.made_user.code()})
    assert redirect_path(response) == "/"
    assert redirect_path(client.get("/account/password")) == "/account/confirm-identity"


# --------------------------------------------------------------------------- MFA-02


def test_mfa02_seed_is_shown_once(app, make_user) -> None:
    made = make_user(enrolled=False)
    client = app.test_client()
    password_step(client, made)
    shown = text_of(client.post(f"{ENROLMENT}/start"))
    seed = re.search(r'id="totp-secret">([A-Z2-7]{32})<', shown).group(1)
    assert 'src="data:image/svg+xml;base64,' in shown
    assert seed not in text_of(client.get(ENROLMENT))


def test_mfa02_stored_seed_is_encrypted_under_the_configured_key(
    app,
    make_user,
    stored_user,
) -> None:
    made, enrolment = _enrolled_by_pages(app, make_user)
    stored = stored_user(made).totp_secret_encrypted
    assert enrolment.seed not in stored
    key = app.config["TOTP_ENCRYPTION_KEY"]
    assert decrypt_seed(stored, key, user_id=made.id) == enrolment.seed
    with pytest.raises(InvalidTag):
        decrypt_seed(stored, OTHER_KEY, user_id=made.id)


def test_mfa02_stored_seed_is_bound_to_its_user(app, make_user, stored_user) -> None:
    made, _ = _enrolled_by_pages(app, make_user)
    stored = stored_user(made).totp_secret_encrypted
    with pytest.raises(InvalidTag):
        decrypt_seed(stored, app.config["TOTP_ENCRYPTION_KEY"], user_id=made.id + 1)


# --------------------------------------------------------------------------- MFA-03


def test_mfa03_a_code_works_once(app, make_user, clock) -> None:
    made = make_user()
    first, second = app.test_client(), app.test_client()
    password_step(first, made)
    password_step(second, made)
    code = made.code()
    assert redirect_path(first.post("/sign-in/code", data={"code": code})) == "/"
    replay = second.post("/sign-in/code", data={"code": code})
    assert replay.status_code == 200
    assert "has already been used" in text_of(replay)


# --------------------------------------------------------------------------- MFA-04


@pytest.mark.parametrize(
    ("offset", "accepted"),
    [(-90, False), (-60, False), (-30, True), (0, True), (30, True), (60, False), (90, False)],
)
def test_mfa04_only_codes_within_one_step_of_the_server_clock_work(
    offset: int,
    accepted: bool,
    client,
    make_user,
    clock,
) -> None:
    made = make_user()
    password_step(client, made)
    at = datetime.now(UTC) + timedelta(seconds=offset)
    response = client.post("/sign-in/code", data={"code": made.code(at)})
    assert (redirect_path(response) == "/") is accepted


def test_mfa04_code_from_30_seconds_ago_is_accepted_once(app, make_user, clock) -> None:
    made = make_user()
    earlier = datetime.now(UTC) - timedelta(seconds=30)
    first, second = app.test_client(), app.test_client()
    password_step(first, made)
    password_step(second, made)
    assert redirect_path(totp_step(first, made, earlier)) == "/"
    assert totp_step(second, made, earlier).status_code == 200


def test_mfa04_an_older_code_is_refused_after_a_newer_one(app, make_user, clock) -> None:
    made = make_user()
    first, second = app.test_client(), app.test_client()
    password_step(first, made)
    password_step(second, made)
    assert redirect_path(totp_step(first, made)) == "/"
    earlier = datetime.now(UTC) - timedelta(seconds=30)
    assert totp_step(second, made, earlier).status_code == 200


# --------------------------------------------------------------------------- MFA-05


def test_mfa05_enrolment_shows_ten_recovery_codes(app, make_user) -> None:
    _, enrolment = _enrolled_by_pages(app, make_user)
    assert len(set(enrolment.codes)) == 10


def test_mfa05_a_recovery_code_works_once(app, make_user, clock) -> None:
    made, enrolment = _enrolled_by_pages(app, make_user)
    code = enrolment.codes[3]
    first = app.test_client()
    password_step(first, made)
    assert redirect_path(first.post("/sign-in/recovery-code", data={"code": code})) == "/"
    second = app.test_client()
    password_step(second, made)
    again = second.post("/sign-in/recovery-code", data={"code": code})
    assert again.status_code == 200
    assert redirect_path(second.get("/")) == "/sign-in/code"


def test_mfa05_recovery_codes_are_stored_only_as_hashes(app, db, make_user) -> None:
    _, enrolment = _enrolled_by_pages(app, make_user)
    rows = db.session.execute(sa.select(RecoveryCode.__table__)).all()
    stored = " ".join(str(value) for row in rows for value in row)
    assert not any(code in stored or code.replace("-", "") in stored for code in enrolment.codes)
    hashes = {row.code_hash for row in rows}
    assert hashes == {hashlib.sha256(code.encode()).hexdigest() for code in enrolment.codes}


# --------------------------------------------------------------------------- MFA-06


def test_mfa06_password_change_asks_to_reauthenticate_after_16_minutes(logged_in, clock) -> None:
    client = logged_in(Role.OFFICER)
    clock.shift(timedelta(minutes=16))
    response = client.get("/account/password")
    assert redirect_path(response) == "/account/confirm-identity"
    assert "next=/account/password" in response.headers["Location"]


def test_mfa06_password_change_form_shown_within_15_minutes(logged_in, clock) -> None:
    client = logged_in(Role.OFFICER)
    clock.shift(timedelta(minutes=14))
    assert client.get("/account/password").status_code == 200


def test_mfa06_reauthentication_needs_password_and_code(logged_in, clock) -> None:
    client = logged_in(Role.OFFICER)
    made = client.made_user
    clock.shift(timedelta(minutes=16))
    url = client.get("/account/password").headers["Location"]
    wrong_password = client.post(url, data={"password": "not it", "code": made.code()})
    assert wrong_password.status_code == 200
    accepted = client.post(url, data={"password": made.password, "code": made.code()})
    assert redirect_path(accepted) == "/account/password"
    assert client.get("/account/password").status_code == 200


def test_mfa06_a_change_does_not_extend_the_freshness_window(logged_in, clock) -> None:
    client = logged_in(Role.OFFICER)
    made = client.made_user
    clock.shift(timedelta(minutes=10))
    new = "lantern orchard velvet compass"
    changed = client.post(
        "/account/password",
        data={"current_password": made.password, "password": new, "confirm": new},
    )
    assert redirect_path(changed) == "/account"
    clock.shift(timedelta(minutes=6))
    assert redirect_path(client.get("/account/password")) == "/account/confirm-identity"


def test_mfa06_replacing_recovery_codes_asks_to_reauthenticate(logged_in, clock) -> None:
    client = logged_in(Role.OFFICER)
    clock.shift(timedelta(minutes=16))
    response = client.post("/account/recovery-codes")
    assert redirect_path(response) == "/account/confirm-identity"


# --------------------------------------------------------------------------- MFA-07


def _role_change(manager, target):
    return manager.post(
        f"/users/{target.id}/role",
        data={"role": "auditor", "organisation_id": str(target.user.organisation_id)},
        headers={"Referer": f"http://localhost/users/{target.id}"},
    )


def test_mfa07_role_change_asks_for_a_fresh_code_after_16_minutes(
    logged_in,
    make_user,
    stored_user,
    clock,
) -> None:
    manager = logged_in(Role.REGISTER_MANAGER)
    target = make_user(Role.OFFICER)
    clock.shift(timedelta(minutes=16))
    response = _role_change(manager, target)
    assert redirect_path(response) == "/account/confirm-identity"
    assert stored_user(target).role is Role.OFFICER


def test_mfa07_role_change_goes_ahead_after_a_fresh_code(
    logged_in,
    make_user,
    stored_user,
    clock,
) -> None:
    manager = logged_in(Role.REGISTER_MANAGER)
    made = manager.made_user
    target = make_user(Role.OFFICER)
    clock.shift(timedelta(minutes=16))
    confirm_url = _role_change(manager, target).headers["Location"]
    back = manager.post(confirm_url, data={"password": made.password, "code": made.code()})
    assert redirect_path(back) == f"/users/{target.id}"
    assert redirect_path(_role_change(manager, target)) == f"/users/{target.id}"
    # Proposed, not yet made: a second auditor or register manager confirms it (AC-09).
    assert stored_user(target).role is Role.OFFICER
    assert grants.pending_grant_of(stored_user(target)).role is Role.AUDITOR


def test_mfa07_mfa_reset_asks_for_a_fresh_code_after_16_minutes(
    logged_in,
    make_user,
    clock,
) -> None:
    manager = logged_in(Role.REGISTER_MANAGER)
    target = make_user(Role.OFFICER)
    clock.shift(timedelta(minutes=16))
    response = manager.get(f"/users/{target.id}/reset-two-factor")
    assert redirect_path(response) == "/account/confirm-identity"


# --------------------------------------------------------------------------- MFA-08


def _reset_mfa(manager, target):
    return manager.post(
        f"/users/{target.id}/reset-two-factor",
        data={"method": "video_call_photo_id", "notes": "Passport seen, ends 4821"},
    )


def test_mfa08_reset_is_audited_with_the_identity_check(db, logged_in, make_user) -> None:
    manager = logged_in(Role.REGISTER_MANAGER)
    target = make_user(Role.OFFICER)
    assert redirect_path(_reset_mfa(manager, target)) == f"/users/{target.id}"
    (row,) = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "user.mfa_reset"))
    assert (row.actor_id, row.object_id) == (manager.made_user.id, target.id)
    assert row.after["identity_check"] == "video_call_photo_id"


def test_mfa08_reset_ends_the_users_sessions(app, logged_in, make_user) -> None:
    manager = logged_in(Role.REGISTER_MANAGER)
    target = make_user(Role.OFFICER)
    target_client = logged_in(target)
    assert target_client.get("/").status_code == 200
    _reset_mfa(manager, target)
    assert redirect_path(target_client.get("/")) == "/sign-in"


def test_mfa08_next_sign_in_goes_to_enrolment(app, logged_in, make_user, stored_user) -> None:
    manager = logged_in(Role.REGISTER_MANAGER)
    target = make_user(Role.OFFICER)
    _reset_mfa(manager, target)
    client = app.test_client()
    assert redirect_path(password_step(client, target)) == ENROLMENT
    assert redirect_path(client.get("/")) == ENROLMENT
    assert stored_user(target).recovery_codes == []
