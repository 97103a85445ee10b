"""CSRF, safe methods, expired forms, output escaping and redirect targets.

IN-01, IN-02, IN-03, IN-06 and IN-07 of requirements.md (IN-04, IN-05 and IN-08 belong to the
register and search features).
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from auth_helpers import (
    ROLES,
    UNSAFE_METHODS,
    Samples,
    methods_of,
    password_step,
    redirect_path,
    routes,
    text_of,
    url_for_rule,
)

from registry.models import AccountStatus, Base, Role

# --------------------------------------------------------------------------- IN-01


def _unsafe_requests(app, samples):
    return [
        (method, url_for_rule(rule, samples))
        for rule in routes(app)
        for method in methods_of(rule)
        if method in UNSAFE_METHODS
    ]


# The CSRF check runs before sign-in and roles are looked at, so one role stands for all.
@pytest.mark.parametrize("who", ["anonymous", Role.REGISTER_MANAGER])
def test_in01_every_unsafe_request_without_a_token_gets_400(
    who,
    app,
    make_user,
    logged_in,
) -> None:
    client = app.test_client() if who == "anonymous" else logged_in(who)
    client.send_csrf = False
    requests = _unsafe_requests(app, Samples(make_user))
    statuses = {
        f"{method} {url}": client.open(url, method=method).status_code for method, url in requests
    }
    assert requests
    assert set(statuses.values()) == {400}, statuses


def test_in01_a_token_from_another_session_gets_400(app, logged_in) -> None:
    client = logged_in(Role.OFFICER)
    stranger = app.test_client()
    stranger.get("/sign-in")
    response = client.post("/sign-out", data={"csrf_token": stranger.csrf_token()})
    assert response.status_code == 400


def test_in01_refused_request_changes_nothing(logged_in, make_user, stored_user) -> None:
    manager = logged_in(Role.REGISTER_MANAGER)
    manager.send_csrf = False
    target = make_user(Role.OFFICER)
    assert manager.post(f"/users/{target.id}/disable").status_code == 400
    assert stored_user(target).status is AccountStatus.ACTIVE


def test_in01_token_in_the_header_is_accepted_for_scripted_calls(logged_in) -> None:
    client = logged_in(Role.OFFICER)
    client.send_csrf = False
    response = client.post("/sign-out", headers={"X-CSRFToken": client.csrf_token()})
    assert redirect_path(response) == "/sign-in"


# --------------------------------------------------------------------------- IN-02


def _business_rows(db) -> dict[str, list[tuple]]:
    """Every row of every table except the audit trail (its rows and its chain's head)."""
    db.session.expire_all()
    return {
        table.name: sorted(db.session.execute(sa.select(table)).all(), key=repr)
        for table in Base.metadata.sorted_tables
        if table.name not in ("audit_event", "audit_chain_head")
    }


@pytest.mark.parametrize("who", ["anonymous", *ROLES])
def test_in02_get_requests_change_no_business_table(
    who,
    app,
    db,
    make_user,
    logged_in,
) -> None:
    client = app.test_client() if who == "anonymous" else logged_in(who)
    samples = Samples(make_user)
    urls = [url_for_rule(rule, samples) for rule in routes(app) if "GET" in rule.methods]
    before = _business_rows(db)
    for url in urls:  # HEAD runs the same view as GET; OPTIONS is answered by Flask itself
        client.get(url)
    assert _business_rows(db) == before


# --------------------------------------------------------------------------- IN-03


def _form_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_in03_expired_form_gets_the_plain_language_400_page(client, make_user, clock) -> None:
    made = make_user()
    token = _form_token(text_of(client.get("/sign-in")))
    clock.shift(timedelta(minutes=61))
    response = client.post(
        "/sign-in", data={"email": made.email, "password": made.password, "csrf_token": token}
    )
    assert response.status_code == 400
    assert "The form you were submitting has expired" in text_of(response)
    assert "refresh the page and try again" in text_of(response)


def test_in03_expired_form_is_logged_and_audited(
    client, make_user, clock, caplog, audit_rows
) -> None:
    token = _form_token(text_of(client.get("/sign-in")))
    clock.shift(timedelta(minutes=61))
    with caplog.at_level(logging.WARNING, logger="registry"):
        client.post(
            "/sign-in", data={"email": "a@example.test", "password": "x", "csrf_token": token}
        )
    assert [r.getMessage() for r in caplog.records if r.name == "registry.errors"] == [
        "csrf.refused"
    ]
    assert "expired" in caplog.records[-1].reason
    (row,) = audit_rows("security.csrf_refused")
    assert row.after["path"] == "/sign-in"


def test_in03_form_within_the_hour_is_accepted(client, make_user, clock) -> None:
    made = make_user()
    token = _form_token(text_of(client.get("/sign-in")))
    clock.shift(timedelta(minutes=59))
    response = client.post(
        "/sign-in", data={"email": made.email, "password": made.password, "csrf_token": token}
    )
    assert redirect_path(response) == "/sign-in/code"


# --------------------------------------------------------------------------- IN-06

SCRIPT = "<script>alert('x')</script>"
ESCAPED = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"


@pytest.mark.parametrize("page", ["/users", "/users/{id}"])
def test_in06_script_in_a_name_renders_escaped_for_managers(
    page: str, logged_in, make_user
) -> None:
    target = make_user(Role.OFFICER, full_name=SCRIPT)
    html = text_of(logged_in(Role.REGISTER_MANAGER).get(page.format(id=target.id)))
    assert SCRIPT not in html
    assert ESCAPED in html


def test_in06_script_in_own_name_renders_escaped_on_account_page(logged_in, make_user) -> None:
    html = text_of(logged_in(make_user(full_name=SCRIPT)).get("/account"))
    assert SCRIPT not in html
    assert ESCAPED in html


def test_in06_script_in_a_name_renders_escaped_in_a_flash(logged_in, make_user) -> None:
    target = make_user(Role.OFFICER, full_name=SCRIPT)
    manager = logged_in(Role.REGISTER_MANAGER)
    manager.post(f"/users/{target.id}/disable")
    html = text_of(manager.get(f"/users/{target.id}"))
    assert "has been disabled" in html
    assert SCRIPT not in html


# --------------------------------------------------------------------------- IN-07


@pytest.mark.parametrize(
    "target",
    [
        "//evil.test",
        "https://evil.test",
        "http://evil.test/",
        "http://localhost//evil.test",
        "http://localhost/\\evil.test",
        "/\\evil.test",
        "\\\\evil.test",
        "/\t/evil.test",
        "javascript:alert(1)",
        "evil.test",
    ],
)
def test_in07_offsite_next_falls_back_to_the_dashboard(target: str, client, make_user) -> None:
    made = make_user()
    password_step(client, made)
    response = client.post(
        "/sign-in/code", query_string={"next": target}, data={"code": made.code()}
    )
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("target", "expected"),
    [("/account", "/account"), ("http://localhost/users?page=2", "/users?page=2")],
)
def test_in07_local_next_is_followed(target: str, expected: str, client, make_user) -> None:
    made = make_user()
    password_step(client, made)
    response = client.post(
        "/sign-in/code", query_string={"next": target}, data={"code": made.code()}
    )
    assert response.headers["Location"] == expected


def test_in07_offsite_next_after_reauthentication_falls_back(logged_in, clock) -> None:
    client = logged_in(Role.OFFICER)
    made = client.made_user
    clock.shift(timedelta(minutes=16))
    response = client.post(
        "/account/confirm-identity",
        query_string={"next": "//evil.test"},
        data={"password": made.password, "code": made.code(datetime.now(UTC))},
    )
    assert response.headers["Location"] == "/"


def test_in07_next_survives_the_whole_sign_in(client, make_user) -> None:
    made = make_user()
    sign_in_url = client.get("/account").headers["Location"]
    assert sign_in_url == "/sign-in?next=/account"
    code_url = client.post(sign_in_url, data={"email": made.email, "password": made.password})
    response = client.post(code_url.headers["Location"], data={"code": made.code()})
    assert response.headers["Location"] == "/account"
