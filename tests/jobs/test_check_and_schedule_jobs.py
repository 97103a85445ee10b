"""The register check as a job, the scheduler's one-run-per-slot lock, and a worker killed in the
middle of a verify-due batch; all with real workers on the real Redis (issue 13)."""

from __future__ import annotations

import signal
import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from jobs_world import make_user, signed_in

from registry.extensions import db
from registry.jobs import queue, tasks
from registry.jobs.schedule import SCHEDULE, due_now
from registry.models import Assessor, Registration, Role, VerificationCheck
from registry.vocabulary import AdmissionStatus
from simulator.data import seed_registrant

pytestmark = pytest.mark.slow


def _assessor(given: str, surname: str, email: str) -> Assessor:
    user = make_user(Role.ASSESSOR, email)
    assessor = Assessor(
        user=user,
        legal_given_names=given,
        legal_surname=surname,
        admission_status=AdmissionStatus.ADMITTED,
        created_at=datetime.now(UTC),
    )
    db.session.add(assessor)
    db.session.commit()
    return assessor


def _add(client, number: str):
    return client.post(
        "/assessor/registrations/add",
        data={"body": "hcpc", "number": number, "profession": "practitioner_psychologist"},
        follow_redirects=True,
    )


def test_adding_a_registration_returns_at_once_and_the_page_updates_when_the_job_is_done(
    live_jobs,
):
    registrant = seed_registrant("hcpc", "PYL043541")
    with live_jobs.app.app_context():
        assessor = _assessor(
            registrant.legal_given_names, registrant.legal_surname, "hart@example.test"
        )
        client = signed_in(live_jobs.app, assessor.user)
        page = _add(client, "PYL043541").get_data(as_text=True)
        assert "Checking the public register" in page
        assert '<meta http-equiv="refresh"' in page
        assert "Success" not in page
        assert live_jobs.queued() == 1

        live_jobs.run_burst()

        page = client.get("/assessor/registrations").get_data(as_text=True)
        assert "Checking the public register" not in page
        assert "http-equiv" not in page
        assert "Clear" in page
        db.session.expire_all()
        (registration,) = db.session.scalars(sa.select(Registration)).all()
        assert registration.check_pending_since is None
        assert len(registration.checks) == 1


def test_a_register_that_refuses_connections_is_tried_again_within_minutes(live_jobs):
    from support import free_port

    registrant = seed_registrant("hcpc", "PYL043541")
    closed = f"http://127.0.0.1:{free_port()}"
    with live_jobs.app.app_context():
        assessor = _assessor(
            registrant.legal_given_names, registrant.legal_surname, "hart2@example.test"
        )
        client = signed_in(live_jobs.app, assessor.user)
        before = datetime.now(UTC)
        _add(client, "PYL043541")
        live_jobs.run_burst(REGISTER_HCPC_URL=closed)

        db.session.expire_all()
        (registration,) = db.session.scalars(sa.select(Registration)).all()
        (check,) = registration.checks
        assert check.outcome == "unreadable"
        assert check.detail == "The register refused the connection."
        assert registration.check_pending_since is not None  # still pending, not done
        assert registration.check_attempts == 1
        retry = registration.check_retry_at
        assert before + timedelta(seconds=50) < retry < datetime.now(UTC) + timedelta(minutes=2)
        page = client.get("/assessor/registrations").get_data(as_text=True)
        assert "Checking the public register" in page
        assert "refused the connection" in page
        assert "Success" not in page

        # A minute later the sweep finds it, and the register answers this time.
        db.session.execute(
            sa.update(Registration).values(check_retry_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        db.session.commit()
        assert tasks.sweep()["checks"] == 1
        live_jobs.run_burst()
        db.session.expire_all()
        registration = db.session.scalars(sa.select(Registration)).one()
        assert [c.outcome for c in registration.checks] == ["unreadable", "clear"]
        assert registration.check_pending_since is None


def test_two_schedulers_at_once_enqueue_each_scheduled_job_once(live_jobs):
    now = datetime.now(UTC)
    enqueued: list[str] = []
    lock = threading.Lock()

    def enqueue(function: str, *args, description: str, kind: str | None = None) -> bool:
        with lock:
            enqueued.append(function)
        return True

    barrier = threading.Barrier(2)

    def scheduler() -> None:
        with live_jobs.app.app_context():
            barrier.wait()
            due_now(queue.connection(), now, enqueue)

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(enqueued) == sorted(entry.function for entry in SCHEDULE)
    # The next tick in the same slots enqueues nothing; the next minute only the sweep.
    with live_jobs.app.app_context():
        assert due_now(queue.connection(), now, enqueue) == []
        later = due_now(queue.connection(), now + timedelta(minutes=1), enqueue)
    assert "email-sweep" in later
    assert "canary" not in later


def test_a_worker_killed_in_the_middle_of_verify_due_records_no_check_twice_and_resumes(
    live_jobs, register_simulator
):
    total = 150
    with live_jobs.app.app_context():
        assessor = _assessor("Batch", "Person", "batch@example.test")
        now = datetime.now(UTC)
        db.session.add_all(
            Registration(
                assessor=assessor,
                body="hcpc",
                number=f"PYL9{n:05d}",
                profession="practitioner_psychologist",
                created_at=now,
            )
            for n in range(total)
        )
        db.session.commit()
        register_simulator.app.set_latency(0.1)  # ~150 lookups, two at a time: several seconds
        try:
            queue.enqueue("registry.jobs.tasks.verify_due", description="verify due")
            worker = live_jobs.start_worker()
            checks = 0
            for _ in range(600):
                checks = db.session.scalar(sa.select(sa.func.count(VerificationCheck.id)))
                db.session.commit()
                if checks >= 50:
                    break
                threading.Event().wait(0.05)
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
        finally:
            register_simulator.app.set_latency(0)
        assert 50 <= checks < total, "the worker was killed in the middle of the batch"
        killed_at = _counts()
        assert max(killed_at.values(), default=0) == 1  # nothing recorded twice
        assert len(killed_at) < total

        # The killed run's claims expire (VERIFY_CLAIM_MINUTES); the next run resumes the rest.
        db.session.execute(
            sa.update(Registration)
            .where(Registration.claimed_until.is_not(None))
            .values(claimed_until=datetime.now(UTC) - timedelta(seconds=1))
        )
        db.session.commit()
        queue.enqueue("registry.jobs.tasks.verify_due", description="verify due")
        live_jobs.run_burst()
        after = _counts()
        assert len(after) == total
        assert set(after.values()) == {1}


def _counts() -> dict[int, int]:
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(VerificationCheck.registration_id, sa.func.count()).group_by(
            VerificationCheck.registration_id
        )
    ).all()
    db.session.commit()
    return dict(rows)
