"""A Redis outage with a real Redis of the test's own (issue 13; RATE-06).

The test starts redis-server on a free port, points the app's rate limits at it, stops it in the
middle, and starts it again: pages still serve while it is down, sign-in stays limited (each
process counts in memory, never "no limit"), one log line marks the start of the fallback and
one its end, /metrics counts it, and the counts return to Redis. The Redis is stopped and its
process reaped afterwards, whatever happens.
"""

from __future__ import annotations

import io
import json
import logging
import shutil
import subprocess
import threading
from collections.abc import Iterator

import pytest
import redis
from auth_helpers import password_step

from registry.extensions import limiter
from support import free_port

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]

WRONG = "not the right password"


class OwnRedis:
    """redis-server on 127.0.0.1:<port>, with no persistence, that the test can stop and start."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                if self.process.poll() is not None:
                    break
                threading.Event().wait(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def keys(self) -> list[bytes]:
        return redis.Redis.from_url(self.url, socket_connect_timeout=1).keys("*")


@pytest.fixture
def own_redis() -> Iterator[OwnRedis]:
    server = OwnRedis(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def app_settings(app_settings, own_redis) -> dict[str, object]:
    """This module's app counts on the test's own Redis, and looks for it again every second."""
    return {
        **app_settings,
        "RATELIMIT_STORAGE_URI": own_redis.url,
        "RATELIMIT_RECOVERY_CHECK_SECONDS": 1,
    }


@pytest.fixture
def log_lines(app, monkeypatch):
    (handler,) = logging.getLogger("registry").handlers
    stream = io.StringIO()
    monkeypatch.setattr(handler, "stream", stream)
    return lambda: [json.loads(line) for line in stream.getvalue().splitlines()]


def _fail(client, email: str, times: int) -> list[int]:
    return [
        client.post("/sign-in", data={"email": email, "password": WRONG}).status_code
        for _ in range(times)
    ]


def _metric(client, name: str) -> str:
    for line in client.get("/metrics").get_data(as_text=True).splitlines():
        if line.startswith(name + " "):
            return line.split()[-1]
    raise AssertionError(name)


def _wait_past_the_recovery_check() -> None:
    # The limiter tries Redis again once RATELIMIT_RECOVERY_CHECK_SECONDS (1 here) have passed.
    threading.Event().wait(1.2)


def test_redis_outage_falls_back_logs_once_and_returns(
    app, own_redis, make_user, log_lines
) -> None:
    client = app.test_client()
    made, other = make_user(), make_user()
    fallbacks = limiter.failover.fallbacks

    # Redis up: failures are counted there.
    assert _fail(client, made.email, 2) == [200, 200]
    assert own_redis.keys(), "the counts live in Redis"

    own_redis.stop()
    # Pages serve while Redis is down, limited or not.
    assert client.get("/sign-in").status_code == 200
    assert client.get("/health").status_code == 200
    assert client.get("/accessibility").status_code == 200
    assert client.get("/ready").get_json()["unavailable"] == ["redis"]
    # Sign-in is still limited: this process counts in memory (from zero).
    assert _fail(client, other.email, 10) == [200] * 10
    assert password_step(client, other).status_code == 429
    assert _metric(client, "registry_ratelimit_fallback_active") == "1"
    assert limiter.failover.fallbacks == fallbacks + 1

    own_redis.start()
    _wait_past_the_recovery_check()
    assert _fail(client, made.email, 1) == [200]  # back on Redis: the third failure there
    assert _metric(client, "registry_ratelimit_fallback_active") == "0"
    assert client.get("/ready").status_code == 200

    messages = [entry["message"] for entry in log_lines()]
    assert messages.count("ratelimit.fallback_started") == 1
    assert messages.count("ratelimit.fallback_ended") == 1
    assert messages.index("ratelimit.fallback_started") < messages.index("ratelimit.fallback_ended")
    assert int(_metric(client, "registry_ratelimit_fallbacks_total")) >= 1
    # The counts are in Redis again (the restarted Redis kept nothing, so this one is new).
    assert own_redis.keys()


@pytest.mark.app_settings(RATELIMIT_FALLBACK_PROCESSES=4)
def test_during_the_outage_each_of_four_processes_allows_a_quarter(
    app, own_redis, make_user
) -> None:
    client = app.test_client()
    made = make_user()
    own_redis.stop()
    # 10 per 5 minutes shared by 4 processes: 3 each (rounded up), so about the limit in all.
    assert _fail(client, made.email, 3) == [200] * 3
    assert password_step(client, made).status_code == 429
