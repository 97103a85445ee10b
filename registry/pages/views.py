"""Dashboards, health check, accessibility statement and privacy notice."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import text

from registry.extensions import db

bp = Blueprint("pages", __name__)


@bp.get("/")
def dashboard() -> ResponseReturnValue:
    """The signed-in user's home page, with the panels for their role."""
    return render_template(f"pages/dashboard_{current_user.role.value}.html")


@bp.get("/health")
def health() -> ResponseReturnValue:
    """Liveness and database reachability, for the load balancer."""
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")


@bp.get("/accessibility")
def accessibility() -> ResponseReturnValue:
    """The accessibility statement."""
    return render_template("pages/accessibility.html")


@bp.get("/privacy")
def privacy() -> ResponseReturnValue:
    """The privacy notice."""
    return render_template("pages/privacy.html")
