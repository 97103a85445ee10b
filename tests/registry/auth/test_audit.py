"""The audit trail, application logs, retention and error pages (LOG-01..06, ERR-01)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from auth_helpers import (
    enrol_through_pages,
    password_step,
    redirect_path,
    routes,
    text_of,
    totp_step,
)

from config import ConfigError
from registry.audit import record_audit
from registry.audit_retention import purge_security_events
from registry.models import AuditEvent, Role
from support import body_of, config_for

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)  # the clock fixture's moment


@dataclass
class Scene:
    """The fixtures an audited action needs."""

    app: object
    make_user: Callable
    logged_in: Callable
    clock: object
    outbox: object


@pytest.fixture
def scene(app, make_user, logged_in, clock, outbox) -> Scene:
    """The app, factories and clock for one audited action."""
    return Scene(app, make_user, logged_in, clock, outbox)


def _password_accepted(s: Scene) -> None:
    password_step(s.app.test_client(), s.make_user())


def _sign_in_failed(s: Scene) -> None:
    password_step(s.app.test_client(), s.make_user(), password="wrong")


def _second_factor_accepted(s: Scene) -> None:
    made, client = s.make_user(), s.app.test_client()
    password_step(client, made)
    totp_step(client, made)


def _second_factor_failed(s: Scene) -> None:
    made, client = s.make_user(), s.app.test_client()
    password_step(client, made)
    client.post("/sign-in/code", data={"code": "000000"})


def _enrolled(s: Scene):
    made, client = s.make_user(enrolled=False), s.app.test_client()
    password_step(client, made)
    enrolment = enrol_through_pages(client)
    client.post("/sign-out")
    return made, enrolment


def _recovery_code_used(s: Scene) -> None:
    made, enrolment = _enrolled(s)
    client = s.app.test_client()
    password_step(client, made)
    client.post("/sign-in/recovery-code", data={"code": enrolment.codes[0]})


def _recovery_code_failed(s: Scene) -> None:
    made, client = s.make_user(), s.app.test_client()
    password_step(client, made)
    client.post("/sign-in/recovery-code", data={"code": "aaaaa-bbbbb"})


def _signed_out(s: Scene) -> None:
    s.logged_in(Role.OFFICER).post("/sign-out")


def _throttled(s: Scene) -> None:
    client = s.app.test_client()
    for _ in range(11):
        client.post("/sign-in", data={"email": "a@example.org", "password": "wrong"})


def _password_changed(s: Scene) -> None:
    client = s.logged_in(Role.OFFICER)
    new = "lantern orchard velvet compass"
    client.post(
        "/account/password",
        data={"current_password": client.made_user.password, "password": new, "confirm": new},
    )


def _password_reset(s: Scene) -> None:
    made = s.make_user(email="forgetful@example.org")
    s.app.test_client().post("/password-reset", data={"email": made.email})
    link = body_of(s.outbox.to(made.email)[0]).split("http://localhost", 1)[1].split()[0]
    new = "lantern orchard velvet compass"
    s.app.test_client().post(link, data={"password": new, "confirm": new})


def _mfa_enrolled(s: Scene) -> None:
    _enrolled(s)


def _manager_action(path: str, data: dict | None = None) -> Callable[[Scene], None]:
    def act(s: Scene) -> None:
        target = s.make_user(Role.OFFICER)
        data_for = {k: v.format(org=target.user.organisation_id) for k, v in (data or {}).items()}
        s.logged_in(Role.REGISTER_MANAGER).post(path.format(id=target.id), data=data_for)

    return act


def _invited(s: Scene) -> None:
    s.logged_in(Role.REGISTER_MANAGER).post(
        "/users/invite",
        data={"full_name": "New Person", "email": "new.person@example.org", "role": "assessor"},
    )


def _refused_403(s: Scene) -> None:
    s.logged_in(Role.OFFICER).get("/users")


def _refused_404(s: Scene) -> None:
    s.logged_in(Role.REGISTER_MANAGER).get("/users/999999")


def _csrf_refused(s: Scene) -> None:
    client = s.logged_in(Role.OFFICER)
    client.send_csrf = False
    client.post("/sign-out")


# Each security-relevant event of LOG-02 and an action that causes it once.
EVENTS: dict[str, Callable[[Scene], None]] = {
    "auth.password_accepted": _password_accepted,
    "auth.sign_in_failed": _sign_in_failed,
    "auth.second_factor_accepted": _second_factor_accepted,
    "auth.second_factor_failed": _second_factor_failed,
    "auth.recovery_code_used": _recovery_code_used,
    "auth.recovery_code_failed": _recovery_code_failed,
    "auth.signed_out": _signed_out,
    "security.throttled": _throttled,
    "auth.password_changed": _password_changed,
    "auth.password_reset": _password_reset,
    "auth.mfa_enrolled": _mfa_enrolled,
    "user.invited": _invited,
    "user.role_changed": _manager_action(
        "/users/{id}/role", {"role": "assessor", "organisation_id": ""}
    ),
    "user.grant_proposed": _manager_action(
        "/users/{id}/role", {"role": "panel_member", "organisation_id": "{org}"}
    ),
    "user.disabled": _manager_action("/users/{id}/disable"),
    "user.signed_out_everywhere": _manager_action("/users/{id}/sign-out"),
    "user.mfa_reset": _manager_action(
        "/users/{id}/reset-two-factor", {"method": "in_person_photo_id", "notes": "Seen"}
    ),
    "security.refused_403": _refused_403,
    "security.refused_404": _refused_404,
    "security.csrf_refused": _csrf_refused,
}


@pytest.mark.parametrize("action", EVENTS)
def test_log02_security_event_is_recorded_once(action: str, scene: Scene, audit_rows) -> None:
    EVENTS[action](scene)
    assert len(audit_rows(action)) == 1


def test_log02_organisation_change_is_recorded(scene: Scene, make_organisation, audit_rows) -> None:
    target = scene.make_user(Role.OFFICER)
    other = make_organisation("Eastborough City Council")
    scene.logged_in(Role.REGISTER_MANAGER).post(
        f"/users/{target.id}/role", data={"role": "officer", "organisation_id": str(other.id)}
    )
    (row,) = audit_rows("user.role_changed")
    assert row.before["organisation_id"] != row.after["organisation_id"] == other.id


# --------------------------------------------------------------------------- LOG-01

REQUIRED = ("occurred_at", "actor_id", "actor_role", "actor_organisation_id", "action")
REQUIRED += ("object_type", "object_id", "outcome", "ip", "request_id")


@pytest.mark.parametrize("action", ["user.role_changed", "user.disabled", "user.mfa_reset"])
def test_log01_manager_action_writes_one_complete_row(
    action: str,
    scene: Scene,
    audit_rows,
) -> None:
    EVENTS[action](scene)
    (row,) = audit_rows(action)
    missing = [field for field in REQUIRED if getattr(row, field) in (None, "")]
    assert missing == []
    assert row.occurred_at == NOW
    assert (row.actor_role, row.object_type, row.outcome) == (
        "register_manager",
        "user_account",
        "success",
    )
    assert row.ip == "127.0.0.1"


def test_log01_role_change_records_before_and_after(scene: Scene, audit_rows) -> None:
    EVENTS["user.role_changed"](scene)
    (row,) = audit_rows("user.role_changed")
    assert row.before["role"] == "officer"
    assert row.after["role"] == "assessor"


def test_log01_request_id_ties_a_row_to_its_request(client, audit_rows) -> None:
    response = client.post("/sign-in", data={"email": "a@example.org", "password": "x"})
    (row,) = audit_rows("auth.sign_in_failed")
    assert row.request_id == response.headers["X-Request-Id"]


# --------------------------------------------------------------------------- LOG-03


def test_log03_no_secret_reaches_the_logs_or_the_audit_trail(
    app,
    db,
    make_user,
    outbox,
    caplog,
    clock,
) -> None:
    caplog.set_level(logging.DEBUG)
    made = make_user(email="secretive@example.org", password="first secret passphrase")
    client = app.test_client()
    wrong = "wrong secret passphrase"
    password_step(client, made, password=wrong)
    password_step(client, made)
    code = made.code()
    client.post("/sign-in/code", data={"code": code})
    cookie = client.session_cookie()
    client.post("/sign-out")

    app.test_client().post("/password-reset", data={"email": made.email})
    link = body_of(outbox.to(made.email)[-1]).split("http://localhost", 1)[1].split()[0]
    token = link.rsplit("/", 1)[1]
    stale = app.test_client()
    stale.send_csrf = False
    stale.post(link, data={"password": "x", "confirm": "x"})  # a CSRF refusal on the link
    new = "second secret passphrase"
    app.test_client().post(link, data={"password": new, "confirm": new})

    secrets = {made.password, wrong, new, code, token, cookie, made.seed}
    audit = json.dumps(
        [list(row) for row in db.session.execute(sa.select(AuditEvent.__table__))], default=str
    )
    # Every log record except the test SMTP server's own (it logs the messages it receives).
    records = [r for r in caplog.records if not r.name.startswith("mail.log")]
    logs = " ".join(r.getMessage() + json.dumps(r.__dict__, default=str) for r in records)
    assert records
    assert [s for s in secrets if s in audit] == []
    assert [s for s in secrets if s in logs] == []


# --------------------------------------------------------------------------- LOG-04


def test_log04_log_lines_are_json_with_control_characters_escaped(app, monkeypatch) -> None:
    (handler,) = logging.getLogger("registry").handlers
    stream = io.StringIO()
    monkeypatch.setattr(handler, "stream", stream)
    logging.getLogger("registry.auth").warning(
        "sign-in refused for a\nb", extra={"username": "a\nb\r\x1b[31m"}
    )
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    assert "\\n" in lines[0]
    entry = json.loads(lines[0])
    assert entry["username"] == "a\nb\r\x1b[31m"
    assert entry["message"] == "sign-in refused for a\nb"


# --------------------------------------------------------------------------- LOG-05


def _an_audit_row(db) -> int:
    event = record_audit(None, "test.event", at=NOW)
    db.session.commit()
    return event.id


def test_log05_update_of_an_audit_row_raises(db) -> None:
    row_id = _an_audit_row(db)
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.execute(
            sa.update(AuditEvent).where(AuditEvent.id == row_id).values(action="edited")
        )
    db.session.rollback()


def test_log05_delete_of_an_audit_row_raises(db) -> None:
    row_id = _an_audit_row(db)
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.execute(sa.delete(AuditEvent).where(AuditEvent.id == row_id))
    db.session.rollback()


def test_log05_no_route_writes_to_the_audit_trail(app) -> None:
    writers = [
        rule.rule
        for rule in routes(app)
        if "audit" in rule.rule and rule.methods & {"POST", "PUT", "PATCH", "DELETE"}
    ]
    assert writers == []


# --------------------------------------------------------------------------- LOG-06


def _event(db, action: str, age: timedelta, *, security_only: bool) -> None:
    record_audit(None, action, at=NOW - age, security_only=security_only)
    db.session.commit()


def _actions(db) -> set[str]:
    return set(db.session.scalars(sa.select(AuditEvent.action)))


def test_log06_purge_deletes_only_security_events_older_than_the_setting(db, runner, clock) -> None:
    _event(db, "auth.old_sign_in", timedelta(days=366), security_only=True)
    _event(db, "auth.recent_sign_in", timedelta(days=364), security_only=True)
    _event(db, "commission.decided", timedelta(days=3000), security_only=False)
    result = runner.invoke(args=["audit", "purge"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 security events" in result.output
    assert _actions(db) == {"auth.recent_sign_in", "commission.decided"}


@pytest.mark.parametrize("days", [182, 732])
def test_log06_retention_outside_six_months_to_two_years_is_refused(days: int, db) -> None:
    with pytest.raises(ValueError, match="between 6 months and 2 years"):
        purge_security_events(now=NOW, retention_days=days)


@pytest.mark.parametrize("days", [182, 732])
def test_log06_config_with_retention_out_of_range_does_not_start(days: int) -> None:
    config = config_for(SECURITY_EVENT_RETENTION_DAYS=days)
    with pytest.raises(ConfigError):
        config.validate()


# --------------------------------------------------------------------------- ERR-01


@pytest.fixture
def failing_app(app):
    """The app with two routes that fail: an exception, and a database error with SQL in it."""

    def boom() -> None:
        raise RuntimeError("secret internal detail")

    def sql_boom() -> None:
        raise sa.exc.OperationalError("SELECT password_hash FROM user_account", {}, Exception())

    app.add_url_rule("/boom", "boom", boom)
    app.add_url_rule("/sql-boom", "sql_boom", sql_boom)
    return app


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/boom", 500, "Sorry, there is a problem with the service"),
        # A database that fails to answer: the 503 page (tests/test_database_faults.py).
        ("/sql-boom", 503, "The service is unavailable, try again in a few minutes"),
    ],
)
def test_err01_failure_gives_a_generic_error_page(
    path: str, status: int, heading: str, failing_app, logged_in
) -> None:
    response = logged_in(Role.OFFICER).get(path)
    body = text_of(response)
    assert response.status_code == status
    assert heading in body
    for leak in ("Traceback", "secret internal detail", "SELECT", "password_hash", 'File "'):
        assert leak not in body


def test_err01_failure_is_logged(failing_app, logged_in, caplog) -> None:
    with caplog.at_level(logging.ERROR, logger="registry"):
        logged_in(Role.OFFICER).get("/boom")
    (record,) = [r for r in caplog.records if r.getMessage() == "request.failed"]
    assert record.exc_info is not None
    assert record.path == "/boom"


@pytest.mark.parametrize(
    ("status", "request_args"),
    [
        (403, ("GET", "/users")),
        (404, ("GET", "/no-such-page")),
        (405, ("GET", "/sign-out")),
        (409, ("POST", "/account/two-factor/start")),
        (413, ("POST", "/sign-in")),
    ],
)
def test_err01_error_pages_are_generic(status: int, request_args, logged_in) -> None:
    method, path = request_args
    client = logged_in(Role.OFFICER)
    data = {"filler": "x" * (11 * 1024 * 1024)} if status == 413 else None
    response = client.open(path, method=method, data=data)
    assert response.status_code == status
    body = text_of(response)
    assert "Traceback" not in body
    assert 'class="govuk-heading-l"' in body
    assert redirect_path(response) is None
