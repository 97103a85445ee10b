"""Assessor documents: metadata of evidence files stored outside the web root (FILE-03).

Reviewed by hand: adds the document table (one row per uploaded file, found on disk by its
random stored_name, with its SHA-256); the downgrade drops it. Files on disk are not touched.

Revision ID: 3227c69c92b5
Revises: 47d698d9cd25
Create Date: 2026-11-28 00:52:27.509074

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3227c69c92b5"
down_revision = "47d698d9cd25"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessor_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "qualification",
                "registration",
                "tool_training",
                "dbs",
                "insurance",
                "cpd",
                "supervision",
                "cv",
                "other",
                name="documentkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("original_name", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("stored_name", sa.String(length=64), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessor_id"], ["assessor.id"], name=op.f("fk_document_assessor_id_assessor")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["user_account.id"],
            name=op.f("fk_document_uploaded_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_document_stored_name")),
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_assessor_id"), ["assessor_id"], unique=False)


def downgrade():
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_assessor_id"))

    op.drop_table("document")
