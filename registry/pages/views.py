"""Dashboards, accessibility statement and privacy notice (health checks: registry/health)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from registry import inbox
from registry.audit_chain import latest_verification
from registry.audit_trail.queries import recent_decisions
from registry.auth.forms import ConfirmForm
from registry.clock import utc_now
from registry.commissions.queries import open_invitations
from registry.extensions import db
from registry.models import Role
from registry.policy import describe
from registry.policy_store import current_policy

bp = Blueprint("pages", __name__)


@bp.get("/")
def dashboard() -> ResponseReturnValue:
    """The signed-in user's home page, with the panels for their role."""
    invitations = open_invitations(current_user) if current_user.role is Role.ASSESSOR else []
    chain_check = latest_verification(db.session) if current_user.role is Role.AUDITOR else None
    decisions = recent_decisions(current_user) if current_user.role is Role.AUDITOR else []
    return render_template(
        f"pages/dashboard_{current_user.role.value}.html",
        invitations=invitations,
        chain_check=chain_check,
        decisions=decisions,
    )


@bp.get("/notifications")
def notifications() -> ResponseReturnValue:
    """The signed-in user's messages from the service, newest first."""
    return render_template(
        "pages/notifications.html", notifications=inbox.notifications_for(current_user)
    )


@bp.post("/notifications/read")
def notifications_read() -> ResponseReturnValue:
    """Mark every notification of the signed-in user as read."""
    if ConfirmForm().validate_on_submit():
        inbox.mark_all_read(current_user, now=utc_now())
    return redirect(url_for("pages.notifications"))


@bp.get("/eligibility-policy")
def eligibility_policy() -> ResponseReturnValue:
    """What makes an assessor eligible: the policy in plain English, with its version."""
    policy = current_policy()
    return render_template(
        "pages/eligibility_policy.html", policy=policy, sections=describe(policy)
    )


@bp.get("/accessibility")
def accessibility() -> ResponseReturnValue:
    """The accessibility statement."""
    return render_template("pages/accessibility.html")


@bp.get("/privacy")
def privacy() -> ResponseReturnValue:
    """The privacy notice."""
    return render_template("pages/privacy.html")
