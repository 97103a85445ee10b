"""The audit trail read in the application: an index on the actor's organisation and time, for an
authority's trail (its people's events, newest first) and the register's.

Written by hand: one new index; nothing else changes. In batch mode for SQLite, where creating an
index does not rebuild the table (so the append-only triggers stay).

Revision ID: c8e2f4a6b1d3
Revises: a7c3e5b9d1f0
Create Date: 2026-11-30 09:30:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "c8e2f4a6b1d3"
down_revision = "a7c3e5b9d1f0"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_event_actor_organisation",
            ["actor_organisation_id", "occurred_at"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_actor_organisation")
