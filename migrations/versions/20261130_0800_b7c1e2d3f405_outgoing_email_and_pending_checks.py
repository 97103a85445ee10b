"""Emails kept until sent (outgoing_email), and a registration's pending register check.

Written by hand: one new table, four nullable or defaulted columns on registration.

Revision ID: b7c1e2d3f405
Revises: a5d3e9f1c284
Create Date: 2026-11-30 08:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b7c1e2d3f405"
down_revision = "a5d3e9f1c284"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "outgoing_email",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body_encrypted", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outgoing_email")),
    )
    op.create_index(
        "ix_outgoing_email_waiting",
        "outgoing_email",
        ["sent_at", "failed_at", "next_attempt_at"],
        unique=False,
    )
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("check_pending_since", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("check_retry_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("check_attempts", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("check_requested_by_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_registration_check_retry_at"), ["check_retry_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registration_check_retry_at"))
        batch_op.drop_column("check_requested_by_id")
        batch_op.drop_column("check_attempts")
        batch_op.drop_column("check_retry_at")
        batch_op.drop_column("check_pending_since")
    op.drop_index("ix_outgoing_email_waiting", table_name="outgoing_email")
    op.drop_table("outgoing_email")
