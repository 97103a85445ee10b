"""Role grants: who proposed and who confirmed each privileged role, and when (AC-09).

Written by hand: adds the role_grant table. Every existing register manager, panel member and
auditor gets one confirmed row (via "existing", confirmed when the account was created, proposer
unknown), so the settling period counts from their account's creation. The downgrade drops the
table.

Revision ID: 5b7e2c1d9a40
Revises: e85c46bd4551
Create Date: 2026-11-30 06:10:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5b7e2c1d9a40"
down_revision = "e85c46bd4551"
branch_labels = None
depends_on = None

ROLES = ("assessor", "officer", "panel_member", "register_manager", "auditor")


def _role(name: str) -> sa.Enum:
    return sa.Enum(*ROLES, name=name, native_enum=False, length=32)


def upgrade():
    op.create_table(
        "role_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", _role("role"), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("previous_role", _role("role"), nullable=True),
        sa.Column("previous_organisation_id", sa.Integer(), nullable=True),
        sa.Column("via", sa.String(length=20), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_by_id", sa.Integer(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_role_grant_user_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_role_grant_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"],
            ["user_account.id"],
            name=op.f("fk_role_grant_proposed_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"],
            ["user_account.id"],
            name=op.f("fk_role_grant_confirmed_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["cancelled_by_id"],
            ["user_account.id"],
            name=op.f("fk_role_grant_cancelled_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_grant")),
    )
    with op.batch_alter_table("role_grant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_role_grant_user_id"), ["user_id"], unique=False)
    op.execute(
        "INSERT INTO role_grant (user_id, role, organisation_id, via, proposed_at, confirmed_at) "
        "SELECT id, role, organisation_id, 'existing', created_at, created_at FROM user_account "
        "WHERE role IN ('register_manager', 'panel_member', 'auditor')"
    )


def downgrade():
    with op.batch_alter_table("role_grant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_role_grant_user_id"))
    op.drop_table("role_grant")
