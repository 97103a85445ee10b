"""Error pages in the GOV.UK style, the DomainError mapping, and rollback on 500 (ERR-01).

A database that cannot be reached (a dropped connection, a restart) gives the 503 page, and the
connection is discarded so that the next request gets a new one. Every refusal is logged once,
by route and status, with no personal data. Errors in the request's teardown (the session's
rollback on a dead connection) are logged like any other error instead of escaping to the
server as a bare 500.
"""

from __future__ import annotations

import contextlib
import logging

from flask import Flask, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, SecurityError

from registry.audit import record_counted_refusal, record_security_event
from registry.clock import utc_now
from registry.errors import DomainError
from registry.extensions import db, login_manager

log = logging.getLogger("registry.errors")
PAGES = {400, 403, 404, 405, 409, 410, 413, 429, 500, 503}


def init_handlers(app: Flask) -> None:
    """Register one handler per kind of failure."""
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(RateLimitExceeded, _rate_limited)
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(DBAPIError, _database_error)
    app.register_error_handler(Exception, _unexpected_error)
    app.teardown_appcontext_funcs[:] = [_logged(f) for f in app.teardown_appcontext_funcs]


def _logged(teardown):
    """A teardown function whose errors are logged, and the session discarded, not raised."""

    def run(error: BaseException | None = None) -> None:
        try:
            teardown(error)
        except Exception as failure:
            log.error(
                "request.teardown_failed",
                extra={"error": type(failure).__name__, "disconnect": _is_disconnect(failure)},
            )
            _discard_session()

    run.__name__ = getattr(teardown, "__name__", "teardown")
    return run


def _is_disconnect(error: BaseException) -> bool:
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


def _discard_session(*, close: bool = True) -> None:
    """Roll back (and close) the session whatever state its connection is in."""
    with contextlib.suppress(Exception):
        db.session.rollback()
    if close:
        with contextlib.suppress(Exception):
            db.session.close()


def _actor():
    return current_user if current_user and current_user.is_authenticated else None


def _logged_path() -> str:
    """The request path, with an emailed link's token blanked out (LOG-03)."""
    token = (request.view_args or {}).get("token")
    return request.path.replace(token, "[token]") if token else request.path


def _route() -> str:
    """The matched route's pattern (no ids, tokens or query string), for the logs."""
    return request.url_rule.rule if request.url_rule else "(no route)"


def _log_refusal(kind: str, status: int) -> None:
    log.warning(kind, extra={"status": status, "route": _route(), "method": request.method})


def _audit(action: str, outcome: str = "refused") -> None:
    try:
        db.session.rollback()
        record_security_event(
            _actor(), action, at=utc_now(), outcome=outcome, after={"path": _logged_path()}
        )
        db.session.commit()
    except SQLAlchemyError as error:
        # The refusal stands; only its audit row is lost (the database is unreachable).
        log.error("audit.write_failed", extra={"action": action, "error": type(error).__name__})
        _discard_session(close=False)


def render_error(status: int, message: str | None = None) -> ResponseReturnValue:
    """Render errors/<status>.html (or the generic page) with the right status."""
    template = f"errors/{status}.html" if status in PAGES else "errors/generic.html"
    return render_template(template, status=status, message=message), status


def _csrf_error(error: CSRFError) -> ResponseReturnValue:
    log.warning(
        "csrf.refused",
        extra={"status": 400, "reason": error.description, "route": _route()},
    )
    if _actor() is None:
        # Anyone can send these: counted per address and window, not one audit row each.
        try:
            db.session.rollback()
            record_counted_refusal("security.csrf_refused", at=utc_now(), path=_logged_path())
            db.session.commit()
        except SQLAlchemyError as failure:
            log.error("audit.write_failed", extra={"error": type(failure).__name__})
            _discard_session(close=False)
    else:
        _audit("security.csrf_refused")
    return render_error(400, "csrf")


def _rate_limited(error: RateLimitExceeded) -> ResponseReturnValue:
    log.warning(
        "request.throttled",
        extra={
            "status": 429,
            "route": _route(),
            "method": request.method,
            "limit": str(error.limit.limit),
        },
    )
    _audit("security.throttled")
    response = render_error(429)
    return response


def _domain_error(error: DomainError) -> ResponseReturnValue:
    if error.status_code in (403, 404, 409):
        _log_refusal("request.refused", error.status_code)
        _audit(f"security.refused_{error.status_code}")
    return render_error(error.status_code, error.message)


def _http_error(error: HTTPException) -> ResponseReturnValue:
    if isinstance(error, SecurityError):
        # A Host not in TRUSTED_HOSTS (CFG-03): no URL can be built, so no templated page.
        return "Bad request", 400, {"Content-Type": "text/plain; charset=utf-8"}
    status = error.code or 500
    if status in (403, 409) or (status == 404 and _actor() is not None):
        _log_refusal("request.refused", status)
    if status == 403 or (status == 404 and _actor() is not None):
        _audit(f"security.refused_{status}")
    return render_error(status)


def _database_error(error: DBAPIError) -> ResponseReturnValue:
    """The database could not be reached or dropped the connection: 503, and a new connection
    next time (the pool discards the dead one; pool_pre_ping tests the others)."""
    if not _is_unavailable(error):
        return _unexpected_error(error)
    log.error(
        "database.unavailable",
        exc_info=error,
        extra={
            "error": type(error.orig).__name__ if error.orig else type(error).__name__,
            "disconnect": bool(error.connection_invalidated),
            "route": _route(),
        },
    )
    _discard_session()
    return _unavailable_page()


# PostgreSQL's classes for a lost or refused connection: 08 connection exception, 57P admin
# shutdown or crash, 53 insufficient resources (too many connections). psycopg gives no code when
# the server cannot be reached at all.
UNAVAILABLE_SQLSTATES = ("08", "57P", "53")
SQLITE_UNAVAILABLE = ("unable to open database", "database is locked", "disk i/o error")


def _is_unavailable(error: DBAPIError) -> bool:
    """True when the database could not be reached or dropped us, not for a faulty query."""
    if error.connection_invalidated:
        return True
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    original = error.orig
    if hasattr(original, "sqlstate"):  # psycopg
        code: str | None = getattr(original, "sqlstate", None)
        return code is None or code.startswith(UNAVAILABLE_SQLSTATES)
    if type(original).__module__.startswith("sqlite3"):
        return any(text in str(original).lower() for text in SQLITE_UNAVAILABLE)
    return True


def _unavailable_page() -> ResponseReturnValue:
    """The 503 page, rendered without touching the database (the user shown as signed out)."""
    g._login_user = login_manager.anonymous_user()
    headers = {"Retry-After": "60", "Cache-Control": "no-store"}
    try:
        body = render_template("errors/503.html", status=503, message=None)
    except Exception:
        body = UNAVAILABLE_TEXT
    return body, 503, headers


UNAVAILABLE_TEXT = "The service is unavailable, try again in a few minutes."


def _unexpected_error(error: Exception) -> ResponseReturnValue:
    _discard_session(close=False)  # the page may still read the signed-in user
    log.exception("request.failed", extra={"path": _logged_path()})
    return render_error(500)
