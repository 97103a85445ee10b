"""The two database roles on PostgreSQL (LOG-05, LOG-06, CFG-02).

- The owner role owns the tables: it runs `flask db upgrade`, `flask db grant-app-role` and
  `flask audit purge`, and is given to those commands as DATABASE_OWNER_URL.
- The application's role (DATABASE_URL) has full rights on the working tables, but only SELECT
  and INSERT on the evidence tables, so no query the application makes, and no SQL injected
  into it, can change or remove the audit trail, a panel decision or a register check.

Where one role does everything (SQLite in development, the test suite), DATABASE_OWNER_URL is
unset and the commands use DATABASE_URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from registry.audit_chain import AnySession

# Written once, then only read: the application's role may SELECT and INSERT them, nothing else.
APPEND_ONLY_TABLES = ("audit_event", "panel_decision", "restriction_review", "verification_check")
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def owner_url() -> str:
    """The owner role's database URL, or the application's where there is one role."""
    config = current_app.config
    return config.get("DATABASE_OWNER_URL") or config["SQLALCHEMY_DATABASE_URI"]


@contextmanager
def owner_session() -> Iterator[AnySession]:
    """A session as the owner role; the app's own session where there is one role."""
    from registry.extensions import db

    if not current_app.config.get("DATABASE_OWNER_URL"):
        yield db.session
        return
    engine = sa.create_engine(owner_url(), hide_parameters=True)
    try:
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose()


def grant_statements(role: str, database: str) -> list[str]:
    """The SQL that gives the application's role exactly its rights (idempotent)."""
    if not ROLE_NAME.match(role):
        raise ValueError("A role name is lower-case letters, digits and underscores")
    append_only = ", ".join(APPEND_ONLY_TABLES)
    return [
        f"""DO $$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
                CREATE ROLE {role} LOGIN;
              END IF;
            END $$""",
        f'GRANT CONNECT ON DATABASE "{database}" TO {role}',
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"REVOKE UPDATE, DELETE ON {append_only} FROM {role}",
        # The chain head: locked and moved on by every audit insert; the purge's columns are
        # the owner's (LOG-06).
        f"REVOKE INSERT, UPDATE, DELETE ON audit_chain_head FROM {role}",
        f"GRANT UPDATE (last_seq, last_hash) ON audit_chain_head TO {role}",
        f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        # Tables added by later migrations: working rights by default; run this command again
        # after every upgrade so that new evidence tables lose UPDATE and DELETE.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}",
    ]


def grant_app_role(role: str) -> bool:
    """Create the application's role if needed and set its rights; False on SQLite (one role)."""
    engine = sa.create_engine(owner_url(), hide_parameters=True)
    try:
        if engine.dialect.name != "postgresql":
            return False
        with engine.begin() as connection:
            database, owner = connection.exec_driver_sql(
                "SELECT current_database(), current_user"
            ).one()
            if role == owner:
                raise ValueError("The application's role must not be the owner role")
            for statement in grant_statements(role, database):
                connection.exec_driver_sql(statement)
        return True
    finally:
        engine.dispose()
