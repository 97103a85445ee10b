"""A registration corrected or withdrawn by the assessor: the entry that replaces it, and when it
was withdrawn. The old row and its checks stay as evidence.

Reviewed by hand: two nullable columns on registration (batch mode, for SQLite); nothing
existing changes.

Revision ID: f3b9c1d7e2a8
Revises: e1f2a3b4c5d6
Create Date: 2026-11-30 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f3b9c1d7e2a8"
down_revision = "e1f2a3b4c5d6"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("replaced_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_registration_replaced_by_id_registration"),
            "registration",
            ["replaced_by_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_registration_replaced_by_id_registration"), type_="foreignkey"
        )
        batch_op.drop_column("withdrawn_at")
        batch_op.drop_column("replaced_by_id")
