"""Email notifications. Sent after the commit that caused them, never before.

Backends: "smtp" (production and the tests, which run a real local SMTP server) and "outbox"
(development: each message is written as an .eml file a developer can open).
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app, render_template

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Email:
    """A plain-text email to one person."""

    to: str
    subject: str
    body: str


def render_email(template: str, to: str, subject: str, **context: object) -> Email:
    """Build an email from a plain-text template in templates/email/."""
    return Email(to=to, subject=subject, body=render_template(f"email/{template}", **context))


def send(email: Email) -> None:
    """Deliver one email with the configured backend; failures are logged, never raised.

    An outage of the mail server must not undo the change that caused the message.
    """
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = email.to
    message["Subject"] = email.subject
    message["Message-ID"] = make_msgid(domain="register.invalid")
    message.set_content(email.body)
    try:
        if config["MAIL_BACKEND"] == "outbox":
            _write_to_outbox(message, Path(config["MAIL_OUTBOX_DIR"]))
        else:
            _send_smtp(message)
    except (OSError, smtplib.SMTPException):
        log.exception("email.send_failed", extra={"subject": email.subject})


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
