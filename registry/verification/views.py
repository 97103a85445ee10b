"""Register managers' verification screens: attention list, evidence history, checks."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import selectinload

from registry import feature_limits, figures_cache
from registry.auth.access import role_required
from registry.charts import Series, bar_chart
from registry.clock import uk_date_of, utc_now
from registry.errors import ValidationFailed
from registry.extensions import db
from registry.models import Registration, Role, VerificationCheck
from registry.registers import AUTOMATED_BODIES, BODY_NAMES
from registry.storage import download_name, stored_type
from registry.templating import uk_date
from registry.verification import pages, queries, restrictions, service, trends
from registry.verification.forms import ManualCheckForm, RecheckForm, RestrictionReviewForm
from registry.verification.manual import record_manual_check

bp = Blueprint("verification", __name__, url_prefix="/verification")
MANAGER = Role.REGISTER_MANAGER
# Who may read a register page as it was seen: the register's managers and the authorities'
# staff who read decision records (the page is what a public register showed anyone).
PAGE_READERS = (MANAGER, Role.OFFICER, Role.PANEL_MEMBER, Role.AUDITOR)


@bp.get("")
@role_required(MANAGER)
def index() -> ResponseReturnValue:
    """Every registration that is not clear, worst first, a page at a time; the canary's state
    per register, and a chart of check outcomes per register over the last 12 weeks (with the
    same figures in a table)."""
    now = utc_now()
    registers = figures_cache.cached(
        ("verification.outcomes_by_week", uk_date_of(now)),
        lambda: trends.outcomes_by_week(now=now),
    )
    found = queries.needing_attention(now=now, page=request.args.get("page", 1, type=int))
    restricted = [r.registration.id for r in found.rows if r.standing.outcome == "restricted"]
    return render_template(
        "verification/index.html",
        rows=found.rows,
        found=found,
        reviewed_on=restrictions.latest_review_dates(restricted),
        canaries=queries.canary_states(),
        body_names=BODY_NAMES,
        registers=registers,
        charts={r.body: _outcome_chart(r) for r in registers},
        outcomes=trends.OUTCOMES,
    )


def _outcome_chart(register: trends.RegisterWeeks) -> Markup:
    first, last = register.weeks[0], register.weeks[-1]
    totals = ", ".join(
        f"{sum(register.counts[o])} {o.label.lower()}"
        for o in trends.OUTCOMES
        if any(register.counts[o])
    )
    return bar_chart(
        chart_id=f"outcomes-{register.body}",
        title=f"{register.name}: check outcomes per week",
        description=(
            f"Checks of the {register.name} register in the {len(register.weeks)} weeks from "
            f"{uk_date(first)} to {uk_date(last + timedelta(days=6))}: {totals or 'none'}. "
            "The table after the chart gives each week's figures."
        ),
        categories=[f"{day.day} {day:%b}" for day in register.weeks],
        series=[Series(o.label, register.counts[o]) for o in trends.OUTCOMES],
    )


@bp.get("/registrations/<id:registration_id>")
@role_required(MANAGER)
def registration_show(registration_id: int) -> ResponseReturnValue:
    """One registration's standing and every check of it, with the evidence."""
    registration = _load(registration_id)
    form = RecheckForm() if registration.body in AUTOMATED_BODIES else None
    return render_template(
        "verification/registration.html",
        registration=registration,
        standing=service.standing(registration, now=utc_now()),
        checks=list(reversed(registration.checks)),
        body_names=BODY_NAMES,
        recheck_form=form,
        restricted_check=restrictions.restricted_check(registration, now=utc_now()),
        restriction_reviews=restrictions.reviews_of(registration),
    )


@bp.route("/registrations/<id:registration_id>/restriction-review", methods=["GET", "POST"])
@role_required(MANAGER)
def restriction_review_create(registration_id: int) -> ResponseReturnValue:
    """Record what a restricted registration's conditions mean for this work (the gate's
    verdict is unchanged: decision 0007)."""
    registration = _load(registration_id)
    check = restrictions.restricted_check(registration, now=utc_now())
    if check is None:
        abort(404)
    form = RestrictionReviewForm()
    if form.validate_on_submit():
        try:
            restrictions.record_review(current_user, registration, form.to_data(), now=utc_now())
        except ValidationFailed as error:
            getattr(form, error.field or "summary").errors.append(error.message)
        else:
            flash("Review of the conditions recorded.", "success")
            return redirect(
                url_for("verification.registration_show", registration_id=registration.id)
            )
    return render_template(
        "verification/restriction_review_form.html",
        registration=registration,
        check=check,
        form=form,
        body_names=BODY_NAMES,
    )


@bp.post("/registrations/<id:registration_id>/recheck")
@role_required(MANAGER)
@feature_limits.register_check
def registration_recheck(registration_id: int) -> ResponseReturnValue:
    """Check the public register again (a job; the page shows the check as pending until done)."""
    registration = _load(registration_id)
    if registration.body not in AUTOMATED_BODIES:
        abort(409)
    if RecheckForm().validate_on_submit():
        service.request_check(registration, actor=current_user, now=utc_now())
        db.session.commit()
        service.dispatch_check(registration.id)
        db.session.refresh(registration)
        if registration.check_pending_since is None:  # checked at once (JOBS_INLINE)
            standing = service.standing(registration, now=utc_now())
            flash(f"Checked: {standing.label}.", "success" if standing.is_clear else "warning")
        # Otherwise the page says "Checking the public register" until the job is done.
    return redirect(url_for("verification.registration_show", registration_id=registration.id))


@bp.route("/registrations/<id:registration_id>/manual-check", methods=["GET", "POST"])
@role_required(MANAGER)
@feature_limits.upload
def manual_check_create(registration_id: int) -> ResponseReturnValue:
    """Record a check made by hand, with a capture of the register page."""
    registration = _load(registration_id)
    if registration.body in AUTOMATED_BODIES:
        abort(404)
    form = ManualCheckForm()
    if form.validate_on_submit():
        upload = form.capture.data
        try:
            record_manual_check(
                current_user,
                registration,
                form.to_data(),
                upload.stream,
                upload.filename or "capture",
                now=utc_now(),
            )
        except ValidationFailed as error:
            getattr(form, error.field or "outcome").errors.append(error.message)
        else:
            flash("Manual check recorded.", "success")
            return redirect(
                url_for("verification.registration_show", registration_id=registration.id)
            )
    return render_template(
        "verification/manual_check_form.html",
        registration=registration,
        form=form,
        body_names=BODY_NAMES,
    )


@bp.get("/checks/<id:check_id>/capture")
@role_required(MANAGER)
def capture_download(check_id: int) -> ResponseReturnValue:
    """Download the capture kept with a manual check (audited)."""
    check = db.get_or_404(VerificationCheck, check_id)
    if not check.capture_path:
        abort(404)
    service.record_capture_view(current_user, check, now=utc_now())
    path = Path(current_app.config["UPLOAD_FOLDER"]) / check.capture_path
    # The type detected from the bytes at upload, never from the uploaded name (FILE-04);
    # captures kept before the type was stored are sniffed again.
    content_type = check.capture_content_type or stored_type(path)
    response = send_file(
        path,
        mimetype=content_type,
        as_attachment=True,
        download_name=download_name(check.capture_filename or "capture", content_type),
    )
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/pages/<sha256:sha256>")
@role_required(*PAGE_READERS)
def page_as_seen(sha256: str) -> ResponseReturnValue:
    """A register page as it was seen, shown as text, with its hash checked."""
    seen = pages.page_as_seen(sha256)
    if seen is None:
        abort(404)
    return render_template("verification/page_as_seen.html", seen=seen)


@bp.get("/pages/<sha256:sha256>/download")
@role_required(*PAGE_READERS)
def page_download(sha256: str) -> ResponseReturnValue:
    """The page's bytes exactly as the register served them, as plain text in a sandbox: never
    rendered as a page of this service."""
    seen = pages.page_as_seen(sha256)
    if seen is None:
        abort(404)
    response = Response(seen.content, mimetype="text/plain")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="register-page-{sha256[:12]}.txt"'
    )
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cache-Control"] = "no-store"
    return response


def _load(registration_id: int) -> Registration:
    return db.first_or_404(
        db.select(Registration)
        .where(Registration.id == registration_id)
        .options(selectinload(Registration.assessor), selectinload(Registration.checks))
    )
