"""Keys for rate limits (RATE-01, RATE-02, RATE-03, RATE-05).

The client address is the one ProxyFix derived from the configured hop count, never a raw
X-Forwarded-For value the client sent. Per-account limits key on the signed-in user.
"""

from collections.abc import Callable

from flask import current_app, request
from flask_login import current_user


def client_address() -> str:
    """The client's IP address after ProxyFix."""
    return request.remote_addr or "unknown"


def account_key() -> str:
    """The account named in a sign-in form, normalised like the stored email address."""
    return "account:" + request.form.get("email", "").strip().lower()


def signed_in_key(kind: str) -> Callable[[], str]:
    """A key for a per-account limit: the signed-in user's id, with the kind of limit in front
    (so two limits on one endpoint never share a count, even with equal values)."""

    def key() -> str:
        user_id = (current_user.get_id() or "").partition(":")[0] if current_user else ""
        return f"{kind}:user:{user_id or client_address()}"

    return key


def setting(name: str) -> Callable[[], str]:
    """The limit's value, read from the app's configuration at request time."""
    return lambda: current_app.config[name]
