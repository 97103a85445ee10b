"""Writing the audit trail. The web layer sets the request context; services record events."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, update
from sqlalchemy.dialects import postgresql, sqlite

from registry import audit_chain  # noqa: F401  (chains every audit row as it is flushed)
from registry.clock import utc_now
from registry.extensions import db
from registry.models import AuditEvent, User
from registry.models.audit import RefusalCount

# Anonymous refusals are counted per source address in windows of this length (issue 9, item 8).
REFUSAL_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class RequestContext:
    """Where the current action came from: the client IP (after ProxyFix) and a request id."""

    ip: str | None = None
    request_id: str | None = None


# Set by the web layer at the start of each request, so services need not touch the request.
current_request: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "current_request", default=None
)
# Views of sensitive pages waiting to be written once the page is built (record_view).
pending_views: contextvars.ContextVar[list[dict[str, Any]] | None] = contextvars.ContextVar(
    "pending_views", default=None
)


def record_audit(
    actor: User | None,
    action: str,
    obj: Any = None,
    *,
    at: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    outcome: str = "success",
    security_only: bool = False,
    object_type: str | None = None,
    object_id: int | None = None,
) -> AuditEvent:
    """Add one audit row to the session (the caller commits)."""
    context = current_request.get() or RequestContext()
    event = AuditEvent(
        occurred_at=at,
        actor_id=actor.id if actor is not None else None,
        actor_role=str(actor.role) if actor is not None else None,
        actor_organisation_id=actor.organisation_id if actor is not None else None,
        action=action,
        object_type=object_type or (obj.__tablename__ if obj is not None else None),
        object_id=object_id if object_id is not None else getattr(obj, "id", None),
        before=before,
        after=after,
        outcome=outcome,
        ip=context.ip,
        request_id=context.request_id,
        security_only=security_only,
    )
    db.session.add(event)
    return event


def record_security_event(
    actor: User | None, action: str, *, at: datetime, outcome: str = "success", **kwargs: Any
) -> AuditEvent:
    """Record a pure security event (sign-in, throttling...), which ages out under LOG-06."""
    return record_audit(actor, action, at=at, outcome=outcome, security_only=True, **kwargs)


def record_view(actor: User, action: str, obj: Any) -> None:
    """Log that someone read sensitive data (ASVS 16.3.2): who, what, when; one line per view.

    In a request the row is written after the page is built (write_pending_views), so that the
    view costs one INSERT and no extra reads: committing earlier would expire the objects the
    template still reads. Outside a request the row is added to the session (the caller commits).
    """
    context = current_request.get() or RequestContext()
    values = {
        "occurred_at": utc_now(),
        "actor_id": actor.id,
        "actor_role": str(actor.role),
        "actor_organisation_id": actor.organisation_id,
        "action": action,
        "object_type": obj.__tablename__,
        "object_id": obj.id,
        "outcome": "success",
        "ip": context.ip,
        "request_id": context.request_id,
        "security_only": False,
    }
    pending = pending_views.get()
    if pending is None:
        db.session.add(AuditEvent(**values))
    else:
        pending.append(values)


def write_pending_views() -> None:
    """Write the views recorded during this request, in one commit (the web layer calls this)."""
    pending = pending_views.get()
    if pending:
        db.session.add_all(AuditEvent(**values) for values in pending)
        db.session.commit()
        pending.clear()


def record_counted_refusal(action: str, *, at: datetime, path: str) -> int:
    """Count an anonymous refusal from the current source address (the caller commits).

    Anyone can send refused requests, so they must not each cost an audit row: the first refusal
    from an address in a window writes one row, and every refusal adds one to that window's
    count in refusal_count. Returns the count so far in this window.
    """
    ip = (current_request.get() or RequestContext()).ip or "unknown"
    window_start = _window_start(at)
    key = and_(
        RefusalCount.action == action,
        RefusalCount.ip == ip,
        RefusalCount.window_start == window_start,
    )
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    db.session.execute(
        dialect.insert(RefusalCount)
        .values(action=action, ip=ip, window_start=window_start, count=0, last_at=at)
        .on_conflict_do_nothing()
    )
    count = db.session.execute(
        update(RefusalCount)
        .where(key)
        .values(count=RefusalCount.count + 1, last_at=at)
        .returning(RefusalCount.count)
    ).scalar_one()
    if count == 1:
        record_security_event(
            None,
            action,
            at=at,
            outcome="refused",
            after={
                "path": path,
                "counted": True,
                "window_start": window_start.isoformat(),
                "window_minutes": int(REFUSAL_WINDOW.total_seconds() // 60),
            },
        )
    return count


def _window_start(at: datetime) -> datetime:
    epoch = datetime(2000, 1, 1, tzinfo=UTC)
    return at - (at - epoch) % REFUSAL_WINDOW
