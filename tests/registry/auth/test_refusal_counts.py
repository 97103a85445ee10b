"""LOG-02 and IN-01: refused CSRF checks are logged without letting anyone fill the audit table.

Anonymous refusals are counted: one audit row per source address and ten-minute window, and the
running count in refusal_count. A signed-in user's refusals each get a full row.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from registry.models import Role
from registry.models.audit import RefusalCount


def _counts(db) -> list[tuple[str, int]]:
    db.session.expire_all()
    return [(c.ip, c.count) for c in db.session.scalars(sa.select(RefusalCount))]


def test_log02_hundred_anonymous_csrf_refusals_write_one_counted_row(
    app, db, audit_rows, clock
) -> None:
    client = app.test_client()
    client.send_csrf = False
    for _ in range(100):
        assert client.post("/sign-in", data={"email": "a@example.org"}).status_code == 400
    (row,) = audit_rows("security.csrf_refused")
    assert row.actor_id is None
    assert row.ip == "127.0.0.1"
    assert row.after["counted"] is True
    assert row.after["window_minutes"] == 10
    assert _counts(db) == [("127.0.0.1", 100)]


def test_log02_anonymous_refusals_get_a_row_per_address_and_window(
    app, db, audit_rows, clock
) -> None:
    client = app.test_client()
    client.send_csrf = False
    client.post("/sign-in", environ_base={"REMOTE_ADDR": "192.0.2.1"})
    client.post("/sign-in", environ_base={"REMOTE_ADDR": "192.0.2.2"})
    clock.shift(timedelta(minutes=11))
    client.post("/sign-in", environ_base={"REMOTE_ADDR": "192.0.2.1"})
    rows = audit_rows("security.csrf_refused")
    assert sorted(row.ip for row in rows) == ["192.0.2.1", "192.0.2.1", "192.0.2.2"]


def test_log02_a_signed_in_users_csrf_refusals_each_write_a_row(logged_in, audit_rows, db) -> None:
    client = logged_in(Role.OFFICER)
    client.send_csrf = False
    for _ in range(3):
        assert client.post("/sign-out").status_code == 400
    rows = audit_rows("security.csrf_refused")
    assert len(rows) == 3
    assert {row.actor_id for row in rows} == {client.made_user.id}
    assert _counts(db) == []
