"""Commission requests: officers describe and select; assessors answer; panels decide."""

from __future__ import annotations

import io
import secrets
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user

from registry import feature_limits
from registry.audit import record_view
from registry.auth.access import fresh_mfa_required, role_required
from registry.clock import uk_date_of, uk_today, utc_now
from registry.commissions import (
    after_approval,
    panel,
    queries,
    requests,
    rules,
    search,
    selection,
    shortfall,
    verdicts,
    whynot,
    worklists,
)
from registry.commissions.case import CHECKLIST_ITEMS, CHECKLIST_STATES
from registry.commissions.forms import (
    AnswerForm,
    AssessorChoiceForm,
    CommissionForm,
    DecisionForm,
    QualityReviewForm,
    ReasonForm,
    ReportForm,
    WhyNotForm,
)
from registry.commissions.rules import LABELS
from registry.commissions.snapshot import is_intact
from registry.csvexport import writer as csv_writer
from registry.documents_pdf import render_pdf
from registry.errors import NotEligible, ValidationFailed
from registry.extensions import db
from registry.models import Role
from registry.notifications import Link, mark_read

bp = Blueprint("commissions", __name__, url_prefix="/commissions")


@bp.app_context_processor
def _worklists() -> dict:
    """The home pages read the officer's and the panel member's work lists."""
    return {"worklists": worklists}


@bp.record_once
def _count_in_navigation(state) -> None:
    """The navigation shows how many requests await the officer or the panel member."""
    counts = state.app.extensions.setdefault("navigation_counts", {})
    for endpoint in ("commissions.index", "commissions.panel_queue"):
        counts[endpoint] = worklists.navigation_count


OFFICER, PANEL, AUDITOR = Role.OFFICER, Role.PANEL_MEMBER, Role.AUDITOR
STAFF = (OFFICER, PANEL, AUDITOR)


def _checklist_from_form() -> dict[str, dict[str, str]]:
    checklist = {}
    for key in CHECKLIST_ITEMS:
        state = request.form.get(f"checklist-{key}", "")
        if state in CHECKLIST_STATES:
            checklist[key] = {"state": state, "note": request.form.get(f"note-{key}", "")[:500]}
    return checklist


@bp.get("")
@role_required(*STAFF)
def index() -> ResponseReturnValue:
    """The authority's commission requests, newest first, filtered and a page at a time."""
    filters = queries.ListFilters.from_args(request.args)
    rows, total = queries.requests_page(current_user, filters)
    return render_template(
        "commissions/index.html",
        commissions=rows,
        total=total,
        filters=filters,
        pages=max(1, -(-total // queries.PER_PAGE)),
        labels=LABELS,
        may_raise=current_user.role is Role.OFFICER,
    )


@bp.get("/export.csv")
@role_required(*STAFF)
@feature_limits.export
def export_csv() -> ResponseReturnValue:
    """The filtered list as CSV (every page), for the authority's own records."""
    filters = queries.ListFilters.from_args(request.args)
    out = io.StringIO()
    csv = csv_writer(out)
    csv.writerow(
        ["Case reference", "Status", "Raised on", "Raised by", "Needed by", "Assessor", "Updated"]
    )
    for c in db.session.scalars(queries.filtered_requests(current_user, filters)):
        csv.writerow(
            [
                c.case_reference,
                LABELS[c.status],
                uk_date_of(c.created_at).isoformat(),
                c.requester.full_name,
                c.needed_by.isoformat(),
                c.selected_assessor.legal_name if c.selected_assessor else "",
                uk_date_of(c.updated_at).isoformat(),
            ]
        )
    response = Response(out.getvalue(), mimetype="text/csv")
    stamp = uk_today().isoformat()
    response.headers["Content-Disposition"] = f'attachment; filename="commissions-{stamp}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/new", methods=["GET", "POST"])
@role_required(OFFICER)
def create() -> ResponseReturnValue:
    """Describe a case, check the answers, then raise a draft commission request.

    The answers travel as the form's own fields: the check-answers page posts them back as
    hidden fields, to save them or to change one, so nothing typed is lost."""
    form = CommissionForm()
    changing = request.args.get("change") == "1"
    if not changing and form.validate_on_submit():
        try:
            data = form.to_data(_checklist_from_form())
            if request.form.get("confirmed") != "yes":
                requests.check_case(data, now=utc_now())
                return render_template(
                    "commissions/check_answers.html",
                    commission=data,
                    answers=_posted_answers(),
                    items=CHECKLIST_ITEMS,
                    states=CHECKLIST_STATES,
                )
            commission = requests.raise_request(current_user, data, now=utc_now())
        except ValidationFailed as error:
            _field_error(form, error)
        else:
            flash("Commission request saved as a draft", "success")
            return redirect(url_for("commissions.show", commission_id=commission.id))
    return render_template(
        "commissions/form.html",
        form=form,
        commission=None,
        checklist=_checklist_from_form() if form.is_submitted() else {},
        items=CHECKLIST_ITEMS,
        states=CHECKLIST_STATES,
    )


def _posted_answers() -> list[tuple[str, str]]:
    """Every field posted, to post again from the check-answers page (not the CSRF token)."""
    return [
        (name, value)
        for name in request.form
        if name not in ("csrf_token", "confirmed", "submit")
        for value in request.form.getlist(name)
    ]


@bp.route("/<id:commission_id>/edit", methods=["GET", "POST"])
@role_required(OFFICER)
def edit(commission_id: int) -> ResponseReturnValue:
    """Change the case description before an assessor is selected."""
    commission = queries.get_commission(current_user, commission_id)
    form = CommissionForm(obj=commission)
    if request.method == "GET":
        form.named_parties.data = "\n".join(commission.named_parties)
        form.budget.data = f"{commission.budget_pence / 100:.2f}" if commission.budget_pence else ""
    if form.validate_on_submit():
        try:
            requests.update_request(
                current_user, commission, form.to_data(_checklist_from_form()), now=utc_now()
            )
        except ValidationFailed as error:
            _field_error(form, error)
        else:
            flash("Commission request updated.", "success")
            return redirect(url_for("commissions.show", commission_id=commission.id))
    checklist = _checklist_from_form() if form.is_submitted() else commission.information_checklist
    return render_template(
        "commissions/form.html",
        form=form,
        commission=commission,
        checklist=checklist,
        items=CHECKLIST_ITEMS,
        states=CHECKLIST_STATES,
    )


@bp.get("/<id:commission_id>")
@role_required(*STAFF)
def show(commission_id: int) -> ResponseReturnValue:
    """One commission request: the case, its progress, and the decision record."""
    commission = queries.get_commission(current_user, commission_id)
    record_view(current_user, "commission.viewed", commission)
    _mark_read("commissions.show", commission)
    return _show(commission)


def _mark_read(endpoint: str, commission) -> None:
    """The user opened the page a notification sent them to: it is read."""
    if mark_read(current_user, Link(endpoint, {"commission_id": commission.id}), now=utc_now()):
        db.session.commit()


def _show(commission, decision_form: DecisionForm | None = None, status: int = 200):
    """The request page; with a decision form that failed, its errors in the summary."""
    decision_form = decision_form or DecisionForm()
    page = render_template(
        "commissions/show.html",
        form=decision_form if decision_form.errors else None,
        commission=commission,
        gate_now=verdicts.selected_verdict(commission, now=utc_now()),
        actions=rules.allowed_actions(current_user, commission),
        show_quality_reviews=current_user.role is Role.PANEL_MEMBER,
        show_history=current_user.role is Role.AUDITOR,
        labels=LABELS,
        items=CHECKLIST_ITEMS,
        states=CHECKLIST_STATES,
        intact={d.id: is_intact(d.snapshot, d.snapshot_sha256) for d in commission.decisions},
        choice_form=AssessorChoiceForm(),
        reason_form=ReasonForm(),
        decision_form=decision_form,
        report_form=ReportForm(),
        quality_reviews=queries.quality_reviews_of(commission.selected_assessor_id),
    )
    return page, status


@bp.post("/<id:commission_id>/start-search")
@role_required(OFFICER)
def start_search(commission_id: int) -> ResponseReturnValue:
    """Move a draft on to finding an assessor."""
    commission = queries.get_commission(current_user, commission_id)
    requests.start_search(current_user, commission, now=utc_now())
    return redirect(url_for("commissions.search_results", commission_id=commission.id))


@bp.route("/<id:commission_id>/search", methods=["GET", "POST"])
@role_required(OFFICER)
@feature_limits.search
@feature_limits.why_not
def search_results(commission_id: int) -> ResponseReturnValue:
    """Eligible assessors for the case, with the reasons; with few, why nobody else is.
    "Why not?" for a named assessor is posted here and answered on its own page (PRG)."""
    commission = queries.get_commission(current_user, commission_id)
    why_not_form = WhyNotForm()
    if why_not_form.validate_on_submit():
        # The name stays out of the URL (IN-08): kept in the session under a random key.
        key = secrets.token_urlsafe(12)
        questions = dict(session.get(WHY_NOT_KEY, {}))
        while len(questions) >= 20:
            questions.pop(next(iter(questions)))
        questions[key] = {"commission_id": commission.id, "name": why_not_form.name.data}
        session[WHY_NOT_KEY] = questions
        return redirect(url_for("commissions.why_not", commission_id=commission.id, token=key))
    filters = search.Filters.from_args(request.args)
    now = utc_now()
    page = search.find_eligible(commission, filters, now=now)
    record_view(current_user, "commission.eligible_list_viewed", commission)
    _mark_read("commissions.search_results", commission)
    few = page.total is not None and page.total < shortfall.FEW and filters.page == 1
    return render_template(
        "commissions/search.html",
        form=why_not_form if why_not_form.errors else None,
        commission=commission,
        page=page,
        filters=filters,
        filtered=any((filters.region, filters.language, filters.availability, filters.tool)),
        options=search.filter_options(),
        why_not_form=why_not_form,
        shortfall=shortfall.for_page(commission, now=now) if few else None,
        shortlisted={entry.assessor_id for entry in commission.shortlist},
        here=request.full_path.rstrip("?"),
        choice_form=AssessorChoiceForm(),
    )


WHY_NOT_KEY = "why_not_questions"


@bp.get("/<id:commission_id>/why-not/<token>")
@role_required(OFFICER)
def why_not(commission_id: int, token: str) -> ResponseReturnValue:
    """The answer to a "why not?" question, on its own page so that Back works."""
    commission = queries.get_commission(current_user, commission_id)
    question = session.get(WHY_NOT_KEY, {}).get(token)
    if not question or question.get("commission_id") != commission.id:
        abort(404)
    record_view(current_user, "commission.why_not_viewed", commission)
    return render_template(
        "commissions/why_not.html",
        commission=commission,
        name=question["name"],
        answers=whynot.answer(commission, question["name"], now=utc_now()),
        why_not_form=WhyNotForm(),
    )


@bp.get("/<id:commission_id>/why-not/suggestions")
@role_required(OFFICER)
@feature_limits.why_not_suggestions
def why_not_suggestions(commission_id: int) -> ResponseReturnValue:
    """Names on the register matching what the officer has typed (JSON, for the script)."""
    queries.get_commission(current_user, commission_id)
    response = jsonify(whynot.suggestions(request.args.get("q", "")[:80]))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<id:commission_id>/shortlist")
@role_required(OFFICER)
def shortlist(commission_id: int) -> ResponseReturnValue:
    """Shortlist an eligible assessor (the gate decides again on the server), then back to the
    same search page, with its filters and page."""
    commission = queries.get_commission(current_user, commission_id)
    back = request.form.get("next", "")
    search_path = url_for("commissions.search_results", commission_id=commission.id)
    if not (back == search_path or back.startswith(search_path + "?")):
        back = url_for("commissions.show", commission_id=commission.id)
    return _choose(commission, selection.add_to_shortlist, "Added to the shortlist", back)


@bp.post("/<id:commission_id>/select")
@role_required(OFFICER)
def select_assessor(commission_id: int) -> ResponseReturnValue:
    """Select an eligible assessor and invite them (the gate decides again on the server),
    after a confirmation page that says what happens next."""
    commission = queries.get_commission(current_user, commission_id)
    if request.form.get("confirmed") != "yes":
        form = AssessorChoiceForm()
        if not form.validate_on_submit() or not form.assessor_id.data.isdigit():
            abort(400)
        assessor = queries.assessor_named(int(form.assessor_id.data))
        return render_template(
            "commissions/select_confirm.html", commission=commission, assessor=assessor
        )
    return _choose(
        commission,
        selection.select_assessor,
        "Assessor selected and invited",
        url_for("commissions.show", commission_id=commission.id),
    )


def _choose(commission, action, message: str, back: str) -> ResponseReturnValue:
    form = AssessorChoiceForm()
    if not form.validate_on_submit() or not form.assessor_id.data.isdigit():
        abort(400)
    try:
        action(current_user, commission, int(form.assessor_id.data), now=utc_now())
    except NotEligible as refusal:
        return render_template("errors/409.html", status=409, message=refusal.message), 409
    flash(message, "success")
    return redirect(back)


@bp.get("/panel")
@role_required(PANEL)
def panel_queue() -> ResponseReturnValue:
    """Requests of the panel member's authority that await a decision."""
    return render_template(
        "commissions/panel.html", commissions=queries.awaiting_panel(current_user)
    )


@bp.post("/<id:commission_id>/decision")
@role_required(PANEL)
@fresh_mfa_required
def decide(commission_id: int) -> ResponseReturnValue:
    """Approve (re-running the gate and freezing the snapshot) or reject with a reason: first a
    confirmation page that says what will happen, then the decision."""
    commission = queries.get_commission(current_user, commission_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _show(commission, form, 400)
    approve = form.decision.data == "approve"
    if request.form.get("confirmed") != "yes":
        return render_template(
            "commissions/decision_confirm.html",
            commission=commission,
            approve=approve,
            reason=form.reason.data or "",
        )
    try:
        panel.decide(current_user, commission, approve, form.reason.data or "", now=utc_now())
    except NotEligible as refusal:
        return render_template("errors/409.html", status=409, message=refusal.message), 409
    except ValidationFailed as error:
        form.reason.errors = [*form.reason.errors, error.message]
        return _show(commission, form, 400)
    _mark_read("commissions.show", commission)
    flash("Request approved" if approve else "Request rejected", "success")
    return redirect(url_for("commissions.show", commission_id=commission.id))


@bp.get("/<id:commission_id>/decision-record")
@role_required(*STAFF)
def decision_record(commission_id: int) -> ResponseReturnValue:
    """The printable decision record: the request, the snapshot and the evidence behind it."""
    commission = queries.get_commission(current_user, commission_id)
    if not commission.decisions:
        abort(404)
    record_view(current_user, "commission.decision_record_viewed", commission)
    return render_template("commissions/decision_record.html", **_record_context(commission))


@bp.get("/<id:commission_id>/decision-record.pdf")
@role_required(*STAFF)
@feature_limits.export
def decision_record_pdf(commission_id: int) -> ResponseReturnValue:
    """The decision record as a PDF made on the server, to hand to a case review."""
    commission = queries.get_commission(current_user, commission_id)
    if not commission.decisions:
        abort(404)
    record_view(current_user, "commission.decision_record_pdf", commission)
    stylesheet = (
        Path(current_app.static_folder or "") / "print" / "decision-record.css"
    ).read_text()
    html = render_template(
        "commissions/decision_record_pdf.html", stylesheet=stylesheet, **_record_context(commission)
    )
    pdf = render_pdf(html)
    response = Response(pdf, mimetype="application/pdf")
    name = f"decision-record-{commission.case_reference.replace('/', '-')}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _record_context(commission) -> dict:
    return {
        "commission": commission,
        "records": queries.decision_records(commission),
        "labels": LABELS,
        "items": CHECKLIST_ITEMS,
        "states": CHECKLIST_STATES,
        "printed_at": utc_now(),
    }


@bp.post("/<id:commission_id>/instruct")
@role_required(OFFICER)
def instruct(commission_id: int) -> ResponseReturnValue:
    """Record that the approved assessor has been instructed."""
    commission = queries.get_commission(current_user, commission_id)
    if ReasonForm().is_submitted():
        after_approval.instruct(current_user, commission, now=utc_now())
        flash("Assessor instructed.", "success")
    return redirect(url_for("commissions.show", commission_id=commission.id))


@bp.post("/<id:commission_id>/report")
@role_required(OFFICER)
def report(commission_id: int) -> ResponseReturnValue:
    """Record the date the report was received."""
    commission = queries.get_commission(current_user, commission_id)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            after_approval.record_report(
                current_user, commission, form.received_on.data, now=utc_now()
            )
        except ValidationFailed as error:
            flash(error.message, "error")
        else:
            return redirect(url_for("commissions.quality_review", commission_id=commission.id))
    else:
        flash("Enter the date the report was received", "error")
    return redirect(url_for("commissions.show", commission_id=commission.id))


@bp.route("/<id:commission_id>/quality-review", methods=["GET", "POST"])
@role_required(OFFICER)
def quality_review(commission_id: int) -> ResponseReturnValue:
    """Review the quality of the report and close the request."""
    commission = queries.get_commission(current_user, commission_id)
    form = QualityReviewForm()
    if form.validate_on_submit():
        try:
            after_approval.record_quality_review(
                current_user, commission, form.to_data(), now=utc_now()
            )
        except ValidationFailed as error:
            _field_error(form, error)
        else:
            flash("Quality review saved and the request closed.", "success")
            return redirect(url_for("commissions.show", commission_id=commission.id))
    return render_template("commissions/quality_review.html", commission=commission, form=form)


@bp.post("/<id:commission_id>/cancel")
@role_required(OFFICER)
def cancel(commission_id: int) -> ResponseReturnValue:
    """Cancel a request, with a reason."""
    commission = queries.get_commission(current_user, commission_id)
    form = ReasonForm()
    if form.validate_on_submit():
        requests.cancel(current_user, commission, form.reason.data, now=utc_now())
        flash("Commission request cancelled.", "success")
    else:
        flash("Enter the reason for cancelling the request", "error")
    return redirect(url_for("commissions.show", commission_id=commission.id))


@bp.route("/invitations/<id:commission_id>", methods=["GET", "POST"])
@role_required(Role.ASSESSOR)
def invitation(commission_id: int) -> ResponseReturnValue:
    """The invited assessor sees the case and the parties, accepts or declines, declares."""
    commission = queries.invitation_for(current_user, commission_id)
    record_view(current_user, "commission.invitation_viewed", commission)
    _mark_read("commissions.invitation", commission)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            outcome = selection.respond(current_user, commission, form.to_data(), now=utc_now())
        except NotEligible as refusal:
            return render_template("errors/409.html", status=409, message=refusal.message), 409
        except ValidationFailed as error:
            _field_error(form, error)
            return render_template("commissions/invitation.html", commission=commission, form=form)
        flash(
            {
                "accepted": "Thank you. The panel will now consider the request.",
                "declined": "You have declined the commission.",
                "ended": "Thank you. Because of the conflict you declared, the officer will "
                "choose another assessor.",
            }[outcome],
            "success",
        )
        return redirect(url_for("pages.dashboard"))
    return render_template("commissions/invitation.html", commission=commission, form=form)


def _field_error(form, error: ValidationFailed) -> None:
    field = getattr(form, error.field or "", None) or getattr(form, "case_reference", None)
    if field is None:
        flash(error.message, "error")
    else:
        field.errors = [*field.errors, error.message]
