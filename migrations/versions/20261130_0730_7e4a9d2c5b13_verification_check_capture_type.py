"""Manual-check captures keep the content type detected from their bytes.

Written by hand (issue 9, item 10): verification_check gains a nullable `capture_content_type`,
set from the upload's leading bytes (PDF, PNG or JPEG) and used to serve the capture, instead
of a type guessed from the uploaded name. Captures kept before it stay NULL and are sniffed
again when served. Adding a nullable column rewrites no row, so the append-only triggers on the
table do not fire; the downgrade drops the column in place (recreate="never"), so the triggers
survive it on SQLite too.

Revision ID: 7e4a9d2c5b13
Revises: 0362c1bb9b2f
Create Date: 2026-11-30 07:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7e4a9d2c5b13"
down_revision = "0362c1bb9b2f"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("verification_check", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("capture_content_type", sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table("verification_check", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("capture_content_type")
