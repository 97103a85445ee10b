"""The /health, /ready and /metrics endpoints (see registry/health/__init__.py)."""

from __future__ import annotations

import hmac
import logging

from flask import Blueprint, abort, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from registry.health import run_checks

bp = Blueprint("health", __name__)
log = logging.getLogger("registry.health")

LOOPBACK = frozenset({"127.0.0.1", "::1"})
STATES = {True: "ok", False: "unavailable", None: "not used"}


@bp.get("/health")
def health() -> ResponseReturnValue:
    """The process is up and answering."""
    return jsonify(status="ok")


@bp.get("/ready")
def ready() -> ResponseReturnValue:
    """Every dependency reachable (200), or which are not (503)."""
    checks = {name: STATES[result] for name, result in run_checks().items()}
    down = sorted(name for name, state in checks.items() if state == "unavailable")
    if down:
        log.warning("ready.unavailable", extra={"unavailable": down})
        return jsonify(status="unavailable", checks=checks, unavailable=down), 503
    return jsonify(status="ready", checks=checks)


@bp.get("/metrics")
def metrics() -> ResponseReturnValue:
    """Counts for monitoring, in the Prometheus text format (loopback or the token only)."""
    if not _may_read_metrics():
        abort(404)
    lines = [
        "# HELP registry_dependency_up 1 when the dependency answers",
        "# TYPE registry_dependency_up gauge",
    ]
    for name, result in run_checks().items():
        if result is not None:
            lines.append(f'registry_dependency_up{{dependency="{name}"}} {int(bool(result))}')
    for name, (help_text, value) in current_app.extensions.get("metrics", {}).items():
        try:
            number = value()
        except Exception:
            log.warning("metrics.unavailable", extra={"metric": name})
            continue
        lines += [f"# HELP {name} {help_text}", f"# TYPE {name} gauge", f"{name} {number}"]
    body = "\n".join(lines) + "\n"
    return body, 200, {"Content-Type": "text/plain; version=0.0.4; charset=utf-8"}


def _may_read_metrics() -> bool:
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        sent = request.headers.get("Authorization", "")
        if hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            return True
    return (request.remote_addr or "") in LOOPBACK
