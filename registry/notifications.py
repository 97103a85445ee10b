"""The one way the service tells people things: an in-app notification and an email.

`notify` stages both inside the caller's unit of work: the Notification rows are added to the
session, the emails are kept on it. The caller commits; the emails are sent after that commit,
never before it and never when it rolls back (a listener on the session does it, so no caller
can forget). Links are an endpoint and its arguments, resolved when shown: on the notifications
page by the web layer, in an email by the link builder the web layer installs at start-up.

Each email is kept as an OutgoingEmail row in the same unit of work (registry/outbox.py) and
delivered by a job after the commit, retried until it goes; so an SMTP outage delays an email but
never loses it. Email backends: "smtp" (production and the tests, which run a real local SMTP
server) and "outbox" (development: each message is written as an .eml file a developer can open).
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import Flask, current_app, render_template
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from registry import outbox
from registry.extensions import db
from registry.models import AccountStatus, Notification, Role, User

log = logging.getLogger(__name__)

# Where a session keeps the emails of its unit of work until it commits.
PENDING = "pending_emails"
# app.extensions key of the function that turns a Link into an absolute URL for emails.
LINK_BUILDER = "notification_link_builder"


@dataclass(frozen=True)
class Link:
    """Where a notification sends its reader: an endpoint and its arguments."""

    endpoint: str
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Email:
    """A plain-text email to one person."""

    to: str
    subject: str
    body: str


def init_notifications(app: Flask, link_builder: Callable[[Link], str]) -> None:
    """Install the email link builder (from the web layer) and the after-commit delivery."""
    app.extensions[LINK_BUILDER] = link_builder
    if not event.contains(Session, "after_commit", _deliver_after_commit):
        event.listen(Session, "after_commit", _deliver_after_commit)
        event.listen(Session, "after_soft_rollback", _forget_after_rollback)


def notify(
    users: Iterable[User], subject: str, body: str, *, link: Link | None, now: datetime
) -> None:
    """Tell each user: a notification in the application and an email, sent after the commit."""
    for user in users:
        db.session.add(
            Notification(
                user=user,
                created_at=now,
                subject=subject,
                body=body,
                link_endpoint=link.endpoint if link else None,
                link_values=dict(link.values) if link else None,
            )
        )
        text = body if link is None else f"{body}\n\nOpen it in the service: {link_url(link)}"
        send_after_commit(Email(to=user.email, subject=subject, body=text))


def mark_read(user: User, link: Link, *, now: datetime) -> int:
    """Mark the user's unread notifications that send them to this page as read (they acted on
    it), and say how many. Joins the caller's unit of work; the caller commits."""
    unread = db.session.scalars(
        select(Notification).where(
            Notification.user_id == user.id,
            Notification.read_at.is_(None),
            Notification.link_endpoint == link.endpoint,
        )
    )
    marked = 0
    for notification in unread:
        if dict(notification.link_values or {}) == dict(link.values):
            notification.read_at = now
            marked += 1
    return marked


def send_after_commit(email: Email) -> None:
    """Keep an email in the current unit of work; it is sent once that commits (a job delivers
    it, retrying until it goes), and never if the unit of work rolls back."""
    row = outbox.stage(email.to, email.subject, email.body)
    db.session().info.setdefault(PENDING, []).append(row)


def render_email(template: str, to: str, subject: str, **context: object) -> Email:
    """Build an email from a plain-text template in templates/email/."""
    return Email(to=to, subject=subject, body=render_template(f"email/{template}", **context))


def link_url(link: Link) -> str:
    """The absolute URL of a link, for an email."""
    builder: Callable[[Link], str] = current_app.extensions[LINK_BUILDER]
    return builder(link)


def managers(*, except_user: User | None = None) -> list[User]:
    """Every active register manager (but one, when given): the one "managers" query."""
    query = select(User).where(
        User.role == Role.REGISTER_MANAGER, User.status == AccountStatus.ACTIVE
    )
    if except_user is not None:
        query = query.where(User.id != except_user.id)
    return list(db.session.scalars(query.order_by(User.id)))


def panel_members(organisation_id: int | None) -> list[User]:
    """Every active panel member of an authority."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.role == Role.PANEL_MEMBER,
                User.organisation_id == organisation_id,
                User.status == AccountStatus.ACTIVE,
            )
            .order_by(User.id)
        )
    )


def send(email: Email) -> None:
    """Deliver one email now, outside any unit of work; failures are logged, never raised.

    Only for what cannot wait for a commit; everything else uses send_after_commit.
    """
    try:
        outbox.transmit(email.to, email.subject, email.body)
    except (OSError, smtplib.SMTPException):
        log.exception("email.send_failed")


def _deliver_after_commit(session: Session) -> None:
    rows = session.info.pop(PENDING, [])
    # The ids from the identity keys: no SQL may run while the commit finishes.
    ids = [key[0] for key in (inspect(row).identity for row in rows) if key]
    outbox.hand_on(session, ids)


def _forget_after_rollback(session: Session, previous_transaction: Any) -> None:
    # Only the whole unit of work rolling back drops its emails, not a savepoint inside it.
    if previous_transaction.parent is None:
        session.info.pop(PENDING, None)
