"""Register managers' page of failed background jobs and emails, with "try again"."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from registry import outbox
from registry.audit import record_audit
from registry.auth.access import role_required
from registry.auth.forms import ConfirmForm
from registry.clock import utc_now
from registry.extensions import db
from registry.jobs import queue
from registry.models import Role

bp = Blueprint("jobs", __name__, url_prefix="/background-jobs")


@bp.get("/failed")
@role_required(Role.REGISTER_MANAGER)
def failed() -> ResponseReturnValue:
    """What failed: job names, when and the kind of error; emails by number, never by address."""
    try:
        jobs = queue.failed_jobs()
        queue_down = False
    except Exception:  # Redis unreachable: say so, still show the emails
        jobs, queue_down = [], True
    return render_template(
        "jobs/failed.html",
        jobs=jobs,
        queue_down=queue_down,
        emails=outbox.failed_emails(),
        form=ConfirmForm(),
    )


@bp.post("/failed/retry")
@role_required(Role.REGISTER_MANAGER)
def retry() -> ResponseReturnValue:
    """Try one failed job or email again, or all of them."""
    if ConfirmForm().validate_on_submit():
        now = utc_now()
        job_id = request.form.get("job_id") or None
        email_id = request.form.get("email_id", type=int)
        everything = request.form.get("all") == "1"
        jobs = (
            queue.retry_failed(job_id if not everything else None) if (job_id or everything) else 0
        )
        emails: list[int] = []
        if email_id or everything:
            emails = outbox.retry_failed(None if everything else email_id, now=now)
        record_audit(
            current_user,
            "jobs.retried",
            at=now,
            after={"jobs": jobs, "emails": len(emails)},
            security_only=True,
        )
        db.session.commit()
        outbox.hand_on(db.session(), emails)
        flash(f"Trying again: {jobs} job(s) and {len(emails)} email(s).", "success")
    return redirect(url_for("jobs.failed"))
