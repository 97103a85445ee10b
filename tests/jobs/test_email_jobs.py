"""Emails as jobs, delivered by a real RQ worker on the real Redis (issue 13).

Each email is a row written with the change that causes it; a worker delivers it once; an SMTP
outage or a Redis outage delays it but never loses it, and nothing is sent twice.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from jobs_world import OwnRedis, make_user, signed_in

from registry import outbox as email_outbox
from registry.extensions import db
from registry.jobs import tasks
from registry.models import OutgoingEmail, Role
from registry.notifications import Email, send_after_commit
from support import body_of

pytestmark = pytest.mark.slow


def restart(controller) -> None:
    """Start the suite's SMTP server again on its port (a stopped controller's loop is closed)."""
    import asyncio

    controller.loop = asyncio.new_event_loop()
    controller.start()


def _rows() -> list[OutgoingEmail]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutgoingEmail).order_by(OutgoingEmail.id)))


def _come_due() -> None:
    """Let time pass for the waiting rows: their next attempt is now (no sleeping)."""
    past = datetime.now(UTC) - timedelta(seconds=1)
    db.session.execute(
        sa.update(OutgoingEmail).where(OutgoingEmail.sent_at.is_(None)).values(next_attempt_at=past)
    )
    db.session.commit()


def test_an_email_is_a_row_until_a_real_worker_delivers_it_once(live_jobs, outbox):
    with live_jobs.app.app_context():
        send_after_commit(Email("someone@example.test", "Hello", "A single-use link: abc123"))
        db.session.commit()
        (row,) = _rows()
        assert row.sent_at is None
        assert "abc123" not in row.body_encrypted  # sealed at rest
        assert outbox.to("someone@example.test") == []
        assert live_jobs.queued() == 1

        live_jobs.run_burst()

        (row,) = _rows()
        assert row.sent_at is not None
        assert row.body_encrypted == ""  # wiped once sent
        (message,) = outbox.to("someone@example.test")
        assert "abc123" in body_of(message)

        # The same job again (a duplicate enqueue, a retried job): nothing is sent twice.
        from registry.jobs.queue import enqueue

        enqueue("registry.jobs.tasks.deliver_email", row.id, description="again")
        live_jobs.run_burst()
        assert len(outbox.to("someone@example.test")) == 1


def test_nothing_is_sent_when_the_unit_of_work_rolls_back(live_jobs, outbox):
    with live_jobs.app.app_context():
        send_after_commit(Email("nobody@example.test", "Never", "never sent"))
        db.session.rollback()
        assert _rows() == []
        assert live_jobs.queued() == 0


def test_smtp_down_an_invitation_and_a_reset_wait_and_are_delivered_once(
    live_jobs, smtp_server, outbox
):
    """Stop the test SMTP server, invite someone and ask for a reset, start it again."""
    from registry.auth.service import request_password_reset
    from registry.users.service import Invitation, invite_user

    controller, _ = smtp_server
    with live_jobs.app.app_context(), live_jobs.app.test_request_context():
        manager = make_user(Role.REGISTER_MANAGER, "rosa@register.test", organisation="Register")
        officer = make_user(Role.OFFICER, "officer@north.test", organisation="Northshire")
        org_id = officer.organisation_id
        controller.stop()
        try:
            now = datetime.now(UTC)
            invite_user(
                manager,
                Invitation("new.officer@north.test", "New Officer", Role.OFFICER, org_id),
                now=now,
                link_to=lambda token: f"http://localhost/invitation/{token}",
            )
            request_password_reset(
                "officer@north.test", now=now, link_to=lambda token: f"http://localhost/r/{token}"
            )
            assert len(_rows()) == 2
            live_jobs.run_burst()  # SMTP refuses: both recorded, kept, retried later
            rows = _rows()
            assert all(r.sent_at is None and r.failed_at is None for r in rows)
            assert all(r.attempts == 1 and r.last_error for r in rows)
            assert all(r.next_attempt_at > now for r in rows)
        finally:
            restart(controller)
        _come_due()
        assert tasks.sweep()["emails"] == 2
        live_jobs.run_burst()
        assert all(r.sent_at is not None for r in _rows())
        assert len(outbox.to("new.officer@north.test")) == 1
        assert len(outbox.to("officer@north.test")) == 1

        # Another sweep and worker later: nothing is sent twice.
        _come_due()
        assert tasks.sweep()["emails"] == 0
        live_jobs.run_burst()
        assert len(outbox.messages) == 2


def test_after_its_attempts_an_email_is_failed_and_managers_can_try_it_again(
    live_jobs, smtp_server, outbox
):
    controller, _ = smtp_server
    live_jobs.app.config["EMAIL_MAX_ATTEMPTS"] = 2
    with live_jobs.app.app_context():
        controller.stop()
        try:
            send_after_commit(Email("late@example.test", "Late", "body"))
            db.session.commit()
            live_jobs.run_burst(EMAIL_MAX_ATTEMPTS=2)
            _come_due()
            assert tasks.sweep()["emails"] == 1
            live_jobs.run_burst(EMAIL_MAX_ATTEMPTS=2)
            (row,) = _rows()
            from registry.jobs import queue as q

            assert row.failed_at is not None, [j.error for j in q.failed_jobs()]
            assert row.attempts == 2
            assert email_outbox.failed_count() == 1
        finally:
            restart(controller)
        manager = make_user(Role.REGISTER_MANAGER, "m@register.test", organisation="Register")
        client = signed_in(live_jobs.app, manager)
        home = client.get("/").get_data(as_text=True)
        assert re.search(r"Failed background jobs</dt>\s*<dd[^>]*>1<", home)
        metrics = live_jobs.app.test_client().get("/metrics").get_data(as_text=True)
        assert "registry_failed_jobs 1" in metrics
        page = client.get("/background-jobs/failed").get_data(as_text=True)
        assert "late@example.test" not in page  # no personal data
        assert f"Number {row.id}" in page
        client.post("/background-jobs/failed/retry", data={"email_id": row.id})
        live_jobs.run_burst()
        (row,) = _rows()
        assert row.sent_at is not None
        assert len(outbox.to("late@example.test")) == 1


def test_redis_down_when_enqueued_the_row_is_kept_and_delivered_when_it_returns(live_jobs, outbox):
    """Redis of the test's own, stopped while the email is committed, then started again."""
    import shutil

    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server")
    from support import free_port

    own = OwnRedis(free_port())
    own.start()
    app = live_jobs.app
    app.config["JOBS_REDIS_URL"] = own.url
    try:
        with app.app_context():
            own.stop()
            send_after_commit(Email("kept@example.test", "Kept", "kept while Redis was down"))
            db.session.commit()  # the enqueue fails (logged); the commit stands
            (row,) = _rows()
            assert row.sent_at is None
            own.start()
            _come_due()
            assert tasks.sweep()["emails"] == 1
            live_jobs.run_burst(JOBS_REDIS_URL=own.url)
            (row,) = _rows()
            assert row.sent_at is not None
            assert len(outbox.to("kept@example.test")) == 1
    finally:
        own.stop()
        app.config["JOBS_REDIS_URL"] = live_jobs.settings["JOBS_REDIS_URL"]


def test_ready_asks_the_job_queue(live_jobs):
    response = live_jobs.app.test_client().get("/ready")
    assert response.get_json()["checks"]["queue"] == "ok"
