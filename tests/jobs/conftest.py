"""The job tests' own world: a database with real commits, Redis database 7, real workers.

Nothing here runs jobs eagerly: a worker is a separate process (tests/jobs/worker_process.py)
running RQ's SimpleWorker against the real Redis, on the same database as the test.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis
from flask import Flask

from registry import create_app
from registry.extensions import db
from support import config_for, migrate_to_head, scratch_database, simulator_settings

JOBS_REDIS_URL = os.environ.get("TEST_JOBS_REDIS_URL", "redis://127.0.0.1:6379/7")
WORKER = Path(__file__).with_name("worker_process.py")
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class LiveJobs:
    """The app (JOBS_INLINE off) on a database of its own, and its workers."""

    app: Flask
    settings: dict[str, object]
    redis: redis.Redis
    workers: list[subprocess.Popen] = field(default_factory=list)

    def worker_settings(self, **overrides: object) -> str:
        return json.dumps({**self.settings, **overrides})

    def run_burst(self, timeout: float = 120, **overrides: object) -> None:
        """A real worker that runs every queued job, then stops."""
        subprocess.run(
            [sys.executable, str(WORKER), self.worker_settings(**overrides), "--burst"],
            cwd=ROOT,
            check=True,
            timeout=timeout,
        )

    def start_worker(self, **overrides: object) -> subprocess.Popen:
        """A real worker that runs until killed."""
        process = subprocess.Popen(
            [sys.executable, str(WORKER), self.worker_settings(**overrides)], cwd=ROOT
        )
        self.workers.append(process)
        return process

    def queued(self) -> int:
        from rq import Queue

        return Queue(self.app.config["JOBS_QUEUE"], connection=self.redis).count

    def stop_workers(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=10)


@pytest.fixture
def jobs_redis() -> Iterator[redis.Redis]:
    """Redis database 7, emptied before and after (only that database)."""
    client = redis.Redis.from_url(JOBS_REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("needs Redis on 127.0.0.1:6379")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def live_jobs(
    database_url: str, tmp_root: Path, smtp_server, register_simulator, jobs_redis
) -> Iterator[LiveJobs]:
    """The app with real commits, a queue on Redis 7, and nothing eager."""
    url = scratch_database(database_url, "jobs", tmp_root)
    settings: dict[str, object] = {
        "SQLALCHEMY_DATABASE_URI": url,
        "MAIL_PORT": smtp_server[0].port,
        "UPLOAD_FOLDER": str(tmp_root / "jobs-uploads"),
        "JOBS_INLINE": False,
        "JOBS_REDIS_URL": JOBS_REDIS_URL,
        **simulator_settings(register_simulator),
    }
    app = create_app(config_for(**settings))
    migrate_to_head(app)
    live = LiveJobs(app, settings, jobs_redis)
    yield live
    live.stop_workers()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
