"""`flask jobs scheduler`: one loop that enqueues the scheduled work (registry/jobs/schedule.py)."""

from __future__ import annotations

import logging
import threading

import redis
from flask import Flask

from registry.clock import utc_now
from registry.jobs import queue
from registry.jobs.schedule import due_now

log = logging.getLogger("registry.jobs")

TICK_SECONDS = 10
# Set to stop the loop (tests, and a clean shutdown).
STOP = threading.Event()


def run_scheduler(app: Flask, *, once: bool = False, tick: float = TICK_SECONDS) -> None:
    """Tick every few seconds until stopped; a Redis outage is logged and waited out."""
    with app.app_context():
        connection = queue.connection()
        down = False
        while True:
            try:
                due_now(connection, utc_now(), queue.enqueue)
                if down:
                    log.info("scheduler.redis_back")
                    down = False
            except redis.RedisError:
                if not down:
                    log.warning("scheduler.redis_unreachable")
                    down = True
            if once:
                return
            if STOP.wait(tick):
                return
