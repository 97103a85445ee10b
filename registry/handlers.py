"""Error pages in the GOV.UK style, the DomainError mapping, and rollback on 500 (ERR-01)."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from registry.audit import record_counted_refusal, record_security_event
from registry.clock import utc_now
from registry.errors import DomainError
from registry.extensions import db

log = logging.getLogger("registry.errors")
PAGES = {400, 403, 404, 405, 409, 410, 413, 429, 500}


def init_handlers(app: Flask) -> None:
    """Register one handler per kind of failure."""
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(RateLimitExceeded, _rate_limited)
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def _actor():
    return current_user if current_user and current_user.is_authenticated else None


def _logged_path() -> str:
    """The request path, with an emailed link's token blanked out (LOG-03)."""
    token = (request.view_args or {}).get("token")
    return request.path.replace(token, "[token]") if token else request.path


def _audit(action: str, outcome: str = "refused") -> None:
    db.session.rollback()
    record_security_event(
        _actor(), action, at=utc_now(), outcome=outcome, after={"path": _logged_path()}
    )
    db.session.commit()


def render_error(status: int, message: str | None = None) -> ResponseReturnValue:
    """Render errors/<status>.html (or the generic page) with the right status."""
    template = f"errors/{status}.html" if status in PAGES else "errors/generic.html"
    return render_template(template, status=status, message=message), status


def _csrf_error(error: CSRFError) -> ResponseReturnValue:
    log.warning("csrf.refused", extra={"reason": error.description, "path": _logged_path()})
    if _actor() is None:
        # Anyone can send these: counted per address and window, not one audit row each.
        db.session.rollback()
        record_counted_refusal("security.csrf_refused", at=utc_now(), path=_logged_path())
        db.session.commit()
    else:
        _audit("security.csrf_refused")
    return render_error(400, "csrf")


def _rate_limited(error: RateLimitExceeded) -> ResponseReturnValue:
    _audit("security.throttled")
    response = render_error(429)
    return response


def _domain_error(error: DomainError) -> ResponseReturnValue:
    if error.status_code in (403, 404, 409):
        _audit(f"security.refused_{error.status_code}")
    return render_error(error.status_code, error.message)


def _http_error(error: HTTPException) -> ResponseReturnValue:
    if isinstance(error, SecurityError):
        # A Host not in TRUSTED_HOSTS (CFG-03): no URL can be built, so no templated page.
        return "Bad request", 400, {"Content-Type": "text/plain; charset=utf-8"}
    status = error.code or 500
    if status == 403 or (status == 404 and _actor() is not None):
        _audit(f"security.refused_{status}")
    return render_error(status)


def _unexpected_error(error: Exception) -> ResponseReturnValue:
    db.session.rollback()
    log.exception("request.failed", extra={"path": _logged_path()})
    return render_error(500)
