"""Register managers invite people and manage accounts."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from wtforms import SelectChoice

from registry.auth.access import fresh_mfa_required, role_required
from registry.auth.forms import ConfirmForm
from registry.auth.views import external_link
from registry.clock import utc_now
from registry.errors import ValidationFailed
from registry.extensions import db, limiter
from registry.models import Organisation, Role, User
from registry.users import service
from registry.users.forms import ChangeRoleForm, InviteForm, ResetMfaForm

bp = Blueprint("users", __name__, url_prefix="/users")
MANAGER = Role.REGISTER_MANAGER


def _organisation_choices() -> list[SelectChoice]:
    organisations = db.session.scalars(db.select(Organisation).order_by(Organisation.name))
    return [SelectChoice("", "None (assessors)")] + [
        SelectChoice(str(o.id), o.name) for o in organisations
    ]


@bp.get("")
@role_required(MANAGER)
def index() -> ResponseReturnValue:
    """List every account with its role, organisation and status."""
    return render_template("users/index.html", users=service.list_users())


@bp.route("/invite", methods=["GET", "POST"])
@role_required(MANAGER)
@limiter.limit(
    lambda: current_app.config["INVITE_LIMIT_PER_ACCOUNT"],
    key_func=lambda: "user:" + (current_user.get_id() or "").partition(":")[0],
    methods=["POST"],
)
def invite() -> ResponseReturnValue:
    """Invite a person by email with a single-use link."""
    form = InviteForm()
    form.organisation_id.choices = _organisation_choices()
    if form.validate_on_submit():
        try:
            user = service.invite_user(
                current_user,
                form.to_data(),
                now=utc_now(),
                link_to=external_link("auth.invitation_accept"),
            )
        except ValidationFailed as error:
            getattr(form, error.field or "email").errors.append(error.message)
        else:
            flash(f"Invitation sent to {user.email}.")
            return redirect(url_for("users.show", user_id=user.id))
    return render_template("users/invite.html", form=form)


@bp.get("/<id:user_id>")
@role_required(MANAGER)
def show(user_id: int) -> ResponseReturnValue:
    """One account, with the actions a manager can take."""
    user = db.get_or_404(User, user_id)
    form = ChangeRoleForm(data={"role": user.role.value, "organisation_id": user.organisation_id})
    form.organisation_id.choices = _organisation_choices()
    return render_template("users/show.html", user=user, role_form=form, form=ConfirmForm())


@bp.post("/<id:user_id>/role")
@role_required(MANAGER)
@fresh_mfa_required
def role_change(user_id: int) -> ResponseReturnValue:
    """Change a user's role and organisation (step-up required, MFA-07)."""
    user = db.get_or_404(User, user_id)
    form = ChangeRoleForm()
    form.organisation_id.choices = _organisation_choices()
    if form.validate_on_submit():
        try:
            service.change_role(
                current_user, user, Role(form.role.data), form.organisation(), now=utc_now()
            )
        except ValidationFailed as error:
            form.organisation_id.errors.append(error.message)
        else:
            flash(f"{user.full_name} is now a {user.role.label.lower()}.")
            return redirect(url_for("users.show", user_id=user.id))
    return render_template("users/show.html", user=user, role_form=form, form=ConfirmForm())


@bp.post("/<id:user_id>/disable")
@role_required(MANAGER)
def disable(user_id: int) -> ResponseReturnValue:
    """Disable an account; its sessions end at once."""
    return _set_disabled(user_id, True, "has been disabled and signed out")


@bp.post("/<id:user_id>/enable")
@role_required(MANAGER)
def enable(user_id: int) -> ResponseReturnValue:
    """Re-enable a disabled account."""
    return _set_disabled(user_id, False, "has been re-enabled")


@bp.post("/<id:user_id>/sign-out")
@role_required(MANAGER)
def sign_out_everywhere(user_id: int) -> ResponseReturnValue:
    """End every session of a user."""
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        service.sign_out_everywhere(current_user, user, now=utc_now())
        flash(f"{user.full_name} has been signed out everywhere.")
    return redirect(url_for("users.show", user_id=user.id))


@bp.route("/<id:user_id>/reset-two-factor", methods=["GET", "POST"])
@role_required(MANAGER)
@fresh_mfa_required
def mfa_reset(user_id: int) -> ResponseReturnValue:
    """Reset a user's two-factor sign-in after confirming who they are (MFA-08)."""
    user = db.get_or_404(User, user_id)
    form = ResetMfaForm()
    if form.validate_on_submit():
        service.reset_mfa(current_user, user, form.to_data(), now=utc_now())
        flash(f"Two-factor sign-in for {user.full_name} has been reset. They must set it up again.")
        return redirect(url_for("users.show", user_id=user.id))
    return render_template("users/mfa_reset.html", user=user, form=form)


def _set_disabled(user_id: int, disabled: bool, message: str) -> ResponseReturnValue:
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        service.set_disabled(current_user, user, disabled, now=utc_now())
        flash(f"{user.full_name} {message}.")
    return redirect(url_for("users.show", user_id=user.id))
