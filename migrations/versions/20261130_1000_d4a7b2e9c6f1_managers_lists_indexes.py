"""The register managers' lists (issue 14): an index on the item reviews' status, for the vetting
queue (the pending reviews only, not every review of the register), and on the accounts' names,
for the Users page a page at a time in name order.

Written by hand: two new indexes; nothing else changes. In batch mode for SQLite, where creating
an index does not rebuild the table.

Revision ID: d4a7b2e9c6f1
Revises: c8e2f4a6b1d3
Create Date: 2026-11-30 10:00:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "d4a7b2e9c6f1"
down_revision = "c8e2f4a6b1d3"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("item_review", schema=None) as batch_op:
        batch_op.create_index("ix_item_review_status", ["status", "assessor_id"], unique=False)
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.create_index("ix_user_account_full_name", ["full_name", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_index("ix_user_account_full_name")
    with op.batch_alter_table("item_review", schema=None) as batch_op:
        batch_op.drop_index("ix_item_review_status")
