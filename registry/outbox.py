"""Emails kept in the database until delivered: none lost, none sent twice (issue 13).

`stage` writes an OutgoingEmail row in the caller's unit of work (the body sealed with AES-GCM,
as the TOTP seeds are, because reset and invitation emails carry single-use links). After the
commit each row is handed to the job queue (`deliver_email`), or delivered at once where
JOBS_INLINE is set (development without a worker, and the tests), through the same `deliver`.

`deliver` claims the row with a conditional UPDATE (so two workers, or a job and the sweep, never
send it twice), sends it, marks it sent and wipes the body. An SMTP failure is recorded and tried
again later with backoff; after EMAIL_MAX_ATTEMPTS the row is marked failed, and register managers
see it on the "Failed background jobs" page. When Redis is down at enqueue time the row stays, and
the scheduler's sweep (every minute) enqueues every row whose next attempt has come.
"""

from __future__ import annotations

import base64
import logging
import secrets
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app
from sqlalchemy import Connection, func, select, update
from sqlalchemy.orm import Session

from registry.clock import utc_now
from registry.extensions import db
from registry.models import OutgoingEmail

log = logging.getLogger(__name__)

# A job that finds its row claimed for longer than this assumes the claimant died.
CLAIM = timedelta(minutes=2)
# The sweep leaves a new row this long to its own job before enqueueing it again.
SWEEP_GRACE = timedelta(minutes=1)
# Minutes to wait after the 1st, 2nd, ... failed attempt (then the last value again).
BACKOFF_MINUTES = (1, 2, 5, 10, 30, 60)

table = OutgoingEmail.__table__


# --------------------------------------------------------------------------- sealing


def _key() -> bytes:
    config = current_app.config
    encoded = config.get("OUTBOX_ENCRYPTION_KEY") or config["TOTP_ENCRYPTION_KEY"]
    key = base64.b64decode(encoded)
    if len(key) != 32:
        raise ValueError("OUTBOX_ENCRYPTION_KEY must be base64 of exactly 32 bytes")
    return key


def seal(body: str, *, recipient: str) -> str:
    """AES-GCM encrypt a body, bound to its recipient so a copied value fails elsewhere."""
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_key()).encrypt(nonce, body.encode(), _aad(recipient))
    return base64.b64encode(nonce + sealed).decode()


def unseal(stored: str, *, recipient: str) -> str:
    """Decrypt a sealed body; raises if the key or the recipient binding is wrong."""
    raw = base64.b64decode(stored)
    return AESGCM(_key()).decrypt(raw[:12], raw[12:], _aad(recipient)).decode()


def _aad(recipient: str) -> bytes:
    return b"outgoing-email:" + recipient.lower().encode()


# --------------------------------------------------------------------------- staging


def stage(to: str, subject: str, body: str, *, now: datetime | None = None) -> OutgoingEmail:
    """Keep an email in the caller's unit of work; it is handed on after the commit."""
    now = now or utc_now()
    row = OutgoingEmail(
        recipient=to,
        subject=subject[:300],
        body_encrypted=seal(body, recipient=to),
        created_at=now,
        attempts=0,
        next_attempt_at=now + SWEEP_GRACE,
    )
    db.session.add(row)
    return row


def hand_on(session: Session, ids: list[int]) -> None:
    """After a commit: deliver now (JOBS_INLINE) or enqueue one delivery job per email."""
    if not ids:
        return
    if current_app.config.get("JOBS_INLINE"):
        bind = session.get_bind()
        for email_id in ids:
            deliver(email_id, bind=bind)
        return
    from registry.jobs.queue import enqueue

    for email_id in ids:
        enqueue("registry.jobs.tasks.deliver_email", email_id, description="deliver email")


# --------------------------------------------------------------------------- delivery


@contextmanager
def _step(bind: object) -> Iterator[Connection]:
    """One short transaction: its own on an engine, or the caller's connection as it is."""
    if isinstance(bind, Connection):
        yield bind
        return
    with bind.begin() as connection:  # type: ignore[attr-defined]
        yield connection


def deliver(email_id: int, *, bind: object | None = None, now: datetime | None = None) -> str:
    """Send one waiting email at most once; returns "sent", "retry", "failed" or "skipped"."""
    bind = bind if bind is not None else db.engine
    now = now or utc_now()
    with _step(bind) as connection:
        claimed = connection.execute(
            update(table)
            .where(table.c.id == email_id)
            .where(table.c.sent_at.is_(None), table.c.failed_at.is_(None))
            .where((table.c.claimed_until.is_(None)) | (table.c.claimed_until < now))
            .where((table.c.attempts == 0) | (table.c.next_attempt_at <= now))
            .values(claimed_until=now + CLAIM, attempts=table.c.attempts + 1)
        ).rowcount
        row = (
            connection.execute(select(table).where(table.c.id == email_id)).one_or_none()
            if claimed == 1
            else None
        )
    if row is None:
        return "skipped"
    try:
        transmit(row.recipient, row.subject, unseal(row.body_encrypted, recipient=row.recipient))
    except (OSError, smtplib.SMTPException) as error:
        return _record_failure(bind, row, error, now=now)
    with _step(bind) as connection:
        connection.execute(
            update(table)
            .where(table.c.id == email_id)
            .values(sent_at=utc_now(), body_encrypted="", claimed_until=None, last_error=None)
        )
    log.info("email.sent", extra={"email_id": email_id, "attempt": row.attempts})
    return "sent"


def _record_failure(bind: object, row, error: Exception, *, now: datetime) -> str:
    reason = f"{type(error).__name__}: {error}"[:300]
    attempts = row.attempts
    gave_up = attempts >= current_app.config["EMAIL_MAX_ATTEMPTS"]
    wait = BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1]
    values: dict[str, object] = {"last_error": reason, "claimed_until": None}
    if gave_up:
        values["failed_at"] = now
    else:
        values["next_attempt_at"] = now + timedelta(minutes=wait)
    with _step(bind) as connection:
        connection.execute(update(table).where(table.c.id == row.id).values(**values))
    if gave_up:
        log.error("email.failed", extra={"email_id": row.id, "attempts": attempts})
        return "failed"
    log.warning(
        "email.send_failed",
        extra={"email_id": row.id, "attempt": attempts, "retry_in_minutes": wait},
    )
    return "retry"


def due_for_sweep(*, now: datetime, limit: int = 500) -> list[int]:
    """Emails not sent, not failed, not claimed, whose next attempt has come."""
    return list(
        db.session.scalars(
            select(OutgoingEmail.id)
            .where(OutgoingEmail.sent_at.is_(None), OutgoingEmail.failed_at.is_(None))
            .where(OutgoingEmail.next_attempt_at <= now)
            .where((OutgoingEmail.claimed_until.is_(None)) | (OutgoingEmail.claimed_until < now))
            .order_by(OutgoingEmail.next_attempt_at)
            .limit(limit)
        )
    )


def failed_emails() -> list[OutgoingEmail]:
    """Emails given up on, newest first."""
    return list(
        db.session.scalars(
            select(OutgoingEmail)
            .where(OutgoingEmail.failed_at.is_not(None))
            .order_by(OutgoingEmail.failed_at.desc())
        )
    )


def failed_count() -> int:
    """How many emails were given up on."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(OutgoingEmail)
            .where(OutgoingEmail.failed_at.is_not(None))
        )
        or 0
    )


def retry_failed(email_id: int | None, *, now: datetime) -> list[int]:
    """Make failed emails (one, or all) wait again; the caller commits, then hands them on."""
    query = update(OutgoingEmail).where(OutgoingEmail.failed_at.is_not(None))
    if email_id is not None:
        query = query.where(OutgoingEmail.id == email_id)
    ids = list(
        db.session.scalars(
            query.values(
                failed_at=None, attempts=0, next_attempt_at=now, claimed_until=None
            ).returning(OutgoingEmail.id)
        )
    )
    return ids


# --------------------------------------------------------------------------- transport


def transmit(to: str, subject: str, body: str) -> None:
    """Send one email now with the configured backend; raises OSError or SMTPException."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="register.invalid")
    message.set_content(body)
    if config["MAIL_BACKEND"] == "outbox":
        _write_to_outbox(message, Path(config["MAIL_OUTBOX_DIR"]))
    else:
        _send_smtp(message)


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(
        config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
    ) as smtp:
        if config["MAIL_USE_STARTTLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)


def _write_to_outbox(message: EmailMessage, outbox: Path) -> None:
    outbox.mkdir(parents=True, exist_ok=True)
    name = message["Message-ID"].strip("<>").replace("@", "_")
    (outbox / f"{name}.eml").write_bytes(bytes(message))
    log.info("email.written_to_outbox", extra={"path": str(outbox / f"{name}.eml")})
