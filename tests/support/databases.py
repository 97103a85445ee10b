"""The suite's databases: SQLite files, or PostgreSQL databases of this run's own.

On PostgreSQL every pytest run creates a database of its own on TEST_DATABASE_URL's server
(named after the URL's database, this process and a random part) and drops it at the end of the
session, pass or fail, with every scratch database derived from it. Two runs at once on one
machine therefore never drop each other's schema (docs/decisions/0004).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from config import normalise_database_url
from registry.extensions import db as _db


def base_database_url(tmp_root: Path) -> str:
    """TEST_DATABASE_URL (whose server a PostgreSQL run uses), else a SQLite file of this run."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return normalise_database_url(url)
    return f"sqlite:///{tmp_root / 'suite.db'}"


def is_postgres(url: str) -> bool:
    """True when the URL names a PostgreSQL database."""
    return url.startswith("postgresql")


def run_database_name(base_name: str | None) -> str:
    """A name for one run's database: the base name, this process and a random part."""
    return f"{base_name or 'test'}_run_{os.getpid()}_{secrets.token_hex(4)}"


@contextmanager
def run_database(base_url: str) -> Iterator[str]:
    """A new PostgreSQL database for one run, on base_url's server; dropped on the way out (with
    every scratch database made from it), whatever happened inside."""
    url = sa.make_url(base_url)
    drop_abandoned_run_databases(base_url)
    name = run_database_name(url.database)
    _admin(base_url, f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        drop_run_database(base_url, name)


def drop_run_database(base_url: str, name: str) -> None:
    """Drop a run's database and the scratch databases named after it."""
    engine = sa.create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            scratch = connection.scalars(
                sa.text("SELECT datname FROM pg_database WHERE starts_with(datname, :prefix)"),
                {"prefix": f"{name}_"},
            ).all()
            for database in [*scratch, name]:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        engine.dispose()


def drop_abandoned_run_databases(base_url: str) -> None:
    """Drop the run databases of processes on this machine that no longer exist (a run killed
    before its teardown), with their scratch databases."""
    prefix = f"{sa.make_url(base_url).database or 'test'}_run_"
    engine = sa.create_engine(base_url)
    try:
        with engine.connect() as connection:
            names = connection.scalars(
                sa.text("SELECT datname FROM pg_database WHERE starts_with(datname, :prefix)"),
                {"prefix": prefix},
            ).all()
    finally:
        engine.dispose()
    for name in names:
        pid, _, rest = name.removeprefix(prefix).partition("_")
        if pid.isdigit() and "_" not in rest and not _process_alive(int(pid)):
            drop_run_database(base_url, name)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def database_exists(base_url: str, name: str) -> bool:
    """Whether the server of base_url has a database of that name."""
    engine = sa.create_engine(base_url)
    try:
        with engine.connect() as connection:
            found = connection.scalar(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
    finally:
        engine.dispose()
    return found is not None


def scratch_database(base_url: str, name: str, tmp_root: Path) -> str:
    """A fresh empty database beside the suite's (a new PostgreSQL database or SQLite file).

    On PostgreSQL it is named after the run's database, so it is dropped with it."""
    if not is_postgres(base_url):
        path = tmp_root / f"{name}.db"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    url = sa.make_url(base_url)
    database = f"{url.database}_{name}"
    _admin(
        base_url,
        f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)',
        f'CREATE DATABASE "{database}"',
    )
    return url.set(database=database).render_as_string(hide_password=False)


def migrate_to_head(app: Flask) -> None:
    """Run every migration on the app's empty database."""
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
        _db.engine.dispose()


def _admin(url: str, *statements: str) -> None:
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for statement in statements:
                connection.exec_driver_sql(statement)
    finally:
        engine.dispose()
