"""Fixtures shared by the whole suite: app, db, clients per role, SMTP outbox, clock, factories.

The database is built once per run by the migrations: a SQLite file by default; with
TEST_DATABASE_URL, a PostgreSQL database of the run's own on that server, dropped at the end.
Each test runs inside an outer transaction that is rolled back; the services' commits become
savepoints, so tests see real commits without leaking rows.
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
import time_machine
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import orm
from werkzeug.routing import Rule

from config import TestConfig
from registry import create_app
from registry.auth import passwords, totp
from registry.extensions import db as _db
from registry.models import AccountStatus, Organisation, OrganisationKind, Role, User
from support import (  # noqa: F401  (re-exported: tests may import them from here too)
    DEMO_PASSWORD,
    MadeUser,
    RunningRegisters,
    SmtpOutbox,
    base_database_url,
    body_of,
    config_for,
    free_port,
    is_postgres,
    migrate_to_head,
    run_database,
    sign_in_for_real,
)
from support.speed import TEMPLATE_CACHE, compile_builder_once

TOTP_KEY = TestConfig.TOTP_ENCRYPTION_KEY
STAFF_ORGANISATION = {
    Role.OFFICER: "Northshire County Council",
    Role.PANEL_MEMBER: "Northshire County Council",
    Role.AUDITOR: "Northshire County Council",
    Role.REGISTER_MANAGER: "Regional Assessor Register",
}

# --------------------------------------------------------------------------- databases


@pytest.fixture(scope="session")
def tmp_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temporary folder for the run's SQLite files and uploads."""
    return tmp_path_factory.mktemp("suite")


@pytest.fixture(scope="session")
def database_url(tmp_root: Path) -> Iterator[str]:
    """The suite's database, migrated to head once per run.

    On PostgreSQL it is a new database of this run's own on TEST_DATABASE_URL's server, dropped
    after the session (pass or fail) with the scratch databases made from it."""
    base = base_database_url(tmp_root)
    if not is_postgres(base):
        migrate_to_head(create_app(config_for(base)))
        yield base
        return
    with run_database(base) as url:
        migrate_to_head(create_app(config_for(url)))
        yield url


# --------------------------------------------------------------------------- email


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Controller, SmtpOutbox]]:
    """A real SMTP server on 127.0.0.1 for the whole run (aiosmtpd)."""
    outbox = SmtpOutbox()
    controller = Controller(outbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, outbox
    controller.stop()


@pytest.fixture
def outbox(smtp_server: tuple[Controller, SmtpOutbox]) -> SmtpOutbox:
    """The emails sent during this test."""
    smtp_server[1].clear()
    return smtp_server[1]


# --------------------------------------------------------------------------- app and db


class _TestSession(orm.scoped_session):
    """One session for the whole test; the app's teardown rolls back what a request left pending.

    In production each request gets a new session; here the test body and its requests share
    one, so objects made by factories stay usable, while uncommitted work is still discarded.
    """

    def remove(self) -> None:
        self.registry().rollback()


class FreshContextClient(FlaskClient):
    """A test client whose every request starts afresh, as in production.

    The `db` fixture keeps an app context pushed for the whole test, and Flask would reuse it for
    requests, so `g` would carry Flask-Login's user and Flask-WTF's token from one request (and
    one client) to the next. Running each request in an empty contextvars context stops that.
    """

    def open(self, *args: object, **kwargs: object):
        return contextvars.Context().run(super().open, *args, **kwargs)


def _sqlite_savepoints(engine: sa.Engine) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT; SQLAlchemy's documented recipe.
    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None

    @sa.event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        connection.exec_driver_sql("BEGIN")


@pytest.fixture
def make_app(
    database_url: str, smtp_server: tuple[Controller, SmtpOutbox], tmp_root: Path
) -> Iterator[Callable[..., Flask]]:
    """Build the app with settings overridden, its database work rolled back after the test."""
    made: list[tuple[Flask, sa.Connection, sa.Transaction, orm.scoped_session]] = []
    original_session = _db.session

    def build(**overrides: object) -> Flask:
        settings = {
            "MAIL_PORT": smtp_server[0].port,
            "UPLOAD_FOLDER": str(tmp_root / "uploads"),
            **overrides,
        }
        app = create_app(config_for(database_url, **settings))
        with app.app_context():
            engine = _db.engine
            if engine.dialect.name == "sqlite":
                _sqlite_savepoints(engine)
            connection = engine.connect()
            transaction = connection.begin()
        session = _TestSession(
            orm.sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
        )
        _db.session = session
        app.test_client_class = FreshContextClient
        app.jinja_env.bytecode_cache = TEMPLATE_CACHE
        made.append((app, connection, transaction, session))
        return app

    yield build
    for app, connection, transaction, session in made:
        session.registry().close()
        transaction.rollback()
        connection.close()
        with app.app_context():
            _db.engine.dispose()
    _db.session = original_session


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """The app under TestConfig (CSRF and rate limits off), on the suite's database."""
    return make_app()


@pytest.fixture
def app_context(app: Flask) -> Iterator[Flask]:
    """An application context for service and model tests."""
    with app.app_context():
        yield app


@pytest.fixture
def db(app_context: Flask):
    """The database extension, inside an app context, isolated by the outer transaction."""
    return _db


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the app."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    """A CLI runner of the app."""
    return app.test_cli_runner()


@pytest.fixture(autouse=True)
def reuse_route_builders(monkeypatch: pytest.MonkeyPatch) -> None:
    """Compile each URL rule's builder once per run instead of once per app (a speed-up only)."""
    monkeypatch.setattr(Rule, "_compile_builder", compile_builder_once)


# --------------------------------------------------------------------------- time


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    """Time frozen at a fixed moment; move it with clock.move_to(...) or clock.shift(...)."""
    with time_machine.travel(datetime(2026, 11, 2, 9, 30, tzinfo=UTC), tick=False) as traveller:
        yield traveller


# --------------------------------------------------------------------------- factories


@pytest.fixture
def make_organisation(db) -> Callable[..., Organisation]:
    """Make (or reuse) an organisation by name."""

    def make(
        name: str = "Northshire County Council",
        kind: OrganisationKind = OrganisationKind.LOCAL_AUTHORITY,
    ) -> Organisation:
        existing = db.session.scalar(sa.select(Organisation).where(Organisation.name == name))
        if existing:
            return existing
        organisation = Organisation(name=name, kind=kind, created_at=datetime.now(UTC))
        db.session.add(organisation)
        db.session.commit()
        return organisation

    return make


@pytest.fixture
def make_user(db, make_organisation) -> Callable[..., MadeUser]:
    """Make a user with a role; enrolled in TOTP unless enrolled=False."""
    counter = iter(range(1, 10_000))

    def make(
        role: Role = Role.OFFICER,
        *,
        email: str | None = None,
        full_name: str = "Test Person",
        organisation: Organisation | None = None,
        enrolled: bool = True,
        status: AccountStatus = AccountStatus.ACTIVE,
        password: str = DEMO_PASSWORD,
        must_change: bool = False,
        profile: str = "cheapest",
    ) -> MadeUser:
        if organisation is None and role in STAFF_ORGANISATION:
            kind = (
                OrganisationKind.REGISTER_BODY
                if role is Role.REGISTER_MANAGER
                else OrganisationKind.LOCAL_AUTHORITY
            )
            organisation = make_organisation(STAFF_ORGANISATION[role], kind)
        now = datetime.now(UTC)
        user = User(
            email=email or f"{role.value}{next(counter)}@example.test",
            full_name=full_name,
            role=role,
            organisation=organisation,
            status=status,
            password_hash=passwords.hash_password(password, profile),
            password_must_change=must_change,
            created_at=now,
        )
        db.session.add(user)
        db.session.flush()
        seed = None
        if enrolled:
            seed = totp.new_seed()
            user.totp_secret_encrypted = totp.encrypt_seed(seed, TOTP_KEY, user_id=user.id)
            user.totp_enrolled_at = now
        db.session.commit()
        return MadeUser(user=user, password=password, seed=seed)

    return make


@pytest.fixture
def logged_in(app: Flask, make_user) -> Callable[..., FlaskClient]:
    """A client signed in through both factors, as a new user with a role or as a given user."""

    def sign_in(who: Role | MadeUser = Role.OFFICER) -> FlaskClient:
        made = make_user(who) if isinstance(who, Role) else who
        client = app.test_client()
        now = datetime.now(UTC).timestamp()
        with client.session_transaction() as session:
            session["_user_id"] = made.user.get_id()
            session["_fresh"] = True
            session["auth_at"] = now
            session["seen_at"] = now
            session["mfa_at"] = now
        client.made_user = made  # type: ignore[attr-defined]
        return client

    return sign_in


# --------------------------------------------------------------------------- markers


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip tests marked postgres on SQLite; they run in the PostgreSQL pass of `make test`."""
    if is_postgres(os.environ.get("TEST_DATABASE_URL", "")):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set TEST_DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


# --------------------------------------------------------------------------- public registers


@pytest.fixture(scope="session")
def register_simulator() -> Iterator[RunningRegisters]:
    """The public-register simulator on 127.0.0.1, once per run (its data reset per test)."""
    from simulator.app import make_simulator_app, start_in_thread

    simulator = make_simulator_app(stall_seconds=5.0)
    server, base_url = start_in_thread(simulator)
    yield RunningRegisters(base_url=base_url, app=simulator)
    simulator.close()
    server.shutdown()
    server.server_close()


@pytest.fixture
def make_assessor(db, make_user):
    """Make an assessor (with an account) by legal name; admitted unless told otherwise."""
    from registry.models import AdmissionStatus, Assessor

    def make(given: str = "Amelia", surname: str = "Hart", **fields):
        made = make_user(Role.ASSESSOR, full_name=f"{given} {surname}")
        assessor = Assessor(
            user=made.user,
            legal_given_names=given,
            legal_surname=surname,
            admission_status=fields.pop("admission_status", AdmissionStatus.ADMITTED),
            created_at=datetime.now(UTC),
            **fields,
        )
        db.session.add(assessor)
        db.session.commit()
        return assessor

    return make


@pytest.fixture
def make_registration(db, make_assessor):
    """Make a registration for an assessor (a new one matching the simulator's entry if none)."""
    from registry.models import Registration
    from simulator.data import seed_registrant

    def make(
        body: str = "hcpc",
        number: str = "PYL043541",
        assessor=None,
        profession: str = "practitioner_psychologist",
    ):
        if assessor is None:
            registrant = seed_registrant(body, number)
            assessor = make_assessor(registrant.legal_given_names, registrant.legal_surname)
        registration = Registration(
            assessor=assessor,
            body=body,
            number=number,
            profession=profession,
            created_at=datetime.now(UTC),
        )
        db.session.add(registration)
        db.session.commit()
        return registration

    return make
