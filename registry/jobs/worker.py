"""`flask jobs worker`: an RQ worker whose jobs run in this app, built once per process.

A SimpleWorker runs each job in the worker process itself (no fork per job): the app, its
database pool and its register sessions are made once and reused, and a job killed with its
worker leaves its claim to expire, after which the sweep or the next run picks the work up.
"""

from __future__ import annotations

import logging

from flask import Flask
from rq import SimpleWorker

from registry.jobs import queue
from registry.jobs.runtime import use_app

log = logging.getLogger("registry.jobs")


def run_worker(
    app: Flask, *, burst: bool = False, name: str | None = None, owner: bool = False
) -> bool:
    """Work the service's queue until stopped (or until it is empty, with burst); with owner,
    the owner role's queue instead (the audit purge)."""
    use_app(app)
    with app.app_context():
        queues = [queue.queue(queue.OWNER if owner else None)]
        worker = SimpleWorker(queues, connection=queue.connection(), name=name)
    log.info("worker.started", extra={"burst": burst})
    return worker.work(burst=burst, logging_level="WARNING", with_scheduler=False)
