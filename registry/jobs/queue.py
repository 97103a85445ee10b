"""The job queue: RQ on the Redis the service already uses (JOBS_REDIS_URL).

Jobs are named by their dotted path, so this module imports no feature. `enqueue` never raises
for Redis: work that must not be lost is written to the database first (emails, pending register
checks) and the scheduler's sweep enqueues it again once Redis is back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

import redis
from flask import current_app
from rq import Queue
from rq.job import Job
from rq.registry import FailedJobRegistry

log = logging.getLogger("registry.jobs")

# Failed jobs are kept 30 days for register managers to see and retry.
FAILURE_TTL = 30 * 24 * 3600
RESULT_TTL = 3600
JOB_TIMEOUT = 15 * 60

_connections: dict[str, redis.Redis] = {}


def connection(url: str | None = None) -> redis.Redis:
    """One Redis client per URL per process (its pool is shared by the threads)."""
    url = url or current_app.config["JOBS_REDIS_URL"]
    client = _connections.get(url)
    if client is None:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=5)
        _connections[url] = client
    return client


# The audit purge deletes audit rows, which only the database owner role may do (LOG-05): it goes
# to a queue of its own, worked by `flask jobs worker --owner` with DATABASE_OWNER_URL set, so the
# ordinary workers never hold the owner's credentials.
OWNER = "owner"


def queue(kind: str | None = None) -> Queue:
    """The service's queue (or the owner's, for the jobs only the owner role may run)."""
    name = current_app.config["JOBS_QUEUE"] + (f"-{kind}" if kind else "")
    return Queue(name, connection=connection())


def enqueue(
    function: str,
    *args: object,
    description: str,
    job_id: str | None = None,
    kind: str | None = None,
) -> bool:
    """Put a job on the queue; False (logged) when Redis cannot be reached. The request id of
    the request (or job) that enqueued it goes with it, so the job's log lines carry it too."""
    from registry.audit import current_request

    context = current_request.get()
    meta = {"request_id": context.request_id} if context and context.request_id else {}
    try:
        queue(kind).enqueue(
            function,
            *args,
            description=description,
            job_id=job_id,
            job_timeout=JOB_TIMEOUT,
            result_ttl=RESULT_TTL,
            failure_ttl=FAILURE_TTL,
            meta=meta,
        )
    except redis.RedisError as error:
        log.warning(
            "jobs.enqueue_failed",
            extra={"job": function, "error": type(error).__name__},
        )
        return False
    return True


def reachable() -> bool:
    """The queue's Redis answers a PING (for /ready)."""
    try:
        return bool(connection().ping())
    except redis.RedisError:
        return False


@dataclass(frozen=True)
class FailedJob:
    """What a register manager sees of a failed job: no arguments, no personal data."""

    id: str
    name: str
    description: str
    failed_at: datetime | None
    error: str


def failed_registry() -> FailedJobRegistry:
    return FailedJobRegistry(queue=queue())


def failed_count() -> int:
    """Jobs in the failed registry (0 when Redis cannot be reached, logged)."""
    try:
        return failed_registry().count
    except redis.RedisError:
        log.warning("jobs.failed_count_unavailable")
        return 0


def failed_jobs(limit: int = 200) -> list[FailedJob]:
    """The failed jobs, newest first, as safe summaries."""
    registry = failed_registry()
    ids = registry.get_job_ids(0, limit - 1)
    jobs = [job for job in Job.fetch_many(ids, connection=connection()) if job is not None]
    summaries = [
        FailedJob(
            id=job.id,
            name=(job.func_name or "").rsplit(".", 1)[-1].replace("_", " "),
            description=job.description if (job.description or "").isascii() else "",
            failed_at=job.ended_at,
            error=_error_kind(job),
        )
        for job in jobs
    ]
    return sorted(
        summaries, key=lambda j: j.failed_at or datetime.min.replace(tzinfo=UTC), reverse=True
    )


def _error_kind(job: Job) -> str:
    # The last line of the traceback names the exception; only its class is shown (its message
    # might carry a value from the data).
    text = job.latest_result().exc_string if job.latest_result() else ""
    last = (text or "").strip().splitlines()[-1:] or [""]
    return last[0].split(":", 1)[0][:120]


def retry_failed(job_id: str | None) -> int:
    """Put one failed job (or all) back on the queue; returns how many."""
    registry = failed_registry()
    ids = [job_id] if job_id else registry.get_job_ids()
    count = 0
    for one in ids:
        if one in registry.get_job_ids():
            registry.requeue(one)
            count += 1
    return count
