"""A job carries the id of the request that enqueued it, so that one id follows the work from
the page into the worker's log lines and audit rows (issue 13, Health)."""

from __future__ import annotations

import pytest
from rq import Queue

from registry.audit import RequestContext, current_request
from registry.extensions import db
from registry.jobs import runtime
from registry.notifications import Email, send_after_commit


def test_an_enqueued_job_keeps_the_request_id(live_jobs):
    with live_jobs.app.app_context():
        token = current_request.set(RequestContext(request_id="req-4f2a9c1e"))
        try:
            send_after_commit(Email("someone@example.test", "Hello", "Body"))
            db.session.commit()
        finally:
            current_request.reset(token)
        (job,) = Queue(live_jobs.app.config["JOBS_QUEUE"], connection=live_jobs.redis).jobs
        assert job.meta["request_id"] == "req-4f2a9c1e"


def test_a_job_runs_with_the_request_id_it_was_enqueued_with(live_jobs, monkeypatch):
    class RunningJob:
        def __init__(self) -> None:
            self.meta = {"request_id": "req-77b0d2aa"}

    seen: list[str | None] = []

    @runtime.in_app_context
    def job() -> None:
        context = current_request.get()
        seen.append(context.request_id if context else None)

    monkeypatch.setattr("rq.get_current_job", lambda: RunningJob())
    monkeypatch.setattr(runtime, "_app", live_jobs.app)
    monkeypatch.setattr(runtime, "_worker", True)
    job()
    assert seen == ["req-77b0d2aa"]
    assert current_request.get() is None or current_request.get().request_id != "req-77b0d2aa"


@pytest.mark.parametrize("meta", [{}, {"request_id": 42}])
def test_a_job_without_a_request_id_runs_without_one(live_jobs, monkeypatch, meta):
    class RunningJob:
        def __init__(self) -> None:
            self.meta = meta

    seen: list[str | None] = []

    @runtime.in_app_context
    def job() -> None:
        seen.append(current_request.get().request_id)

    monkeypatch.setattr("rq.get_current_job", lambda: RunningJob())
    monkeypatch.setattr(runtime, "_app", live_jobs.app)
    monkeypatch.setattr(runtime, "_worker", True)
    job()
    assert seen == [None]
