"""LOG-05: the audit trail's hash chain; `flask audit verify`; the auditors' dashboard panel.

LOG-06: the chain still verifies after the retention purge has removed its oldest rows.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from auth_helpers import text_of

from registry.audit import record_audit
from registry.audit_chain import GENESIS, verify_chain
from registry.models import AuditEvent, Role

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)  # the clock fixture's moment


def _events(db, *specs: tuple[str, timedelta, bool]) -> list[int]:
    ids = []
    for action, age, security_only in specs:
        event = record_audit(None, action, at=NOW - age, security_only=security_only)
        db.session.commit()
        ids.append(event.id)
    return ids


def _three(db) -> list[int]:
    return _events(
        db,
        ("test.first", timedelta(days=3), False),
        ("test.second", timedelta(days=2), False),
        ("test.third", timedelta(days=1), False),
    )


class _Tampering:
    """Edit or delete audit rows behind the application's back, as an intruder with the
    owner's rights would: the append-only triggers are lifted inside the test's transaction."""

    def __init__(self, db) -> None:
        self.db = db
        self.postgres = db.engine.dialect.name == "postgresql"

    def __enter__(self):
        if self.postgres:
            self.db.session.execute(sa.text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
        else:
            self.db.session.execute(sa.text("DROP TRIGGER audit_event_no_update"))
            self.db.session.execute(sa.text("DROP TRIGGER audit_event_no_delete"))
        return self.db.session

    def __exit__(self, *exc) -> None:
        if self.postgres:
            self.db.session.execute(sa.text("ALTER TABLE audit_event ENABLE TRIGGER USER"))
        else:
            for kind in ("update", "delete"):
                self.db.session.execute(
                    sa.text(
                        f"CREATE TRIGGER audit_event_no_{kind} BEFORE {kind.upper()} ON "
                        "audit_event BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
                    )
                )
        self.db.session.expire_all()


def test_log05_each_row_holds_its_hash_and_the_previous_rows(db) -> None:
    ids = _three(db)
    rows = [db.session.get(AuditEvent, i) for i in ids]
    assert all(len(row.row_hash) == 64 for row in rows)
    assert [row.prev_hash for row in rows[1:]] == [row.row_hash for row in rows[:-1]]
    assert [row.chain_seq for row in rows] == list(range(rows[0].chain_seq, rows[0].chain_seq + 3))
    assert verify_chain(db.session).ok


def test_log05_verify_says_the_chain_verified(db, runner, clock) -> None:
    _three(db)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "hash chain verified" in result.output
    assert "no break" in result.output


def test_log05_verify_reports_an_edited_row(db, runner, clock) -> None:
    ids = _three(db)
    with _Tampering(db) as session:
        session.execute(
            sa.update(AuditEvent.__table__)
            .where(AuditEvent.id == ids[1])
            .values(actor_role="edited")
        )
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"event {ids[1]}" in result.output
    assert "content does not match" in result.output


def test_log05_verify_reports_a_removed_row(db, runner, clock) -> None:
    ids = _three(db)
    with _Tampering(db) as session:
        session.execute(sa.delete(AuditEvent.__table__).where(AuditEvent.id == ids[1]))
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"event {ids[2]}" in result.output


def test_log05_verify_reports_removed_newest_rows(db, runner, clock) -> None:
    ids = _three(db)
    with _Tampering(db) as session:
        session.execute(sa.delete(AuditEvent.__table__).where(AuditEvent.id == ids[2]))
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "newest events are missing" in result.output


def test_log05_a_row_inserted_without_its_hash_breaks_the_chain(db, runner, clock) -> None:
    _three(db)
    db.session.execute(
        sa.insert(AuditEvent.__table__).values(
            occurred_at=NOW, action="forged", outcome="success", security_only=False
        )
    )
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "has no hash" in result.output


def test_log06_chain_verifies_after_the_purge(db, runner, clock) -> None:
    _events(
        db,
        ("auth.old_sign_in", timedelta(days=400), True),
        ("commission.decided", timedelta(days=399), False),
        ("auth.old_sign_in", timedelta(days=366), True),
        ("auth.recent_sign_in", timedelta(days=364), True),
        ("auth.recent_sign_in", timedelta(days=1), True),
    )
    purge = runner.invoke(args=["audit", "purge"])
    assert "Deleted 2 security events" in purge.output
    assert verify_chain(db.session).ok
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output


def test_log06_purging_everything_leaves_a_chain_that_verifies(db, runner, clock) -> None:
    _events(db, ("auth.old_sign_in", timedelta(days=400), True))
    runner.invoke(args=["audit", "purge"])
    assert verify_chain(db.session).ok
    _events(db, ("auth.new_sign_in", timedelta(0), True))
    assert verify_chain(db.session).ok


def test_log05_first_row_links_to_the_genesis_or_the_purge_boundary(db) -> None:
    (row_id,) = _events(db, ("test.only", timedelta(0), True))
    row = db.session.get(AuditEvent, row_id)
    assert row.prev_hash == GENESIS or row.chain_seq > 1


# --------------------------------------------------------------------------- dashboard


def test_log05_auditor_dashboard_shows_the_chain_verified(db, runner, logged_in, clock) -> None:
    _three(db)
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    page = text_of(logged_in(Role.AUDITOR).get("/"))
    assert "The audit trail's hash chain was verified on 2 November 2026" in page
    assert "events, no break" in page


def test_log05_auditor_dashboard_shows_the_first_broken_link(db, runner, logged_in, clock) -> None:
    ids = _three(db)
    with _Tampering(db) as session:
        session.execute(
            sa.update(AuditEvent.__table__).where(AuditEvent.id == ids[0]).values(ip="6.6.6.6")
        )
    assert runner.invoke(args=["audit", "verify"]).exit_code == 1
    page = text_of(logged_in(Role.AUDITOR).get("/"))
    assert "The audit trail's hash chain was broken" in page
    assert f"event {ids[0]}" in page


def test_log05_auditor_dashboard_before_any_verification(logged_in) -> None:
    page = text_of(logged_in(Role.AUDITOR).get("/"))
    assert "hash chain" in page


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PANEL_MEMBER])
def test_log05_chain_panel_is_for_auditors_only(role, logged_in) -> None:
    assert "hash chain" not in text_of(logged_in(role).get("/"))


# --------------------------------------------------------------------------- concurrency


def test_log05_concurrent_inserts_keep_one_unbroken_chain(database_url, tmp_root) -> None:
    """Four writers at once, each with its own connection: on PostgreSQL the head row's lock,
    on SQLite the database's write lock taken first, keep them from taking the same place."""
    import threading

    from registry import create_app
    from registry.extensions import db as _db
    from support import config_for, migrate_to_head, scratch_database

    app = create_app(config_for(scratch_database(database_url, "chain_race", tmp_root)))
    migrate_to_head(app)
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                for n in range(15):
                    record_audit(None, f"test.worker{worker}.{n}", at=datetime.now(UTC))
                    _db.session.commit()
            except BaseException as error:
                errors.append(error)
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with app.app_context():
        report = verify_chain(_db.session)
        _db.session.remove()
        _db.engine.dispose()
    assert errors == []
    assert report.ok, report.first_break
    assert report.events == 60
