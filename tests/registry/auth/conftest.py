"""Fixtures for the security tests: here CSRF and rate limiting are on (IN-01, RATE-01).

The suite's `app` is overridden so that every fixture built on it (`client`, `logged_in`,
`make_user`, `runner`) uses an app with CSRF and rate limiting switched back on. A test that needs
other settings says so with `@pytest.mark.app_settings(NAME=value, ...)`; with `production=True`
the settings are those of a valid ProductionConfig instead of TestConfig's.

The test client behaves like a browser submitting our forms: every unsafe request carries a valid
CSRF token, unless the test sets `client.send_csrf = False` (IN-01).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
import sqlalchemy as sa
from auth_helpers import (
    REDIS_KEY_PREFIX,
    REDIS_URL,
    SECURITY_SETTINGS,
    TEMPLATE_CACHE,
    SecurityClient,
    production_settings,
)
from flask import Flask

from registry.extensions import limiter
from registry.models import AuditEvent
from support import MadeUser


def pytest_configure(config: pytest.Config) -> None:
    """Register the app_settings marker (markers are strict)."""
    config.addinivalue_line(
        "markers",
        "app_settings(**settings): settings for this test's app; production=True starts from "
        "ProductionConfig (security tests only)",
    )


@pytest.fixture
def app_settings(request: pytest.FixtureRequest, database_url: str) -> dict[str, object]:
    """The settings of this test's app: security defaults plus its app_settings marker."""
    marker = request.node.get_closest_marker("app_settings")
    overrides = dict(marker.kwargs) if marker else {}
    if overrides.pop("production", False):
        return production_settings(database_url, **overrides)
    return {**SECURITY_SETTINGS, "RATELIMIT_KEY_PREFIX": REDIS_KEY_PREFIX, **overrides}


@pytest.fixture
def app(make_app: Callable[..., Flask], app_settings: dict[str, object]) -> Iterator[Flask]:
    """The app with CSRF and rate limiting on, and the browser-like test client."""
    uses_redis = str(app_settings.get("RATELIMIT_STORAGE_URI", "")).startswith("redis://")
    if uses_redis:
        _delete_redis_keys()
    app = make_app(**app_settings)
    app.test_client_class = SecurityClient
    app.jinja_env.bytecode_cache = TEMPLATE_CACHE
    yield app
    if uses_redis:
        _delete_redis_keys()


def _delete_redis_keys() -> None:
    """Remove this process's rate-limit keys from the shared Redis database."""
    try:
        connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        for key in connection.scan_iter(f"*{REDIS_KEY_PREFIX}*"):
            connection.delete(key)
        connection.close()
    except redis.ConnectionError:
        pass  # a test that needs Redis fails on its own, with a clearer message


@pytest.fixture
def audit_rows(db) -> Callable[..., list[AuditEvent]]:
    """The audit rows written so far, optionally only those of some actions."""

    def rows(*actions: str) -> list[AuditEvent]:
        query = sa.select(AuditEvent).order_by(AuditEvent.id)
        if actions:
            query = query.where(AuditEvent.action.in_(actions))
        return list(db.session.scalars(query))

    return rows


@pytest.fixture
def stored_user(db) -> Callable[[MadeUser], Any]:
    """The user's row as the database holds it now (fresh from a query, not the identity map)."""

    def fetch(made: MadeUser):
        db.session.expire_all()
        return db.session.get(type(made.user), made.id)

    return fetch


@pytest.fixture(autouse=True)
def limiter_storage_alive() -> Iterator[None]:
    """Forget a storage failure after the test: the limiter is one module-level instance."""
    yield
    limiter._storage_dead = False
