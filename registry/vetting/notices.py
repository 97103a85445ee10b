"""Messages to assessors and managers: an in-app notification in the transaction, an email after.

`stage` adds the Notification rows to the caller's unit of work and returns the emails;
the caller commits, then calls `deliver` (never before the commit).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select

from registry import notifications
from registry.extensions import db
from registry.models import AccountStatus, Notification, Role, User


def managers(*, except_user: User | None = None) -> list[User]:
    """Every active register manager (but one, when given)."""
    query = select(User).where(
        User.role == Role.REGISTER_MANAGER, User.status == AccountStatus.ACTIVE
    )
    if except_user is not None:
        query = query.where(User.id != except_user.id)
    return list(db.session.scalars(query.order_by(User.id)))


def stage(
    users: Iterable[User], subject: str, body: str, *, link: str | None, now: datetime
) -> list[notifications.Email]:
    """Add an in-app notification per user (the caller commits); return the emails to send."""
    emails = []
    for user in users:
        db.session.add(
            Notification(user=user, created_at=now, subject=subject, body=body, link=link)
        )
        emails.append(notifications.Email(to=user.email, subject=subject, body=body))
    return emails


def deliver(emails: Iterable[notifications.Email]) -> None:
    """Send the emails of a committed unit of work."""
    for email in emails:
        notifications.send(email)
