"""Background jobs on a real queue (RQ on Redis): emails, register checks, the scheduled work.

- registry/jobs/queue.py: the queue, enqueueing by dotted name, the failed registry.
- registry/jobs/tasks.py: the job functions, each in the worker's app context.
- registry/jobs/schedule.py: the scheduled work, defined once; scheduler.py runs it.
- registry/jobs/worker.py: `flask jobs worker`; commands.py: the `jobs` CLI group.
- registry/jobs/views.py: the register managers' "Failed background jobs" page.
"""

from __future__ import annotations

from flask import Flask


def init_jobs(app: Flask) -> None:
    """The failed-jobs page, the queue's readiness check and metric, and the count for pages."""
    from registry import outbox
    from registry.health import add_metric, add_readiness_check
    from registry.jobs import queue
    from registry.jobs.views import bp

    app.register_blueprint(bp)
    if not app.config.get("JOBS_INLINE"):
        add_readiness_check(app, "queue", queue.reachable)
    add_metric(
        app,
        "registry_failed_jobs",
        "Background jobs in the failed registry plus emails given up on",
        lambda: failed_total(),
    )

    def failed_total() -> int:
        count = outbox.failed_count()
        if not app.config.get("JOBS_INLINE"):
            count += queue.failed_count()
        return count

    app.jinja_env.globals["failed_background_jobs"] = failed_total
