"""Register managers' vetting screens: queue, one assessor's items, admissions, expiries,
reference data."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from markupsafe import Markup

from registry import figures_cache
from registry.auth.access import fresh_mfa_required, role_required
from registry.auth.forms import ConfirmForm
from registry.charts import Series, bar_chart
from registry.clock import uk_date_of, utc_now
from registry.commissions.queries import quality_reviews_of
from registry.errors import InvalidTransition, NotAllowed, NotEligible, ValidationFailed
from registry.extensions import db
from registry.models import (
    AdmissionAction,
    AdmissionDecision,
    Assessor,
    DbsCheck,
    ItemReview,
    Role,
)
from registry.policy_store import current_policy
from registry.templating import uk_date
from registry.vetting import (
    admission,
    disclosure,
    home,
    queries,
    reminders,
    service,
    trends,
)
from registry.vetting import expiries as expiries_reads
from registry.vetting.forms import (
    DisclosureDecisionForm,
    ExpiriesFilterForm,
    ReasonForm,
    ReminderForm,
    ReviewDecisionForm,
)
from registry.vetting.reference import reference as reference_data

bp = Blueprint("vetting", __name__, url_prefix="/vetting")
MANAGER = Role.REGISTER_MANAGER
REFUSALS = (InvalidTransition, NotAllowed, NotEligible)


@bp.get("")
@role_required(MANAGER)
def index() -> ResponseReturnValue:
    """Assessors with items to review, with how many and the oldest's age; sortable by the
    oldest item, the count or the name (in the URL), a page at a time."""
    page = queries.queue(
        sort=request.args.get("sort", "oldest"), page=request.args.get("page", 1, type=int)
    )
    return render_template("vetting/index.html", queue=page, now=utc_now())


@bp.app_template_global("register_manager_home")
def register_manager_home() -> home.ManagerHome:
    """The figures of the register manager's home page (called by that template only)."""
    return home.manager_home(current_user, now=utc_now())


@bp.get("/assessors/<id:assessor_id>")
@role_required(MANAGER)
def assessor_show(assessor_id: int) -> ResponseReturnValue:
    """Every item of one assessor with its review, the evidence, and the admission panel."""
    return _assessor_page(assessor_id)


@bp.post("/reviews/<id:review_id>/decision")
@role_required(MANAGER)
def review_decide(review_id: int) -> ResponseReturnValue:
    """Accept an item, or reject it with a message for the assessor."""
    review = db.get_or_404(ItemReview, review_id)
    form = ReviewDecisionForm()
    if form.validate_on_submit():
        data = form.to_data()
        try:
            service.decide_item(current_user, review, data.accept, data.message, now=utc_now())
        except ValidationFailed as error:
            form.message.errors.append(error.message)
        except InvalidTransition as error:
            flash(error.message, "error")
            return redirect(url_for("vetting.assessor_show", assessor_id=review.assessor_id))
        else:
            verdict = "Accepted" if data.accept else "Rejected"
            flash(f"{verdict}: {review.item_type.replace('_', ' ')}.", "success")
            return redirect(url_for("vetting.assessor_show", assessor_id=review.assessor_id))
    return _assessor_page(review.assessor_id, form=form, review_id=review.id)


@bp.route("/assessors/<id:assessor_id>/admission", methods=["GET", "POST"])
@role_required(MANAGER)
def admission_propose(assessor_id: int) -> ResponseReturnValue:
    """Propose admitting the assessor; a second register manager confirms."""
    return _decision_page(
        assessor_id, "propose", admission.propose_admission, "Admission proposed."
    )


@bp.route("/admissions/<id:decision_id>/confirm", methods=["GET", "POST"])
@role_required(MANAGER)
@fresh_mfa_required
def admission_confirm(decision_id: int) -> ResponseReturnValue:
    """Confirm another manager's proposal to admit or reinstate (four eyes; step-up, MFA-07)."""
    decision = db.get_or_404(AdmissionDecision, decision_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            admission.confirm_admission(current_user, decision, now=utc_now())
        except REFUSALS as refusal:
            flash(refusal.message, "error")
        else:
            done = (
                "reinstated on" if decision.action is AdmissionAction.REINSTATE else "admitted to"
            )
            flash(f"{decision.assessor.legal_name} has been {done} the register.", "success")
        return redirect(url_for("vetting.assessor_show", assessor_id=decision.assessor_id))
    return render_template("vetting/admission_confirm.html", decision=decision, form=form)


@bp.route("/assessors/<id:assessor_id>/suspend", methods=["GET", "POST"])
@role_required(MANAGER)
@fresh_mfa_required
def suspend(assessor_id: int) -> ResponseReturnValue:
    """Suspend an admitted assessor at once, with a reason (step-up, MFA-07)."""
    return _decision_page(assessor_id, "suspend", admission.suspend, "Assessor suspended.")


@bp.route("/assessors/<id:assessor_id>/reinstate", methods=["GET", "POST"])
@role_required(MANAGER)
@fresh_mfa_required
def reinstate(assessor_id: int) -> ResponseReturnValue:
    """Propose reinstating a suspended assessor, with a reason; a second manager confirms
    (AC-10; step-up, MFA-07)."""
    return _decision_page(
        assessor_id,
        "reinstate",
        admission.reinstate,
        "Reinstatement proposed. A second register manager must confirm it.",
    )


@bp.route("/assessors/<id:assessor_id>/remove", methods=["GET", "POST"])
@role_required(MANAGER)
@fresh_mfa_required
def remove(assessor_id: int) -> ResponseReturnValue:
    """Remove an assessor from the register, with a reason (step-up, MFA-07)."""
    return _decision_page(assessor_id, "remove", admission.remove, "Assessor removed.")


@bp.post("/dbs/<id:dbs_id>/disclosure-decision")
@role_required(MANAGER)
def disclosure_decide(dbs_id: int) -> ResponseReturnValue:
    """Record the decision on a disclosure shown on an assessor's DBS certificate (audited)."""
    dbs = db.get_or_404(DbsCheck, dbs_id)
    form = DisclosureDecisionForm()
    if form.validate_on_submit():
        try:
            disclosure.record_disclosure_decision(
                current_user, dbs, form.decision.data or "", now=utc_now()
            )
        except ValidationFailed as error:
            form.decision.errors.append(error.message)
        except InvalidTransition as error:
            flash(error.message, "error")
            return redirect(url_for("vetting.assessor_show", assessor_id=dbs.assessor_id))
        else:
            flash("Decision on the disclosure recorded.", "success")
            return redirect(url_for("vetting.assessor_show", assessor_id=dbs.assessor_id))
    return _assessor_page(dbs.assessor_id, disclosure_form=form)


@bp.get("/expiries")
@role_required(MANAGER)
def expiries() -> ResponseReturnValue:
    """Dated items due soon (or overdue), with a one-click reminder, a page at a time."""
    form = ExpiriesFilterForm(request.args)
    now = utc_now()
    found = expiries_reads.expiries_page(
        now=now,
        within_days=form.window(),
        kind=form.chosen_kind(),
        page=request.args.get("page", 1, type=int),
    )
    due = figures_cache.cached(
        ("expiries.due_by_week", uk_date_of(now), form.chosen_kind()),
        lambda: expiries_reads.due_by_week(now=now, kind=form.chosen_kind()),
    )
    return render_template(
        "vetting/expiries.html",
        rows=found.rows,
        found=found,
        filter_form=form,
        reminder_form=ReminderForm(),
        due=due,
        chart=_due_chart(due),
    )


def _due_chart(due: trends.DueWeeks) -> Markup:
    return bar_chart(
        chart_id="due-by-week",
        title="Items falling due per week over the next 90 days",
        description=(
            f"{due.overdue} overdue, then per week from {uk_date(due.weeks[0])}: "
            + ", ".join(str(n) for n in due.counts)
            + ". The table after the chart gives each week's figures."
        ),
        categories=["Overdue", *(f"{day.day} {day:%b}" for day in due.weeks)],
        series=[Series("Items due", (due.overdue, *due.counts))],
    )


@bp.post("/assessors/<id:assessor_id>/reminders")
@role_required(MANAGER)
def reminder_send(assessor_id: int) -> ResponseReturnValue:
    """Send the assessor a reminder about one dated item now."""
    assessor = db.get_or_404(Assessor, assessor_id)
    form = ReminderForm()
    if form.validate_on_submit():
        data = form.to_data()
        try:
            reminders.send_reminder_now(
                current_user, assessor, data.item_type, data.item_id, now=utc_now()
            )
        except InvalidTransition as error:
            flash(error.message, "error")
        else:
            flash(f"Reminder sent to {assessor.legal_name}.", "success")
    return redirect(request.referrer or url_for("vetting.expiries"))


@bp.get("/reference")
@role_required(MANAGER)
def reference() -> ResponseReturnValue:
    """Reference data from the policy file, read-only."""
    return render_template("vetting/reference.html", ref=reference_data(current_policy()))


TITLES = {
    "propose": "Propose admission",
    "suspend": "Suspend assessor",
    "reinstate": "Propose reinstatement",
    "remove": "Remove assessor from the register",
}


def _decision_page(
    assessor_id: int, action: str, decide: Callable, done: str
) -> ResponseReturnValue:
    assessor = db.get_or_404(Assessor, assessor_id)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            decide(current_user, assessor, form.to_data().reason, now=utc_now())
        except ValidationFailed as error:
            form.reason.errors.append(error.message)
        except REFUSALS as refusal:
            flash(refusal.message, "error")
            return redirect(url_for("vetting.assessor_show", assessor_id=assessor.id))
        else:
            flash(done, "success")
            return redirect(url_for("vetting.assessor_show", assessor_id=assessor.id))
    return render_template(
        "vetting/decision_form.html",
        assessor=assessor,
        form=form,
        action=action,
        title=TITLES[action],
    )


def _assessor_page(
    assessor_id: int,
    form: ReviewDecisionForm | None = None,
    review_id: int | None = None,
    disclosure_form: DisclosureDecisionForm | None = None,
) -> ResponseReturnValue:
    vetting = queries.vetting_of(current_user, assessor_id, now=utc_now())
    return render_template(
        "vetting/assessor.html",
        vetting=vetting,
        form=form,
        failed_review_id=review_id,
        decision_form=ReviewDecisionForm(formdata=None),
        disclosure_form=disclosure_form or DisclosureDecisionForm(formdata=None),
        quality_reviews=quality_reviews_of(assessor_id),
    )
