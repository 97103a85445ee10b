"""Security headers (HDR-01..07) and the per-request context the audit trail records."""

from __future__ import annotations

import secrets

from flask import Flask, Response, current_app, g, request
from flask_login import current_user

from registry.audit import RequestContext, current_request, pending_views, write_pending_views

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def init_security(app: Flask) -> None:
    """Install the request-context and header hooks."""
    # First of all before-request hooks: CSRF refusals (registered earlier) are audited with the
    # client's address and the request id too.
    app.before_request_funcs.setdefault(None, []).insert(0, _bind_request_context)
    app.after_request(add_security_headers)
    app.after_request(_write_view_events)


def _bind_request_context() -> None:
    g.request_id = request.headers.get("X-Request-Id", "")[:64] or secrets.token_hex(8)
    current_request.set(RequestContext(ip=request.remote_addr, request_id=g.request_id))
    pending_views.set([])


def _write_view_events(response: Response) -> Response:
    """Write the audit rows of sensitive pages read in this request, once the page is built."""
    if response.status_code < 400:
        write_pending_views()
    return response


def add_security_headers(response: Response) -> Response:
    """Set the headers every response carries; downloads keep their own sandbox CSP."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if response.mimetype == "text/html":
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.is_secure or current_app.config["FORCE_HSTS"]:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if current_user and current_user.is_authenticated:
        headers["Cache-Control"] = "no-store"
    if getattr(g, "request_id", None):
        headers["X-Request-Id"] = g.request_id
    return response
