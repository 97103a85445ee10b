"""AUTH-08: an emailed link works once, even when two requests use it at the same moment.

Both requests read the link as live before either consumes it (a barrier holds them there), so
only a conditional UPDATE of the token can let exactly one of them through. PostgreSQL only:
SQLite serialises writers, so the race cannot happen there.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from registry import create_app
from registry.auth import passwords, service
from registry.errors import ValidationFailed
from registry.extensions import db
from registry.models import AccountStatus, AccountToken, Role, TokenPurpose, User
from support import config_for, migrate_to_head, scratch_database


def _seed(purpose: TokenPurpose, now: datetime) -> str:
    user = User(
        email="twice@example.test",
        full_name="Twice Used",
        role=Role.ASSESSOR,
        status=AccountStatus.ACTIVE,
        created_at=now,
        password_hash=passwords.hash_password("x" * 20, "cheapest"),
    )
    db.session.add(user)
    db.session.flush()
    token = service.issue_token(user, purpose, now=now)
    db.session.commit()
    return token


def _use_twice(app, monkeypatch, purpose: TokenPurpose, use) -> list[str]:
    now = datetime.now(UTC)
    with app.app_context():
        token = _seed(purpose, now)
        db.session.remove()
    barrier = threading.Barrier(2)
    original = service._set_password

    def set_password_then_wait(user, new):
        original(user, new)
        barrier.wait(timeout=10)  # both requests have found the link live

    monkeypatch.setattr(service, "_set_password", set_password_then_wait)
    results: list[str] = []

    def attempt(password: str) -> None:
        with app.app_context():
            try:
                use(token, password, now=now)
                results.append("used")
            except ValidationFailed:
                results.append("refused")
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=attempt, args=(p,))
        for p in ("lantern orchard velvet compass", "harbour meadow pencil thunder")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    with app.app_context():
        used = db.session.scalars(select(AccountToken.used_at)).all()
        db.session.remove()
        db.engine.dispose()
    assert len(used) == 1
    assert used[0] is not None
    return sorted(results)


@pytest.fixture
def race_app(database_url, tmp_root, smtp_server, request):
    url = scratch_database(database_url, f"links_{request.node.name[-12:].lower()}", tmp_root)
    app = create_app(config_for(url, MAIL_PORT=smtp_server[0].port))
    migrate_to_head(app)
    return app


@pytest.mark.postgres
def test_auth08_reset_link_used_by_two_requests_at_once_works_once(race_app, monkeypatch):
    results = _use_twice(race_app, monkeypatch, TokenPurpose.PASSWORD_RESET, service.reset_password)
    assert results == ["refused", "used"]


@pytest.mark.postgres
def test_auth08_invitation_link_used_by_two_requests_at_once_works_once(race_app, monkeypatch):
    results = _use_twice(race_app, monkeypatch, TokenPurpose.INVITATION, service.accept_invitation)
    assert results == ["refused", "used"]
