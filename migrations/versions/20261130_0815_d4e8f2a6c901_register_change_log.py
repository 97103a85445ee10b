"""The register's change log: a token per change the eligible search reads (decision 0012).

Written by hand: one new table, append-only, and its first row.

Revision ID: d4e8f2a6c901
Revises: b7c1e2d3f405
Create Date: 2026-11-30 08:15:00

"""

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d4e8f2a6c901"
down_revision = "b7c1e2d3f405"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "register_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_change")),
    )
    op.bulk_insert(table, [{"token": uuid.uuid4().hex, "changed_at": datetime.now(UTC)}])


def downgrade():
    op.drop_table("register_change")
