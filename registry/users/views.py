"""Register managers invite people and manage accounts; a second holder confirms privileged
roles (AC-09)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from wtforms import SelectChoice

from registry.auth.access import fresh_mfa_required, role_required
from registry.auth.forms import ConfirmForm
from registry.auth.views import external_link
from registry.clock import utc_now
from registry.errors import InvalidTransition, NotAllowed, NotFound, ValidationFailed
from registry.extensions import db, limiter
from registry.models import Organisation, Role, User
from registry.users import grants, listing, service
from registry.users.forms import ChangeRoleForm, InviteForm, ResetMfaForm

bp = Blueprint("users", __name__, url_prefix="/users")
MANAGER = Role.REGISTER_MANAGER
# Who may confirm a grant: register managers, and panel members for their own panel. Auditors
# only read (AC-02): a second register manager confirms an auditor.
HOLDERS = (Role.REGISTER_MANAGER, Role.PANEL_MEMBER)


def _organisation_choices() -> list[SelectChoice]:
    organisations = db.session.scalars(db.select(Organisation).order_by(Organisation.name))
    return [SelectChoice("", "None (assessors)")] + [
        SelectChoice(str(o.id), o.name) for o in organisations
    ]


@bp.get("")
@role_required(MANAGER)
def index() -> ResponseReturnValue:
    """Accounts with their role, organisation and status: searched by name or email, filtered
    by role and organisation (all in the URL), a page at a time."""
    filters = listing.parse_filters(request.args)
    return render_template(
        "users/index.html",
        found=listing.find_users(filters, page=request.args.get("page", 1, type=int)),
        filters=filters,
        roles=list(Role),
        organisations=db.session.scalars(db.select(Organisation).order_by(Organisation.name)),
        no_organisation=listing.NO_ORGANISATION,
        pending=grants.visible_to(current_user),
    )


@bp.route("/invite", methods=["GET", "POST"])
@role_required(MANAGER)
@fresh_mfa_required
@limiter.limit(
    lambda: current_app.config["INVITE_LIMIT_PER_ACCOUNT"],
    key_func=lambda: "user:" + (current_user.get_id() or "").partition(":")[0],
    methods=["POST"],
)
def invite() -> ResponseReturnValue:
    """Invite a person by email with a single-use link (step-up, MFA-07); a privileged role
    waits for a second person's confirmation before the link is sent (AC-09)."""
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
            invited = service.invited_account(form.email.data or "")
            if invited is None:
                getattr(form, error.field or "email").errors.append(error.message)
            else:  # invited before: offer to send the invitation again instead of refusing
                return render_template("users/invite.html", form=form, invited=invited)
        else:
            if grants.pending_grant_of(user) is not None:
                flash(
                    f"Invitation proposed for {user.email}. It is sent when a second person "
                    "confirms the role.",
                    "success",
                )
            else:
                flash(f"Invitation sent to {user.email}.", "success")
            return redirect(url_for("users.show", user_id=user.id))
    return render_template("users/invite.html", form=form)


@bp.post("/<id:user_id>/resend-invitation")
@role_required(MANAGER)
@limiter.limit(
    lambda: current_app.config["INVITE_LIMIT_PER_ACCOUNT"],
    key_func=lambda: "user:" + (current_user.get_id() or "").partition(":")[0],
)
def invitation_resend(user_id: int) -> ResponseReturnValue:
    """Send a new invitation link (earlier links stop working); the account stays as it is."""
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        try:
            service.resend_invitation(
                current_user, user, now=utc_now(), link_to=external_link("auth.invitation_accept")
            )
        except (InvalidTransition, NotAllowed) as refused:
            flash(refused.message, "error")
        else:
            flash(
                f"A new invitation was sent to {user.email}. Earlier links no longer work.",
                "success",
            )
    return redirect(url_for("users.show", user_id=user.id))


@bp.get("/<id:user_id>")
@role_required(MANAGER)
def show(user_id: int) -> ResponseReturnValue:
    """One account, with the actions a manager can take."""
    user = db.get_or_404(User, user_id)
    form = ChangeRoleForm(data={"role": user.role.value, "organisation_id": user.organisation_id})
    form.organisation_id.choices = _organisation_choices()
    return _show_page(user, form)


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
            done = service.change_role(
                current_user, user, Role(form.role.data), form.organisation(), now=utc_now()
            )
        except ValidationFailed as error:
            field = form.role if error.field == "role" else form.organisation_id
            field.errors.append(error.message)
        else:
            if done:
                flash(f"{user.full_name} is now a {user.role.label.lower()}.", "success")
            else:
                flash(
                    f"Role change proposed. {user.full_name} stays a {user.role.label.lower()} "
                    "until a second person confirms it.",
                    "success",
                )
            return redirect(url_for("users.show", user_id=user.id))
    return _show_page(user, form)


@bp.post("/<id:user_id>/disable")
@role_required(MANAGER)
@fresh_mfa_required
def disable(user_id: int) -> ResponseReturnValue:
    """Disable an account; its sessions end at once (step-up, MFA-07)."""
    return _set_disabled(user_id, True, "has been disabled and signed out")


@bp.post("/<id:user_id>/enable")
@role_required(MANAGER)
@fresh_mfa_required
def enable(user_id: int) -> ResponseReturnValue:
    """Re-enable a disabled account (step-up, MFA-07)."""
    return _set_disabled(user_id, False, "has been re-enabled")


@bp.post("/<id:user_id>/sign-out")
@role_required(MANAGER)
@fresh_mfa_required
def sign_out_everywhere(user_id: int) -> ResponseReturnValue:
    """End every session of a user (step-up, MFA-07)."""
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        service.sign_out_everywhere(current_user, user, now=utc_now())
        flash(f"{user.full_name} has been signed out everywhere.", "success")
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
        flash(
            f"Two-factor sign-in for {user.full_name} has been reset. They must set it up again.",
            "success",
        )
        return redirect(url_for("users.show", user_id=user.id))
    return render_template("users/mfa_reset.html", user=user, form=form)


def _set_disabled(user_id: int, disabled: bool, message: str) -> ResponseReturnValue:
    user = db.get_or_404(User, user_id)
    if ConfirmForm().validate_on_submit():
        service.set_disabled(current_user, user, disabled, now=utc_now())
        flash(f"{user.full_name} {message}.", "success")
    return redirect(url_for("users.show", user_id=user.id))


@bp.get("/grants")
@role_required(*HOLDERS)
def grants_index() -> ResponseReturnValue:
    """Roles waiting for a second person's confirmation that this person may see."""
    return render_template("users/grants.html", pending=grants.visible_to(current_user))


@bp.route("/grants/<id:grant_id>", methods=["GET", "POST"])
@role_required(*HOLDERS)
@fresh_mfa_required
def grant_confirm(grant_id: int) -> ResponseReturnValue:
    """Check a proposed role, then confirm it (a second holder; step-up, AC-09, MFA-07)."""
    grant = _grant_or_404(grant_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            grants.confirm(
                current_user,
                grant,
                now=utc_now(),
                link_to=external_link("auth.invitation_accept"),
            )
        except (NotAllowed, InvalidTransition) as refused:
            flash(refused.message, "error")
        else:
            flash(
                f"Confirmed: {grant.user.full_name} is now a {grant.role.label.lower()}.", "success"
            )
        return redirect(url_for("users.grants_index"))
    refusal = grants.confirm_refusal(current_user, grant, now=utc_now())
    return render_template("users/grant_confirm.html", grant=grant, form=form, refusal=refusal)


@bp.post("/grants/<id:grant_id>/cancel")
@role_required(*HOLDERS)
@fresh_mfa_required
def grant_cancel(grant_id: int) -> ResponseReturnValue:
    """Withdraw a proposed role (step-up, MFA-07)."""
    grant = _grant_or_404(grant_id)
    if ConfirmForm().validate_on_submit():
        try:
            grants.cancel(current_user, grant, now=utc_now())
        except InvalidTransition as refusal:
            flash(refusal.message, "error")
        else:
            flash(f"The proposed role for {grant.user.full_name} was cancelled.", "success")
    return redirect(url_for("users.grants_index"))


def _grant_or_404(grant_id: int):
    try:
        return grants.grant_for(current_user, grant_id)
    except NotFound:
        abort(404)


def _show_page(user: User, role_form: ChangeRoleForm) -> ResponseReturnValue:
    return render_template(
        "users/show.html",
        user=user,
        role_form=role_form,
        form=ConfirmForm(),
        pending=grants.pending_grant_of(user),
    )
