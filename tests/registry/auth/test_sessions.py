"""Sessions: renewal, versioning, timeouts, cookie attributes, sign-out (SES-01..08)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from auth_helpers import (
    ROLES,
    Samples,
    parse_html,
    password_step,
    redirect_path,
    routes,
    set_cookies,
    signed_in_client,
    text_of,
    totp_step,
    url_for_rule,
)

from registry.models import Role

SESSION_COOKIE = "__Host-session"


# --------------------------------------------------------------------------- SES-01


def test_ses01_session_is_renewed_at_each_sign_in_step(client, make_user) -> None:
    made = make_user()
    client.get("/sign-in")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    before = client.session_cookie()
    password_step(client, made)
    after_password = client.session_cookie()
    totp_step(client, made)
    after_code = client.session_cookie()
    assert len({before, after_password, after_code}) == 3
    with client.session_transaction() as session:
        assert "planted" not in session


# --------------------------------------------------------------------------- SES-02


def test_ses02_replayed_cookie_refused_after_sign_out(app, make_user) -> None:
    client = signed_in_client(app, make_user())
    copied = client.session_cookie()
    client.post("/sign-out")
    thief = app.test_client()
    thief.set_cookie(SESSION_COOKIE, copied)
    assert redirect_path(thief.get("/")) == "/sign-in"


def test_ses02_copied_cookie_works_until_sign_out(app, make_user) -> None:
    client = signed_in_client(app, make_user())
    thief = app.test_client()
    thief.set_cookie(SESSION_COOKIE, client.session_cookie())
    assert thief.get("/").status_code == 200


# --------------------------------------------------------------------------- SES-03


def _disable(manager, target):
    return manager.post(f"/users/{target.id}/disable")


def _change_role(manager, target):
    # A change with immediate effect: raising to a privileged role waits for a second person.
    return manager.post(
        f"/users/{target.id}/role", data={"role": "assessor", "organisation_id": ""}
    )


def _sign_out_everywhere(manager, target):
    return manager.post(f"/users/{target.id}/sign-out")


@pytest.mark.parametrize(
    "action",
    [_disable, _change_role, _sign_out_everywhere],
    ids=["disable", "change role", "sign out everywhere"],
)
def test_ses03_manager_action_signs_the_user_out_at_the_next_request(
    action,
    logged_in,
    make_user,
) -> None:
    target = make_user(Role.OFFICER)
    target_client = logged_in(target)
    assert target_client.get("/").status_code == 200
    assert redirect_path(action(logged_in(Role.REGISTER_MANAGER), target)) == f"/users/{target.id}"
    assert redirect_path(target_client.get("/")) == "/sign-in"


def test_ses03_re_enabled_user_must_sign_in_again(logged_in, make_user) -> None:
    target = make_user(Role.OFFICER)
    target_client = logged_in(target)
    manager = logged_in(Role.REGISTER_MANAGER)
    manager.post(f"/users/{target.id}/disable")
    manager.post(f"/users/{target.id}/enable")
    assert redirect_path(target_client.get("/")) == "/sign-in"


# --------------------------------------------------------------------------- SES-04


def _change_password(client, made):
    new = "lantern orchard velvet compass"
    return client.post(
        "/account/password",
        data={"current_password": made.password, "password": new, "confirm": new},
    )


def _replace_recovery_codes(client, made):
    return client.post("/account/recovery-codes")


@pytest.mark.parametrize(
    "change",
    [_change_password, _replace_recovery_codes],
    ids=["password change", "recovery codes replaced"],
)
def test_ses04_change_in_one_session_ends_the_others(change, app, make_user, logged_in) -> None:
    made = make_user()
    client_a = signed_in_client(app, made)
    client_b = logged_in(made)  # the same person on another device
    assert client_b.get("/").status_code == 200
    assert change(client_a, made).status_code in (200, 302)
    assert redirect_path(client_b.get("/")) == "/sign-in"


@pytest.mark.parametrize(
    "change",
    [_change_password, _replace_recovery_codes],
    ids=["password change", "recovery codes replaced"],
)
def test_ses04_the_session_that_made_the_change_continues(change, app, make_user) -> None:
    made = make_user()
    client = signed_in_client(app, made)
    change(client, made)
    assert client.get("/").status_code == 200


# --------------------------------------------------------------------------- SES-05


def test_ses05_31_idle_minutes_force_a_new_sign_in(logged_in, clock) -> None:
    client = logged_in(Role.OFFICER)
    clock.shift(timedelta(minutes=31))
    response = client.get("/")
    assert redirect_path(response) == "/sign-in"
    assert "session expired" in text_of(client.get("/sign-in"))


def test_ses05_29_idle_minutes_keep_the_session(logged_in, clock) -> None:
    client = logged_in(Role.OFFICER)
    clock.shift(timedelta(minutes=29))
    assert client.get("/").status_code == 200


def test_ses05_ten_hours_of_steady_activity_force_a_new_sign_in(logged_in, clock) -> None:
    client = logged_in(Role.OFFICER)
    for _ in range(30):  # a request every 20 minutes for 10 hours
        clock.shift(timedelta(minutes=20))
        assert client.get("/").status_code == 200
    clock.shift(timedelta(minutes=1))
    assert redirect_path(client.get("/")) == "/sign-in"


def test_ses05_timed_out_session_is_gone_not_just_redirected(logged_in, clock) -> None:
    client = logged_in(Role.OFFICER)
    clock.shift(timedelta(minutes=31))
    client.get("/")
    clock.shift(timedelta(minutes=-30))  # even back inside the window, it stays signed out
    assert redirect_path(client.get("/")) == "/sign-in"


# --------------------------------------------------------------------------- SES-06


def test_ses06_session_cookie_attributes(client, make_user) -> None:
    made = make_user()
    password_step(client, made)
    (cookie,) = [c for c in set_cookies(totp_step(client, made)) if c.name == SESSION_COOKIE]
    assert cookie.attributes.keys() >= {"secure", "httponly", "samesite", "path"}
    assert cookie.attributes["samesite"] == "Lax"
    assert cookie.attributes["path"] == "/"
    assert "domain" not in cookie.attributes


# --------------------------------------------------------------------------- SES-07


def test_ses07_no_remember_cookie_in_the_sign_in_journey(client, make_user) -> None:
    made = make_user()
    responses = [
        client.get("/sign-in"),
        password_step(client, made),
        client.get("/sign-in/code"),
        totp_step(client, made),
        client.get("/"),
        client.post("/sign-out"),
    ]
    names = {cookie.name for response in responses for cookie in set_cookies(response)}
    assert names == {SESSION_COOKIE}


# --------------------------------------------------------------------------- SES-08


def test_ses08_get_of_sign_out_is_refused(logged_in) -> None:
    client = logged_in(Role.OFFICER)
    assert client.get("/sign-out").status_code == 405
    assert client.get("/").status_code == 200


def test_ses08_sign_out_is_a_post(logged_in) -> None:
    client = logged_in(Role.OFFICER)
    assert redirect_path(client.post("/sign-out")) == "/sign-in"
    assert redirect_path(client.get("/")) == "/sign-in"


def _has_sign_out_form(html: str) -> bool:
    for form in parse_html(html).forms:
        attrs = form["attrs"]
        if attrs.get("action") == "/sign-out" and attrs.get("method", "").lower() == "post":
            return any(i.get("name") == "csrf_token" and i.get("value") for i in form["inputs"])
    return False


@pytest.mark.parametrize("role", ROLES)
def test_ses08_every_authenticated_page_has_the_sign_out_form(
    role: Role,
    app,
    logged_in,
    make_user,
) -> None:
    client = logged_in(role)
    samples = Samples(make_user)
    missing = []
    for rule in routes(app):
        if "GET" not in rule.methods:
            continue
        url = url_for_rule(rule, samples)
        response = client.get(url)
        page = response.mimetype == "text/html" and not 300 <= response.status_code < 400
        if page and not _has_sign_out_form(text_of(response)):
            missing.append(f"{url} ({response.status_code})")
    assert missing == []


def test_ses08_sign_in_stage_pages_have_the_sign_out_form(client, make_user) -> None:
    password_step(client, make_user())
    assert _has_sign_out_form(text_of(client.get("/sign-in/code")))
