"""Helpers of the job tests: users with real commits, a signed-in client, a Redis to stop."""

from __future__ import annotations

import contextvars
import subprocess
import threading
from collections.abc import Callable
from datetime import UTC, datetime

import redis
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from registry.auth import passwords, totp
from registry.extensions import db
from registry.models import AccountStatus, Organisation, OrganisationKind, Role, User


def make_user(role: Role, email: str, *, organisation: str | None = None) -> User:
    """A user with an account, committed (inside the caller's app context)."""
    now = datetime.now(UTC)
    org = None
    if organisation:
        org = db.session.scalar(sa.select(Organisation).where(Organisation.name == organisation))
        if org is None:
            kind = (
                OrganisationKind.REGISTER_BODY
                if role is Role.REGISTER_MANAGER
                else OrganisationKind.LOCAL_AUTHORITY
            )
            org = Organisation(name=organisation, kind=kind, created_at=now)
            db.session.add(org)
    user = User(
        email=email,
        full_name=email.split("@")[0].title(),
        role=role,
        organisation=org,
        status=AccountStatus.ACTIVE,
        password_hash=passwords.hash_password("correct horse battery staple", "cheapest"),
        created_at=now,
    )
    db.session.add(user)
    db.session.flush()
    user.totp_secret_encrypted = totp.encrypt_seed(totp.new_seed(), app_key(), user_id=user.id)
    user.totp_enrolled_at = now
    db.session.commit()
    return user


def app_key() -> str:
    from flask import current_app

    return current_app.config["TOTP_ENCRYPTION_KEY"]


class FreshContextClient(FlaskClient):
    """Each request in an empty context, as in production: its own app context and session."""

    def open(self, *args: object, **kwargs: object):
        return contextvars.Context().run(super().open, *args, **kwargs)


def signed_in(app: Flask, user: User) -> Callable:
    app.test_client_class = FreshContextClient
    client = app.test_client()
    now = datetime.now(UTC).timestamp()
    with client.session_transaction() as session:
        session.update(_user_id=user.get_id(), auth_at=now, seen_at=now, mfa_at=now)
    return client


class OwnRedis:
    """redis-server on 127.0.0.1:<port>, no persistence, that a test can stop and start."""

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
