"""A qualification's kind (a code of the policy's list) and the explicit "no conflict" answer.

Reviewed by hand: two nullable columns. Existing qualifications have no kind, so they count for
nothing under "Qualified" until the assessor says which kind they are and a register manager
accepts the change; existing declarations keep their meaning (no conflict if none was named).

Revision ID: 8c1f0e6a2b37
Revises: 5b7e2c1d9a40
Create Date: 2026-11-30 06:40:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "8c1f0e6a2b37"
down_revision = "5b7e2c1d9a40"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("qualification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=60), nullable=True))
    with op.batch_alter_table("conflict_declaration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("no_conflict_declared", sa.Boolean(), nullable=True))


def downgrade():
    with op.batch_alter_table("conflict_declaration", schema=None) as batch_op:
        batch_op.drop_column("no_conflict_declared")
    with op.batch_alter_table("qualification", schema=None) as batch_op:
        batch_op.drop_column("kind")
