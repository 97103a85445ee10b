"""The migrations build exactly the models' schema, and step down and up again cleanly."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from registry import create_app
from registry.extensions import db
from support import config_for, scratch_database


def _differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


@pytest.mark.slow
def test_upgrade_downgrade_upgrade_leaves_no_difference_from_the_models(database_url, tmp_root):
    app = create_app(config_for(scratch_database(database_url, "migrations", tmp_root)))
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert _differences() == []
        db.engine.dispose()
