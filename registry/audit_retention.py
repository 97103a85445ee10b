"""Retention of the audit trail (LOG-06): security events age out; evidence never does here."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, text

from registry.extensions import db
from registry.models import AuditEvent
from registry.models.audit import SQLITE_NO_DELETE

MIN_DAYS, MAX_DAYS = 183, 731


def purge_security_events(*, now: datetime, retention_days: int) -> int:
    """Delete pure security events older than the retention period; returns how many."""
    if not MIN_DAYS <= retention_days <= MAX_DAYS:
        raise ValueError("Security events must be kept between 6 months and 2 years")
    cutoff = now - timedelta(days=retention_days)
    if db.engine.dialect.name == "postgresql":
        # The append-only trigger allows deletes only inside this flagged transaction.
        db.session.execute(text("SET LOCAL app.audit_purge = 'on'"))
    else:
        db.session.execute(text("DROP TRIGGER audit_event_no_delete"))
    result = db.session.execute(
        delete(AuditEvent)
        .where(AuditEvent.security_only.is_(True))
        .where(AuditEvent.occurred_at < cutoff)
    )
    if db.engine.dialect.name != "postgresql":
        db.session.execute(text(SQLITE_NO_DELETE))
    db.session.commit()
    return result.rowcount
