"""The job functions. Each runs in the worker's app context and is safe to run twice.

Enqueued by dotted name (registry.jobs.tasks.<name>) from registry/jobs/queue.py, or run on a
schedule from registry/jobs/schedule.py.
"""

from __future__ import annotations

import logging

from flask import current_app

from registry.clock import utc_now
from registry.jobs.runtime import in_app_context

log = logging.getLogger("registry.jobs")


@in_app_context
def deliver_email(email_id: int) -> str:
    """Send one waiting email (claimed first, so never twice)."""
    from registry import outbox

    return outbox.deliver(email_id)


@in_app_context
def check_registration(registration_id: int) -> str:
    """Check one registration asked for from a page; tried again later if the register is down."""
    from registry.verification.service import check_pending

    recorded = check_pending(registration_id, now=utc_now())
    return "skipped" if recorded is None else str(recorded.check.outcome)


@in_app_context
def count_shortfall(commission_id: int) -> str:
    """Count, per rule, why few assessors are eligible for a case (the search page shows it)."""
    from registry.commissions.shortfall import count_in_background

    return count_in_background(commission_id)


@in_app_context
def sweep() -> dict[str, int]:
    """Every minute: enqueue waiting emails and pending register checks whose time has come.

    What was written to the database while Redis was down (or whose job died) is picked up here.
    """
    from registry import outbox
    from registry.jobs.queue import enqueue
    from registry.verification.service import pending_checks_due

    now = utc_now()
    emails = outbox.due_for_sweep(now=now)
    checks = pending_checks_due(now=now)
    for email_id in emails:
        enqueue("registry.jobs.tasks.deliver_email", email_id, description="deliver email")
    for registration_id in checks:
        enqueue(
            "registry.jobs.tasks.check_registration",
            registration_id,
            description="check a registration on its public register",
        )
    return {"emails": len(emails), "checks": len(checks)}


@in_app_context
def verify_due() -> dict[str, int]:
    """Hourly: re-check every registration that is due (claimed in batches: resumable)."""
    from registry.verification.runner import verify_due as run

    summary = run(now=utc_now())
    log.info(
        "jobs.verify_due",
        extra={"checked": summary.total, "unreadable": summary.unreadable_registers},
    )
    return {"checked": summary.total, "lapsed": summary.lapsed}


@in_app_context
def canary() -> dict[str, str]:
    """Daily: one known-good number per register, recorded for the attention page."""
    from registry.registers import AUTOMATED_BODIES
    from registry.verification.service import adapter_for, record_canary

    numbers: dict[str, str] = current_app.config["REGISTER_CANARY_NUMBERS"]
    outcomes = {}
    for body in AUTOMATED_BODIES:
        number = numbers.get(body)
        if not number:
            outcomes[body] = "not configured"
            continue
        result = adapter_for(body).lookup(number, now=utc_now())
        record_canary(body, result)
        outcomes[body] = str(result.outcome)
    return outcomes


@in_app_context
def monitor_commissions() -> int:
    """Daily: flag open commissions whose assessor is no longer eligible."""
    from registry.commissions.after_approval import monitor_open_commissions

    return monitor_open_commissions(now=utc_now())


@in_app_context
def send_reminders() -> int:
    """Daily: reminders before dated items fall due (never the same one twice)."""
    from registry.vetting.reminders import send_due_reminders

    return send_due_reminders(now=utc_now())


@in_app_context
def audit_purge() -> int:
    """Daily: delete security events older than the retention period (as the owner role)."""
    from registry.audit_retention import purge_security_events
    from registry.dbroles import owner_session

    with owner_session() as session:
        return purge_security_events(
            now=utc_now(),
            retention_days=current_app.config["SECURITY_EVENT_RETENTION_DAYS"],
            session=session,
        )


@in_app_context
def audit_verify() -> bool:
    """Daily: walk the audit trail's hash chain and record the result."""
    from registry.audit_chain import record_verification, verify_chain
    from registry.extensions import db

    report = verify_chain(db.session)
    record_verification(report, now=utc_now())
    if not report.ok:
        log.error("audit.chain_broken")
    return report.ok
