"""A register manager's review of a restricted registration's conditions: what they mean for
this work and when they were read. Only ever added to, like the checks it reads.

Written by hand: one new table; nothing existing changes.

Revision ID: a7c3e5b9d1f0
Revises: f3b9c1d7e2a8
Create Date: 2026-11-30 09:15:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a7c3e5b9d1f0"
down_revision = "f3b9c1d7e2a8"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "restriction_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("check_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_restriction_review_registration_id_registration"),
        ),
        sa.ForeignKeyConstraint(
            ["check_id"],
            ["verification_check.id"],
            name=op.f("fk_restriction_review_check_id_verification_check"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["user_account.id"],
            name=op.f("fk_restriction_review_reviewed_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_restriction_review")),
    )
    with op.batch_alter_table("restriction_review", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_restriction_review_registration_id"), ["registration_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("restriction_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_restriction_review_registration_id"))
    op.drop_table("restriction_review")
