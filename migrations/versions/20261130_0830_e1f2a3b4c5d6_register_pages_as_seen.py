"""Register pages as they were seen: compressed, addressed by SHA-256, kept 90 days or while a
decision relies on them.

Reviewed by hand: one new table; nothing existing changes.

Revision ID: e1f2a3b4c5d6
Revises: d4e8f2a6c901
Create Date: 2026-11-30 08:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e1f2a3b4c5d6"
down_revision = "d4e8f2a6c901"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "register_page",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content_gz", sa.LargeBinary(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("held", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_register_page")),
    )


def downgrade():
    op.drop_table("register_page")
