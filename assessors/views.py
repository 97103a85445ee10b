"""An assessor's own profile: identity, registrations, evidence documents (and who viewed them)."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from wtforms import SelectChoice

from assessors import documents, service
from assessors.forms import DocumentForm, IdentityForm, RegistrationForm
from registry.auth.access import role_required
from registry.clock import utc_now
from registry.errors import ValidationFailed
from registry.extensions import db
from registry.models import Document, Role
from registry.policy_store import current_policy
from registry.registers import AUTOMATED_BODIES, BODY_NAMES
from registry.verification import service as verification

bp = Blueprint("assessors", __name__, url_prefix="/assessor")


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
    return render_template("assessors/registrations.html", rows=rows, body_names=BODY_NAMES)


@bp.route("/registrations/add", methods=["GET", "POST"])
@role_required(Role.ASSESSOR)
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


@bp.get("/<int:assessor_id>/documents")
@role_required(*Role)  # the service decides, and answers 404 to anyone else (AC-03)
def assessor_documents(assessor_id: int) -> ResponseReturnValue:
    """An assessor's documents, for those AC-03 allows (audited); 404 for anyone else."""
    assessor, rows = documents.list_documents_for(current_user, assessor_id, now=utc_now())
    return render_template("assessors/assessor_documents.html", assessor=assessor, documents=rows)


@bp.get("/documents/<int:document_id>/download")
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
    recorded = verification.verify_with_deadline(registration, actor=current_user, now=utc_now())
    if recorded is None:
        flash("Registration added. The public register is slow to answer: the check is pending.")
    else:
        flash(f"Registration added and checked: {recorded.after.label}.")
