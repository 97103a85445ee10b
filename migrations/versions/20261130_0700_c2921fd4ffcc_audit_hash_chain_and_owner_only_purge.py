"""The audit trail's hash chain, counted refusals, and a purge only the owner role can run.

Written by hand (issue 9, item 2):

- audit_event gains chain_seq, prev_hash and row_hash, and the chains' heads live in
  audit_chain_head; existing rows are chained here, in id order, with the same hash as
  registry/audit_chain.py (copied, as migrations import no app code).
- refusal_count holds the running count of anonymous refusals per address and window.
- PostgreSQL: the append-only trigger no longer lets any session delete by setting
  app.audit_purge. A DELETE passes only for the table's owner role (or a superuser), in a
  transaction that set app.audit_purge: the application's role, which has no DELETE privilege
  either (flask db grant-app-role), can never. TRUNCATE of the three evidence tables is refused
  by a statement trigger, whoever runs it.

Revision ID: c2921fd4ffcc
Revises: 8c1f0e6a2b37
Create Date: 2026-11-30 07:00:00

"""

import hashlib
import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c2921fd4ffcc"
down_revision = "8c1f0e6a2b37"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
EVIDENCE_TABLES = ("audit_event", "panel_decision", "verification_check")

OWNER_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE'
     AND current_setting('app.audit_purge', true) = 'on'
     AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE')
  THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_event is append-only';
END;
$$ LANGUAGE plpgsql
"""
PREVIOUS_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('app.audit_purge', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_event is append-only';
END;
$$ LANGUAGE plpgsql
"""
NO_TRUNCATE_FUNCTION = """
CREATE OR REPLACE FUNCTION evidence_no_truncate() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql
"""
POSTGRES_TRIGGER = (
    "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()"
)
SQLITE_NO_UPDATE = (
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
)
SQLITE_NO_DELETE = (
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
)

HASHED_FIELDS = (
    "occurred_at",
    "actor_id",
    "actor_role",
    "actor_organisation_id",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "outcome",
    "ip",
    "request_id",
    "security_only",
)

audit_event = sa.table(
    "audit_event",
    sa.column("id", sa.Integer()),
    sa.column("occurred_at", sa.DateTime(timezone=True)),
    sa.column("actor_id", sa.Integer()),
    sa.column("actor_role", sa.String()),
    sa.column("actor_organisation_id", sa.Integer()),
    sa.column("action", sa.String()),
    sa.column("object_type", sa.String()),
    sa.column("object_id", sa.Integer()),
    sa.column("before", sa.JSON()),
    sa.column("after", sa.JSON()),
    sa.column("outcome", sa.String()),
    sa.column("ip", sa.String()),
    sa.column("request_id", sa.String()),
    sa.column("security_only", sa.Boolean()),
    sa.column("chain_seq", sa.Integer()),
    sa.column("prev_hash", sa.String()),
    sa.column("row_hash", sa.String()),
)
chain_head = sa.table(
    "audit_chain_head",
    sa.column("chain", sa.String()),
    sa.column("last_seq", sa.Integer()),
    sa.column("last_hash", sa.String()),
    sa.column("base_seq", sa.Integer()),
    sa.column("base_hash", sa.String()),
)


def _canonical(value):
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()
    if isinstance(value, dict | list):
        return json.loads(json.dumps(value, default=str))
    return value


def _row_hash(row, chain, seq, prev_hash):
    content = {name: _canonical(row[name]) for name in HASHED_FIELDS}
    content["security_only"] = bool(content["security_only"])
    content.update(chain=chain, chain_seq=seq, prev_hash=prev_hash)
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _chain_existing_rows(connection):
    heads = {"evidence": (0, GENESIS), "security": (0, GENESIS)}
    rows = connection.execute(sa.select(audit_event).order_by(audit_event.c.id)).mappings()
    for row in list(rows):
        chain = "security" if row["security_only"] else "evidence"
        seq, prev = heads[chain]
        seq += 1
        digest = _row_hash(row, chain, seq, prev)
        connection.execute(
            audit_event.update()
            .where(audit_event.c.id == row["id"])
            .values(chain_seq=seq, prev_hash=prev, row_hash=digest)
        )
        heads[chain] = (seq, digest)
    connection.execute(
        chain_head.insert(),
        [
            dict(chain=c, last_seq=s, last_hash=h, base_seq=1, base_hash=GENESIS)
            for c, (s, h) in heads.items()
        ],
    )


def upgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chain_seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("row_hash", sa.String(length=64), nullable=True))
    op.create_index(
        "ix_audit_event_chain", "audit_event", ["security_only", "chain_seq"], unique=True
    )
    op.create_table(
        "audit_chain_head",
        sa.Column("chain", sa.String(length=16), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("base_seq", sa.Integer(), nullable=False),
        sa.Column("base_hash", sa.String(length=64), nullable=False),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("chain", name=op.f("pk_audit_chain_head")),
    )
    op.create_table(
        "refusal_count",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=80), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refusal_count")),
        sa.UniqueConstraint("action", "ip", "window_start", name=op.f("uq_refusal_count_action")),
    )
    # Chain the rows already there: lift the no-update rule for this transaction only.
    if postgres:
        op.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
    _chain_existing_rows(op.get_bind())
    if postgres:
        op.execute(OWNER_ONLY_FUNCTION)
        op.execute(POSTGRES_TRIGGER)
        op.execute(NO_TRUNCATE_FUNCTION)
        for table in EVIDENCE_TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION evidence_no_truncate()"
            )
    else:
        op.execute(SQLITE_NO_UPDATE)


def downgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        for table in EVIDENCE_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute("DROP FUNCTION IF EXISTS evidence_no_truncate()")
        op.execute(PREVIOUS_FUNCTION)
    op.drop_table("refusal_count")
    op.drop_table("audit_chain_head")
    op.drop_index("ix_audit_event_chain", table_name="audit_event")
    if not postgres:
        # Batch mode rebuilds the table to drop columns, and the rebuild loses its triggers.
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_column("row_hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("chain_seq")
    if not postgres:
        op.execute(SQLITE_NO_UPDATE)
        op.execute(SQLITE_NO_DELETE)
