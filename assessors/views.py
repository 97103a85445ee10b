"""An assessor's own registrations: add one, see its standing on the public register."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from wtforms import SelectChoice

from assessors import service
from assessors.forms import IdentityForm, RegistrationForm
from registry.auth.access import role_required
from registry.clock import utc_now
from registry.errors import ValidationFailed
from registry.models import Role
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


def _check_and_flash(registration) -> None:
    if registration.body not in AUTOMATED_BODIES:
        flash("Registration added. A register manager will check it by hand.")
        return
    recorded = verification.verify_with_deadline(registration, actor=current_user, now=utc_now())
    if recorded is None:
        flash("Registration added. The public register is slow to answer: the check is pending.")
    else:
        flash(f"Registration added and checked: {recorded.after.label}.")
