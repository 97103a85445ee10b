"""An assessor's own profile: identity, registrations, evidence documents (and who viewed them)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from wtforms import SelectChoice

from assessors import documents, export, profile, profile_pages, service
from assessors.forms import ApplyForm, DocumentForm, IdentityForm, RegistrationForm
from assessors.overview import SECTION_BY_KEY, SECTIONS, task_list
from assessors.registration_words import check_words
from registry import feature_limits
from registry.auth.access import role_required
from registry.auth.forms import ConfirmForm
from registry.auth.views import external_link
from registry.clock import uk_date_of, utc_now
from registry.commissions import queries as commission_queries
from registry.errors import InvalidTransition, NotFound, ValidationFailed
from registry.extensions import db, limiter
from registry.models import Document, ReviewStatus, Role
from registry.policy_store import current_policy
from registry.registers import AUTOMATED_BODIES, BODY_NAMES
from registry.verification import service as verification
from registry.vetting import attestation as vetting_attestation
from registry.vetting import queries as vetting_queries
from registry.vetting import service as vetting_service
from registry.vetting.forms import AttestationForm

bp = Blueprint("assessors", __name__, url_prefix="/assessor")


@bp.route("/apply", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["EMAIL_LINK_LIMIT_PER_IP"], methods=["POST"])
def apply() -> ResponseReturnValue:
    """Apply to join the register: confirm the email address, then password and TOTP."""
    if current_user.is_authenticated:
        return redirect(url_for("pages.dashboard"))
    form = ApplyForm()
    if form.validate_on_submit():
        service.apply_to_join(
            form.to_data(), now=utc_now(), link_to=external_link("auth.invitation_accept")
        )
        return render_template("assessors/apply_sent.html", email=form.email.data)
    return render_template("assessors/apply.html", form=form)


@bp.route("/identity", methods=["GET", "POST"])
@role_required(Role.ASSESSOR)
def identity() -> ResponseReturnValue:
    """The assessor's legal name and professional title."""
    assessor = service.assessor_of(current_user)
    form = IdentityForm(obj=assessor)
    if form.validate_on_submit():
        service.save_identity(current_user, form.to_data(), now=utc_now())
        flash("Your name has been saved.", "success")
        return redirect(url_for("assessors.registrations"))
    return render_template("assessors/identity.html", form=form)


@bp.get("/registrations")
@role_required(Role.ASSESSOR)
def registrations() -> ResponseReturnValue:
    """The assessor's registrations and what the public registers say about them."""
    assessor = service.assessor_of(current_user)
    if assessor is None:
        return redirect(url_for("assessors.identity"))
    now = utc_now()
    rows = [
        (r, standing, check_words(standing.outcome))
        for r in assessor.registrations
        if r.is_current
        for standing in [verification.standing(r, now=now)]
    ]
    by_id = {r.id: r for r in assessor.registrations}
    return render_template(
        "assessors/registrations.html",
        rows=rows,
        earlier=[r for r in assessor.registrations if not r.is_current],
        by_id=by_id,
        body_names=BODY_NAMES,
        statutory={r.id: service.is_statutory(r.body) for r in assessor.registrations},
        pending=[r for r, _, _ in rows if r.check_pending_since is not None],
        last_try={r.id: r.checks[-1] for r, _, _ in rows if r.check_pending_since and r.checks},
    )


@bp.route("/registrations/add", methods=["GET", "POST"])
@role_required(Role.ASSESSOR)
@feature_limits.registration_add
def registration_add() -> ResponseReturnValue:
    """Add a registration; an automatable register is checked at once (about 10 s at most)."""
    assessor = service.assessor_of(current_user)
    if assessor is None:
        return redirect(url_for("assessors.identity"))
    form = _registration_form()
    if form.validate_on_submit():
        try:
            registration = service.add_registration(assessor, form.to_data(), now=utc_now())
        except ValidationFailed as error:
            getattr(form, error.field or "number").errors.append(error.message)
        else:
            _check_and_flash(registration)
            return redirect(url_for("assessors.registrations"))
    return render_template("assessors/registration_form.html", form=form)


@bp.get("/documents")
@role_required(Role.ASSESSOR)
def documents_list() -> ResponseReturnValue:
    """The assessor's documents, the upload form, and who else has viewed them."""
    return _documents_page(DocumentForm())


@bp.post("/documents")
@role_required(Role.ASSESSOR)
@feature_limits.upload
def document_upload() -> ResponseReturnValue:
    """Upload an evidence file; refusals are shown as form errors (FILE-01..06)."""
    form = DocumentForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            documents.upload_document(
                current_user, form.to_data(), upload.stream, upload.filename or "", now=utc_now()
            )
        except ValidationFailed as error:
            getattr(form, error.field or "file").errors.append(error.message)
        else:
            flash("Document uploaded.", "success")
            return redirect(url_for("assessors.documents_list"))
    return _documents_page(form)


def _documents_page(form: DocumentForm) -> ResponseReturnValue:
    assessor = service.assessor_of(current_user)
    if assessor is None:
        return redirect(url_for("assessors.identity"))
    return render_template(
        "assessors/documents.html",
        form=form,
        documents=documents.documents_of(assessor),
        views=documents.document_views(current_user),
    )


@bp.get("/<id:assessor_id>/documents")
@role_required(*Role)  # the service decides, and answers 404 to anyone else (AC-03)
def assessor_documents(assessor_id: int) -> ResponseReturnValue:
    """An assessor's documents, for those AC-03 allows (audited); 404 for anyone else."""
    assessor, rows = documents.list_documents_for(current_user, assessor_id, now=utc_now())
    return render_template("assessors/assessor_documents.html", assessor=assessor, documents=rows)


@bp.get("/documents/<id:document_id>/download")
@role_required(*Role)  # the service decides, and answers 404 to anyone else (AC-03)
def document_download(document_id: int) -> ResponseReturnValue:
    """Download a document as an attachment (FILE-04, audited); 404 for anyone not allowed."""
    document = db.get_or_404(Document, document_id)
    path, document = documents.open_document(current_user, document, now=utc_now())
    response = Response(path.read_bytes(), mimetype=document.content_type)
    response.headers["Content-Disposition"] = _attachment(document.original_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = "sandbox"
    return response


def _attachment(name: str) -> str:
    # RFC 6266: a plain ASCII fallback, and the exact name percent-encoded in filename*.
    fallback = name.encode("ascii", "replace").decode().replace('"', "").replace("\\", "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _check_and_flash(registration, added: str = "added") -> None:
    """Say at once, in words, what happens next: a membership that is not regulation, a check
    by hand, a check running now (the page refreshes until done), or what the register showed."""
    name = BODY_NAMES[registration.body]
    if not service.is_statutory(registration.body):
        flash(
            f"Your {name} membership has been {added}. It is a membership, not statutory "
            "regulation: it does not count as being regulated for commissions.",
            "warning",
        )
        return
    if registration.body not in AUTOMATED_BODIES:
        flash(
            f"Registration {added}. A register manager will check the {name} register by hand.",
            "success",
        )
        return
    verification.request_check(registration, actor=current_user, now=utc_now())
    db.session.commit()
    verification.dispatch_check(registration.id)
    db.session.refresh(registration)
    if registration.check_pending_since is not None:
        flash(
            f"Registration {added}. We are checking the {name} register now: this page updates "
            "by itself and says what the register shows.",
            "warning",  # not a success until the register has answered
        )
        return
    standing = verification.standing(registration, now=utc_now())
    words = check_words(standing.outcome)
    text = f"Registration {added} and checked: {standing.label}. {words.sentence}"
    flash(text, "success" if words.category == "success" else "warning")


@bp.route("/registrations/<id:registration_id>/correct", methods=["GET", "POST"])
@role_required(Role.ASSESSOR)
@feature_limits.registration_add
def registration_correct(registration_id: int) -> ResponseReturnValue:
    """Correct a registration: a new entry replaces it; the old one and its checks are kept."""
    assessor = service.assessor_of(current_user)
    if assessor is None:
        return redirect(url_for("assessors.identity"))
    old = _own_registration(assessor, registration_id)
    form = _registration_form()
    if not form.is_submitted():
        form.body.data, form.profession.data = old.body, old.profession
    if form.validate_on_submit():
        try:
            new = service.correct_registration(assessor, old.id, form.to_data(), now=utc_now())
        except ValidationFailed as error:
            getattr(form, error.field or "number").errors.append(error.message)
        else:
            _check_and_flash(new, added="corrected")
            return redirect(url_for("assessors.registrations"))
    return render_template(
        "assessors/registration_form.html", form=form, old=old, body_names=BODY_NAMES
    )


@bp.route("/registrations/<id:registration_id>/withdraw", methods=["GET", "POST"])
@role_required(Role.ASSESSOR)
def registration_withdraw(registration_id: int) -> ResponseReturnValue:
    """Withdraw a registration: it stays on record as evidence but no longer counts."""
    assessor = service.assessor_of(current_user)
    if assessor is None:
        return redirect(url_for("assessors.identity"))
    registration = _own_registration(assessor, registration_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        service.withdraw_registration(assessor, registration.id, now=utc_now())
        flash(
            f"Your {BODY_NAMES[registration.body]} registration {registration.number} has been "
            "withdrawn. It stays on your record, with its checks, and no longer counts.",
            "success",
        )
        return redirect(url_for("assessors.registrations"))
    return render_template(
        "assessors/registration_withdraw.html",
        registration=registration,
        form=form,
        body_names=BODY_NAMES,
    )


def _own_registration(assessor, registration_id: int):
    try:
        return service.own_registration(assessor, registration_id)
    except NotFound:
        abort(404)


def _registration_form() -> RegistrationForm:
    form = RegistrationForm()
    form.profession.choices = [SelectChoice("", "Select your profession")] + [
        SelectChoice(p.code, p.title) for p in current_policy().professions
    ]
    return form


# --------------------------------------------------------------------------- profile items

SECTION = "any(" + ", ".join(f'"{section.key}"' for section in SECTIONS) + "):section"


@bp.get("/profile")
@role_required(Role.ASSESSOR)
def profile_overview() -> ResponseReturnValue:
    """The assessor's task list: each section of the profile and where it stands."""
    assessor = service.assessor_of(current_user)
    if assessor is None:
        return redirect(url_for("assessors.identity"))
    return render_template(
        "assessors/profile.html",
        tasks=_task_list(assessor),
        status=assessor.admission_status.value,
        submit_form=ConfirmForm(),
    )


NOT_CLEAR = frozenset({"restricted", "blocked", "not_found", "name_mismatch"})


def _task_list(assessor):
    now = utc_now()
    not_clear = sum(
        1
        for r in assessor.registrations
        if r.is_current and verification.standing(r, now=now).outcome in NOT_CLEAR
    )
    return task_list(
        assessor,
        current_policy(),
        now=now,
        documents=len(documents.documents_of(assessor)),
        not_clear=not_clear,
    )


# Where each section of the task list is changed (an error summary links to it).
def section_href(key: str) -> str:
    """The page of a task-list section, by its key or by the item type a refusal names."""
    key = {"registration": "registrations", **{s.item_type: s.key for s in SECTIONS}}.get(key, key)
    fixed = {
        "identity": "assessors.identity",
        "registrations": "assessors.registrations",
        "services": "assessors.profile_services",
        "documents": "assessors.documents_list",
    }
    if key in fixed:
        return url_for(fixed[key])
    return url_for("assessors.profile_section", section=key)


@bp.get(f"/profile/<{SECTION}>")
@role_required(Role.ASSESSOR)
def profile_section(section: str) -> ResponseReturnValue:
    """One section's items, each with Change and Remove."""
    assessor = profile.own_assessor(current_user)
    part = SECTION_BY_KEY[section]
    rows = profile_pages.summaries(part.item_type, profile.items_of(assessor, part.item_type))
    noun = profile_pages.NOUNS[part.item_type]
    return render_template(
        "assessors/profile_section.html",
        section=part,
        rows=rows,
        noun=noun,
        a_noun=profile_pages.WITH_ARTICLE[part.item_type],
    )


@bp.route(f"/profile/<{SECTION}>/add", methods=["GET", "POST"])
@role_required(Role.ASSESSOR)
def profile_item_add(section: str) -> ResponseReturnValue:
    """Add an item to a section of the profile."""
    return _item_page(SECTION_BY_KEY[section], None)


@bp.route(f"/profile/<{SECTION}>/<id:item_id>/change", methods=["GET", "POST"])
@role_required(Role.ASSESSOR)
def profile_item_change(section: str, item_id: int) -> ResponseReturnValue:
    """Change one of the assessor's own items (anyone else's is 404)."""
    part = SECTION_BY_KEY[section]
    return _item_page(part, profile.own_item(current_user, part.item_type, item_id))


@bp.post(f"/profile/<{SECTION}>/<id:item_id>/remove")
@role_required(Role.ASSESSOR)
def profile_item_remove(section: str, item_id: int) -> ResponseReturnValue:
    """Remove one of the assessor's own items (anyone else's is 404)."""
    part = SECTION_BY_KEY[section]
    profile.remove_item(current_user, part.item_type, item_id, now=utc_now())
    flash(f"The {profile_pages.NOUNS[part.item_type]} has been removed.", "success")
    return redirect(url_for("assessors.profile_section", section=section))


def _item_page(part, item) -> ResponseReturnValue:
    assessor = profile.own_assessor(current_user)
    form = profile_pages.item_form(part, assessor, current_policy(), item)
    if form.validate_on_submit():
        try:
            if item is None:
                profile.add_item(current_user, part.item_type, form.to_data(), now=utc_now())
            else:
                profile.change_item(
                    current_user, part.item_type, item.id, form.to_data(), now=utc_now()
                )
        except ValidationFailed as error:
            getattr(form, error.field or "submit").errors.append(error.message)
        else:
            flash(f"The {profile_pages.NOUNS[part.item_type]} has been saved.", "success")
            return redirect(url_for("assessors.profile_section", section=part.key))
    noun = profile_pages.NOUNS[part.item_type]
    return render_template(
        "assessors/profile_item_form.html",
        form=form,
        section=part,
        noun=noun,
        a_noun=profile_pages.WITH_ARTICLE[part.item_type],
        item=item,
    )


@bp.route("/profile/services", methods=["GET", "POST"])
@role_required(Role.ASSESSOR)
def profile_services() -> ResponseReturnValue:
    """Regions covered, languages, availability and day rate."""
    form = profile_pages.services_form(profile.own_assessor(current_user))
    if form.validate_on_submit():
        try:
            profile.save_services(current_user, form.to_data(), now=utc_now())
        except ValidationFailed as error:
            getattr(form, error.field or "submit").errors.append(error.message)
        else:
            flash("Your regions, languages, availability and fees have been saved.", "success")
            return redirect(url_for("assessors.profile_overview"))
    return render_template("assessors/profile_services.html", form=form)


@bp.get("/profile/export.json")
@role_required(Role.ASSESSOR)
@feature_limits.export
def profile_export_json() -> ResponseReturnValue:
    """Everything held about the assessor, as a JSON download (audited)."""
    data = export.export_profile(current_user, now=utc_now())
    body = json.dumps(data, indent=2, ensure_ascii=False)
    return _download(body, "application/json", "your-register-data.json")


@bp.get("/profile/export.csv")
@role_required(Role.ASSESSOR)
@feature_limits.export
def profile_export_csv() -> ResponseReturnValue:
    """Everything held about the assessor, as a CSV download (audited)."""
    data = export.export_profile(current_user, now=utc_now())
    return _download(export.as_csv(data), "text/csv", "your-register-data.csv")


def _download(body: str, mimetype: str, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = _attachment(name)
    response.headers["Cache-Control"] = "no-store"
    return response


# --------------------------------------------------------------------------- vetting


@bp.get("/vetting")
@role_required(Role.ASSESSOR)
def vetting() -> ResponseReturnValue:
    """The assessor's vetting: status, each item's review and the managers' messages."""
    if service.assessor_of(current_user) is None:
        return redirect(url_for("assessors.identity"))
    return _vetting_page()


def _vetting_page(incomplete=None) -> str:
    assessor, rows, due = vetting_queries.own_vetting(current_user, now=utc_now())
    return render_template(
        "assessors/vetting.html",
        assessor=assessor,
        rows=rows,
        attestation_due=due,
        today=uk_date_of(utc_now()),
        submit_form=ConfirmForm(),
        incomplete=incomplete,
    )


def _incomplete(refusal) -> dict:
    """An error summary's contents for a refusal that names the empty sections."""
    return {
        "titleText": "There is a problem",
        "descriptionText": refusal.message.split(":", 1)[0] + ":",
        "errorList": [{"text": what, "href": section_href(key)} for key, what in refusal.missing],
    }


@bp.post("/vetting/submit")
@role_required(Role.ASSESSOR)
def vetting_submit() -> ResponseReturnValue:
    """Submit the profile for vetting, or resubmit it after changing rejected items."""
    if service.assessor_of(current_user) is None:
        return redirect(url_for("assessors.identity"))
    if ConfirmForm().validate_on_submit():
        try:
            result = vetting_service.submit_for_vetting(current_user, now=utc_now())
        except vetting_service.IncompleteProfile as refusal:
            return _vetting_page(incomplete=_incomplete(refusal)), 409
        except InvalidTransition as error:
            flash(error.message, "error")
        else:
            queued, unchanged = result.queued, result.unchanged_rejections
            items = "item" if queued == 1 else "items"
            flash(f"Submitted for vetting: {queued} {items} to review.", "success")
            if unchanged:
                flash(
                    f"{unchanged} rejected {'item is' if unchanged == 1 else 'items are'} "
                    "unchanged. Change what the register manager asked for, then resubmit.",
                    "warning",
                )
    return redirect(url_for("assessors.vetting"))


@bp.route("/attestation", methods=["GET", "POST"])
@role_required(Role.ASSESSOR)
def attestation() -> ResponseReturnValue:
    """Confirm that the whole profile is accurate (due every 120 days)."""
    assessor = service.assessor_of(current_user)
    if assessor is None:
        return redirect(url_for("assessors.identity"))
    form = AttestationForm()
    incomplete = None
    if form.validate_on_submit():
        try:
            vetting_attestation.attest(current_user, form.to_data().signed_name, now=utc_now())
        except vetting_service.IncompleteProfile as refusal:
            incomplete = _incomplete(refusal)
        except ValidationFailed as error:
            form.signed_name.errors.append(error.message)
        else:
            flash("Thank you. Your profile is attested.", "success")
            return redirect(url_for("assessors.vetting"))
    return render_template(
        "assessors/attestation.html",
        form=form,
        statement=vetting_attestation.STATEMENT,
        due=vetting_attestation.attestation_due_on(assessor),
        today=uk_date_of(utc_now()),
        incomplete=incomplete,
    ), (409 if incomplete else 200)


# --------------------------------------------------------------------------- home page


@dataclass(frozen=True)
class HomeTask:
    """Something on the assessor's home page that needs doing, with where to do it."""

    text: str
    href: str
    link_text: str
    urgent: bool = False


@bp.app_template_global()
def assessor_home() -> dict:
    """What the assessor's home page lists: rejected items with the manager's message,
    attestation due, items expiring, registrations not clear, and the task list's count."""
    assessor = service.assessor_of(current_user)
    if assessor is None:
        start = HomeTask(
            "Start your profile with your legal name.",
            url_for("assessors.identity"),
            "Enter your name",
        )
        return {"tasks": [start], "list": None, "status": "applying", "submit_form": ConfirmForm()}
    now = utc_now()
    tasks_list = _task_list(assessor)
    tasks = [
        *_rejected_tasks(assessor, now),
        *_attestation_tasks(assessor, uk_date_of(now)),
        *_expiry_tasks(tasks_list),
        *_registration_tasks(assessor, now),
    ]
    return {
        "tasks": tasks,
        "list": tasks_list,
        "status": assessor.admission_status.value,
        "submit_form": ConfirmForm(),
    }


def _long_date(day) -> str:
    return f"{day.day} {day:%B %Y}"


def _rejected_tasks(assessor, now) -> list[HomeTask]:
    return [
        HomeTask(
            f"A register manager rejected {row.label.lower()} ({row.summary}). "
            f"Their message: {row.review.message}",
            section_href(row.item.item_type),
            "Change it",
            urgent=True,
        )
        for row in vetting_queries.item_rows(assessor, now=now)
        if row.item
        and row.review
        and row.review.status is ReviewStatus.REJECTED
        and not (row.item.item_type == "registration" and not row.item.row.is_current)
    ]


def _attestation_tasks(assessor, today) -> list[HomeTask]:
    due = vetting_attestation.attestation_due_on(assessor)
    href = url_for("assessors.attestation")
    if due is None:
        return [HomeTask("You have not attested your profile yet.", href, "Attest your profile")]
    if due < today:
        text = (
            f"Your attestation was due on {_long_date(due)}: it is overdue, and you cannot be "
            "offered commissions until you attest."
        )
        return [HomeTask(text, href, "Attest your profile", urgent=True)]
    if due <= today + timedelta(days=30):
        text = f"Your attestation is due by {_long_date(due)}."
        return [HomeTask(text, href, "Attest your profile")]
    return []


def _expiry_tasks(tasks_list) -> list[HomeTask]:
    found = []
    for section in tasks_list.sections:
        if section.status in ("Expired", "Expires soon"):
            when = "has expired" if section.status == "Expired" else "expires within 30 days"
            found.append(
                HomeTask(
                    f"{section.title}: an item {when}.",
                    section_href(section.key),
                    "Update it",
                    urgent=section.status == "Expired",
                )
            )
    return found


def _registration_tasks(assessor, now) -> list[HomeTask]:
    found = []
    for registration in assessor.registrations:
        if not registration.is_current:
            continue
        standing = verification.standing(registration, now=now)
        if standing.outcome in NOT_CLEAR:
            words = check_words(standing.outcome)
            name = f"{BODY_NAMES[registration.body]} {registration.number}"
            found.append(
                HomeTask(
                    f"{name}: {words.sentence}",
                    url_for("assessors.registrations"),
                    "See your registrations",
                    urgent=True,
                )
            )
    return found


# --------------------------------------------------------------------------- commissions

# The assessor's commissions, grouped: (heading, statuses) in the order of a commission's life.
COMMISSION_GROUPS = (
    ("Invitations to answer", {"awaiting_assessor"}),
    ("Accepted", {"awaiting_panel", "approved"}),
    ("In progress", {"instructed"}),
    ("Finished", {"report_received", "closed", "rejected", "cancelled"}),
)


@bp.get("/commissions")
@role_required(Role.ASSESSOR)
def commissions() -> ResponseReturnValue:
    """The assessor's commissions: invitations, accepted, in progress and finished."""
    rows = commission_queries.commissions_of_assessor(current_user)
    groups = [
        (heading, [c for c in rows if c.status.value in statuses])
        for heading, statuses in COMMISSION_GROUPS
    ]
    return render_template("assessors/commissions.html", groups=groups)
