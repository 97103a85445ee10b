"""The append-only audit trail (LOG-01, LOG-05)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from registry.models.base import Base, UTCDateTime


class AuditEvent(Base):
    """Who did what to which object, when, from where; never updated or deleted by the app.

    Plain values rather than foreign keys, so that the trail outlives the rows it talks about.
    """

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_object", "object_type", "object_id"),
        Index("ix_audit_event_chain", "security_only", "chain_seq", unique=True),
        # An organisation's trail, newest first (registry/audit_trail/queries.py).
        Index("ix_audit_event_actor_organisation", "actor_organisation_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor_id: Mapped[int | None] = mapped_column(index=True)
    actor_role: Mapped[str | None] = mapped_column(String(32))
    actor_organisation_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(80), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None]
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    outcome: Mapped[str] = mapped_column(String(20), default="success")
    ip: Mapped[str | None] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(64))
    # Security events age out (LOG-06); rows tied to a commission or evidence are kept.
    security_only: Mapped[bool] = mapped_column(default=False)
    # The hash chain (LOG-05), filled when the row is flushed (registry/audit_chain.py): two
    # chains, security events and evidence, so that the purge removes only a chain's oldest rows.
    chain_seq: Mapped[int | None]
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    row_hash: Mapped[str | None] = mapped_column(String(64))


class AuditChainHead(Base):
    """One row per chain: where it starts (after a purge) and its newest link.

    Inserting an audit row locks its chain's head (SELECT ... FOR UPDATE), so concurrent inserts
    are chained one after the other. The application's database role may update only last_seq
    and last_hash; the purge, as the owner, moves base_seq and base_hash (LOG-06).
    """

    __tablename__ = "audit_chain_head"

    chain: Mapped[str] = mapped_column(String(16), primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
    base_seq: Mapped[int] = mapped_column(default=1)
    base_hash: Mapped[str] = mapped_column(String(64))
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RefusalCount(Base):
    """Anonymous refusals (CSRF) counted per source address and window, not one row each.

    The audit trail gets one row per address and window; the running count lives here, since
    audit rows are never updated. The purge deletes windows older than the retention period.
    """

    __tablename__ = "refusal_count"
    __table_args__ = (UniqueConstraint("action", "ip", "window_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(80))
    ip: Mapped[str] = mapped_column(String(64))
    window_start: Mapped[datetime] = mapped_column(UTCDateTime())
    count: Mapped[int] = mapped_column(default=0)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime())


# The migrations make this table append-only in the database (LOG-05): triggers refuse UPDATE,
# DELETE and TRUNCATE. The purge command (LOG-06) is the only deleter: on PostgreSQL it runs as
# the tables' owner role (DATABASE_OWNER_URL), which alone may delete, and only in a transaction
# that set app.audit_purge; on SQLite (one role) it drops and recreates this trigger within it.
SQLITE_NO_DELETE = (
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
)
