"""/health, /ready and /metrics: for the load balancer, the orchestrator and monitoring.

/health says the process answers (no dependency is touched). /ready says whether the database,
Redis and any other dependency registered with `add_readiness_check` (the job queue, when it
lands) can be reached: 200 when all can, 503 naming what cannot. /metrics gives counts in the
Prometheus text format, from loopback or with `Authorization: Bearer <METRICS_TOKEN>` only.
None of them carries personal data, and none needs a session.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy import text

from registry.extensions import db, limiter

log = logging.getLogger("registry.health")

Check = Callable[[], bool | None]  # True up, False down, None not used here
Metric = Callable[[], float | int]


def add_readiness_check(app: Flask, name: str, check: Check) -> None:
    """Make /ready also ask `check` (e.g. the job queue): True reachable, False not."""
    app.extensions.setdefault("readiness_checks", {})[name] = check


def add_metric(app: Flask, name: str, help_text: str, value: Metric) -> None:
    """Add (or replace) a gauge on /metrics, e.g. registry_failed_jobs from the job queue."""
    app.extensions.setdefault("metrics", {})[name] = (help_text, value)


def init_health(app: Flask) -> None:
    """The built-in checks and metrics (the app factory registers the blueprint)."""
    add_readiness_check(app, "database", database_reachable)
    add_readiness_check(app, "redis", redis_reachable)
    add_metric(app, "registry_failed_jobs", "Jobs that failed for good (0 until jobs exist)", _zero)
    add_metric(
        app,
        "registry_unreadable_registers",
        "Public registers whose latest canary check could not read them",
        unreadable_registers,
    )
    add_metric(
        app,
        "registry_ratelimit_fallback_active",
        "1 while this process counts rate limits in memory because Redis is unreachable",
        lambda: int(limiter.storage_dead),
    )
    add_metric(
        app,
        "registry_ratelimit_fallbacks_total",
        "Times this process fell back from Redis to in-memory rate limits since it started",
        lambda: limiter.failover.fallbacks,
    )
    add_metric(
        app,
        "registry_ratelimit_recoveries_total",
        "Times this process returned to Redis for rate limits since it started",
        lambda: limiter.failover.recoveries,
    )


def _zero() -> int:
    return 0


def database_reachable() -> bool:
    """One round trip to the database, in a transaction of its own."""
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:
        log.warning("ready.database_unreachable")
        return False
    finally:
        with contextlib.suppress(Exception):  # the connection is gone: nothing to roll back
            db.session.rollback()


def redis_reachable() -> bool | None:
    """A PING to the rate limiter's Redis (None when the limits are kept in memory)."""
    if not str(current_app.config.get("RATELIMIT_STORAGE_URI", "")).startswith("redis"):
        return None
    try:
        return bool(limiter.storage.check())
    except Exception:
        return False


def unreadable_registers() -> int:
    """How many registers' latest canary check came back unreadable."""
    from registry.verification.queries import canary_states

    states = canary_states()
    return sum(
        1 for event in states.values() if event is not None and event.outcome == "unreadable"
    )


def run_checks() -> dict[str, bool | None]:
    """Each registered readiness check's answer (an exception counts as unreachable)."""
    results: dict[str, bool | None] = {}
    for name, check in current_app.extensions.get("readiness_checks", {}).items():
        try:
            results[name] = check()
        except Exception:
            results[name] = False
    return results
