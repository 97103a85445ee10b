"""Each run on PostgreSQL has a database of its own, dropped after (docs/decisions/0004)."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from support import (
    base_database_url,
    database_exists,
    drop_abandoned_run_databases,
    is_postgres,
    run_database,
    run_database_name,
    scratch_database,
)
from support.databases import _admin


def test_two_runs_get_different_database_names() -> None:
    first, second = run_database_name("test"), run_database_name("test")
    assert first != second
    assert first.startswith(f"test_run_{os.getpid()}_")


@pytest.mark.postgres
def test_this_run_uses_a_database_of_its_own(database_url: str, tmp_root) -> None:
    shared = sa.make_url(base_database_url(tmp_root)).database
    own = sa.make_url(database_url).database
    assert own != shared
    assert own.startswith(f"{shared}_run_{os.getpid()}_")


@pytest.mark.postgres
def test_a_run_database_and_its_scratch_databases_are_gone_after(tmp_root) -> None:
    base = base_database_url(tmp_root)
    with run_database(base) as url, run_database(base) as other:
        name = sa.make_url(url).database
        assert name != sa.make_url(other).database
        scratch = sa.make_url(scratch_database(url, "scratch", tmp_root)).database
        assert database_exists(base, name)
        assert database_exists(base, scratch)
    assert not database_exists(base, name)
    assert not database_exists(base, scratch)


@pytest.mark.postgres
def test_a_run_database_is_dropped_when_the_run_fails(tmp_root) -> None:
    base = base_database_url(tmp_root)
    names: list[str] = []

    def failing_session() -> None:
        with run_database(base) as url:
            names.append(sa.make_url(url).database)
            raise RuntimeError("a failing session")

    with pytest.raises(RuntimeError, match="a failing session"):
        failing_session()
    assert not database_exists(base, names[0])


def test_sqlite_runs_keep_their_file_in_the_run_folder(database_url: str, tmp_root) -> None:
    if is_postgres(database_url):
        pytest.skip("SQLite only")
    assert database_url == f"sqlite:///{tmp_root / 'suite.db'}"


@pytest.mark.postgres
def test_a_run_killed_before_its_teardown_leaves_a_database_the_next_run_drops(tmp_root) -> None:
    base = base_database_url(tmp_root)
    prefix = sa.make_url(base).database
    abandoned = f"{prefix}_run_999999999_0000dead"  # no process has this id
    _admin(base, f'CREATE DATABASE "{abandoned}"')
    drop_abandoned_run_databases(base)
    assert not database_exists(base, abandoned)
