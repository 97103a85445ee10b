"""Notifications keep their link as an endpoint and its arguments, resolved when shown.

Reviewed by hand: two nullable columns; `link` stays for the paths of older notifications.

Revision ID: a5d3e9f1c284
Revises: 7e4a9d2c5b13
Create Date: 2026-11-30 07:45:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a5d3e9f1c284"
down_revision = "7e4a9d2c5b13"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("link_endpoint", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("link_values", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_column("link_values")
        batch_op.drop_column("link_endpoint")
