"""Retention of the audit trail (LOG-06): security events age out; evidence never does here.

The purge runs as the database owner role (DATABASE_OWNER_URL): the application's role cannot
delete audit rows at all (LOG-05). It deletes the oldest part of the security chain and records
in the chain's head where the chain now starts, so that `flask audit verify` still succeeds.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import delete, func, select, text
from sqlalchemy.engine import CursorResult

from registry.audit_chain import AnySession, lock_head
from registry.models import AuditEvent
from registry.models.audit import SQLITE_NO_DELETE, RefusalCount

MIN_DAYS, MAX_DAYS = 183, 731


def purge_security_events(
    *, now: datetime, retention_days: int, session: AnySession | None = None
) -> int:
    """Delete pure security events older than the retention period; returns how many.

    Only the chain's oldest end is cut: the purge deletes every security event before the first
    one still inside the period. An older event recorded after a newer one (a slow request) is
    kept until the next purge, so no event goes before its time and the chain stays whole.
    """
    if not MIN_DAYS <= retention_days <= MAX_DAYS:
        raise ValueError("Security events must be kept between 6 months and 2 years")
    if session is None:
        from registry.extensions import db

        session = db.session
    cutoff = now - timedelta(days=retention_days)
    head = lock_head(session, "security")
    security = AuditEvent.security_only.is_(True)
    first_kept = session.scalar(
        select(func.min(AuditEvent.chain_seq)).where(security, AuditEvent.occurred_at >= cutoff)
    )
    end = first_kept if first_kept is not None else head.last_seq + 1
    last_gone = session.execute(
        select(AuditEvent.chain_seq, AuditEvent.row_hash)
        .where(security, AuditEvent.chain_seq < end)
        .order_by(AuditEvent.chain_seq.desc())
        .limit(1)
    ).first()
    deleted = 0
    if last_gone is not None:
        deleted = _delete(session, delete(AuditEvent).where(security, AuditEvent.chain_seq < end))
        gone_seq, gone_hash = last_gone
        # Every chained row has both.
        assert gone_seq is not None
        assert gone_hash is not None
        head.base_seq, head.base_hash, head.purged_at = gone_seq + 1, gone_hash, now
    session.execute(delete(RefusalCount).where(RefusalCount.window_start < cutoff))
    session.commit()
    return deleted


def _delete(session: AnySession, statement: Any) -> int:
    """Run a delete of audit rows, as the append-only triggers allow it for the owner."""
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        # The trigger lets the tables' owner delete, and only in a transaction that says so.
        session.execute(text("SET LOCAL app.audit_purge = 'on'"))
    else:
        session.execute(text("DROP TRIGGER audit_event_no_delete"))
    result = cast(CursorResult[Any], session.execute(statement))
    if postgres:
        session.execute(text("SET LOCAL app.audit_purge = 'off'"))
    else:
        session.execute(text(SQLITE_NO_DELETE))
    return result.rowcount
