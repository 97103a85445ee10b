"""Security headers (HDR-01..07) and the per-request context the audit trail records."""

from __future__ import annotations

import logging
import re
import secrets
import time

from flask import Flask, Response, current_app, g, request
from flask_login import current_user

from registry.audit import RequestContext, current_request, pending_views, write_pending_views

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


# An inbound X-Request-ID (from the proxy or the load balancer) is kept when it looks like one;
# anything else is replaced by our own, so a client cannot write into the logs through it.
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")
log = logging.getLogger("registry.requests")


def init_security(app: Flask) -> None:
    """Install the request-context and header hooks."""
    # First of all before-request hooks: CSRF refusals (registered earlier) are audited with the
    # client's address and the request id too.
    app.before_request_funcs.setdefault(None, []).insert(0, _bind_request_context)
    app.after_request(add_security_headers)
    app.after_request(_write_view_events)
    app.after_request(_log_request)


def _bind_request_context() -> None:
    inbound = request.headers.get("X-Request-Id", "")
    g.request_id = inbound if REQUEST_ID.fullmatch(inbound) else secrets.token_hex(8)
    g.started = time.perf_counter()
    current_request.set(RequestContext(ip=request.remote_addr, request_id=g.request_id))
    pending_views.set([])


def _log_request(response: Response) -> Response:
    """One line per request: method, route, status and time; never the query string or a form
    field, so search terms and email addresses stay out of the log (LOG-03)."""
    started = g.get("started")
    elapsed = round((time.perf_counter() - started) * 1000, 1) if started else None
    log.info(
        "request",
        extra={
            "method": request.method,
            "route": request.url_rule.rule if request.url_rule else "(no route)",
            "status": response.status_code,
            "ms": elapsed,
        },
    )
    return response


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
