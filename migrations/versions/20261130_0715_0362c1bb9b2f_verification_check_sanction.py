"""Verification checks say whether a blocked or restricted result is a sanction or a lapse.

Written by hand (issue 8, point 3): verification_check gains a nullable boolean `sanction`.
Checks recorded before it stay NULL; the service then treats a blocked or restricted one as a
sanction (fail closed). Adding a nullable column rewrites no row, so the append-only triggers on
the table do not fire. The downgrade drops the column in place (ALTER TABLE ... DROP COLUMN,
SQLite 3.35 or later) rather than copying the table, so the triggers survive it on SQLite too.

Revision ID: 0362c1bb9b2f
Revises: c2921fd4ffcc
Create Date: 2026-11-30 07:15:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0362c1bb9b2f"
down_revision = "c2921fd4ffcc"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("verification_check", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("sanction", sa.Boolean(), nullable=True))


def downgrade():
    with op.batch_alter_table("verification_check", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("sanction")
