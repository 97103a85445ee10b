"""Helpers shared by the fixtures and the tests: databases, the SMTP outbox, users."""

from __future__ import annotations

import os
import socket
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from config import TestConfig, normalise_database_url
from registry.auth import totp
from registry.extensions import db as _db
from registry.models import User

DEMO_PASSWORD = "a long enough passphrase for tests"


def base_database_url(tmp_root: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return normalise_database_url(url)
    return f"sqlite:///{tmp_root / 'suite.db'}"


def is_postgres(url: str) -> bool:
    """True when the URL names a PostgreSQL database."""
    return url.startswith("postgresql")


def scratch_database(base_url: str, name: str, tmp_root: Path) -> str:
    """A fresh empty database beside the suite's (a new PostgreSQL database or SQLite file)."""
    if not is_postgres(base_url):
        path = tmp_root / f"{name}.db"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    url = sa.make_url(base_url)
    database = f"{url.database}_{name}"
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{database}"')
    engine.dispose()
    return url.set(database=database).render_as_string(hide_password=False)


def config_for(database_url: str, **overrides: object) -> type[TestConfig]:
    """A TestConfig subclass pointing at a database, with some settings overridden."""
    attributes = {"SQLALCHEMY_DATABASE_URI": database_url, **overrides}
    return type("SuiteConfig", (TestConfig,), attributes)


def migrate_to_head(app: Flask) -> None:
    """Run every migration on the app's empty database."""
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
        _db.engine.dispose()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class SmtpOutbox:
    """Messages received by the local SMTP server."""

    messages: list[Message] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope) -> str:
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()

    def to(self, address: str) -> list[Message]:
        """Messages sent to one address."""
        with self.lock:
            return [m for m in self.messages if m["To"] == address]


@dataclass
class MadeUser:
    """A user made by the factory, with the secrets a test needs to sign in as them."""

    user: User
    password: str
    seed: str | None

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def email(self) -> str:
        return self.user.email

    def code(self, at: datetime | None = None) -> str:
        """The TOTP code at a moment (now by default)."""
        assert self.seed is not None
        return totp.code_at(self.seed, at or datetime.now(UTC))


def sign_in_for_real(client: FlaskClient, made: MadeUser, *, code_at: datetime | None = None):
    """Walk the real sign-in: password, then the TOTP code. Returns the code-step response."""
    response = client.post("/sign-in", data={"email": made.email, "password": made.password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client.post("/sign-in/code", data={"code": made.code(code_at)})


def body_of(message: Message) -> str:
    """The plain-text body of an email."""
    payload = message.get_payload(decode=True)
    return payload.decode() if isinstance(payload, bytes) else str(message.get_payload())


@dataclass(frozen=True)
class RunningRegisters:
    """The register simulator served over real HTTP, and the app object to steer it."""

    base_url: str
    app: object


def simulator_settings(register_simulator: RunningRegisters) -> dict[str, object]:
    """Config overrides pointing every public register at the simulator, with short timeouts."""
    from registry.registers import reset_breakers

    register_simulator.app.reset()
    reset_breakers()
    url = register_simulator.base_url
    return {
        "REGISTER_HCPC_URL": url,
        "REGISTER_SWE_URL": url,
        "REGISTER_GMC_URL": url,
        "REGISTER_NMC_URL": url,
        "REGISTER_READ_TIMEOUT": 1.0,
        "REGISTER_CONNECT_TIMEOUT": 1.0,
    }


def complete_profile(assessor_id: int, now: datetime, *, attested: bool = True) -> list[object]:
    """Profile items that make an assessor with a clear HCPC forensic registration eligible
    for a typical adult-male contact-offending case (the caller adds and commits them)."""
    from datetime import timedelta

    from registry.models import (
        Attestation,
        CpdRecord,
        DbsCheck,
        DbsLevel,
        ExperienceEntry,
        Insurance,
        Qualification,
        Supervision,
        ToolTraining,
    )

    today = now.date()
    stamp = {"created_at": now, "updated_at": now, "assessor_id": assessor_id}
    items: list[object] = [
        Qualification(
            kind="doctorate_forensic_psychology",
            title="Doctorate in Forensic Psychology",
            awarding_body="University of Birmingham",
            awarded_on=today - timedelta(3000),
            **stamp,
        ),
        ToolTraining(
            tool_code="STATIC99R", trainer="Tool owner", trained_on=today - timedelta(400), **stamp
        ),
        ExperienceEntry(
            offence_category="contact_intra_familial",
            population="adult_male",
            assessment_purpose="risk",
            count=24,
            period_from=today - timedelta(1500),
            period_to=today - timedelta(20),
            last_case_on=today - timedelta(20),
            **stamp,
        ),
        DbsCheck(
            level=DbsLevel.ENHANCED_BARRED,
            certificate_number="001234567890",
            issued_on=today - timedelta(300),
            **stamp,
        ),
        Insurance(
            insurer="Insurer",
            policy_number="PI-1",
            cover_pence=500_000_000,
            expires_on=today + timedelta(300),
            covers_expert_reports=True,
            **stamp,
        ),
        CpdRecord(
            title="Risk assessment update", completed_on=today - timedelta(60), hours=6, **stamp
        ),
        Supervision(
            supervisor_name="Dr Peer",
            arrangement="Monthly peer review",
            frequency="Monthly",
            started_on=today - timedelta(700),
            **stamp,
        ),
    ]
    if attested:
        items.append(
            Attestation(
                assessor_id=assessor_id,
                statement="Accurate",
                signed_name="Signed",
                attested_at=now - timedelta(days=10),
            )
        )
    return items


def add_complete_profile(
    assessor_id: int, now: datetime, *, attested: bool = True, accepted: bool = True
) -> list[object]:
    """complete_profile's items added to the session, each accepted by a register manager (the
    gate counts only accepted items). The caller commits."""
    from registry.models import Attestation, ItemReview, ReviewStatus

    items = complete_profile(assessor_id, now, attested=attested)
    _db.session.add_all(items)
    _db.session.flush()
    if accepted:
        for item in items:
            if isinstance(item, Attestation):
                continue
            _db.session.add(
                ItemReview(
                    assessor_id=assessor_id,
                    item_type=item.__tablename__,
                    item_id=item.id,
                    status=ReviewStatus.ACCEPTED,
                    submitted_at=now,
                    decided_at=now,
                )
            )
    return items


def accept_everything(assessor, now: datetime | None = None) -> None:
    """A register manager accepts every item of the assessor's profile (the caller commits)."""
    from datetime import timedelta

    from registry.extensions import db
    from registry.models import ItemReview, ReviewStatus
    from registry.vetting.items import profile_items

    now = now or datetime.now(UTC)
    for item in profile_items(assessor):
        db.session.add(
            ItemReview(
                assessor_id=assessor.id,
                item_type=item.item_type,
                item_id=item.item_id,
                status=ReviewStatus.ACCEPTED,
                submitted_at=now + timedelta(seconds=1),
                decided_at=now + timedelta(seconds=1),
            )
        )
