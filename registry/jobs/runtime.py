"""Jobs run inside an application context: one app per worker process, built once."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from flask import Flask, has_app_context

log = logging.getLogger("registry.jobs")

P = ParamSpec("P")
R = TypeVar("R")

_app: Flask | None = None
_worker = False


def use_app(app: Flask) -> None:
    """The app this worker's jobs run in (the worker command passes its own): every job then
    gets an app context and a database session of its own."""
    global _app, _worker
    _app = app
    _worker = True


def job_app() -> Flask:
    """This process's app for jobs, built from the environment the first time it is needed."""
    global _app
    if _app is None:
        from registry import create_app

        _app = create_app()
    return _app


def _enqueuing_request_id() -> str | None:
    """The request id kept in the running job's meta by `enqueue`, if any."""
    from rq import get_current_job

    job = get_current_job()
    request_id = job.meta.get("request_id") if job is not None else None
    return request_id if isinstance(request_id, str) else None


def in_app_context(function: Callable[P, R]) -> Callable[P, R]:
    """Run a job in the worker's app context, with a fresh database session every time."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if has_app_context() and not _worker:  # called directly (JOBS_INLINE, or a test)
            return function(*args, **kwargs)
        with job_app().app_context():
            from registry.audit import RequestContext, current_request
            from registry.extensions import db

            # The id of the request that enqueued the job: its log lines and audit rows carry it.
            token = current_request.set(RequestContext(request_id=_enqueuing_request_id()))
            try:
                return function(*args, **kwargs)
            except Exception:
                log.exception("job.failed", extra={"job": function.__name__})
                raise
            finally:
                current_request.reset(token)
                db.session.remove()

    return run
