"""Dropped database connections with the real PostgreSQL (issue 13: faults survived).

The app's backend connections are killed with pg_terminate_backend: in the middle of a request
(the request gets the 503 page, nothing it wrote is kept, and the next request works without
restarting the app), between requests (the next request just works: pool_pre_ping), and after
the view but before the request's teardown (the teardown's failed rollback is logged, not a bare
500).
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from registry import create_app
from registry.audit_chain import verify_chain
from registry.auth import sessions
from registry.extensions import db
from support import config_for, migrate_to_head, scratch_database

pytestmark = pytest.mark.postgres

UNAVAILABLE = "The service is unavailable, try again in a few minutes"


@pytest.fixture
def live(database_url: str, tmp_root: Path) -> Iterator[tuple[Flask, sa.Engine]]:
    """The app on a database of its own (real commits, real connections), and an admin engine."""
    url = scratch_database(database_url, "faults", tmp_root)
    app = create_app(config_for(url, MAIL_PORT=9, UPLOAD_FOLDER=str(tmp_root / "fault-uploads")))
    migrate_to_head(app)
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    yield app, admin
    with app.app_context():
        db.engine.dispose()
    admin.dispose()


@pytest.fixture
def log_lines(live) -> Iterator[io.StringIO]:
    (handler,) = logging.getLogger("registry").handlers
    stream, original = io.StringIO(), handler.stream
    handler.stream = stream
    yield stream
    handler.stream = original


def _messages(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def _terminate(admin: sa.Engine, pid: int | None = None) -> int:
    """Kill one backend, or every backend of the app's database but the admin's own."""
    with admin.connect() as connection:
        if pid is not None:
            return int(
                connection.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
            )
        return len(
            connection.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).all()
        )


def _audit_state(admin: sa.Engine) -> tuple[int, list]:
    with admin.connect() as connection:
        count = connection.execute(sa.text("SELECT count(*) FROM audit_event")).scalar()
        heads = connection.execute(
            sa.text("SELECT chain, last_seq FROM audit_chain_head ORDER BY chain")
        ).all()
    return int(count), [tuple(row) for row in heads]


def _fail_sign_in(client) -> object:
    return client.post("/sign-in", data={"email": "nobody@example.test", "password": "wrong"})


def _kill_on(app: Flask, admin: sa.Engine, prefix: str) -> dict:
    """Terminate the app's connection when it next sends a statement starting with prefix."""
    armed = {"on": True, "killed": 0}
    with app.app_context():
        engine = db.engine

    @sa.event.listens_for(engine, "before_cursor_execute")
    def kill(connection, cursor, statement, parameters, context, executemany) -> None:
        if armed["on"] and statement.lstrip().upper().startswith(prefix):
            armed["on"] = False
            armed["killed"] += _terminate(admin, cursor.connection.info.backend_pid)

    return armed


def _chain_ok(app: Flask) -> bool:
    with app.app_context():
        return verify_chain(db.session).ok


def test_killed_in_the_middle_of_a_write_gives_503_keeps_nothing_and_recovers(
    live, log_lines
) -> None:
    app, admin = live
    client = app.test_client()
    assert _fail_sign_in(client).status_code == 200  # writes one audit row
    before = _audit_state(admin)
    armed = _kill_on(app, admin, "INSERT INTO AUDIT_EVENT")

    response = _fail_sign_in(client)

    assert armed["killed"] == 1
    assert response.status_code == 503
    assert UNAVAILABLE in response.get_data(as_text=True)
    assert response.headers["Retry-After"] == "60"
    assert _audit_state(admin) == before  # no half-written row, the chain head did not move
    (line,) = [m for m in _messages(log_lines) if m["message"] == "database.unavailable"]
    assert line["request_id"] == response.headers["X-Request-Id"]
    assert line["disconnect"] is True
    # The next request works without restarting the app.
    assert _fail_sign_in(client).status_code == 200
    count, _ = _audit_state(admin)
    assert count == before[0] + 1
    assert _chain_ok(app)


def test_killed_while_reading_the_session_user_gives_503_then_recovers(live) -> None:
    app, admin = live
    client = app.test_client()
    assert client.get("/ready").status_code == 200
    armed = _kill_on(app, admin, "SELECT 1")
    response = client.get("/ready")
    assert armed["killed"] == 1
    assert response.status_code == 503
    assert response.get_json()["unavailable"] == ["database"]
    assert client.get("/ready").status_code == 200


def test_killed_between_requests_the_next_request_just_works(live) -> None:
    app, admin = live
    client = app.test_client()
    assert _fail_sign_in(client).status_code == 200
    assert _terminate(admin) >= 1  # every idle pooled connection of the app
    assert _fail_sign_in(client).status_code == 200
    assert client.get("/ready").status_code == 200
    assert _chain_ok(app)


def test_killed_before_the_teardown_the_failed_rollback_is_logged_not_a_bare_500(
    live, log_lines, monkeypatch
) -> None:
    app, admin = live

    def read_then_lose_the_connection() -> str:
        db.session.execute(sa.text("SELECT 1"))  # the session now holds a transaction
        pid = db.session.connection().connection.dbapi_connection.info.backend_pid
        _terminate(admin, pid)
        return "done"

    app.add_url_rule("/read-then-drop", "read_then_drop", read_then_lose_the_connection)
    monkeypatch.setattr(
        sessions, "PUBLIC_ENDPOINTS", sessions.PUBLIC_ENDPOINTS | {"read_then_drop"}
    )
    client = app.test_client()

    response = client.get("/read-then-drop")

    assert response.status_code == 200
    messages = [m["message"] for m in _messages(log_lines)]
    assert messages.count("request.teardown_failed") == 1
    assert client.get("/ready").status_code == 200
    assert _fail_sign_in(client).status_code == 200
