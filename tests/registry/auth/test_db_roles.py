"""LOG-05, LOG-06, CFG-02 on PostgreSQL: the application's role cannot change the evidence.

`flask db grant-app-role` makes a role that may only SELECT and INSERT audit_event,
panel_decision and verification_check. Connected as that role, every way of changing or removing
their rows is refused: UPDATE, DELETE, TRUNCATE, the old `SET app.audit_purge = on` escape,
disabling or dropping the triggers, replica mode, moving the chain's purge boundary. The owner
role still runs migrations and the retention purge, after which the chain verifies.

Roles are cluster-wide, so each run names its own and drops it afterwards.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import downgrade, upgrade

from registry import create_app
from registry.audit import record_audit
from registry.extensions import db
from registry.models import AuditEvent
from support import config_for, migrate_to_head, scratch_database

pytestmark = pytest.mark.postgres

EVIDENCE = ("audit_event", "panel_decision", "restriction_review", "verification_check")


@dataclass
class Roles:
    owner_url: str
    app_url: str
    role: str
    owner_app: Flask
    app: Flask  # connects as the application's role, with the owner's URL for its commands


def _drop(base_url: str, database: str, role: str) -> None:
    engine = sa.create_engine(base_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        connection.exec_driver_sql(f"DROP ROLE IF EXISTS {role}")
    engine.dispose()


@pytest.fixture(scope="module")
def roles(database_url, tmp_root) -> Iterator[Roles]:
    """One scratch database and application role for the module (the migration test runs last)."""
    owner_url = scratch_database(database_url, "roles", tmp_root)
    role = f"registry_app_{os.getpid()}_{secrets.token_hex(3)}"
    owner_app = create_app(config_for(owner_url))
    migrate_to_head(owner_app)
    result = owner_app.test_cli_runner().invoke(args=["db", "grant-app-role", role])
    assert result.exit_code == 0, result.output
    app_url = sa.make_url(owner_url).set(username=role, password=None)
    app_url = app_url.render_as_string(hide_password=False)
    app = create_app(config_for(app_url, DATABASE_OWNER_URL=owner_url))
    try:
        yield Roles(owner_url, app_url, role, owner_app, app)
    finally:
        for each in (app, owner_app):
            with each.app_context():
                db.session.remove()
                db.engine.dispose()
        _drop(database_url, sa.make_url(owner_url).database, role)


def _as_app_role(roles: Roles, statements: list[str]) -> None:
    """Run statements in one transaction as the application's role; raise if refused."""
    engine = sa.create_engine(roles.app_url)
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.exec_driver_sql(statement)
    finally:
        engine.dispose()


def _add_events(app: Flask, *ages: timedelta) -> None:
    now = datetime.now(UTC)
    with app.app_context():
        for age in ages:
            record_audit(None, "auth.sign_in_failed", at=now - age, security_only=True)
        record_audit(None, "commission.decided", at=now - timedelta(days=3000))
        db.session.commit()
        db.session.remove()


def _audit_count(roles: Roles) -> int:
    engine = sa.create_engine(roles.owner_url)
    with engine.connect() as connection:
        count = connection.execute(sa.select(sa.func.count()).select_from(AuditEvent)).scalar()
    engine.dispose()
    return count


def test_log06_purge_runs_as_the_owner_and_the_chain_still_verifies(roles: Roles) -> None:
    # First in the module: the purge cuts the security chain's oldest end, so the old event
    # must come before the recent ones that later tests add.
    _add_events(roles.app, timedelta(days=400), timedelta(days=1))
    runner = roles.app.test_cli_runner()
    purge = runner.invoke(args=["audit", "purge"])
    assert purge.exit_code == 0, purge.output
    assert "Deleted 1 security events" in purge.output
    verify = runner.invoke(args=["audit", "verify"])
    assert verify.exit_code == 0, verify.output
    assert "no break" in verify.output


ATTACKS = {
    "update": ["UPDATE {table} SET id = id"],
    "delete": ["DELETE FROM {table}"],
    "truncate": ["TRUNCATE {table}"],
    "purge flag": ["SET LOCAL app.audit_purge = 'on'", "DELETE FROM {table}"],
    "replica mode": ["SET LOCAL session_replication_role = replica", "DELETE FROM {table}"],
    "disable triggers": ["ALTER TABLE {table} DISABLE TRIGGER ALL"],
    "grant itself": ["GRANT DELETE ON {table} TO CURRENT_USER", "DELETE FROM {table}"],
}


@pytest.mark.parametrize("table", EVIDENCE)
@pytest.mark.parametrize("attack", ATTACKS)
def test_log05_app_role_cannot_change_or_remove_evidence(roles: Roles, table, attack) -> None:
    _add_events(roles.app, timedelta(0))
    before = _audit_count(roles)
    statements = [s.format(table=table) for s in ATTACKS[attack]]
    with pytest.raises(sa.exc.DBAPIError):
        _as_app_role(roles, statements)
    assert _audit_count(roles) == before


def test_log05_app_role_cannot_drop_the_append_only_trigger(roles: Roles) -> None:
    with pytest.raises(sa.exc.DBAPIError, match="must be owner"):
        _as_app_role(roles, ["DROP TRIGGER audit_event_append_only ON audit_event"])


def test_log06_app_role_cannot_move_the_chains_purge_boundary(roles: Roles) -> None:
    with pytest.raises(sa.exc.DBAPIError, match="permission denied"):
        _as_app_role(roles, ["UPDATE audit_chain_head SET base_seq = 1, base_hash = 'x'"])


def test_log05_app_role_can_work_normally(roles: Roles) -> None:
    _add_events(roles.app, timedelta(0), timedelta(seconds=1))  # chains rows: locks the head
    _as_app_role(
        roles,
        [
            "INSERT INTO organisation (name, kind, created_at) "
            "VALUES ('Westshire', 'local_authority', now())",
            "UPDATE organisation SET name = 'West Shire' WHERE name = 'Westshire'",
            "DELETE FROM organisation WHERE name = 'West Shire'",
            "SELECT count(*) FROM audit_event",
        ],
    )


def test_log06_owner_cannot_delete_without_the_purge(roles: Roles) -> None:
    _add_events(roles.app, timedelta(0))
    engine = sa.create_engine(roles.owner_url)
    try:
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as connection:
            connection.exec_driver_sql("DELETE FROM audit_event")
    finally:
        engine.dispose()


def test_cfg02_migrations_run_as_the_owner_role(roles: Roles) -> None:
    with roles.app.app_context():
        downgrade(revision="-1")
        upgrade()
    result = roles.owner_app.test_cli_runner().invoke(args=["db", "grant-app-role", roles.role])
    assert result.exit_code == 0, result.output
    with pytest.raises(sa.exc.DBAPIError):
        _as_app_role(roles, ["DELETE FROM audit_event"])
