"""The web layer's authorisation decorators and safe redirects."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import abort, redirect, request, url_for
from flask_login import current_user

from registry.auth.sessions import mfa_is_fresh
from registry.models import Role


def role_required(*roles: Role) -> Callable:
    """Allow the view only to signed-in users holding one of the roles (read from the database)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated or current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
        return wrapped

    return decorator


def fresh_mfa_required(view: Callable) -> Callable:
    """Ask for a fresh TOTP code first when the last one is older than the window (MFA-07)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not mfa_is_fresh():
            target = request.path if request.method == "GET" else (request.referrer or "")
            return redirect(url_for("auth.reauthenticate", next=safe_next(target)))
        return view(*args, **kwargs)

    return wrapped


def safe_next(target: str | None, default: str | None = None) -> str:
    """A redirect target that stays on this site: a relative path, or the default (IN-07)."""
    fallback = default or url_for("pages.dashboard")
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        if parts.netloc and parts.netloc == request.host and parts.path.startswith("/"):
            # Check the path again: "http://host//evil.test" must not become "//evil.test".
            return safe_next(parts.path + (f"?{parts.query}" if parts.query else ""), default)
        return fallback
    if "\\" in target:
        return fallback
    return target
