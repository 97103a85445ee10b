"""An assessor's own profile: identity, registrations, evidence documents (and who viewed them)."""

from __future__ import annotations

import json
from urllib.parse import quote

from flask import Blueprint, Response, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from wtforms import SelectChoice

from assessors import documents, export, profile, profile_pages, service
from assessors.forms import ApplyForm, DocumentForm, IdentityForm, RegistrationForm
from assessors.overview import SECTION_BY_KEY, SECTIONS, section_statuses, services_status
from registry import feature_limits
from registry.auth.access import role_required
from registry.auth.forms import ConfirmForm
from registry.auth.views import external_link
from registry.clock import utc_now
from registry.errors import InvalidTransition, ValidationFailed
from registry.extensions import db, limiter
from registry.models import Document, Role
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
        flash("Your name has been saved.")
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
    rows = [(r, verification.standing(r, now=now)) for r in assessor.registrations]
    return render_template(
        "assessors/registrations.html",
        rows=rows,
        body_names=BODY_NAMES,
        pending=[r for r, _ in rows if r.check_pending_since is not None],
        last_try={r.id: r.checks[-1] for r, _ in rows if r.check_pending_since and r.checks},
    )


@bp.route("/registrations/add", methods=["GET", "POST"])
@role_required(Role.ASSESSOR)
@feature_limits.registration_add
def registration_add() -> ResponseReturnValue:
    """Add a registration; an automatable register is checked at once (about 10 s at most)."""
    assessor = service.assessor_of(current_user)
    if assessor is None:
        return redirect(url_for("assessors.identity"))
    form = RegistrationForm()
    form.profession.choices = [SelectChoice("", "Select your profession")] + [
        SelectChoice(p.code, p.title) for p in current_policy().professions
    ]
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
            flash("Document uploaded.")
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


def _check_and_flash(registration) -> None:
    if registration.body not in AUTOMATED_BODIES:
        flash("Registration added. A register manager will check it by hand.")
        return
    verification.request_check(registration, actor=current_user, now=utc_now())
    db.session.commit()
    verification.dispatch_check(registration.id)
    db.session.refresh(registration)
    if registration.check_pending_since is None:  # checked at once (JOBS_INLINE)
        label = verification.standing(registration, now=utc_now()).label
        flash(f"Registration added and checked: {label}.")
    # Otherwise the registrations page says "Checking the public register" until it is done.


# --------------------------------------------------------------------------- profile items

SECTION = "any(" + ", ".join(f'"{section.key}"' for section in SECTIONS) + "):section"


@bp.get("/profile")
@role_required(Role.ASSESSOR)
def profile_overview() -> ResponseReturnValue:
    """The assessor's task list: each section of the profile and where it stands."""
    assessor = service.assessor_of(current_user)
    if assessor is None:
        return redirect(url_for("assessors.identity"))
    statuses = section_statuses(assessor, current_policy(), now=utc_now())
    return render_template(
        "assessors/profile.html", statuses=statuses, services=services_status(assessor)
    )


@bp.get(f"/profile/<{SECTION}>")
@role_required(Role.ASSESSOR)
def profile_section(section: str) -> ResponseReturnValue:
    """One section's items, each with Change and Remove."""
    assessor = profile.own_assessor(current_user)
    part = SECTION_BY_KEY[section]
    rows = profile_pages.summaries(part.item_type, profile.items_of(assessor, part.item_type))
    noun = profile_pages.NOUNS[part.item_type]
    return render_template("assessors/profile_section.html", section=part, rows=rows, noun=noun)


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
    flash(f"The {profile_pages.NOUNS[part.item_type]} has been removed.")
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
            flash(f"The {profile_pages.NOUNS[part.item_type]} has been saved.")
            return redirect(url_for("assessors.profile_section", section=part.key))
    noun = profile_pages.NOUNS[part.item_type]
    return render_template(
        "assessors/profile_item_form.html", form=form, section=part, noun=noun, item=item
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
            flash("Your regions, languages, availability and fees have been saved.")
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
    assessor, rows, due = vetting_queries.own_vetting(current_user, now=utc_now())
    return render_template(
        "assessors/vetting.html",
        assessor=assessor,
        rows=rows,
        attestation_due=due,
        submit_form=ConfirmForm(),
    )


@bp.post("/vetting/submit")
@role_required(Role.ASSESSOR)
def vetting_submit() -> ResponseReturnValue:
    """Submit the profile for vetting, or resubmit it after changing rejected items."""
    if service.assessor_of(current_user) is None:
        return redirect(url_for("assessors.identity"))
    if ConfirmForm().validate_on_submit():
        try:
            result = vetting_service.submit_for_vetting(current_user, now=utc_now())
        except InvalidTransition as error:
            flash(error.message)
        else:
            flash(f"Submitted for vetting: {result.queued} items to review.")
            if result.unchanged_rejections:
                flash(f"{result.unchanged_rejections} rejected items are unchanged.")
    return redirect(url_for("assessors.vetting"))


@bp.route("/attestation", methods=["GET", "POST"])
@role_required(Role.ASSESSOR)
def attestation() -> ResponseReturnValue:
    """Confirm that the whole profile is accurate (due every 120 days)."""
    assessor = service.assessor_of(current_user)
    if assessor is None:
        return redirect(url_for("assessors.identity"))
    form = AttestationForm()
    if form.validate_on_submit():
        try:
            vetting_attestation.attest(current_user, form.to_data().signed_name, now=utc_now())
        except ValidationFailed as error:
            form.signed_name.errors.append(error.message)
        else:
            flash("Thank you. Your profile is attested.")
            return redirect(url_for("assessors.vetting"))
    return render_template(
        "assessors/attestation.html",
        form=form,
        statement=vetting_attestation.STATEMENT,
        due=vetting_attestation.attestation_due_on(assessor),
    )
