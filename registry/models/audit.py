"""The append-only audit trail (LOG-01, LOG-05)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from registry.models.base import Base, UTCDateTime


class AuditEvent(Base):
    """Who did what to which object, when, from where; never updated or deleted by the app.

    Plain values rather than foreign keys, so that the trail outlives the rows it talks about.
    """

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_object", "object_type", "object_id"),)

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


# The first migration makes this table append-only in the database (LOG-05): triggers refuse
# UPDATE and DELETE. The purge command (LOG-06) is the only deleter: on PostgreSQL it sets
# app.audit_purge for its transaction; on SQLite it drops and recreates this trigger within it.
SQLITE_NO_DELETE = (
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
)
