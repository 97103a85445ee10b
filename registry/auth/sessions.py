"""The session gate: deny by default, sign-in stages, idle and absolute timeouts.

Every request passes through `gate` before its view. Only the endpoints in PUBLIC_ENDPOINTS are
open to anonymous visitors (AC-01); a signed-in user who has not finished the sign-in stages
(new password, TOTP enrolment, TOTP code) reaches only that stage's pages (MFA-01, AUTH-07).
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user

from registry.clock import utc_now
from registry.extensions import db, login_manager
from registry.models import User

PUBLIC_ENDPOINTS = frozenset(
    {
        "static",
        "auth.sign_in",
        "auth.password_reset_request",
        "auth.password_reset",
        "auth.invitation_accept",
        "assessors.apply",
        "health.health",
        "health.ready",
        "health.metrics",  # loopback or METRICS_TOKEN only (registry/health/views.py)
        "pages.accessibility",
        "pages.privacy",
    }
)
log = logging.getLogger("registry.access")
STAGE_ENDPOINTS = {
    "password": frozenset({"auth.password_first", "auth.sign_out"}),
    "enrol": frozenset(
        {"auth.mfa_enrol", "auth.mfa_enrol_start", "auth.mfa_enrol_confirm", "auth.sign_out"}
    ),
    "code": frozenset({"auth.second_factor", "auth.recovery_code", "auth.sign_out"}),
}
STAGE_HOME = {
    "password": "auth.password_first",
    "enrol": "auth.mfa_enrol",
    "code": "auth.second_factor",
}


def init_sessions(app: Flask) -> None:
    """Wire Flask-Login to the versioned session token and install the gate."""
    login_manager.user_loader(load_user)
    login_manager.session_protection = None  # our own versioning and timeouts do this job
    app.before_request(gate)


def load_user(token: str) -> User | None:
    """The user for a session token "<id>:<version>", or None if stale (SES-02, AC-08)."""
    user_id, _, version = token.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def sign_in_stage(user: User) -> str | None:
    """Which sign-in stage the current session still has to pass, or None when complete."""
    if user.password_must_change or not user.password_hash:
        return "password"
    if not user.mfa_enrolled:
        return "enrol"
    if not session.get("mfa_at"):
        return "code"
    return None


def start_session(user: User, *, mfa_complete: bool) -> None:
    """Issue a brand new session for the user (SES-01, SES-07)."""
    # Unwrap current_user: storing the proxy itself would make it resolve to itself forever.
    user = user._get_current_object() if hasattr(user, "_get_current_object") else user
    now = utc_now().timestamp()
    auth_at = session.get("auth_at", now) if mfa_complete else now
    session.clear()
    login_user(user, remember=False)
    session["auth_at"] = auth_at
    session["seen_at"] = now
    if mfa_complete:
        session["mfa_at"] = now
    session.permanent = True


def reissue_session(user: User) -> None:
    """A new session after a version bump (SES-04), keeping its sign-in and code times."""
    kept = {key: session[key] for key in ("auth_at", "mfa_at") if key in session}
    start_session(user, mfa_complete=True)
    session.update(kept)


def end_session() -> None:
    """Sign out of this session."""
    logout_user()
    session.clear()


def gate() -> ResponseReturnValue | None:
    """Deny by default: anonymous visitors reach only public pages; stages come first."""
    endpoint = request.endpoint
    if endpoint is None or endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        log.info("request.sign_in_required", extra={"route": _route()})
        return redirect(url_for("auth.sign_in", next=_safe_next()))
    if _timed_out():
        end_session()
        flash("You have been signed out because your session expired. Sign in again.", "warning")
        return redirect(url_for("auth.sign_in"))
    session["seen_at"] = utc_now().timestamp()
    stage = sign_in_stage(current_user)
    if stage and endpoint not in STAGE_ENDPOINTS[stage]:
        log.info("request.sign_in_stage_first", extra={"route": _route(), "stage": stage})
        return redirect(url_for(STAGE_HOME[stage]))
    return None


def _route() -> str:
    return request.url_rule.rule if request.url_rule else "(no route)"


def mfa_is_fresh() -> bool:
    """True when the last TOTP code was given within the freshness window (MFA-06, MFA-07)."""
    mfa_at = session.get("mfa_at")
    window = current_app.config["FRESH_AUTH_WINDOW"].total_seconds()
    return mfa_at is not None and bool(mfa_at) and utc_now().timestamp() - mfa_at <= window


def _timed_out() -> bool:
    now = utc_now().timestamp()
    auth_at = session.get("auth_at")
    seen_at = session.get("seen_at")
    if auth_at is None or seen_at is None:
        return True
    config = current_app.config
    return (
        now - seen_at > config["SESSION_IDLE_TIMEOUT"].total_seconds()
        or now - auth_at > config["SESSION_ABSOLUTE_TIMEOUT"].total_seconds()
    )


def _safe_next() -> str | None:
    path = request.full_path if request.query_string else request.path
    return path if path and path != "/" else None
